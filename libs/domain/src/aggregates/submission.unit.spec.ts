import { event, type Acknowledgement, type Declaration } from '../events';
import type { Total } from '../stages';
import { deciderSpec } from '../testing/decider-spec';
import { submissionDecider, type AcknowledgeSubmission, type DeclaredFootprintFacts, type SubmitDeclaration } from './submission';

const spec = deciderSpec(submissionDecider);
const AT = '2026-03-01T10:00:00.000Z';
/** The scenario's pack (and vehicle battery) total, declared over 90000 kWh. */
const PACK_TOTAL: Total = {
  rawMaterialAcquisition: '1884.61428',
  mainProduction: '3525.32184',
  distribution: '174.91636',
  endOfLife: '40',
  value: '5624.85248',
};
const PER_STAGE = { rawMaterialAcquisition: '0.02094', mainProduction: '0.03917', distribution: '0.001944', endOfLife: '0.000444' };

const attestation = (over: Partial<DeclaredFootprintFacts['attestations'][number]> = {}) => ({
  id: 'att-1',
  version: 1,
  issuer: 'tuv',
  result: 'verified' as const,
  validUntil: '2027-03-01T00:00:00Z',
  ...over,
});
const footprint = (over: Partial<DeclaredFootprintFacts> = {}): DeclaredFootprintFacts => ({
  issuer: 'mirai',
  version: 1,
  total: PACK_TOTAL,
  attestations: [attestation()],
  ...over,
});
const declaration = (over: Partial<Declaration> = {}): Declaration => ({
  id: 'sub-1',
  issuer: 'mirai',
  batteryModel: 'MM-BP-75',
  manufacturingSite: 'Nagoya, JP',
  footprintId: 'fp-vehicle-battery',
  footprintVersion: 1,
  energyOverServiceLifeKWh: '90000',
  cfpPerFunctionalUnit: '0.062498',
  cfpPerStage: PER_STAGE,
  attestationIds: ['att-1'],
  ...over,
});
type SubmitOverrides = Partial<Omit<SubmitDeclaration, 'declaration'>> & { declaration?: Partial<Declaration> };
const submit = (over: SubmitOverrides = {}): SubmitDeclaration => ({
  type: 'submit-declaration',
  callerOrgId: 'mirai',
  regulatorOrgId: 'eu',
  regulatorIsRegulator: true,
  jws: 'decl-jws',
  payloadSha256: 'sha-decl',
  footprint: footprint(),
  ddReportFound: true,
  at: AT,
  ...over,
  declaration: declaration(over.declaration),
});
const received = (d: Declaration = declaration()) =>
  event('submission.received', {
    submissionId: 'sub-1',
    issuer: 'mirai',
    regulatorOrgId: 'eu',
    jws: 'decl-jws',
    payloadSha256: 'sha-decl',
    declaration: d,
    receivedAt: AT,
  });

const ack = (over: Partial<Acknowledgement> = {}): Acknowledgement => ({
  id: 'ack-1',
  issuer: 'eu',
  submissionId: 'sub-1',
  payloadSha256: 'sha-decl',
  result: 'accepted',
  ...over,
});
const acknowledge = (over: Partial<Acknowledgement> = {}, callerOrgId = 'eu'): AcknowledgeSubmission => ({
  type: 'acknowledge-submission',
  submissionId: 'sub-1',
  callerOrgId,
  jws: 'ack-jws',
  payloadSha256: 'sha-ack',
  acknowledgement: ack(over),
  at: AT,
});
const acknowledged = event('submission.acknowledged', {
  submissionId: 'sub-1',
  issuer: 'mirai',
  regulatorOrgId: 'eu',
  jws: 'ack-jws',
  payloadSha256: 'sha-ack',
  acknowledgement: ack(),
  acknowledgedAt: AT,
});

