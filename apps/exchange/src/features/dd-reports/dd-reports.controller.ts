import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import type { CommandContext } from '@exchange/commands';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiExtraModels, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ParseIdPipe } from '../../http/parse-id.pipe';
import { VersionQuery } from '../../http/dto-helpers';
import { AllowedCallers, CallerOrg } from '../../http/caller';
import { WriteContext } from '../../http/write-context';
import { DdReportDocumentDto, SubmitDdReportDto } from './dd-reports.dto';
import { SubmitDdReport, type DdReportAccepted } from './dd-reports.commands';
import { GetDdReport, GetDdRollup } from './dd-reports.queries';

@ApiTags('due diligence')
@ApiBearerAuth()
@ApiExtraModels(DdReportDocumentDto)
@Controller('v1/dd-reports')
export class DdReportsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @AllowedCallers('supplier', 'oem')
  @ApiOperation({
    summary: 'submit a signed DD report (typ "dd+jws"), a new one or the next version of one',
    description:
      'Answers 201 { id, version, payloadSha256, receipt }. 422 when the signature, a pinned input (unknown or unreadable: input-not-found; input-hash-mismatch) or the bill of materials (input-not-in-bom) does not hold; 409 when the version is not the next one.',
  })
  submit(@WriteContext() context: CommandContext, @CallerOrg() caller: string, @Body() body: SubmitDdReportDto): Promise<DdReportAccepted> {
    return this.commands.execute(new SubmitDdReport(caller, body.jws, context));
  }

  @Get(':id')
  @ApiOperation({
    summary: 'a DD report version (latest by default): { id, version, issuer, status, document, jws, payloadSha256, receipt }',
    description: 'The issuer, or a grantee with a grant in force (the read is audited); 404 for anybody else.',
  })
  get(@CallerOrg() caller: string, @Param('id', ParseIdPipe) id: string, @Query() query: VersionQuery) {
    return this.queries.execute(new GetDdReport(caller, id, query.version));
  }

  @Get(':id/rollup')
  @ApiOperation({
    summary: 'the rollup over the linked chain: { ddReportId, minerals, coverage: { inputs, withReport }, highestRisk, smelters }',
    description:
      "Minerals and risk levels propagate from every linked report; a smelter name appears only where the caller may read the report that lists it. coverage.inputs is the number of bill-of-materials lines of the report's part, withReport how many of them a linked report covers. Each linked version is taken in once; more than MAX_ROLLED_UP_REPORTS (default 10000) is 422 chain-too-large.",
  })
  rollup(@CallerOrg() caller: string, @Param('id', ParseIdPipe) id: string, @Query() query: VersionQuery) {
    return this.queries.execute(new GetDdRollup(caller, id, query.version));
  }
}
