import { Injectable } from '@nestjs/common';
import { decideRead, type ReadDecision, type ReadNeed } from '@exchange/access';
import { event, notFound, streams, type BulkReadItem, type ReadRefusalReason, type ResourceType } from '@exchange/domain';
import { Clock } from '../infrastructure/clock';
import { onceContext } from '@exchange/commands';
import { CommandRunner } from '../pipeline/command-runner';
import { ReadModel } from '@exchange/projections';
import { RefusalLog } from './refusal-log';

/** A resource that exists, with its owner and, for a submission, the regulator it was sent to. */
export interface ProtectedResource {
  type: ResourceType;
  id: string;
  ownerOrgId: string;
  recipients?: readonly string[];
}

export type AllowedRead = ReadDecision & { allowed: true };

/** What a refused caller is answered: 404 by default, never revealing that the thing exists. */
export type WhenRefused = (reason: ReadRefusalReason) => Error;

/** How many reads one `protected-data.bulk-read` carries at most (about 150 bytes each in JSON). */
const BULK_READS_PER_EVENT = 256;
/** How many of them one append carries at most (some 300 KB). */
const BULK_READ_EVENTS_PER_APPEND = 8;

/** A read one request made, for `recordReads`. */
export interface RecordedRead {
  resource: ProtectedResource;
  decision: AllowedRead;
  /** What was read, as the audit trail names it, e.g. "reproduce". */
  what: string;
}

const hidden =
  (resource: ProtectedResource): WhenRefused =>
  () =>
    notFound(`${resource.type}-not-found`, `no such ${resource.type}`);

/**
 * Applies the access policy to the read model's grants and keeps each resource's audit trail:
 * every read the caller asks for of a resource that exists is recorded there, made under a grant
 * (`protected-data.read`, or for many reads of one request `protected-data.bulk-read`, which the
 * trail shows as the same entries) or refused (`protected-data.read-refused`, with the policy's
 * reason, in the refusal log: see RefusalLog).
 * The owner's own reads are not recorded, and nothing is recorded about resources that do not
 * exist: callers only pass resources they found.
 */
@Injectable()
export class AccessService {
  constructor(
    private readonly readModel: ReadModel,
    private readonly runner: CommandRunner,
    private readonly refusals: RefusalLog,
    private readonly clock: Clock,
  ) {}

  /** The policy's decision, now or at a given instant (one walk over many resources decides them all at its one instant). */
  decide(readerOrgId: string, resource: ProtectedResource, need: ReadNeed, now: string = this.clock.now()): ReadDecision {
    return decideRead({
      readerOrgId,
      ownerOrgId: resource.ownerOrgId,
      grants: this.readModel.grants.on(resource),
      need,
      now,
      recipients: resource.recipients,
    });
  }

  /** Whether a read would be allowed, recording nothing: for what the caller did not ask for by name (an input shown where readable). */
  canRead(readerOrgId: string, resource: ProtectedResource, need: ReadNeed, now?: string): boolean {
    return this.decide(readerOrgId, resource, need, now).allowed;
  }

  /**
   * A read the caller asks for: refused, it is noted in the resource's audit trail and
   * `whenRefused` is thrown; allowed, the decision is returned for `recordRead` once the thing
   * read is found (a version that does not exist is not a read). A refusal is answered without
   * waiting for its record, exactly as fast as an unknown resource.
   */
  authorize(
    readerOrgId: string,
    resource: ProtectedResource,
    need: ReadNeed,
    what: string,
    whenRefused: WhenRefused = hidden(resource),
  ): AllowedRead {
    const decision = this.decide(readerOrgId, resource, need);
    if (decision.allowed) return decision;
    this.recordRefusal(readerOrgId, resource, decision.reason, what);
    throw whenRefused(decision.reason);
  }

  /** Notes a refused attempt for the resource's audit trail (the resource exists; the caller is not its owner). */
  recordRefusal(readerOrgId: string, resource: ProtectedResource, reason: ReadRefusalReason, what: string): void {
    this.refusals.note({
      resource: { type: resource.type, id: resource.id },
      ownerOrgId: resource.ownerOrgId,
      readerOrgId,
      reason,
      what,
      at: this.clock.now(),
    });
  }

  /** Records a read made under a grant in the resource's audit trail (the owner's and a recipient's own reads are not). */
  async recordRead(readerOrgId: string, resource: ProtectedResource, decision: AllowedRead, what: string): Promise<void> {
    if (decision.via !== 'grant') return;
    const { grant } = decision;
    const readAt = this.clock.now();
    const read = event('protected-data.read', {
      resource: { type: resource.type, id: resource.id },
      ownerOrgId: resource.ownerOrgId,
      readerOrgId,
      grantId: grant.grantId,
      purpose: grant.purpose,
      scope: grant.scope,
      what,
      readAt,
    });
    await this.runner.record([{ streamId: streams.audit(resource.id), events: [read] }], onceContext(readAt));
  }

  /**
   * Records the reads one request made, together and in order: those made under a grant become
   * `protected-data.bulk-read` events in their owner's stream (`audit-reads-<owner>`), each of one
   * `what`, at most BULK_READS_PER_EVENT reads and no resource twice, which the owner's audit trail
   * shows exactly as it shows single reads. Reads not made under a grant are not recorded.
   */
  async recordReads(readerOrgId: string, reads: readonly RecordedRead[]): Promise<void> {
    const readAt = this.clock.now();
    const eventsByOwner = new Map<string, { what: string; items: BulkReadItem[]; ids: Set<string> }[]>();
    for (const { resource, decision, what } of reads) {
      if (decision.via !== 'grant') continue;
      const { grant } = decision;
      let events = eventsByOwner.get(resource.ownerOrgId);
      if (!events) eventsByOwner.set(resource.ownerOrgId, (events = []));
      let current = events[events.length - 1];
      if (!current || current.what !== what || current.items.length >= BULK_READS_PER_EVENT || current.ids.has(resource.id))
        events.push((current = { what, items: [], ids: new Set() }));
      current.ids.add(resource.id);
      current.items.push({ resource: { type: resource.type, id: resource.id }, grantId: grant.grantId, purpose: grant.purpose, scope: grant.scope });
    }
    const records = [];
    for (const [ownerOrgId, events] of eventsByOwner) {
      // A few events per append keeps each append small, whatever the adapter's limit on one append.
      for (let start = 0; start < events.length; start += BULK_READ_EVENTS_PER_APPEND) {
        const appended = events.slice(start, start + BULK_READ_EVENTS_PER_APPEND);
        records.push({
          streamId: streams.auditReads(ownerOrgId),
          events: appended.map(({ what, items }) => event('protected-data.bulk-read', { ownerOrgId, readerOrgId, what, readAt, reads: items })),
        });
      }
    }
    await this.runner.record(records, onceContext(readAt));
  }

  /** `authorize` then `recordRead`: a read of something known to exist. */
  async read(readerOrgId: string, resource: ProtectedResource, need: ReadNeed, what: string, whenRefused?: WhenRefused): Promise<AllowedRead> {
    const decision = this.authorize(readerOrgId, resource, need, what, whenRefused);
    await this.recordRead(readerOrgId, resource, decision, what);
    return decision;
  }
}
