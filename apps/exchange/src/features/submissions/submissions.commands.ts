import type { CommandContext } from '@exchange/commands';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streams, submissionDecider, type DeclaredFootprintFacts } from '@exchange/domain';
import { AccessService } from '../../access/access.service';
import { Receipts } from '../../access/receipts';
import { SignedDocuments } from '../../access/signed-documents';
import { CommandRunner } from '../../pipeline/command-runner';
import { ReadModel } from '@exchange/projections';
import { AcknowledgementDto, DeclarationDto } from './submissions.dto';
import { SubmissionReader } from './submissions.queries';

export const DECLARATION_TYP = 'declaration+jws';
export const ACKNOWLEDGEMENT_TYP = 'ack+jws';

export class SubmitDeclaration {
  constructor(
    readonly callerOrgId: string,
    readonly regulatorOrgId: string,
    readonly jws: string,
    readonly context: CommandContext,
  ) {}
}
export class AcknowledgeSubmission {
  constructor(
    readonly callerOrgId: string,
    readonly submissionId: string,
    readonly jws: string,
    readonly context: CommandContext,
  ) {}
}

export interface SubmissionAccepted {
  id: string;
  version: 1;
  payloadSha256: string;
  receipt: string;
  status: 'received';
}

@CommandHandler(SubmitDeclaration)
export class SubmitDeclarationHandler implements ICommandHandler<SubmitDeclaration, SubmissionAccepted> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly readModel: ReadModel,
    private readonly access: AccessService,
    private readonly signed: SignedDocuments,
    private readonly receipts: Receipts,
  ) {}

  async execute({ callerOrgId, regulatorOrgId, jws, context }: SubmitDeclaration): Promise<SubmissionAccepted> {
    const receivedAt = context.now;
    const verified = await this.signed.verify(jws, DECLARATION_TYP, callerOrgId, DeclarationDto, receivedAt);
    const { document: declaration } = verified;
    const { position } = await this.runner.execute(
      {
        streamId: streams.submission(declaration.id),
        decider: submissionDecider,
        command: {
          type: 'submit-declaration',
          callerOrgId,
          regulatorOrgId,
          regulatorIsRegulator: this.readModel.organizations.get(regulatorOrgId)?.roles.includes('regulator') ?? false,
          jws,
          payloadSha256: verified.payloadSha256,
          declaration,
          footprint: this.footprintFacts(declaration.footprintId, declaration.footprintVersion),
          ddReportFound: declaration.ddReportId === undefined || this.mayCiteDdReport(callerOrgId, declaration.ddReportId),
          at: receivedAt,
        },
      },
      context,
    );
    const accepted = await this.receipts.accepted({
      documentId: declaration.id,
      version: 1,
      payloadSha256: verified.payloadSha256,
      position,
      receivedAt,
    });
    return { ...accepted, version: 1, status: 'received' };
  }

  private footprintFacts(footprintId: string, version: number): DeclaredFootprintFacts | undefined {
    const declared = this.readModel.footprints.version(footprintId, version);
    if (!declared) return undefined;
    const attestations = (this.readModel.footprints.get(footprintId)?.attestations ?? []).map((a) => ({
      id: a.attestationId,
      version: a.version,
      issuer: a.issuer,
      result: a.result,
      validUntil: a.validUntil,
    }));
    return {
      issuer: declared.issuer,
      version: declared.version,
      total: declared.total,
      ...(declared.validUntil !== undefined && { validUntil: declared.validUntil }),
      attestations,
    };
  }

  /** The issuer's own report, or one it was granted to build on (downstream aggregation); anything else is answered as not found. */
  private mayCiteDdReport(callerOrgId: string, ddReportId: string): boolean {
    const report = this.readModel.ddReports.get(ddReportId);
    return (
      report !== undefined &&
      this.access.canRead(
        callerOrgId,
        { type: 'dd-report', id: report.id, ownerOrgId: report.issuer },
        { scope: 'document', purposes: ['downstream-aggregation'] },
      )
    );
  }
}

@CommandHandler(AcknowledgeSubmission)
export class AcknowledgeSubmissionHandler implements ICommandHandler<AcknowledgeSubmission> {
  constructor(
    private readonly reader: SubmissionReader,
    private readonly signed: SignedDocuments,
    private readonly runner: CommandRunner,
  ) {}

  async execute({ callerOrgId, submissionId, jws, context }: AcknowledgeSubmission): Promise<void> {
    this.reader.visible(callerOrgId, submissionId);
    const at = context.now;
    const verified = await this.signed.verify(jws, ACKNOWLEDGEMENT_TYP, callerOrgId, AcknowledgementDto, at);
    await this.runner.execute(
      {
        streamId: streams.submission(submissionId),
        decider: submissionDecider,
        command: {
          type: 'acknowledge-submission',
          submissionId,
          callerOrgId,
          jws,
          payloadSha256: verified.payloadSha256,
          acknowledgement: verified.document,
          at,
        },
      },
      context,
    );
  }
}
