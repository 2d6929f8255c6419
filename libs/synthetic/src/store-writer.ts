import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { event, streams, type DomainEvent, type GrantCreated } from '@exchange/domain';
import type { EventStore } from '@exchange/event-store';
import { SqliteEventStore } from '@exchange/event-store/sqlite';
import { bomOf } from './plan';
import { signChainTiers, type Chain, type SignedFootprint } from './sign';

/** Hands out the synthetic times of facts: the chain's startAt, then 1 ms later for each fact. */
export class SyntheticClock {
  private next: number;

  constructor(startAt: string) {
    this.next = Date.parse(startAt);
    if (Number.isNaN(this.next)) throw new RangeError(`startAt is not a date-time: ${startAt}`);
  }

  tick(): string {
    return new Date(this.next++).toISOString();
  }
}

export interface WrittenChain {
  /** Events appended. */
  events: number;
  /** Appends (one transaction each). */
  appends: number;
  /** payloadSha256 of every footprint, by index in `plan.footprints`. */
  payloadSha256s: string[];
  /** Global position of the last event written. */
  lastPosition: bigint;
}

export interface WriteChainOptions {
  /** Called after each tier of footprints, with the events written so far. */
  onProgress?: (events: number) => void;
}

/**
 * Writes the events the exchange would have recorded for the chain straight into an event store
 * (the fast path: no HTTP, no validation): organizations, parts and BOMs, then each tier's signed
 * footprints (deepest first) with the grants that let customers pin them (scope document, purpose
 * downstream-aggregation) and, when the chain has an auditor, a grant of scope derivation (purpose
 * verification) on every footprint. The documents carry real signatures and hashes, so the
 * exchange serving this store can `reproduce` and `verify` them. Use a fresh store: stream names
 * come from the chain's ids.
 */
export async function writeChainToStore(store: EventStore, chain: Chain, options: WriteChainOptions = {}): Promise<WrittenChain> {
  const { plan } = chain;
  const clock = new SyntheticClock(plan.spec.startAt);
  let events = 0;
  let appends = 0;
  let lastPosition = 0n;
  const append = async (streamId: string, decided: DomainEvent[]) => {
    const result = await store.appendToStream(
      streamId,
      decided.map((e) => ({ id: randomUUID(), type: e.type, data: e.data })),
      'no-stream',
    );
    events += decided.length;
    appends++;
    lastPosition = result.position;
  };

  for (const org of plan.organizations) {
    const key = chain.keys.get(org.id)!;
    await append(streams.organization(org.id), [
      event('organization.registered', {
        organizationId: org.id,
        name: org.name,
        roles: org.roles,
        jwks: { keys: [key.publicJwk] },
        clientId: org.id,
        clientSecretSha256: org.clientSecretSha256,
        registeredAt: clock.tick(),
      }),
    ]);
  }
  for (let index = plan.footprints.length - 1; index >= 0; index--) {
    const f = plan.footprints[index]!;
    const registered = event('part.registered', {
      partId: f.partId,
      ownerOrgId: f.issuer,
      partNumber: f.partNumber,
      name: `Synthetic part ${f.partNumber}`,
      declaredUnit: plan.spec.declaredUnit,
      registeredAt: clock.tick(),
    });
    const bom =
      f.inputs.length > 0 ? [event('part.bom-set', { partId: f.partId, ownerOrgId: f.issuer, inputs: bomOf(plan, f), setAt: clock.tick() })] : [];
    await append(streams.part(f.partId), [registered, ...bom]);
  }

  const grant = (ownerOrgId: string, footprintId: string, granteeOrgId: string, purpose: GrantCreated['purpose'], scope: GrantCreated['scope']) => {
    const grantId = randomUUID();
    return append(streams.grant(grantId), [
      event('grant.created', {
        grantId,
        ownerOrgId,
        resource: { type: 'footprint', id: footprintId },
        granteeOrgId,
        purpose,
        scope,
        origin: { kind: 'owner' },
        createdAt: clock.tick(),
      }),
    ]);
  };
  const writeTier = async (signed: SignedFootprint[]) => {
    for (const s of signed) {
      const f = s.planned;
      await append(streams.footprint(f.id), [
        event('footprint.submitted', {
          footprintId: f.id,
          version: 1,
          issuer: f.issuer,
          partId: f.partId,
          jws: s.jws,
          payloadSha256: s.payloadSha256,
          document: s.document,
          derivation: s.derivation,
          receivedAt: clock.tick(),
        }),
      ]);
      for (const customer of f.customers) await grant(f.issuer, f.id, customer, 'downstream-aggregation', 'document');
      if (plan.auditor) await grant(f.issuer, f.id, plan.auditor.id, 'verification', 'derivation');
    }
    options.onProgress?.(events);
  };
  const payloadSha256s = await signChainTiers(chain, writeTier);
  return { events, appends, payloadSha256s, lastPosition };
}

/** The embedded profile keeps its events in `<DATA_DIR>/events.sqlite` (libs/platform). */
export const EMBEDDED_EVENTS_FILE = 'events.sqlite';

/** Writes the chain into the embedded store of a data directory, for an exchange started on it afterwards. */
export async function writeChainToDataDir(dataDir: string, chain: Chain, options: WriteChainOptions = {}): Promise<WrittenChain> {
  const store = SqliteEventStore.open(join(dataDir, EMBEDDED_EVENTS_FILE));
  try {
    return await writeChainToStore(store, chain, options);
  } finally {
    await store.close();
  }
}
