import { publishFootprint } from './answer-steps';
import type { DdRollup, ScenarioContext, Step, VisibilityProbe } from './context';
import { describeRisks, expectedRollup, rollupMismatches } from './dd-rollup';
import { DECLARED_PART_KEY, partByKey } from './scenario';

interface ExchangeEvent {
  id: string;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

const EVENT_WAIT_MS = 5000;
const EVENT_POLL_MS = 100;

/** Steps 9–10: a supplier revises its footprint, and what each party can see at the end. */
export function aftermathSteps(context: ScenarioContext): Step[] {
  const revised = partByKey(context.scenario, context.scenario.revision.part);
  const pinners = context.scenario.parts.filter((part) => (part.bom ?? []).some((line) => line.part === revised.key));
  return [
    { title: `${revised.owner} publishes version 2 of ${revised.partNumber}`, run: publishRevision },
    {
      title: `${pinners.map((part) => part.owner).join(', ')} notified that ${revised.partNumber} v1 was superseded`,
      run: (ctx) =>
        checkSupersededNotices(
          ctx,
          pinners.map((part) => part.owner),
        ),
    },
    { title: `${context.scenario.declaration.issuer} reads the DD rollup of its battery`, run: readDdRollup },
    { title: 'probe who can see what', run: probeVisibility },
  ];
}

async function publishRevision(context: ScenarioContext): Promise<string> {
  const { part, own } = context.scenario.revision;
  const before = context.footprint(part);
  const revised = await publishFootprint(context, part, own);
  context.outcome.revision = { partKey: part, footprintId: revised.id, version: revised.version, total: revised.document.total };
  return `v${revised.version}, total ${revised.document.total.value}; v${before.version} was ${before.document.total.value}`;
}

async function checkSupersededNotices(context: ScenarioContext, pinnerKeys: string[]): Promise<string> {
  const footprintId = context.footprint(context.scenario.revision.part).id;
  const notices: ExchangeEvent[] = [];
  for (const key of pinnerKeys) {
    const notice = await waitForEvent(context, key, (event) => event.type === 'footprint.input-superseded' && event.data.footprintId === footprintId);
    if (notice) notices.push(notice);
  }
  context.checks.inputSupersededNotified = notices.length === pinnerKeys.length;
  if (notices.length === 0) return 'no footprint.input-superseded event seen';
  return notices.map((notice) => `footprint.input-superseded: v${notice.data.version} → v${notice.data.supersededBy}`).join('; ');
}

/** Polls the participant's event feed: the embedded profile is immediate, the distributed one may lag. */
async function waitForEvent(
  context: ScenarioContext,
  participantKey: string,
  matches: (event: ExchangeEvent) => boolean,
): Promise<ExchangeEvent | undefined> {
  const { client } = context.participant(participantKey);
  const deadline = Date.now() + EVENT_WAIT_MS;
  for (;;) {
    const found = (await client.listAll<ExchangeEvent>('/v1/events')).find(matches);
    if (found || Date.now() >= deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, EVENT_POLL_MS));
  }
}

async function readDdRollup(context: ScenarioContext): Promise<string> {
  const issuer = context.participant(context.scenario.declaration.issuer);
  const rollup = await issuer.client.get<DdRollup>(`/v1/dd-reports/${context.ddReport(DECLARED_PART_KEY).id}/rollup`);
  context.outcome.ddRollup = rollup;
  const mismatches = rollupMismatches(rollup, expectedRollup(context.scenario));
  context.checks.ddRollupPropagated = mismatches.length === 0;
  if (mismatches.length > 0) return `unexpected: ${mismatches.join('; ')}`;
  return `minerals ${rollup.minerals.join(', ')}; highest risks ${describeRisks(rollup.highestRisk)}`;
}

async function probeVisibility(context: ScenarioContext): Promise<string> {
  const probes = visibilityProbes(context);
  for (const probe of probes) probe.status = await context.participant(probe.who).client.statusOf(probe.path);
  const unexpected = probes.filter((probe) => !probe.expected.includes(probe.status ?? 0));
  context.outcome.visibility = probes;
  context.checks.visibilityAsExpected = unexpected.length === 0;
  return unexpected.length === 0 ? `${probes.length} probes, all as expected` : `${unexpected.length} of ${probes.length} probes unexpected`;
}

/**
 * Reads that show the sharing model, down the declared chain: battery → its product → the
 * product's first input → that one's first input (vehicle battery → pack → cell → nmc811).
 */
export function visibilityProbes(context: ScenarioContext): VisibilityProbe[] {
  const { issuer, certifier, regulator } = context.scenario.declaration;
  const [battery, product, component, material] = firstInputChain(context, DECLARED_PART_KEY, 4);
  const footprintPath = (partKey: string) => `/v1/footprints/${context.footprint(partKey).id}`;
  const derivationPath = (partKey: string) => `${footprintPath(partKey)}/derivation`;
  const number = (partKey: string) => context.part(partKey).part.partNumber;
  const ownerOf = (partKey: string) => context.part(partKey).part.owner;
  const hidden = [403, 404];
  return [
    { who: issuer, what: `${number(product)} document`, path: footprintPath(product), expected: [200] },
    { who: issuer, what: `${number(component)} document`, path: footprintPath(component), expected: [404] },
    { who: issuer, what: `${number(product)} derivation`, path: derivationPath(product), expected: hidden },
    { who: certifier, what: `${number(battery)} derivation`, path: derivationPath(battery), expected: [200] },
    { who: certifier, what: `${number(product)} derivation`, path: derivationPath(product), expected: hidden },
    { who: regulator, what: `${number(battery)} document`, path: footprintPath(battery), expected: [200] },
    { who: regulator, what: `${number(battery)} derivation`, path: derivationPath(battery), expected: [200] },
    { who: ownerOf(product), what: `${number(material)} document`, path: footprintPath(material), expected: [404] },
    { who: ownerOf(component), what: `${number(material)} derivation`, path: derivationPath(material), expected: hidden },
    { who: ownerOf(material), what: `${number(product)} document`, path: footprintPath(product), expected: [404] },
  ];
}

function firstInputChain(context: ScenarioContext, fromKey: string, length: number): string[] {
  const chain = [fromKey];
  while (chain.length < length) {
    const next = context.part(chain[chain.length - 1]).part.bom?.[0]?.part;
    if (!next) throw new Error(`the declared chain is shorter than ${length} tiers`);
    chain.push(next);
  }
  return chain;
}
