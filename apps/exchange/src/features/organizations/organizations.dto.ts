import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsIn, IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role } from '@exchange/domain';
import { IsPlainText, IsId } from '../../http/dto-helpers';

export class RegisterOrganizationDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'chosen id; generated when absent' })
  @IsOptional()
  @IsId()
  id?: string;

  @ApiProperty({ example: 'Kanto Cathode Materials' })
  @IsString()
  @MinLength(1)
  @IsPlainText(200)
  name: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(4)
  @IsIn(ROLES, { each: true })
  roles: Role[];

  @ApiProperty({ description: 'public JWKS: { keys: [public JWK with kid] } (Ed25519 or P-256)' })
  @IsObject()
  jwks: { keys: unknown[] };
}

export class RotateKeysDto {
  @ApiProperty({ description: 'the new public key set; keys left out are retired now' })
  @IsArray()
  @ArrayNotEmpty()
  keys: unknown[];
}

export class TokenRequestDto {
  @ApiProperty({ example: 'client_credentials' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  grant_type?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  client_id?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  client_secret?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  scope?: string;
}
