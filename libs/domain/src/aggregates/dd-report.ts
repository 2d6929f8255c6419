import { conflict, forbidden, unprocessable } from '../errors';
import { event, type DdReportDocument, type DomainEvent } from '../events';
import type { Decider } from '../decider';

export interface DdReportState {
  exists: boolean;
  issuer?: string;
  partId?: string;
  versions: { version: number; payloadSha256: string }[];
}

/** What the handler found about one linked input report, as the submitter may see it. */
export interface DdInputFacts {
  ddReportId: string;
  version: number;
  found?: { issuer: string; partId: string; payloadSha256: string; upstreamReportIds: ReadonlySet<string> };
}

export interface SubmitDdReport {
  type: 'submit-dd-report';
  callerOrgId: string;
  jws: string;
  payloadSha256: string;
  document: DdReportDocument;
  part?: { partId: string; ownerOrgId: string; bom: { supplierOrgId: string; supplierPartId: string }[] };
  inputs: DdInputFacts[];
  at: string;
}

export const ddReportDecider: Decider<DdReportState, SubmitDdReport, DomainEvent> = {
  initialState: () => ({ exists: false, versions: [] }),
  evolve(state, e) {
    if (e.type !== 'dd-report.submitted') return state;
    return {
      exists: true,
      issuer: e.data.issuer,
      partId: e.data.partId,
      versions: [...state.versions, { version: e.data.version, payloadSha256: e.data.payloadSha256 }],
    };
  },
  decide(command, state) {
    const doc = command.document;
    if (doc.issuer !== command.callerOrgId) throw forbidden('issuer-mismatch', 'the report is issued by another organization than the caller');
    checkVersion(state, doc, command.callerOrgId);
    const part = command.part;
    if (!part || part.ownerOrgId !== command.callerOrgId || part.partId !== doc.partId)
      throw unprocessable('part-not-found', `part ${doc.partId} is not one of your parts`);
    if (doc.period.from > doc.period.to) throw unprocessable('invalid-period', 'period.from is after period.to');
    const usedParts = new Set<string>();
    doc.inputs.forEach((input, index) => {
      const where = `document.inputs[${index}]`;
      const found = command.inputs.find((f) => f.ddReportId === input.ddReportId && f.version === input.version)?.found;
      if (input.ddReportId === doc.id || found?.upstreamReportIds.has(doc.id))
        throw unprocessable('input-cycle', `${where}: report ${input.ddReportId} leads back to this report`);
      if (!found) throw unprocessable('input-not-found', `${where}: report ${input.ddReportId} version ${input.version} not found`);
      if (found.payloadSha256 !== input.payloadSha256)
        throw unprocessable('input-hash-mismatch', `${where}: payloadSha256 does not match`, { expected: found.payloadSha256 });
      if (!part.bom.some((l) => l.supplierPartId === found.partId && l.supplierOrgId === found.issuer)) {
        throw unprocessable('input-not-in-bom', `${where}: part ${found.partId} is not in the bill of materials of part ${part.partId}`);
      }
      if (usedParts.has(found.partId)) throw unprocessable('duplicate-input', `${where}: a bill-of-materials line has two reports`);
      usedParts.add(found.partId);
    });
    return [
      event('dd-report.submitted', {
        ddReportId: doc.id,
        version: doc.version,
        issuer: doc.issuer,
        partId: doc.partId,
        jws: command.jws,
        payloadSha256: command.payloadSha256,
        document: doc,
        receivedAt: command.at,
      }),
    ];
  },
};

function checkVersion(state: DdReportState, doc: DdReportDocument, callerOrgId: string): void {
  const next = state.exists ? state.versions[state.versions.length - 1]!.version + 1 : 1;
  if (state.exists && state.issuer !== callerOrgId) throw conflict('duplicate-id', `a report with id ${doc.id} already exists`);
  if (state.exists && state.partId !== doc.partId) throw unprocessable('part-changed', 'a new version must describe the same part');
  if (doc.version !== next) throw conflict('version-conflict', `the next version of report ${doc.id} is ${next}`, { expectedVersion: next });
}
