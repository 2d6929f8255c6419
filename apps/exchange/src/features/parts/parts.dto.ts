import type { BomLine } from '@exchange/domain';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsString, MinLength } from 'class-validator';
import { IsDecimalString, IsPlainText, NestedObjects, IsId } from '../../http/dto-helpers';

export class RegisterPartDto {
  @ApiProperty({ example: 'CAM-811' })
  @IsString()
  @MinLength(1)
  @IsPlainText(100)
  partNumber: string;

  @ApiProperty({ example: 'NMC811 cathode active material' })
  @IsString()
  @MinLength(1)
  @IsPlainText(200)
  name: string;

  @ApiProperty({ example: 'kilogram', description: 'kilogram, piece, kilowatt hour, ...' })
  @IsString()
  @MinLength(1)
  @IsPlainText(50)
  declaredUnit: string;
}

export class BomLineDto implements BomLine {
  @ApiProperty({ format: 'uuid' })
  @IsId()
  supplierOrgId: string;

  @ApiProperty({ format: 'uuid' })
  @IsId()
  supplierPartId: string;

  @ApiProperty({ example: '0.38', description: 'decimal string, > 0: supplier units per declared unit of this part' })
  @IsDecimalString({ positive: true })
  quantity: string;
}

export class SetBomDto {
  @ApiProperty({ type: [BomLineDto] })
  @ArrayNotEmpty()
  @ArrayMaxSize(500)
  @NestedObjects(() => BomLineDto)
  inputs: BomLineDto[];
}
