import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsOptional } from 'class-validator';
import { READ_REFUSAL_REASONS, type Purpose, type ReadRefusalReason, type ResourceType, type Scope } from '@exchange/domain';
import { IsRfc3339DateTime, NestedObject, IsId } from '../../http/dto-helpers';
import { PageQuery } from '../../http/pagination';

export const RESOURCE_TYPES = ['footprint', 'dd-report', 'submission'] as const satisfies readonly ResourceType[];
export const PURPOSES = ['downstream-aggregation', 'verification', 'regulatory'] as const satisfies readonly Purpose[];
export const SCOPES = ['document', 'derivation'] as const satisfies readonly Scope[];
export const GRANT_STATUSES = ['active', 'revoked', 'expired'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];

export class GrantedResourceDto {
  @ApiProperty({ enum: RESOURCE_TYPES })
  @IsIn(RESOURCE_TYPES)
  type: ResourceType;

  @ApiProperty({ format: 'uuid' })
  @IsId()
  id: string;
}

export class CreateGrantDto {
  @ApiProperty({ type: GrantedResourceDto, description: 'one of your own footprints, DD reports or submissions' })
  @IsDefined()
  @NestedObject(() => GrantedResourceDto)
  resource: GrantedResourceDto;

  @ApiProperty({ format: 'uuid', description: 'a registered organization other than you' })
  @IsId()
  granteeOrgId: string;

  @ApiProperty({ enum: PURPOSES })
  @IsIn(PURPOSES)
  purpose: Purpose;

  @ApiProperty({ enum: SCOPES, description: 'derivation includes document' })
  @IsIn(SCOPES)
  scope: Scope;

  @ApiPropertyOptional({ format: 'date-time', description: 'RFC 3339, in the future; reads stop at this instant. Never expires when absent.' })
  @IsOptional()
  @IsRfc3339DateTime()
  expiresAt?: string;
}

export class ListGrantsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'only grants on this resource (yours, unless granted=to-me)' })
  @IsOptional()
  @IsId()
  resourceId?: string;

  @ApiPropertyOptional({ enum: ['by-me', 'to-me'], default: 'by-me', description: 'by-me: grants you gave; to-me: grants you received' })
  @IsOptional()
  @IsIn(['by-me', 'to-me'])
  granted?: 'by-me' | 'to-me';
}

export class AuditQuery extends PageQuery {
  @ApiProperty({ format: 'uuid', description: 'one of your own resources' })
  @IsId()
  resourceId: string;
}

export class CreatedGrantDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
}

export class GrantDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  ownerOrgId: string;

  @ApiProperty({ type: GrantedResourceDto })
  resource: GrantedResourceDto;

  @ApiProperty({ format: 'uuid' })
  granteeOrgId: string;

  @ApiProperty({ enum: PURPOSES })
  purpose: Purpose;

  @ApiProperty({ enum: SCOPES })
  scope: Scope;

  @ApiPropertyOptional({ format: 'date-time' })
  expiresAt?: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiPropertyOptional({ format: 'date-time' })
  revokedAt?: string;

  @ApiProperty({ enum: GRANT_STATUSES, description: 'as of the moment of the answer' })
  status: GrantStatus;
}

export class GrantsPageDto {
  @ApiProperty({ type: [GrantDto] })
  items: GrantDto[];

  @ApiPropertyOptional({ description: 'cursor of the following page; absent on the last page' })
  next?: string;
}

export class AuditEntryDto {
  @ApiProperty({
    enum: ['read', 'refused'],
    description:
      'read: read under a grant; refused: the access policy refused the attempt (answered 404, or 403 for a derivation with scope document)',
  })
  outcome: 'read' | 'refused';

  @ApiProperty({ format: 'uuid' })
  readerOrgId: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the grant read under (outcome read)' })
  grantId?: string;

  @ApiPropertyOptional({ enum: PURPOSES, description: 'outcome read' })
  purpose?: string;

  @ApiPropertyOptional({ enum: SCOPES, description: 'outcome read' })
  scope?: string;

  @ApiPropertyOptional({ enum: READ_REFUSAL_REASONS, description: 'why it was refused (outcome refused)' })
  reason?: ReadRefusalReason;

  @ApiProperty({ description: 'what was read or asked for, e.g. "document", "derivation", "reproduce", "grants", "audit"' })
  what: string;

  @ApiProperty({ format: 'date-time', description: 'when it was read, or the attempt refused' })
  readAt: string;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] })
  items: AuditEntryDto[];

  @ApiPropertyOptional({ description: 'cursor of the following page; absent on the last page' })
  next?: string;
}
