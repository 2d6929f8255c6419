import type { CommandContext } from '@exchange/commands';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ddReportDecider, streams, type DdInputFacts, type SubmitDdReport as SubmitDdReportCommand } from '@exchange/domain';
import { AccessService } from '../../access/access.service';
import { Receipts } from '../../access/receipts';
import { SignedDocuments } from '../../access/signed-documents';
import { CommandRunner } from '../../pipeline/command-runner';
import { ReadModel } from '@exchange/projections';
import { DdReportDocumentDto } from './dd-reports.dto';

export const DD_REPORT_TYP = 'dd+jws';

export class SubmitDdReport {
  constructor(
    readonly callerOrgId: string,
    readonly jws: string,
    readonly context: CommandContext,
  ) {}
}

export interface DdReportAccepted {
  id: string;
  version: number;
  payloadSha256: string;
  receipt: string;
}

@CommandHandler(SubmitDdReport)
export class SubmitDdReportHandler implements ICommandHandler<SubmitDdReport, DdReportAccepted> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly readModel: ReadModel,
    private readonly access: AccessService,
    private readonly signed: SignedDocuments,
    private readonly receipts: Receipts,
  ) {}

  async execute({ callerOrgId, jws, context }: SubmitDdReport): Promise<DdReportAccepted> {
    const receivedAt = context.now;
    const verified = await this.signed.verify(jws, DD_REPORT_TYP, callerOrgId, DdReportDocumentDto, receivedAt);
    const { document } = verified;
    const { position } = await this.runner.execute(
      {
        streamId: streams.ddReport(document.id),
        decider: ddReportDecider,
        command: {
          type: 'submit-dd-report',
          callerOrgId,
          jws,
          payloadSha256: verified.payloadSha256,
          document,
          part: this.partFacts(document.partId),
          inputs: document.inputs.map((input) => this.inputFacts(callerOrgId, input.ddReportId, input.version)),
          at: receivedAt,
        },
      },
      context,
    );
    return this.receipts.accepted({
      documentId: document.id,
      version: document.version,
      payloadSha256: verified.payloadSha256,
      position,
      receivedAt,
    });
  }

  private partFacts(partId: string): SubmitDdReportCommand['part'] {
    const part = this.readModel.parts.get(partId);
    if (!part) return undefined;
    return {
      partId: part.id,
      ownerOrgId: part.ownerOrgId,
      bom: part.bom.map(({ supplierOrgId, supplierPartId }) => ({ supplierOrgId, supplierPartId })),
    };
  }

  /** An input the submitter may not build on (a grant for downstream aggregation) is reported exactly like an unknown one. */
  private inputFacts(callerOrgId: string, ddReportId: string, version: number): DdInputFacts {
    const report = this.readModel.ddReports.get(ddReportId);
    const pinned = report?.versions.find((v) => v.version === version);
    const resource = report && { type: 'dd-report' as const, id: report.id, ownerOrgId: report.issuer };
    if (!resource || !pinned || !this.access.canRead(callerOrgId, resource, { scope: 'document', purposes: ['downstream-aggregation'] })) {
      return { ddReportId, version };
    }
    return {
      ddReportId,
      version,
      found: {
        issuer: pinned.issuer,
        partId: pinned.partId,
        payloadSha256: pinned.payloadSha256,
        upstreamReportIds: this.readModel.ddReports.upstreamIds(ddReportId, version),
      },
    };
  }
}
