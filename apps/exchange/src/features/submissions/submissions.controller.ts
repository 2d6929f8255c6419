import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import type { CommandContext } from '@exchange/commands';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiExtraModels, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ParseIdPipe } from '../../http/parse-id.pipe';
import { AllowedCallers, CallerOrg } from '../../http/caller';
import { WriteContext } from '../../http/write-context';
import { AcknowledgementDto, AcknowledgeSubmissionDto, DeclarationDto, ListSubmissionsQuery, SubmitDeclarationDto } from './submissions.dto';
import { AcknowledgeSubmission, SubmitDeclaration, type SubmissionAccepted } from './submissions.commands';
import { GetSubmission, ListSubmissions } from './submissions.queries';

@ApiTags('regulators')
@ApiBearerAuth()
@ApiExtraModels(DeclarationDto, AcknowledgementDto)
@Controller('v1/submissions')
export class SubmissionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @AllowedCallers('supplier', 'oem')
  @ApiOperation({
    summary: 'submit a signed battery CFP declaration (typ "declaration+jws") to a regulator',
    description:
      "Answers 201 { id, version: 1, payloadSha256, receipt, status: 'received' }. 422 unless the regulator is one, the footprint version is the issuer's and still valid (footprint-expired), every cited attestation verified it, was made by a certification body other than the issuer and is still valid (attestation-expired), the cited DD report is the issuer's or granted to it for downstream aggregation, and the per-functional-unit arithmetic holds (the body then carries `expected`). A declaration to the issuer itself is 403 self-submission.",
  })
  submit(@WriteContext() context: CommandContext, @CallerOrg() caller: string, @Body() body: SubmitDeclarationDto): Promise<SubmissionAccepted> {
    return this.commands.execute(new SubmitDeclaration(caller, body.regulatorOrgId, body.jws, context));
  }

  @Get()
  @ApiOperation({ summary: "a regulator's inbox and an issuer's sent submissions, oldest first" })
  list(@CallerOrg() caller: string, @Query() query: ListSubmissionsQuery) {
    return this.queries.execute(new ListSubmissions(caller, query));
  }

  @Get(':id')
  @ApiOperation({
    summary: 'a submission: { id, issuer, regulatorOrgId, status, declaration, jws, payloadSha256, receipt, receivedAt, acknowledgement? }',
    description:
      'The issuer, the receiving regulator, and grantees of a grant in force on the submission (reads under a grant are audited); 404 for anybody else, the attempt recorded in its audit trail.',
  })
  get(@CallerOrg() caller: string, @Param('id', ParseIdPipe) id: string) {
    return this.queries.execute(new GetSubmission(caller, id));
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @AllowedCallers('regulator')
  @ApiOperation({
    summary: 'the receiving regulator acknowledges a submission (typ "ack+jws")',
    description: "Answers 200 with the submission, status 'acknowledged'; 409 when already acknowledged.",
  })
  async acknowledge(
    @WriteContext() context: CommandContext,
    @CallerOrg() caller: string,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: AcknowledgeSubmissionDto,
  ) {
    await this.commands.execute(new AcknowledgeSubmission(caller, id, body.jws, context));
    return this.queries.execute(new GetSubmission(caller, id));
  }
}
