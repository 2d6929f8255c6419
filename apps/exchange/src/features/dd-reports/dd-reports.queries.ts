import { Inject, Injectable } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { chainTooLarge, notFound, rollUp, type DdRollup, type LinkedReport } from '@exchange/domain';
import { AccessService, type ProtectedResource, type RecordedRead } from '../../access/access.service';
import { EXCHANGE_CONFIG, type ExchangeConfig } from '../../config';
import { Receipts } from '../../access/receipts';
import { ReadModel, RecordedFacts, type DdReportVersionView, type DdReportView } from '@exchange/projections';

export class GetDdReport {
  constructor(
    readonly callerOrgId: string,
    readonly ddReportId: string,
    readonly version?: number,
  ) {}
}
export class GetDdRollup {
  constructor(
    readonly callerOrgId: string,
    readonly ddReportId: string,
    readonly version?: number,
  ) {}
}

const hidden = () => notFound('dd-report-not-found', 'no such DD report');
const versionKey = (ddReportId: string, version: number) => `${ddReportId}@${version}`;
const statusOf = (report: DdReportView, v: DdReportVersionView) =>
  v.version === report.versions[report.versions.length - 1]!.version ? 'active' : 'superseded';

/** Finding a DD report version the caller may read (the read audited); anything else is a 404. */
@Injectable()
export class DdReportReader {
  constructor(
    private readonly readModel: ReadModel,
    private readonly access: AccessService,
    private readonly receipts: Receipts,
  ) {}

  find(ddReportId: string, version?: number): { report: DdReportView; version: DdReportVersionView } | undefined {
    const report = this.readModel.ddReports.get(ddReportId);
    const found = version === undefined ? report?.versions[report.versions.length - 1] : report?.versions.find((v) => v.version === version);
    return report && found && { report, version: found };
  }

  /**
   * A read the caller asked for: an unknown report is a 404 with nothing recorded; a refusal is
   * recorded in its audit trail and answered 404; an unknown version is a 404, nothing read.
   */
  async read(callerOrgId: string, ddReportId: string, version: number | undefined, what: string) {
    const report = this.readModel.ddReports.get(ddReportId);
    if (!report) throw hidden();
    const resource = this.resource(report);
    const decision = this.access.authorize(callerOrgId, resource, { scope: 'document' }, what, hidden);
    const found = this.find(ddReportId, version);
    if (!found) throw hidden();
    await this.access.recordRead(callerOrgId, resource, decision, what);
    return found;
  }

  resource(report: DdReportView): ProtectedResource {
    return { type: 'dd-report', id: report.id, ownerOrgId: report.issuer };
  }

  receipt(v: DdReportVersionView): Promise<string> {
    return this.receipts.receiptFor({
      documentId: v.ddReportId,
      version: v.version,
      payloadSha256: v.payloadSha256,
      position: v.position,
      receivedAt: v.receivedAt,
    });
  }
}

@QueryHandler(GetDdReport)
export class GetDdReportHandler implements IQueryHandler<GetDdReport> {
  constructor(
    private readonly reader: DdReportReader,
    private readonly recorded: RecordedFacts,
  ) {}

  async execute({ callerOrgId, ddReportId, version }: GetDdReport) {
    const { report, version: v } = await this.reader.read(callerOrgId, ddReportId, version, 'document');
    const { document, jws } = await this.recorded.ddReportVersion(v);
    return {
      id: report.id,
      version: v.version,
      issuer: report.issuer,
      status: statusOf(report, v),
      document,
      jws,
      payloadSha256: v.payloadSha256,
      receipt: await this.reader.receipt(v),
      receivedAt: v.receivedAt,
    };
  }
}

/**
 * Minerals and risk levels propagate from every linked report; smelter names only from those the
 * caller may read (each such read audited, all of them together). The caller must be able to read
 * the root report. Each linked version is taken in once, however many paths lead to it.
 */
@QueryHandler(GetDdRollup)
export class GetDdRollupHandler implements IQueryHandler<GetDdRollup> {
  constructor(
    private readonly reader: DdReportReader,
    private readonly readModel: ReadModel,
    private readonly access: AccessService,
    private readonly recorded: RecordedFacts,
    @Inject(EXCHANGE_CONFIG) private readonly config: ExchangeConfig,
  ) {}

  async execute({ callerOrgId, ddReportId, version }: GetDdRollup): Promise<DdRollup> {
    const root = await this.reader.read(callerOrgId, ddReportId, version, 'rollup');
    const reads: RecordedRead[] = [];
    const linked = await this.linkedChain(callerOrgId, root.version, reads);
    await this.access.recordReads(callerOrgId, reads);
    const bomLines = this.readModel.parts.get(root.report.partId)?.bom.length ?? 0;
    const { document } = await this.recorded.ddReportVersion(root.version);
    return rollUp({ document, readable: true }, bomLines, (id, v) => linked.get(versionKey(id, v)));
  }

  /** Every report version reachable through pinned inputs from `root`, with whether the caller may read it (those reads kept in `reads`). */
  private async linkedChain(callerOrgId: string, root: DdReportVersionView, reads: RecordedRead[]): Promise<Map<string, LinkedReport>> {
    const linked = new Map<string, LinkedReport>();
    const pending = [...root.inputs];
    const what = `smelter names (in the rollup of ${root.ddReportId})`;
    for (let next = 0; next < pending.length; next++) {
      const input = pending[next]!;
      const key = versionKey(input.ddReportId, input.version);
      const found = this.reader.find(input.ddReportId, input.version);
      if (linked.has(key) || !found) continue;
      if (linked.size >= this.config.chainLimits.rolledUpReports)
        throw chainTooLarge('rolling up this report', this.config.chainLimits.rolledUpReports);
      const resource = this.reader.resource(found.report);
      const decision = this.access.decide(callerOrgId, resource, { scope: 'document' });
      if (decision.allowed) reads.push({ resource, decision, what });
      const { document } = await this.recorded.ddReportVersion(found.version);
      linked.set(key, { document, readable: decision.allowed });
      pending.push(...found.version.inputs);
    }
    return linked;
  }
}
