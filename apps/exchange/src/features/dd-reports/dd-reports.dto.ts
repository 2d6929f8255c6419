import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  AUDIT_STATUSES,
  MINERALS,
  RISK_LEVELS,
  STEP_STATUSES,
  type Mineral,
  type RiskLevel,
  type DdReportDocument,
  type DdInput,
  type Risk,
  type Smelter,
} from '@exchange/domain';
import { IsCalendarDate, IsCompactJws, IsPlainText, NestedObjects, IsId } from '../../http/dto-helpers';

export class SubmitDdReportDto {
  @ApiProperty({ description: 'compact JWS (typ "dd+jws") whose payload is the canonical DD report (schema DdReportDocumentDto)' })
  @IsCompactJws()
  jws: string;
}

class PeriodDto {
  @ApiProperty({ format: 'date', example: '2025-01-01' })
  @IsCalendarDate()
  from: string;

  @ApiProperty({ format: 'date', example: '2025-12-31' })
  @IsCalendarDate()
  to: string;
}

class OecdStepDto {
  @ApiProperty({ enum: STEP_STATUSES })
  @IsIn(STEP_STATUSES)
  status: (typeof STEP_STATUSES)[number];

  @ApiPropertyOptional()
  @IsOptional()
  @IsPlainText(2000)
  evidence?: string;
}

/** The OECD Due Diligence Guidance's five steps, each one present. */
class OecdStepsDto {
  @ApiProperty({ type: OecdStepDto })
  @IsObject()
  @ValidateNested()
  @Type(() => OecdStepDto)
  managementSystems: OecdStepDto;

  @ApiProperty({ type: OecdStepDto })
  @IsObject()
  @ValidateNested()
  @Type(() => OecdStepDto)
  riskIdentification: OecdStepDto;

  @ApiProperty({ type: OecdStepDto })
  @IsObject()
  @ValidateNested()
  @Type(() => OecdStepDto)
  riskResponse: OecdStepDto;

  @ApiProperty({ type: OecdStepDto })
  @IsObject()
  @ValidateNested()
  @Type(() => OecdStepDto)
  independentAudit: OecdStepDto;

  @ApiProperty({ type: OecdStepDto })
  @IsObject()
  @ValidateNested()
  @Type(() => OecdStepDto)
  reporting: OecdStepDto;
}

class SmelterDto implements Smelter {
  @ApiProperty({ description: 'the smelter or refiner identifier (for example an RMI smelter id)', example: 'CID002050' })
  @IsString()
  @MinLength(1)
  @IsPlainText(100)
  id: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @IsPlainText(300)
  name: string;

  @ApiProperty({ description: 'ISO 3166-1 alpha-2', example: 'CD' })
  @IsISO31661Alpha2()
  country: string;

  @ApiProperty({ enum: MINERALS })
  @IsIn(MINERALS)
  mineral: Mineral;

  @ApiProperty({ enum: AUDIT_STATUSES })
  @IsIn(AUDIT_STATUSES)
  audit: (typeof AUDIT_STATUSES)[number];
}

class RiskDto implements Risk {
  @ApiProperty({ example: 'child-labour' })
  @IsString()
  @MinLength(1)
  @IsPlainText(100)
  category: string;

  @ApiProperty({ enum: RISK_LEVELS })
  @IsIn(RISK_LEVELS)
  level: RiskLevel;

  @ApiPropertyOptional()
  @IsOptional()
  @IsPlainText(2000)
  mitigation?: string;
}

class DdInputDto implements DdInput {
  @ApiProperty({ format: 'uuid' })
  @IsId()
  ddReportId: string;

  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  version: number;

  @ApiProperty({ description: 'payloadSha256 of the pinned version' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'payloadSha256 must be a base64url SHA-256 (43 characters)' })
  payloadSha256: string;
}

/** The signed DD report (the JWS payload), exactly as API.md lists it; unknown fields are refused. */
export class DdReportDocumentDto implements DdReportDocument {
  @ApiProperty({ format: 'uuid' })
  @IsId()
  id: string;

  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  version: number;

  @ApiProperty({ format: 'uuid', description: 'the issuing organization: the caller' })
  @IsId()
  issuer: string;

  @ApiProperty({ format: 'uuid' })
  @IsId()
  partId: string;

  @ApiProperty({ type: PeriodDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PeriodDto)
  period: PeriodDto;

  @ApiProperty({ enum: MINERALS, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsIn(MINERALS, { each: true })
  minerals: Mineral[];

  @ApiProperty({ type: OecdStepsDto })
  @IsObject()
  @ValidateNested()
  @Type(() => OecdStepsDto)
  oecdSteps: OecdStepsDto;

  @ApiProperty({ type: [SmelterDto] })
  @ArrayMaxSize(1000)
  @NestedObjects(() => SmelterDto)
  smelters: SmelterDto[];

  @ApiProperty({ type: [RiskDto] })
  @ArrayMaxSize(200)
  @NestedObjects(() => RiskDto)
  risks: RiskDto[];

  @ApiProperty({ type: [DdInputDto], description: "the suppliers' reports this one links, each pinned by version and payload hash" })
  @ArrayMaxSize(500)
  @NestedObjects(() => DdInputDto)
  inputs: DdInputDto[];
}
