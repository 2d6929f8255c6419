import { event, type DdInput, type DdReportDocument } from '../events';
import { deciderSpec } from '../testing/decider-spec';
import { ddReportDecider, type DdInputFacts, type SubmitDdReport } from './dd-report';

const spec = deciderSpec(ddReportDecider);
const AT = '2026-03-01T10:00:00.000Z';
const REPORT = 'dd-nmc811';

const input = (over: Partial<DdInput> = {}): DdInput => ({ ddReportId: 'dd-coso4', version: 1, payloadSha256: 'sha-coso4', ...over });
const inputFacts = (over: Partial<NonNullable<DdInputFacts['found']>> = {}, version = 1): DdInputFacts => ({
  ddReportId: 'dd-coso4',
  version,
  found: { issuer: 'katanga', partId: 'coso4', payloadSha256: 'sha-coso4', upstreamReportIds: new Set(), ...over },
});
const part = { partId: 'nmc811', ownerOrgId: 'kanto', bom: [{ supplierOrgId: 'katanga', supplierPartId: 'coso4' }] };

function submit(
  over: { document?: Partial<DdReportDocument>; callerOrgId?: string; part?: SubmitDdReport['part']; inputs?: DdInputFacts[] } = {},
): SubmitDdReport {
  const step = { status: 'implemented' as const };
  const document: DdReportDocument = {
    id: REPORT,
    version: 1,
    issuer: 'kanto',
    partId: 'nmc811',
    period: { from: '2025-01-01', to: '2025-12-31' },
    minerals: ['cobalt'],
    oecdSteps: { managementSystems: step, riskIdentification: step, riskResponse: step, independentAudit: step, reporting: step },
    smelters: [],
    risks: [{ category: 'childLabour', level: 'medium' }],
    inputs: [input()],
    ...over.document,
  };
  return {
    type: 'submit-dd-report',
    callerOrgId: over.callerOrgId ?? 'kanto',
    jws: 'dd-jws',
    payloadSha256: `sha-v${document.version}`,
    document,
    part: 'part' in over ? over.part : part,
    inputs: over.inputs ?? [inputFacts()],
    at: AT,
  };
}
const submitted = (command: SubmitDdReport) =>
  event('dd-report.submitted', {
    ddReportId: REPORT,
    version: command.document.version,
    issuer: 'kanto',
    partId: 'nmc811',
    jws: 'dd-jws',
    payloadSha256: command.payloadSha256,
    document: command.document,
    receivedAt: AT,
  });
const V1 = submitted(submit());

describe('DD report decider', () => {
  it('accepts a report linked to an input report of a BOM part', () => spec.given([]).when(submit()).then([V1]));
  it('accepts a report without inputs', () => {
    const command = submit({ document: { inputs: [] }, inputs: [] });
    spec
      .given([])
      .when(command)
      .then([submitted(command)]);
  });
  it('accepts version 2 after version 1', () => {
    const command = submit({ document: { version: 2 } });
    spec
      .given([V1])
      .when(command)
      .then([submitted(command)]);
  });

  it('refuses a report issued by another organization than the caller', () =>
    spec
      .given([])
      .when(submit({ callerOrgId: 'stranger' }))
      .thenRefused('forbidden', 'issuer-mismatch'));
  it('refuses a first version other than 1', () =>
    spec
      .given([])
      .when(submit({ document: { version: 2 } }))
      .thenRefused('conflict', 'version-conflict', { extra: { expectedVersion: 1 } }));
  it('refuses a version that is not the next', () =>
    spec
      .given([V1])
      .when(submit({ document: { version: 3 } }))
      .thenRefused('conflict', 'version-conflict', { extra: { expectedVersion: 2 } }));
  it("refuses another organization's id", () =>
    spec
      .given([V1])
      .when(submit({ callerOrgId: 'stranger', document: { issuer: 'stranger', version: 2 } }))
      .thenRefused('conflict', 'duplicate-id'));
  it('refuses a new version about another part', () =>
    spec
      .given([V1])
      .when(submit({ document: { version: 2, partId: 'cell' } }))
      .thenRefused('unprocessable', 'part-changed'));
  it('refuses a part that does not exist', () =>
    spec
      .given([])
      .when(submit({ part: undefined }))
      .thenRefused('unprocessable', 'part-not-found'));
  it("refuses another organization's part", () =>
    spec
      .given([])
      .when(submit({ part: { ...part, ownerOrgId: 'stranger' } }))
      .thenRefused('unprocessable', 'part-not-found'));
  it('refuses a period that ends before it starts', () =>
    spec
      .given([])
      .when(submit({ document: { period: { from: '2025-12-31', to: '2025-01-01' } } }))
      .thenRefused('unprocessable', 'invalid-period'));

  it('refuses the report as its own input', () =>
    spec
      .given([])
      .when(submit({ document: { inputs: [input({ ddReportId: REPORT })] }, inputs: [] }))
      .thenRefused('unprocessable', 'input-cycle'));
  it('refuses an input that leads back to the report', () =>
    spec
      .given([])
      .when(submit({ inputs: [inputFacts({ upstreamReportIds: new Set([REPORT]) })] }))
      .thenRefused('unprocessable', 'input-cycle'));
  it('refuses an unknown (or unreadable) input', () =>
    spec
      .given([])
      .when(submit({ inputs: [{ ddReportId: 'dd-coso4', version: 1 }] }))
      .thenRefused('unprocessable', 'input-not-found', { message: /document\.inputs\[0\]/ }));
  it("refuses an input whose payload hash is not the input's", () =>
    spec
      .given([])
      .when(submit({ document: { inputs: [input({ payloadSha256: 'sha-other' })] } }))
      .thenRefused('unprocessable', 'input-hash-mismatch', { extra: { expected: 'sha-coso4' } }));
  it('refuses an input that is not in the bill of materials', () =>
    spec
      .given([])
      .when(submit({ inputs: [inputFacts({ partId: 'graphite', issuer: 'hokkai' })] }))
      .thenRefused('unprocessable', 'input-not-in-bom'));
  it('refuses two reports for one BOM line', () =>
    spec
      .given([])
      .when(submit({ document: { inputs: [input(), input({ version: 2 })] }, inputs: [inputFacts(), inputFacts({}, 2)] }))
      .thenRefused('unprocessable', 'duplicate-input', { message: /document\.inputs\[1\]/ }));
});
