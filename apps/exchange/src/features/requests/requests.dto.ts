import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MinLength } from 'class-validator';
import { IsPlainText, IsRfc3339DateTime, IsId } from '../../http/dto-helpers';
import { PageQuery } from '../../http/pagination';

export class CreateRequestDto {
  @ApiProperty({ enum: ['cfp', 'dd'] })
  @IsIn(['cfp', 'dd'])
  kind: 'cfp' | 'dd';

  @ApiProperty({ format: 'uuid' })
  @IsId()
  supplierOrgId: string;

  @ApiProperty({ format: 'uuid' })
  @IsId()
  supplierPartId: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsPlainText(2000)
  message?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsRfc3339DateTime()
  dueDate?: string;
}

export class AnswerRequestDto {
  @ApiProperty({ format: 'uuid', description: 'a footprint (cfp) or DD report (dd) of the requested part' })
  @IsId()
  documentId: string;
}

export class RejectRequestDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @IsPlainText(2000)
  reason: string;
}

export class ListRequestsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['inbound', 'outbound'], description: 'inbound: asked of you; outbound: asked by you; both when absent' })
  @IsOptional()
  @IsIn(['inbound', 'outbound'])
  direction?: 'inbound' | 'outbound';

  @ApiPropertyOptional({ enum: ['open', 'answered', 'rejected'] })
  @IsOptional()
  @IsIn(['open', 'answered', 'rejected'])
  status?: 'open' | 'answered' | 'rejected';
}
