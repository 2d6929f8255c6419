import { randomUUID } from 'node:crypto';
import type { DdInput, DdReportDocument, FootprintDocument, PinnedInput } from '@exchange/domain/events';
import { aggregateTotal, type StageFigures, type Total } from '@exchange/domain/stages';
import { signWith } from '../keys';
import { requireCheck, type Participant, type ScenarioContext, type Step, type SubmissionAnswer } from './context';
import { buildDdReportDocument, buildDerivation, buildFootprintDocument, normalizeStages, reportingPeriod, totalMismatches } from './documents';
import { bomRelationships, dueDiligenceFor, expectedTotals, partsBottomUp, type ScenarioPart } from './scenario';

/** A footprint as `GET /v1/footprints/{id}` shows it to a reader. */
export interface FootprintView {
  id: string;
  version: number;
  issuer: string;
  status: 'active' | 'superseded';
  document: FootprintDocument;
  jws: string;
  payloadSha256: string;
  receipt: string;
  attestations: unknown[];
}

interface InboundRequest {
  id: string;
  kind: 'cfp' | 'dd';
  supplierPartId: string;
  status: string;
}

/** Step 4: tier by tier from the raw materials up, each owner signs, submits and answers. */
export function answerSteps(context: ScenarioContext): Step[] {
  const relationships = bomRelationships(context.scenario.parts);
  return partsBottomUp(context.scenario.parts).map((part) => {
    const requestCount = 2 * relationships.filter(({ line }) => line.part === part.key).length;
    const title =
      requestCount > 0
        ? `${part.owner} answers ${requestCount} requests for ${part.partNumber}`
        : `${part.owner} signs its own footprint and DD report for ${part.partNumber}`;
    return { title, run: (ctx) => answerFor(ctx, part, requestCount) };
  });
}

async function answerFor(context: ScenarioContext, part: ScenarioPart, expectedRequests: number): Promise<string> {
  const owner = context.ownerOf(part.key);
  const inbound = await openRequestsFor(context, owner, part.key);
  if (inbound.length !== expectedRequests) {
    throw new Error(`${owner.key} sees ${inbound.length} open requests for ${part.partNumber}, expected ${expectedRequests}`);
  }
  const footprint = await publishFootprint(context, part.key, part.own);
  const ddReport = await publishDdReport(context, part);
  for (const request of inbound) {
    const documentId = request.kind === 'cfp' ? footprint.id : ddReport.id;
    await owner.client.post(`/v1/requests/${request.id}/answer`, { documentId });
  }
  return `footprint v${footprint.version}, total ${footprint.document.total.value}; ${describeDdReport(ddReport.document)}`;
}

function describeDdReport(report: DdReportDocument): string {
  if (report.inputs.length > 0) return `DD report linking ${report.inputs.length} supplier report${report.inputs.length === 1 ? '' : 's'}`;
  return `DD report on ${report.minerals.join(', ') || 'no minerals'}`;
}

async function openRequestsFor(context: ScenarioContext, owner: Participant, partKey: string): Promise<InboundRequest[]> {
  const requests = await owner.client.listAll<InboundRequest>('/v1/requests', { direction: 'inbound', status: 'open' });
  return requests.filter((request) => request.supplierPartId === context.partId(partKey));
}

/**
 * Signs and submits a footprint of the part: the next version of the part's footprint when it
 * has one, version 1 with a new id otherwise. Inputs pin the latest version of each supplier's
 * footprint; the signed total is the exchange's preview, checked against our own aggregation.
 */
export async function publishFootprint(context: ScenarioContext, partKey: string, own: StageFigures) {
  const state = context.part(partKey);
  const owner = context.ownerOf(partKey);
  const inputs = await pinInputFootprints(context, owner, state.part);
  const total = await previewAndCheck(owner, normalizeStages(own), inputs);
  const derivation = buildDerivation(
    own,
    inputs.map(({ pin }) => pin),
  );
  const previous = state.footprint;
  const document = buildFootprintDocument(
    {
      id: previous?.id ?? randomUUID(),
      version: previous ? previous.version + 1 : 1,
      issuer: owner.orgId,
      partId: context.partId(partKey),
      declaredUnit: state.part.declaredUnit,
      validFrom: context.nowIso(),
      total,
    },
    derivation,
  );
  const jws = await signWith(owner.signingKey, document, 'cfp+jws');
  const answer = await owner.client.post<SubmissionAnswer>('/v1/footprints', { jws, derivation });
  state.footprint = { ...answer, document };
  return state.footprint;
}

