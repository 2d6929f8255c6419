import type { DomainEvent } from '@exchange/domain';
import type { DdReportView } from '../views';
import type { Organizations } from './organizations';
import type { Parts } from './parts';
import { appended, type AppliedAt, type Mutable, type Projection } from './shared';

export class DdReports implements Projection {
  readonly handles = ['dd-report.submitted'] as const;
  private readonly byId = new Map<string, Mutable<DdReportView>>();

  constructor(
    private readonly organizations: Organizations,
    private readonly parts: Parts,
  ) {}

  get(id: string): DdReportView | undefined {
    return this.byId.get(id);
  }

  sharedId(id: string): string {
    return this.byId.get(id)?.id ?? id;
  }

  /** Every report id reachable through the inputs of a version (not including itself). */
  upstreamIds(ddReportId: string, version: number): Set<string> {
    const ids = new Set<string>();
    const walk = (id: string, v: number) => {
      const report = this.byId.get(id)?.versions.find((x) => x.version === v);
      for (const input of report?.inputs ?? []) {
        if (ids.has(input.ddReportId)) continue;
        ids.add(input.ddReportId);
        walk(input.ddReportId, input.version);
      }
    };
    walk(ddReportId, version);
    return ids;
  }

  apply(e: DomainEvent, { position, revision }: AppliedAt): void {
    if (e.type !== 'dd-report.submitted') return;
    const d = e.data;
    const report = this.byId.get(d.ddReportId) ?? {
      id: d.ddReportId,
      issuer: this.organizations.sharedId(d.issuer),
      partId: this.parts.sharedId(d.partId),
      versions: [],
    };
    const inputs = d.document.inputs.map((input) => ({ ddReportId: this.sharedId(input.ddReportId), version: input.version }));
    report.versions = appended(report.versions, {
      ddReportId: report.id,
      version: d.version,
      issuer: report.issuer,
      partId: report.partId,
      payloadSha256: d.payloadSha256,
      inputs,
      receivedAt: d.receivedAt,
      position,
      revision,
    });
    this.byId.set(report.id, report);
  }
}
