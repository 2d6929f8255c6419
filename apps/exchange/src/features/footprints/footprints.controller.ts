import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import type { CommandContext } from '@exchange/commands';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ParseIdPipe } from '../../http/parse-id.pipe';
import { VersionQuery } from '../../http/dto-helpers';
import { AllowedCallers, CallerOrg } from '../../http/caller';
import { WriteContext } from '../../http/write-context';
import { ReadOnlyPost } from '../../http/idempotency.interceptor';
import { DerivationQuery, PreviewDto, ReproduceDto, SubmitFootprintDto, SubmitSignedDto } from './footprints.dto';
import { PreviewFootprint, SubmitAttestation, SubmitFootprint } from './footprints.commands';
import { GetDerivation, GetFootprint, ListAttestations, ListFootprintVersions } from './footprints.queries';
import { ReproduceFootprint } from './reproduce';
import { VerifyFootprint } from './verify';

/** Plain JSON of a validated body part, exactly as sent (it is hashed). */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value));

@ApiTags('footprints')
@ApiBearerAuth()
@Controller('v1/footprints')
export class FootprintsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @AllowedCallers('supplier', 'oem')
  @ApiOperation({ summary: 'submit a signed footprint (typ cfp+jws) with its derivation; new versions keep the id' })
  submit(@WriteContext() context: CommandContext, @CallerOrg() caller: string, @Body() body: SubmitFootprintDto) {
    return this.commands.execute(new SubmitFootprint(caller, body.jws, plain(body.derivation), context));
  }

  @Post('preview')
  @HttpCode(200)
  @ReadOnlyPost()
  @AllowedCallers('supplier', 'oem')
  @ApiOperation({
    summary: 'the total the exchange would compute for own figures and pinned inputs',
    description:
      "Reads the inputs (purpose downstream-aggregation; audited in their owners' trails). Only reads: an Idempotency-Key is accepted and ignored, every call reads anew under the access in force.",
  })
  preview(@CallerOrg() caller: string, @Body() body: PreviewDto) {
    return this.queries.execute(new PreviewFootprint(caller, plain(body.own), plain(body.inputs)));
  }

  @Get(':id')
  get(@CallerOrg() caller: string, @Param('id', ParseIdPipe) id: string, @Query() query: VersionQuery) {
    return this.queries.execute(new GetFootprint(caller, id, query.version));
  }

  @Get(':id/versions')
  versions(@CallerOrg() caller: string, @Param('id', ParseIdPipe) id: string) {
    return this.queries.execute(new ListFootprintVersions(caller, id));
  }

  @Get(':id/derivation')
  @ApiOperation({
    summary: 'the derivation (issuer or scope derivation; scope document only gets 403), inputs to ?depth=N',
    description:
      'Each input version is shown once per answer, where the walk (level by level) first meets it; wherever else it is pinned, its entry carries only ' +
      '{ footprintId, version, payloadSha256, quantity, expandedAt }, expandedAt being a JSON Pointer (RFC 6901) into this answer to the entry that shows it. ' +
      'An answer showing more distinct input versions than the exchange allows (MAX_DERIVATION_INPUTS, default 10000) is 422 chain-too-large with `limit`: ask for a smaller depth.',
  })
  derivation(@CallerOrg() caller: string, @Param('id', ParseIdPipe) id: string, @Query() query: DerivationQuery) {
    return this.queries.execute(new GetDerivation(caller, id, query.version, query.depth ?? 1));
  }

  @Post(':id/reproduce')
  @HttpCode(200)
  @ReadOnlyPost()
  @ApiOperation({
    summary: 'replay the event history and recompute every level the caller may read',
    description:
      'eventsReplayed counts the events of the histories the caller may read. Only reads: an Idempotency-Key is accepted and ignored, every call reads anew under the access in force. ' +
      'A chain of more distinct footprint versions than the exchange replays in one call (MAX_REPRODUCED_VERSIONS, default 200000) is 422 chain-too-large with `limit`.',
  })
  reproduce(@CallerOrg() caller: string, @Param('id', ParseIdPipe) id: string, @Body() body: ReproduceDto) {
    return this.queries.execute(new ReproduceFootprint(caller, id, body.version, body.asOf));
  }

  @Get(':id/verify')
  @ApiOperation({
    summary: 'check every signature and every hash link down the visible chain',
    description:
      "Each version is checked once; reads of the levels below are audited in their owners' trails. More distinct versions than MAX_VERIFIED_VERSIONS (default 10000) is 422 chain-too-large.",
  })
  verify(@CallerOrg() caller: string, @Param('id', ParseIdPipe) id: string, @Query() query: VersionQuery) {
    return this.queries.execute(new VerifyFootprint(caller, id, query.version));
  }

  @Post(':id/attestations')
  @AllowedCallers('certifier')
  @ApiOperation({
    summary: 'a certifier with a verification grant attests a version (typ attestation+jws)',
    description:
      "The footprint's own issuer may not attest it (403 self-attestation, even when it is also a certifier); validUntil must be after the attestation's receipt (else 422 attestation-expired).",
  })
  attest(@WriteContext() context: CommandContext, @CallerOrg() caller: string, @Param('id', ParseIdPipe) id: string, @Body() body: SubmitSignedDto) {
    return this.commands.execute(new SubmitAttestation(caller, id, body.jws, context));
  }

  @Get(':id/attestations')
  attestations(@CallerOrg() caller: string, @Param('id', ParseIdPipe) id: string) {
    return this.queries.execute(new ListAttestations(caller, id));
  }
}
