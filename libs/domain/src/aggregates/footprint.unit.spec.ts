import { canonicalSha256 } from '../canonical';
import { add } from '../decimal';
import { event, type AttestationDocument, type Derivation, type FootprintDocument, type PinnedInput } from '../events';
import { STAGES, type StageFigures, type Total } from '../stages';
import { deciderSpec } from '../testing/decider-spec';
import { footprintDecider, type AttestFootprint, type FootprintCommand, type InputFacts, type PartFacts, type SubmitFootprint } from './footprint';

const spec = deciderSpec(footprintDecider);
const AT = '2026-03-01T10:00:00.000Z';
const NMC = 'fp-nmc811';

/** The scenario's four NMC811 inputs at version 1: supplier, own figures (no upstream), BOM quantity. */
const SUPPLIERS = {
  niso4: { issuer: 'pacific-nickel', quantity: '1.4', own: figures('3.9', '2.2', '0.3', '0') },
  'niso4-recycled': { issuer: 'circular-metals', quantity: '0.5', own: figures('0.6', '1.1', '0.1', '0') },
  coso4: { issuer: 'katanga-cobalt', quantity: '0.24', own: figures('4.5', '3.0', '0.5', '0') },
  li2co3: { issuer: 'andes-lithium', quantity: '0.38', own: figures('5.2', '2.1', '0.4', '0') },
};
type InputPart = keyof typeof SUPPLIERS;
const INPUT_PARTS = Object.keys(SUPPLIERS) as InputPart[];
const NMC_OWN = figures('0.8', '9.5', '0.2', '0');
const NMC_TOTAL: Total = { rawMaterialAcquisition: '9.616', mainProduction: '14.648', distribution: '0.942', endOfLife: '0', value: '25.206' };

function figures(rawMaterialAcquisition: string, mainProduction: string, distribution: string, endOfLife: string): StageFigures {
  return { rawMaterialAcquisition, mainProduction, distribution, endOfLife };
}
const totalOf = (own: StageFigures): Total => ({ ...own, value: add(...STAGES.map((s) => own[s])) });
const pinned = (part: InputPart, over: Partial<PinnedInput> = {}): PinnedInput => ({
  footprintId: `fp-${part}`,
  version: 1,
  payloadSha256: `sha-${part}`,
  quantity: SUPPLIERS[part].quantity,
  ...over,
});
const inputFacts = (part: InputPart, upstream: string[] = []): InputFacts => ({
  footprintId: `fp-${part}`,
  version: 1,
  found: {
    issuer: SUPPLIERS[part].issuer,
    partId: part,
    payloadSha256: `sha-${part}`,
    total: totalOf(SUPPLIERS[part].own),
    upstreamFootprintIds: new Set(upstream),
  },
});
const nmcPart = (over: Partial<PartFacts> = {}): PartFacts => ({
  partId: 'nmc811',
  ownerOrgId: 'kanto',
  declaredUnit: 'kilogram',
  bom: INPUT_PARTS.map((part) => ({ supplierOrgId: SUPPLIERS[part].issuer, supplierPartId: part, quantity: SUPPLIERS[part].quantity })),
  ...over,
});

interface Draft {
  document?: Partial<FootprintDocument>;
  derivation?: Partial<Derivation>;
  /** Replaces the derivation after its hash went into the document. */
  tamperedDerivation?: Partial<Derivation>;
  part?: PartFacts | undefined;
  inputs?: InputFacts[];
  callerOrgId?: string;
}

/** Kanto's NMC811 footprint, version 1, consistent unless a draft field says otherwise. */
function submit(draft: Draft = {}): SubmitFootprint {
  const derivation: Derivation = { salt: 'c2FsdC1vZi1hdC1sZWFzdC0xNg', own: NMC_OWN, inputs: INPUT_PARTS.map((p) => pinned(p)), ...draft.derivation };
  const document: FootprintDocument = {
    id: NMC,
    version: 1,
    issuer: 'kanto',
    partId: 'nmc811',
    declaredUnit: 'kilogram',
    validFrom: '2026-01-01T00:00:00.000Z',
    methodology: 'EU 2023/1542 CFP rules',
    total: NMC_TOTAL,
    derivationSha256: canonicalSha256(derivation),
    ...draft.document,
  };
  return {
    type: 'submit-footprint',
    callerOrgId: draft.callerOrgId ?? 'kanto',
    jws: `jws-of-${document.version}`,
    payloadSha256: `sha-nmc811-v${document.version}`,
    document,
    derivation: draft.tamperedDerivation ? { ...derivation, ...draft.tamperedDerivation } : derivation,
    part: 'part' in draft ? draft.part : nmcPart(),
    inputs: draft.inputs ?? INPUT_PARTS.map((p) => inputFacts(p)),
    at: AT,
  };
}
const submitted = (command: SubmitFootprint) =>
  event('footprint.submitted', {
    footprintId: command.document.id,
    version: command.document.version,
    issuer: command.document.issuer,
    partId: command.document.partId,
    jws: command.jws,
    payloadSha256: command.payloadSha256,
    document: command.document,
    derivation: command.derivation,
    receivedAt: AT,
  });
