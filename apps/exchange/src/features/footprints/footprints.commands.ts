import type { CommandContext } from '@exchange/commands';
import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  aggregateTotal,
  footprintDecider,
  normalize,
  notFound,
  streams,
  unprocessable,
  type Derivation,
  type FootprintDocument,
  type StageFigures,
} from '@exchange/domain';
import { AccessService, type AllowedRead, type ProtectedResource } from '../../access/access.service';
import { Receipts } from '../../access/receipts';
import { SignedDocuments } from '../../access/signed-documents';
import { CommandRunner } from '../../pipeline/command-runner';
import { ReadModel } from '@exchange/projections';
import { AttestationDocumentDto, FootprintDocumentDto } from './footprints.dto';
import { FootprintFacts } from './footprint-facts';

export class SubmitFootprint {
  constructor(
    readonly callerOrgId: string,
    readonly jws: string,
    readonly derivation: Derivation,
    readonly context: CommandContext,
  ) {}
}
export class SubmitAttestation {
  constructor(
    readonly callerOrgId: string,
    readonly footprintId: string,
    readonly jws: string,
    readonly context: CommandContext,
  ) {}
}
export class PreviewFootprint {
  constructor(
    readonly callerOrgId: string,
    readonly own: StageFigures,
    readonly inputs: { footprintId: string; version: number; quantity: string }[],
  ) {}
}

@CommandHandler(SubmitFootprint)
export class SubmitFootprintHandler implements ICommandHandler<SubmitFootprint> {
  constructor(
    private readonly signed: SignedDocuments,
    private readonly facts: FootprintFacts,
    private readonly runner: CommandRunner,
    private readonly receipts: Receipts,
  ) {}

  async execute({ callerOrgId, jws, derivation, context }: SubmitFootprint) {
    const at = context.now;
    const { document, payloadSha256 } = await this.signed.verify(jws, 'cfp+jws', callerOrgId, FootprintDocumentDto, at);
    const { position } = await this.runner.execute(
      {
        streamId: streams.footprint(document.id),
        decider: footprintDecider,
        command: {
          type: 'submit-footprint',
          callerOrgId,
          jws,
          payloadSha256,
          document,
          derivation,
          part: this.facts.part(document.partId),
          inputs: this.facts.inputs(callerOrgId, derivation.inputs),
          at,
        },
      },
      context,
    );
    return this.receipts.accepted({ documentId: document.id, version: document.version, payloadSha256, position, receivedAt: at });
  }
}

@CommandHandler(SubmitAttestation)
export class SubmitAttestationHandler implements ICommandHandler<SubmitAttestation> {
  constructor(
    private readonly signed: SignedDocuments,
    private readonly readModel: ReadModel,
    private readonly access: AccessService,
    private readonly runner: CommandRunner,
    private readonly receipts: Receipts,
  ) {}

  async execute({ callerOrgId, footprintId, jws, context }: SubmitAttestation) {
    const footprint = this.readModel.footprints.get(footprintId);
    const resource = footprint && { type: 'footprint' as const, id: footprintId, ownerOrgId: footprint.issuer };
    if (!resource || !this.access.canRead(callerOrgId, resource, { scope: 'document', purposes: ['verification'] }))
      throw notFound('footprint-not-found', 'no such footprint');
    const at = context.now;
    const { document, payloadSha256 } = await this.signed.verify(jws, 'attestation+jws', callerOrgId, AttestationDocumentDto, at);
    const { position } = await this.runner.execute(
      {
        streamId: streams.footprint(footprintId),
        decider: footprintDecider,
        command: {
          type: 'attest-footprint',
          footprintId,
          callerOrgId,
          jws,
          payloadSha256,
          document,
          at,
        },
      },
      context,
    );
    return this.receipts.accepted({ documentId: document.id, version: 1, payloadSha256, position, receivedAt: at });
  }
}

/**
 * The preview answers a total computed from its inputs' totals, so it reads them: each input is
 * read like a document needing purpose downstream-aggregation, audited (refusals too), and an
 * input the caller may not use is answered exactly like an unknown one.
 */
@QueryHandler(PreviewFootprint)
export class PreviewFootprintHandler implements IQueryHandler<PreviewFootprint> {
  constructor(
    private readonly readModel: ReadModel,
    private readonly access: AccessService,
  ) {}

  async execute({ callerOrgId, own, inputs }: PreviewFootprint) {
    const what = 'total (preview)';
    const found: { resource: ProtectedResource; decision: AllowedRead; total: FootprintDocument['total'] }[] = [];
    for (const [index, input] of inputs.entries()) {
      const missing = () => unprocessable('input-not-found', `inputs[${index}]: footprint ${input.footprintId} version ${input.version} not found`);
      const footprint = this.readModel.footprints.get(input.footprintId);
      if (!footprint) throw missing();
      const resource = { type: 'footprint' as const, id: footprint.id, ownerOrgId: footprint.issuer };
      const decision = this.access.authorize(callerOrgId, resource, { scope: 'document', purposes: ['downstream-aggregation'] }, what, missing);
      const version = this.readModel.footprints.version(input.footprintId, input.version);
      if (!version) throw missing();
      found.push({ resource, decision, total: version.total });
    }
    await this.access.recordReads(
      callerOrgId,
      found.map(({ resource, decision }) => ({ resource, decision, what })),
    );
    const weighted = inputs.map((input, index) => ({ quantity: normalize(input.quantity), total: found[index]!.total }));
    const normalizedOwn = Object.fromEntries(Object.entries(own).map(([stage, figure]) => [stage, normalize(figure)])) as StageFigures;
    return { total: aggregateTotal(normalizedOwn, weighted) };
  }
}