interface PinnedFootprint {
  pin: PinnedInput;
  total: Total;
}

/** The buyer reads each supplier's footprint (the id the supplier answered with) and pins that version. */
async function pinInputFootprints(context: ScenarioContext, buyer: Participant, part: ScenarioPart): Promise<PinnedFootprint[]> {
  const pinned: PinnedFootprint[] = [];
  for (const line of part.bom ?? []) {
    const view = await buyer.client.get<FootprintView>(`/v1/footprints/${context.footprint(line.part).id}`);
    pinned.push({
      pin: { footprintId: view.id, version: view.version, payloadSha256: view.payloadSha256, quantity: line.quantity },
      total: view.document.total,
    });
  }
  return pinned;
}

async function previewAndCheck(owner: Participant, own: StageFigures, inputs: PinnedFootprint[]): Promise<Total> {
  const { total } = await owner.client.post<{ total: Total }>('/v1/footprints/preview', {
    own,
    inputs: inputs.map(({ pin }) => ({ footprintId: pin.footprintId, version: pin.version, quantity: pin.quantity })),
  });
  const local = aggregateTotal(
    own,
    inputs.map(({ pin, total: inputTotal }) => ({ quantity: pin.quantity, total: inputTotal })),
  );
  const mismatches = totalMismatches(total, local);
  if (mismatches.length > 0) {
    throw new Error(`${owner.key}: the exchange's preview differs from the local aggregation: ${mismatches.join('; ')}`);
  }
  return total;
}

async function publishDdReport(context: ScenarioContext, part: ScenarioPart): Promise<SubmissionAnswer & { document: DdReportDocument }> {
  const owner = context.ownerOf(part.key);
  const dueDiligence = dueDiligenceFor(context.scenario, part.key);
  const inputKeys = dueDiligence.inputsFrom ?? (part.bom ?? []).map((line) => line.part);
  const inputs: DdInput[] = [];
  for (const inputKey of inputKeys) inputs.push(await pinDdInput(context, owner, inputKey));
  const document = buildDdReportDocument(
    { id: randomUUID(), version: 1, issuer: owner.orgId, partId: context.partId(part.key), period: reportingPeriod(context.now()) },
    dueDiligence,
    inputs,
  );
  const jws = await signWith(owner.signingKey, document, 'dd+jws');
  const answer = await owner.client.post<SubmissionAnswer>('/v1/dd-reports', { jws });
  context.part(part.key).ddReport = answer;
  return { ...answer, document };
}

/**
 * Pins a supplier's DD report as the buyer reads it; API.md leaves the read's shape open, so
 * when it carries no version or hash we pin what the supplier's submission was answered with.
 */
async function pinDdInput(context: ScenarioContext, buyer: Participant, partKey: string): Promise<DdInput> {
  const known = context.ddReport(partKey);
  const read = await buyer.client.get<Partial<SubmissionAnswer>>(`/v1/dd-reports/${known.id}`);
  return {
    ddReportId: known.id,
    version: typeof read.version === 'number' ? read.version : known.version,
    payloadSha256: typeof read.payloadSha256 === 'string' ? read.payloadSha256 : known.payloadSha256,
  };
}

/** Step 5: records every version-1 total; those the scenario lists must equal it, string for string. */
export function checkTotalsStep(): Step {
  return {
    title: 'check totals against the scenario',
    run: async (context) => {
      context.outcome.totals = Object.fromEntries([...context.parts.keys()].map((key) => [key, context.footprint(key).document.total]));
      const expected = expectedTotals(context.scenario);
      const mismatches = Object.entries(expected).flatMap(([partKey, total]) =>
        totalMismatches(context.footprint(partKey).document.total, total).map((mismatch) => `${partKey} ${mismatch}`),
      );
      requireCheck(context, 'totalsMatchExpected', mismatches.length === 0, `totals differ from the scenario: ${mismatches.join('; ')}`);
      return Object.entries(expected)
        .map(([partKey, total]) => `${partKey} ${total.value}`)
        .join(', ');
    },
  };
}
