import type { StageFigures, Total, FootprintDocument, PinnedInput, Derivation, AttestationDocument } from '@exchange/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import {
  IsCompactJws,
  IsDecimalString,
  IsPlainText,
  IsRfc3339DateTime,
  IsSha256Base64Url,
  NestedObject,
  NestedObjects,
  VersionQuery,
  IsId,
} from '../../http/dto-helpers';

const MAX_INPUTS = 200;

/** The four life-cycle stages, kg CO2e per declared unit; normalized decimal strings when signed or hashed. */
export class StageFiguresDto implements StageFigures {
  @ApiProperty({ example: '0.8' }) @IsDecimalString({ normalized: true }) rawMaterialAcquisition: string;
  @ApiProperty({ example: '9.5' }) @IsDecimalString({ normalized: true }) mainProduction: string;
  @ApiProperty({ example: '0.2' }) @IsDecimalString({ normalized: true }) distribution: string;
  @ApiProperty({ example: '0' }) @IsDecimalString({ normalized: true }) endOfLife: string;
}

export class TotalDto extends StageFiguresDto implements Total {
  @ApiProperty({ example: '25.206', description: 'the sum of the four stages' })
  @IsDecimalString({ normalized: true })
  value: string;
}

/** The signed footprint document (the JWS payload): what downstream may see. */
export class FootprintDocumentDto implements FootprintDocument {
  @IsId() id: string;
  @IsInt() @Min(1) @Max(1_000_000) version: number;
  @IsId() issuer: string;
  @IsId() partId: string;
  @IsString() @MinLength(1) @IsPlainText(50) declaredUnit: string;
  @IsRfc3339DateTime() validFrom: string;
  @IsOptional() @IsRfc3339DateTime() validUntil?: string;
  @IsString() @MinLength(1) @IsPlainText(100) methodology: string;
  @IsDefined() @NestedObject(() => TotalDto) total: TotalDto;
  @IsSha256Base64Url() derivationSha256: string;
}

export class PinnedInputDto implements PinnedInput {
  @ApiProperty({ format: 'uuid' }) @IsId() footprintId: string;
  @ApiProperty() @IsInt() @Min(1) version: number;
  @ApiProperty() @IsSha256Base64Url() payloadSha256: string;
  @ApiProperty({ example: '0.38' }) @IsDecimalString({ positive: true, normalized: true }) quantity: string;
}

/** The derivation: the trade secret, shown only to those granted it. */
export class DerivationDto implements Derivation {
  @ApiProperty({ description: 'random, at least 16 bytes, base64url' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{22,256}$/, { message: 'salt must be base64url of at least 16 random bytes' })
  salt: string;

  @ApiProperty({ type: StageFiguresDto }) @IsDefined() @NestedObject(() => StageFiguresDto) own: StageFiguresDto;

  @ApiProperty({ type: [PinnedInputDto] })
  @ArrayMaxSize(MAX_INPUTS)
  @NestedObjects(() => PinnedInputDto)
  inputs: PinnedInputDto[];
}

export class SubmitFootprintDto {
  @ApiProperty({ description: 'compact JWS (typ cfp+jws) over the canonical footprint document' })
  @IsCompactJws()
  jws: string;

  @ApiProperty({ type: DerivationDto }) @IsDefined() @NestedObject(() => DerivationDto) derivation: DerivationDto;
}

export class PreviewInputDto {
  @ApiProperty({ format: 'uuid' }) @IsId() footprintId: string;
  @ApiProperty() @IsInt() @Min(1) version: number;
  @ApiProperty({ example: '0.38' }) @IsDecimalString({ positive: true }) quantity: string;
}

export class PreviewOwnDto {
  @ApiProperty() @IsDecimalString() rawMaterialAcquisition: string;
  @ApiProperty() @IsDecimalString() mainProduction: string;
  @ApiProperty() @IsDecimalString() distribution: string;
  @ApiProperty() @IsDecimalString() endOfLife: string;
}

export class PreviewDto {
  @ApiProperty({ type: PreviewOwnDto }) @IsDefined() @NestedObject(() => PreviewOwnDto) own: PreviewOwnDto;
  @ApiProperty({ type: [PreviewInputDto] }) @ArrayMaxSize(MAX_INPUTS) @NestedObjects(() => PreviewInputDto) inputs: PreviewInputDto[];
}

export class DerivationQuery extends VersionQuery {
  @ApiPropertyOptional({ default: 1, maximum: 20, description: 'levels of input derivations to include where the caller holds scope derivation' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(20)
  depth?: number;
}

export class ReproduceDto {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) version?: number;
  @ApiPropertyOptional({ format: 'date-time', description: 'replay only what the exchange had received by then' })
  @IsOptional()
  @IsRfc3339DateTime()
  asOf?: string;
}

/** The signed attestation of a certification body. */
export class AttestationDocumentDto implements AttestationDocument {
  @IsId() id: string;
  @IsId() issuer: string;
  @IsId() footprintId: string;
  @IsInt() @Min(1) version: number;
  @IsSha256Base64Url() payloadSha256: string;
  @IsSha256Base64Url() derivationSha256: string;
  @IsIn(['verified', 'rejected']) result: 'verified' | 'rejected';
  @IsString() @MinLength(1) @IsPlainText(200) standard: string;
  @IsArray() @ArrayMaxSize(100) @IsPlainText(2000, { each: true }) findings: string[];
  @IsRfc3339DateTime() validUntil: string;
}

export class SubmitSignedDto {
  @ApiProperty({ description: 'compact JWS over the canonical document' })
  @IsCompactJws()
  jws: string;
}