describe('submission decider', () => {
  describe('submit-declaration', () => {
    it("accepts the scenario's declaration: 5624.85248 kg over 90000 kWh is 0.062498 per kWh", () =>
      spec.given([]).when(submit()).then([received()]));
    it('accepts a declaration citing a DD report that was found', () =>
      spec
        .given([])
        .when(submit({ declaration: { ddReportId: 'dd-1' } }))
        .then([received(declaration({ ddReportId: 'dd-1' }))]));

    it('refuses a declaration issued by another organization than the caller', () =>
      spec
        .given([])
        .when(submit({ callerOrgId: 'stranger' }))
        .thenRefused('forbidden', 'issuer-mismatch'));
    it('refuses an id that exists', () => spec.given([received()]).when(submit()).thenRefused('conflict', 'duplicate-id'));
    it('refuses a receiver that is not a regulator', () =>
      spec
        .given([])
        .when(submit({ regulatorIsRegulator: false }))
        .thenRefused('unprocessable', 'unknown-regulator'));
    it('refuses a footprint version that was not found', () =>
      spec
        .given([])
        .when(submit({ footprint: undefined }))
        .thenRefused('unprocessable', 'footprint-not-found'));
    it("refuses another organization's footprint", () =>
      spec
        .given([])
        .when(submit({ footprint: footprint({ issuer: 'nagoya' }) }))
        .thenRefused('unprocessable', 'footprint-not-found'));
    it('refuses a cited DD report that was not found', () =>
      spec
        .given([])
        .when(submit({ declaration: { ddReportId: 'dd-1' }, ddReportFound: false }))
        .thenRefused('unprocessable', 'dd-report-not-found'));
    it('refuses an unknown attestation', () =>
      spec
        .given([])
        .when(submit({ declaration: { attestationIds: ['att-9'] } }))
        .thenRefused('unprocessable', 'attestation-not-found'));
    it('refuses an attestation of another version', () =>
      spec
        .given([])
        .when(submit({ footprint: footprint({ attestations: [attestation({ version: 2 })] }) }))
        .thenRefused('unprocessable', 'attestation-not-found'));
    it('refuses an attestation that rejected the footprint', () =>
      spec
        .given([])
        .when(submit({ footprint: footprint({ attestations: [attestation({ result: 'rejected' })] }) }))
        .thenRefused('unprocessable', 'not-attested'));
    it("refuses an attestation made by the declaration's own issuer", () =>
      spec
        .given([])
        .when(submit({ footprint: footprint({ attestations: [attestation({ issuer: 'mirai' })] }) }))
        .thenRefused('unprocessable', 'not-attested'));
    it('refuses an attestation no longer valid at submission', () =>
      spec
        .given([])
        .when(submit({ footprint: footprint({ attestations: [attestation({ validUntil: AT })] }) }))
        .thenRefused('unprocessable', 'attestation-expired'));
    it('takes the offset of validUntil into account', () =>
      spec
        .given([])
        .when(submit({ footprint: footprint({ attestations: [attestation({ validUntil: '2026-03-01T18:59:59+09:00' })] }) }))
        .thenRefused('unprocessable', 'attestation-expired'));
    it('refuses a footprint version no longer valid at submission', () =>
      spec
        .given([])
        .when(submit({ footprint: footprint({ validUntil: '2026-03-01T09:00:00Z' }) }))
        .thenRefused('unprocessable', 'footprint-expired'));
    it('accepts a footprint version still valid at submission', () =>
      spec
        .given([])
        .when(submit({ footprint: footprint({ validUntil: '2026-03-02T00:00:00Z' }) }))
        .then([received()]));
    it('refuses a declaration submitted to its own issuer', () =>
      spec
        .given([])
        .when(submit({ regulatorOrgId: 'mirai' }))
        .thenRefused('forbidden', 'self-submission'));
    it('refuses a declaration without attestations', () =>
      spec
        .given([])
        .when(submit({ declaration: { attestationIds: [] } }))
        .thenRefused('unprocessable', 'not-attested'));

    it('refuses a CFP per functional unit that is not the rounded quotient', () =>
      spec
        .given([])
        .when(submit({ declaration: { cfpPerFunctionalUnit: '0.062499' } }))
        .thenRefused('unprocessable', 'declaration-mismatch', { extra: { field: 'cfpPerFunctionalUnit', expected: '0.062498' } }));
    it('refuses an unnormalized figure', () =>
      spec
        .given([])
        .when(submit({ declaration: { cfpPerStage: { ...PER_STAGE, rawMaterialAcquisition: '0.020940' } } }))
        .thenRefused('unprocessable', 'declaration-mismatch', { extra: { stage: 'rawMaterialAcquisition', expected: '0.02094' } }));
    it('refuses a stage figure off by one in the sixth place', () =>
      spec
        .given([])
        .when(submit({ declaration: { cfpPerStage: { ...PER_STAGE, endOfLife: '0.000445' } } }))
        .thenRefused('unprocessable', 'declaration-mismatch', { extra: { stage: 'endOfLife', expected: '0.000444' } }));
  });

  describe('acknowledge-submission', () => {
    it('records the acknowledgement', () => spec.given([received()]).when(acknowledge()).then([acknowledged]));
    it('does not know a submission that does not exist', () => spec.given([]).when(acknowledge()).thenRefused('not-found', 'submission-not-found'));
    it('hides a submission from a stranger', () =>
      spec
        .given([received()])
        .when(acknowledge({ issuer: 'stranger' }, 'stranger'))
        .thenRefused('not-found', 'submission-not-found'));
    it('refuses the issuer', () =>
      spec
        .given([received()])
        .when(acknowledge({ issuer: 'mirai' }, 'mirai'))
        .thenRefused('forbidden', 'not-the-regulator'));
    it('refuses an acknowledgement issued by another organization than the caller', () =>
      spec
        .given([received()])
        .when(acknowledge({ issuer: 'other' }))
        .thenRefused('forbidden', 'issuer-mismatch'));
    it('refuses an acknowledgement of another submission', () =>
      spec
        .given([received()])
        .when(acknowledge({ submissionId: 'sub-2' }))
        .thenRefused('unprocessable', 'submission-mismatch'));
    it("refuses a payload hash that is not the declaration's", () =>
      spec
        .given([received()])
        .when(acknowledge({ payloadSha256: 'sha-other' }))
        .thenRefused('unprocessable', 'payload-hash-mismatch', { extra: { expected: 'sha-decl' } }));
    it('refuses a regulator acknowledging its own submission (one recorded before self-submissions were refused)', () =>
      spec
        .given([event('submission.received', { ...received().data, regulatorOrgId: 'mirai' })])
        .when(acknowledge({ issuer: 'mirai' }, 'mirai'))
        .thenRefused('forbidden', 'self-acknowledgement'));
    it('refuses to acknowledge twice', () =>
      spec.given([received(), acknowledged]).when(acknowledge()).thenRefused('conflict', 'already-acknowledged'));
  });
});
