import type { Declaration, Acknowledgement, StageFigures } from '@exchange/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsCompactJws, IsDecimalString, IsPlainText, IsId } from '../../http/dto-helpers';
import { PageQuery } from '../../http/pagination';

export class SubmitDeclarationDto {
  @ApiProperty({ format: 'uuid', description: 'the receiving regulator (an organization with the role regulator)' })
  @IsId()
  regulatorOrgId: string;

  @ApiProperty({ description: 'compact JWS (typ "declaration+jws") whose payload is the canonical declaration (schema DeclarationDto)' })
  @IsCompactJws()
  jws: string;
}

export class AcknowledgeSubmissionDto {
  @ApiProperty({ description: 'compact JWS (typ "ack+jws") whose payload is the canonical acknowledgement (schema AcknowledgementDto)' })
  @IsCompactJws()
  jws: string;
}

export class ListSubmissionsQuery extends PageQuery {}

/** kg CO2e per kWh per life-cycle stage, normalized. */
class CfpPerStageDto implements StageFigures {
  @ApiProperty({ example: '0.0625' })
  @IsDecimalString({ normalized: true })
  rawMaterialAcquisition: string;

  @ApiProperty({ example: '0.0125' })
  @IsDecimalString({ normalized: true })
  mainProduction: string;

  @ApiProperty({ example: '0.001' })
  @IsDecimalString({ normalized: true })
  distribution: string;

  @ApiProperty({ example: '0.0005' })
  @IsDecimalString({ normalized: true })
  endOfLife: string;
}

/** The battery CFP declaration (EU 2023/1542 Art. 7, Annex II): the signed payload; unknown fields are refused. */
export class DeclarationDto implements Declaration {
  @ApiProperty({ format: 'uuid', description: 'also the submission id' })
  @IsId()
  id: string;

  @ApiProperty({ format: 'uuid', description: 'the economic operator: the caller' })
  @IsId()
  issuer: string;

  @ApiProperty({ example: 'NMC811-75kWh' })
  @IsString()
  @MinLength(1)
  @IsPlainText(200)
  batteryModel: string;

  @ApiProperty({ example: 'Gigafactory 1, Salzgitter, DE' })
  @IsString()
  @MinLength(1)
  @IsPlainText(500)
  manufacturingSite: string;

  @ApiProperty({ format: 'uuid', description: "the issuer's own footprint of the battery" })
  @IsId()
  footprintId: string;

  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  footprintVersion: number;

  @ApiProperty({ example: '120000', description: 'kWh over the service life (the functional unit), positive and normalized' })
  @IsDecimalString({ positive: true, normalized: true })
  energyOverServiceLifeKWh: string;

  @ApiProperty({
    example: '0.0765',
    description: "kg CO2e/kWh: the footprint's value ÷ energyOverServiceLifeKWh, rounded half-even to 6 places, normalized",
  })
  @IsDecimalString({ normalized: true })
  cfpPerFunctionalUnit: string;

  @ApiProperty({ type: CfpPerStageDto })
  @IsObject()
  @ValidateNested()
  @Type(() => CfpPerStageDto)
  cfpPerStage: CfpPerStageDto;

  @ApiProperty({ type: [String], format: 'uuid', description: 'attestations "verified" of the declared footprint version' })
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsId({ each: true })
  attestationIds: string[];

  @ApiPropertyOptional({ format: 'uuid', description: "a DD report of the issuer's, or one it may read" })
  @IsOptional()
  @IsId()
  ddReportId?: string;

  @ApiPropertyOptional({ example: 'https://example.com/cfp-study.pdf' })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'publicStudyUrl must be an https URL' })
  @IsPlainText(2000)
  publicStudyUrl?: string;
}

/** The regulator's acknowledgement (the signed payload); unknown fields are refused. */
export class AcknowledgementDto implements Acknowledgement {
  @ApiProperty({ format: 'uuid' })
  @IsId()
  id: string;

  @ApiProperty({ format: 'uuid', description: 'the regulator: the caller' })
  @IsId()
  issuer: string;

  @ApiProperty({ format: 'uuid' })
  @IsId()
  submissionId: string;

  @ApiProperty({ description: "payloadSha256 of the declaration's JWS payload" })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'payloadSha256 must be a base64url SHA-256 (43 characters)' })
  payloadSha256: string;

  @ApiProperty({ enum: ['accepted', 'rejected'] })
  @IsIn(['accepted', 'rejected'])
  result: 'accepted' | 'rejected';

  @ApiPropertyOptional()
  @IsOptional()
  @IsPlainText(4000)
  comments?: string;
}
