import { canonicalSha256 } from '@exchange/domain/canonical';
import { aggregateTotal, type Total } from '@exchange/domain/stages';
import {
  buildAttestationDocument,
  buildDdReportDocument,
  buildDeclaration,
  buildDerivation,
  buildFootprintDocument,
  declarationFigures,
  declarationMismatches,
  METHODOLOGY,
  newSalt,
  reportingPeriod,
  totalMismatches,
} from './documents';
import { defaultScenarioPath, dueDiligenceFor, loadScenario, partsBottomUp, withDeclaredPart, type Scenario } from './scenario';

const scenario = loadScenario(defaultScenarioPath());

/** The chain's totals computed offline, bottom-up, the way each tier does it on the exchange. */
function offlineTotals(chain: Scenario): Record<string, Total> {
  const totals: Record<string, Total> = {};
  for (const part of partsBottomUp(chain.parts)) {
    const inputs = (part.bom ?? []).map((line) => ({ quantity: line.quantity, total: totals[line.part] }));
    totals[part.key] = aggregateTotal(part.own, inputs);
  }
  return totals;
}

const pin = { footprintId: '6f1c3a52-0000-4000-8000-000000000001', version: 1, payloadSha256: 'abc', quantity: '1.40' };

describe('footprint documents and derivations', () => {
  it('reproduces the scenario’s expected totals from its own figures and BOMs', () => {
    const totals = offlineTotals(scenario);
    for (const key of ['nmc811', 'cell', 'pack'] as const) {
      expect(totalMismatches(totals[key], scenario.expected[key] as Total)).toEqual([]);
    }
  });

  it('draws a fresh salt of at least 16 bytes each time', () => {
    const salt = newSalt();
    expect(Buffer.from(salt, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(salt).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(newSalt()).not.toBe(salt);
  });

  it('normalizes the figures of a derivation', () => {
    const derivation = buildDerivation({ rawMaterialAcquisition: '0.80', mainProduction: '9.5', distribution: '0.20', endOfLife: '0.0' }, [pin], 's');
    expect(derivation).toEqual({
      salt: 's',
      own: { rawMaterialAcquisition: '0.8', mainProduction: '9.5', distribution: '0.2', endOfLife: '0' },
      inputs: [{ ...pin, quantity: '1.4' }],
    });
  });

  it('binds the document to its derivation by the canonical hash, which the salt changes', () => {
    const own = scenario.parts[0].own;
    const derivation = buildDerivation(own, [pin], 'salt-one-salt-one');
    const facts = {
      id: 'id-1',
      version: 1,
      issuer: 'org-1',
      partId: 'part-1',
      declaredUnit: 'kilogram',
      validFrom: '2025-01-01T00:00:00.000Z',
      total: { ...own, value: '7.70' },
    };
    const document = buildFootprintDocument(facts, derivation);
    expect(document).toEqual({ ...facts, methodology: METHODOLOGY, total: { ...own, value: '7.7' }, derivationSha256: canonicalSha256(derivation) });
    expect(buildFootprintDocument(facts, { ...derivation, salt: 'another-salt-value' }).derivationSha256).not.toBe(document.derivationSha256);
  });

  it('names every field that differs from the expected total', () => {
    const expected = scenario.expected.nmc811 as Total;
    expect(totalMismatches({ ...expected, value: '25.2060' }, expected)).toEqual(['value: 25.2060 ≠ 25.206']);
  });
});

describe('due-diligence reports', () => {
  const facts = { id: 'dd-1', version: 1, issuer: 'org', partId: 'part', period: reportingPeriod(new Date('2025-11-25T00:00:00Z')) };

  it('covers the last full calendar year', () => {
    expect(facts.period).toEqual({ from: '2024-01-01', to: '2024-12-31' });
  });

  it('lists a leaf’s minerals, smelters and risks with all five OECD steps implemented', () => {
    const report = buildDdReportDocument(facts, dueDiligenceFor(scenario, 'coso4'), []);
    expect(report.minerals).toEqual(['cobalt']);
    expect(report.smelters[0]).toMatchObject({ id: 'CID002345', audit: 'active' });
    expect(report.risks).toEqual([{ category: 'childLabour', level: 'medium', mitigation: 'artisanal sites excluded; third-party site monitoring' }]);
    expect(Object.values(report.oecdSteps)).toEqual(Array(5).fill({ status: 'implemented' }));
    expect(report.inputs).toEqual([]);
  });

  it('gives an upper tier only links to its suppliers’ reports', () => {
    const inputs = [{ ddReportId: 'dd-x', version: 1, payloadSha256: 'h' }];
    const report = buildDdReportDocument(facts, dueDiligenceFor(scenario, 'cell'), inputs);
    expect(report).toMatchObject({ minerals: [], smelters: [], risks: [], inputs });
  });
});

describe('certification and the EU declaration', () => {
  const totals = offlineTotals(withDeclaredPart(scenario));
  const footprint = buildFootprintDocument(
    {
      id: 'fp',
      version: 1,
      issuer: 'mirai',
      partId: 'vb',
      declaredUnit: 'piece',
      validFrom: '2025-01-01T00:00:00.000Z',
      total: totals['vehicle-battery'],
    },
    buildDerivation(scenario.parts[0].own, [], 'salt'),
  );

  it('divides the vehicle battery’s footprint by the service-life energy to the expected figures', () => {
    const figures = declarationFigures(footprint.total, scenario.declaration.energyOverServiceLifeKWh);
    expect(figures).toEqual(scenario.expected.declaration);
    expect(declarationMismatches(figures, scenario.expected.declaration)).toEqual([]);
  });

  it('builds the declaration around the footprint, its attestations and DD report', () => {
    const declaration = buildDeclaration({ id: 'decl', issuer: 'mirai', footprint, attestationIds: ['att'], ddReportId: 'dd' }, scenario.declaration);
    expect(declaration).toEqual({
      id: 'decl',
      issuer: 'mirai',
      batteryModel: 'MM-BP-75',
      manufacturingSite: 'Nagoya, JP',
      footprintId: 'fp',
      footprintVersion: 1,
      energyOverServiceLifeKWh: '90000',
      ...scenario.expected.declaration,
      attestationIds: ['att'],
      ddReportId: 'dd',
    });
  });

  it('attests the exact version, payload and derivation hashes', () => {
    const attestation = buildAttestationDocument({
      id: 'att',
      issuer: 'cert',
      footprint,
      payloadSha256: 'payload-hash',
      verified: true,
      findings: [],
      validUntil: '2026-01-01T00:00:00.000Z',
    });
    expect(attestation).toMatchObject({
      footprintId: 'fp',
      version: 1,
      payloadSha256: 'payload-hash',
      derivationSha256: footprint.derivationSha256,
      result: 'verified',
    });
  });
});