const V1 = submitted(submit());
const totalWith = (field: keyof Total, value: string): Total => ({ ...NMC_TOTAL, [field]: value });

describe('footprint decider', () => {
  describe('submit-footprint: the aggregation', () => {
    it('accepts NMC811 from its four inputs at version 1, totalling exactly 9.616 / 14.648 / 0.942 / 0 = 25.206', () =>
      spec.given([]).when(submit()).then([V1]));

    it('accepts a footprint without inputs whose total is its own figures', () => {
      const command = submit({ derivation: { inputs: [] }, document: { total: totalOf(NMC_OWN) }, inputs: [] });
      spec
        .given([])
        .when(command)
        .then([submitted(command)]);
    });

    it.each(STAGES)('refuses a total off by 0.00001 in %s, naming the stage and the expected value', (stage) => {
      const claimed = add(NMC_TOTAL[stage], '0.00001');
      spec
        .given([])
        .when(submit({ document: { total: totalWith(stage, claimed) } }))
        .thenRefused('unprocessable', 'total-mismatch', {
          extra: { stage, expected: NMC_TOTAL[stage], expectedTotal: NMC_TOTAL },
          message: new RegExp(`total\\.${stage} is ${claimed.replace('.', '\\.')}, the aggregation gives ${NMC_TOTAL[stage].replace('.', '\\.')}`),
        });
    });

    it('refuses a value that is not the sum of the stages', () =>
      spec
        .given([])
        .when(submit({ document: { total: totalWith('value', '25.20599') } }))
        .thenRefused('unprocessable', 'total-mismatch', { extra: { stage: 'value', expected: '25.206' } }));

    it('refuses a total that is right but not normalized', () =>
      spec
        .given([])
        .when(submit({ document: { total: totalWith('mainProduction', '14.6480') } }))
        .thenRefused('unprocessable', 'total-mismatch', { extra: { stage: 'mainProduction', expected: '14.648' } }));
  });

  describe('submit-footprint: the validity period', () => {
    it('accepts a validUntil after validFrom', () => {
      const command = submit({ document: { validUntil: '2027-01-01T00:00:00Z' } });
      spec
        .given([])
        .when(command)
        .then([submitted(command)]);
    });
    it.each([
      ['equal to validFrom', '2026-01-01T00:00:00.000Z'],
      ['before validFrom', '2025-12-31T23:59:59Z'],
      ['before validFrom once its offset is applied', '2026-01-01T08:00:00+09:00'],
    ])('refuses a validUntil %s', (_case, validUntil) =>
      spec
        .given([])
        .when(submit({ document: { validUntil } }))
        .thenRefused('unprocessable', 'invalid-validity-period'),
    );
  });

  describe('submit-footprint: hashes and inputs', () => {
    it('refuses a derivation tampered with after hashing', () => {
      const tampered = { own: { ...NMC_OWN, mainProduction: '9.4' } };
      const command = submit({ tamperedDerivation: tampered });
      spec
        .given([])
        .when(command)
        .thenRefused('unprocessable', 'derivation-hash-mismatch', { extra: { expected: canonicalSha256(command.derivation) } });
    });

    it('refuses an unknown (or unreadable) input', () =>
      spec
        .given([])
        .when(submit({ inputs: [...INPUT_PARTS.slice(1).map((p) => inputFacts(p)), { footprintId: 'fp-niso4', version: 1 }] }))
        .thenRefused('unprocessable', 'input-not-found', { message: /inputs\[0\]/ }));

    it('refuses an input pinned at a version that was not found', () =>
      spec
        .given([])
        .when(submit({ derivation: { inputs: [pinned('niso4', { version: 2 }), ...INPUT_PARTS.slice(1).map((p) => pinned(p))] } }))
        .thenRefused('unprocessable', 'input-not-found'));

    it("refuses an input whose payload hash is not the input's", () =>
      spec
        .given([])
        .when(submit({ derivation: { inputs: INPUT_PARTS.map((p) => pinned(p, p === 'coso4' ? { payloadSha256: 'sha-other' } : {})) } }))
        .thenRefused('unprocessable', 'input-hash-mismatch', { extra: { expected: 'sha-coso4' } }));

    it('refuses an input that is not in the bill of materials', () =>
      spec
        .given([])
        .when(submit({ part: nmcPart({ bom: nmcPart().bom.filter((l) => l.supplierPartId !== 'li2co3') }) }))
        .thenRefused('unprocessable', 'input-not-in-bom', { message: /inputs\[3\]/ }));

    it('refuses an input whose BOM line names another supplier', () =>
      spec
        .given([])
        .when(
          submit({ part: nmcPart({ bom: nmcPart().bom.map((l) => (l.supplierPartId === 'coso4' ? { ...l, supplierOrgId: 'someone-else' } : l)) }) }),
        )
        .thenRefused('unprocessable', 'input-not-in-bom'));

    it('refuses a quantity that is not the BOM quantity', () =>
      spec
        .given([])
        .when(submit({ derivation: { inputs: INPUT_PARTS.map((p) => pinned(p, p === 'coso4' ? { quantity: '0.25' } : {})) } }))
        .thenRefused('unprocessable', 'quantity-mismatch', { extra: { expected: '0.24' } }));

    it('accepts the BOM quantity written with a trailing zero', () => {
      const command = submit({ derivation: { inputs: INPUT_PARTS.map((p) => pinned(p, p === 'coso4' ? { quantity: '0.240' } : {})) } });
      spec
        .given([])
        .when(command)
        .then([submitted(command)]);
    });

    it('refuses the document as its own input', () =>
      spec
        .given([])
        .when(submit({ derivation: { inputs: [pinned('niso4', { footprintId: NMC })] } }))
        .thenRefused('unprocessable', 'input-cycle'));

    it('refuses an input that leads back to the document', () =>
      spec
        .given([V1])
        .when(submit({ document: { version: 2 }, inputs: INPUT_PARTS.map((p) => inputFacts(p, p === 'li2co3' ? ['fp-cell', NMC] : [])) }))
        .thenRefused('unprocessable', 'input-cycle', { message: /inputs\[3\]/ }));

    it('refuses two inputs for one BOM line', () => {
      const secondLithium: InputFacts = { ...inputFacts('li2co3'), version: 2 };
      const inputs = [...INPUT_PARTS.map((p) => pinned(p)), pinned('li2co3', { version: 2 })];
      spec
        .given([])
        .when(submit({ derivation: { inputs }, inputs: [...INPUT_PARTS.map((p) => inputFacts(p)), secondLithium] }))
        .thenRefused('unprocessable', 'duplicate-input', { message: /inputs\[4\]/ });
    });
  });

  describe('submit-footprint: issuer, part and versions', () => {
    it('refuses a document issued by another organization than the caller', () =>
      spec
        .given([])
        .when(submit({ callerOrgId: 'stranger' }))
        .thenRefused('forbidden', 'issuer-mismatch'));
    it('refuses a part that does not exist', () =>
      spec
        .given([])
        .when(submit({ part: undefined }))
        .thenRefused('unprocessable', 'part-not-found'));
    it("refuses another organization's part", () =>
      spec
        .given([])
        .when(submit({ part: nmcPart({ ownerOrgId: 'stranger' }) }))
        .thenRefused('unprocessable', 'part-not-found'));
    it('refuses facts about another part than the document names', () =>
      spec
        .given([])
        .when(submit({ part: nmcPart({ partId: 'cell' }) }))
        .thenRefused('unprocessable', 'part-not-found'));
    it("refuses a declared unit other than the part's", () =>
      spec
        .given([])
        .when(submit({ document: { declaredUnit: 'piece' } }))
        .thenRefused('unprocessable', 'declared-unit-mismatch', { extra: { expected: 'kilogram' } }));

    it('refuses a first version other than 1', () =>
      spec
        .given([])
        .when(submit({ document: { version: 2 } }))
        .thenRefused('conflict', 'version-conflict', { extra: { expectedVersion: 1 } }));
    it('accepts version 2 after version 1', () => {
      const command = submit({ document: { version: 2 } });
      spec
        .given([V1])
        .when(command)
        .then([submitted(command)]);
    });
    it('refuses version 1 again', () =>
      spec
        .given([V1])
        .when(submit())
        .thenRefused('conflict', 'version-conflict', { extra: { expectedVersion: 2 } }));
    it('refuses a skipped version', () =>
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
  });

  describe('attest-footprint', () => {
    const attestation = (over: Partial<AttestationDocument> = {}): AttestationDocument => ({
      id: 'att-1',
      issuer: 'rheinland',
      footprintId: NMC,
      version: 1,
      payloadSha256: V1.data.payloadSha256,
      derivationSha256: V1.data.document.derivationSha256,
      result: 'verified',
      standard: 'ISO 14067',
      findings: [],
      validUntil: '2027-01-01T00:00:00.000Z',
      ...over,
    });
    const attest = (over: Partial<AttestationDocument> = {}, callerOrgId = 'rheinland'): FootprintCommand => ({
      type: 'attest-footprint',
      footprintId: NMC,
      callerOrgId,
      jws: 'att-jws',
      payloadSha256: 'sha-att',
      document: attestation(over),
      at: AT,
    });
    const attested = (command: AttestFootprint) =>
      event('attestation.created', {
        attestationId: 'att-1',
        footprintId: NMC,
        version: 1,
        footprintIssuer: 'kanto',
        issuer: 'rheinland',
        result: 'verified',
        jws: 'att-jws',
        payloadSha256: 'sha-att',
        document: command.document,
        receivedAt: AT,
      });

    it('records an attestation of a version', () =>
      spec
        .given([V1])
        .when(attest())
        .then([attested(attest() as AttestFootprint)]));
    it('does not know a footprint that does not exist', () => spec.given([]).when(attest()).thenRefused('not-found', 'footprint-not-found'));
    it('refuses an attestation issued by another organization than the caller', () =>
      spec.given([V1]).when(attest({}, 'stranger')).thenRefused('forbidden', 'issuer-mismatch'));
    it('refuses an attestation about another footprint', () =>
      spec
        .given([V1])
        .when(attest({ footprintId: 'fp-other' }))
        .thenRefused('unprocessable', 'footprint-mismatch'));
    it("refuses the footprint's own issuer attesting it", () =>
      spec
        .given([V1])
        .when(attest({ issuer: 'kanto' }, 'kanto'))
        .thenRefused('forbidden', 'self-attestation'));
    it('refuses an attestation whose validUntil is not after its receipt', () =>
      spec
        .given([V1])
        .when(attest({ validUntil: AT }))
        .thenRefused('unprocessable', 'attestation-expired'));
    it('compares validUntil as an instant, offset included', () =>
      spec
        .given([V1])
        .when(attest({ validUntil: '2026-03-01T18:00:00+09:00' }))
        .thenRefused('unprocessable', 'attestation-expired'));
    it('refuses an attestation id that exists', () =>
      spec
        .given([V1, attested(attest() as AttestFootprint)])
        .when(attest())
        .thenRefused('conflict', 'duplicate-id'));
    it('refuses a version that does not exist', () =>
      spec
        .given([V1])
        .when(attest({ version: 2 }))
        .thenRefused('unprocessable', 'version-not-found'));
    it('refuses a payload hash that is not the version’s', () =>
      spec
        .given([V1])
        .when(attest({ payloadSha256: 'sha-other' }))
        .thenRefused('unprocessable', 'payload-hash-mismatch', { extra: { expected: V1.data.payloadSha256 } }));
    it('refuses a derivation hash that is not the version’s', () =>
      spec
        .given([V1])
        .when(attest({ derivationSha256: 'sha-other' }))
        .thenRefused('unprocessable', 'derivation-hash-mismatch', { extra: { expected: V1.data.document.derivationSha256 } }));
  });

  describe('note-input-superseded', () => {
    const note: FootprintCommand = {
      type: 'note-input-superseded',
      pinnedBy: NMC,
      pinnedByVersion: 1,
      footprintId: 'fp-coso4',
      version: 1,
      supersededBy: 2,
      at: AT,
    };
    it('tells the pinning issuer', () =>
      spec
        .given([V1])
        .when(note)
        .then([
          event('footprint.input-superseded', {
            footprintId: 'fp-coso4',
            version: 1,
            supersededBy: 2,
            pinnedBy: NMC,
            pinnedByVersion: 1,
            pinnedByIssuer: 'kanto',
            notifiedAt: AT,
          }),
        ]));
    it('does nothing for a footprint that does not exist', () => spec.given([]).when(note).then([]));
  });
});
