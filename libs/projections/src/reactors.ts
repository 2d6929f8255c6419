import { Injectable, Logger } from '@nestjs/common';
import { DomainError, footprintDecider, grantDecider, streams, type Decider, type DomainEvent, type GrantCommand } from '@exchange/domain';
import { EventStore, type StoredEvent, type Subscription } from '@exchange/event-store';
import { decideAndAppend } from './decide-and-append';
import { ReadModel } from './read-model';
import { Projector } from './projector';
import { derivedId } from './derived-id';

const CHECKPOINT = 'reactors';
const ATTEMPTS = 5;

/**
 * Follow-up facts that other facts cause: a grant for the requester of an answered request,
 * regulatory grants for a received submission, and a notice to every issuer whose document pins
 * a superseded version. Runs on a checkpointed subscription; every follow-up event has an id
 * derived from its cause, so running a reaction twice appends nothing the second time.
 */
@Injectable()
export class Reactors {
  private readonly logger = new Logger(Reactors.name);
  private subscription?: Subscription;
  private processed = 0n;
  private waiters: { position: bigint; resolve: () => void }[] = [];

  constructor(
    private readonly store: EventStore,
    private readonly readModel: ReadModel,
    private readonly projector: Projector,
  ) {}

  async start(): Promise<void> {
    const head = await this.store.headPosition();
    this.processed = await this.store.checkpoint(CHECKPOINT);
    this.subscription = await this.store.subscribeToAll({
      checkpointId: CHECKPOINT,
      handler: (event) => this.handle(event),
      onError: (error) => this.logger.error(`reactions stopped: ${String(error)}`),
    });
    await this.processedThrough(head);
  }

  /** Resolves once every event up to `position` has been reacted to. */
  processedThrough(position: bigint): Promise<void> {
    if (this.processed >= position) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ position, resolve }));
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
  }

  private async handle(stored: StoredEvent): Promise<void> {
    const e = { type: stored.type, data: stored.data } as DomainEvent;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.projector.catchUp();
        await this.react(e);
        break;
      } catch (error) {
        if (error instanceof DomainError || attempt === ATTEMPTS) {
          this.logger.error(`reaction to ${stored.type} at ${stored.position} failed: ${String(error)}`);
          break;
        }
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
    this.processed = stored.position;
    this.waiters = this.waiters.filter((w) => (w.position <= this.processed ? (w.resolve(), false) : true));
  }

  private async react(e: DomainEvent): Promise<void> {
    switch (e.type) {
      case 'request.answered': {
        const d = e.data;
        await this.grant({
          ownerOrgId: d.supplierOrgId,
          granteeOrgId: d.requesterOrgId,
          resource: { type: d.documentType, id: d.documentId },
          purpose: 'downstream-aggregation',
          scope: 'document',
          origin: { kind: 'request', requestId: d.requestId },
          at: d.answeredAt,
        });
        return;
      }
      case 'submission.received': {
        const d = e.data;
        const origin = { kind: 'submission', submissionId: d.submissionId } as const;
        await this.grant({
          ownerOrgId: d.issuer,
          granteeOrgId: d.regulatorOrgId,
          resource: { type: 'submission', id: d.submissionId },
          purpose: 'regulatory',
          scope: 'document',
          origin,
          at: d.receivedAt,
        });
        await this.grant({
          ownerOrgId: d.issuer,
          granteeOrgId: d.regulatorOrgId,
          resource: { type: 'footprint', id: d.declaration.footprintId },
          purpose: 'regulatory',
          scope: 'derivation',
          origin,
          at: d.receivedAt,
        });
        const ddReportId = d.declaration.ddReportId;
        if (ddReportId !== undefined && this.readModel.ddReports.get(ddReportId)?.issuer === d.issuer) {
          await this.grant({
            ownerOrgId: d.issuer,
            granteeOrgId: d.regulatorOrgId,
            resource: { type: 'dd-report', id: ddReportId },
            purpose: 'regulatory',
            scope: 'document',
            origin,
            at: d.receivedAt,
          });
        }
        return;
      }
      case 'footprint.submitted': {
        const d = e.data;
        if (d.version === 1) return;
        for (const pinner of this.readModel.pinnersOf(d.footprintId, d.version - 1)) {
          const command = {
            type: 'note-input-superseded',
            pinnedBy: pinner.footprintId,
            pinnedByVersion: pinner.version,
            footprintId: d.footprintId,
            version: d.version - 1,
            supersededBy: d.version,
            at: d.receivedAt,
          } as const;
          await this.appendOnce(
            streams.footprint(pinner.footprintId),
            footprintDecider,
            command,
            derivedId('input-superseded', d.footprintId, String(d.version - 1), pinner.footprintId, String(pinner.version)),
          );
        }
        return;
      }
      default:
        return;
    }
  }

  private async grant(args: Omit<Extract<GrantCommand, { type: 'create-grant' }>, 'type' | 'grantId' | 'granteeExists'>): Promise<void> {
    const origin = args.origin.kind === 'request' ? args.origin.requestId : args.origin.kind === 'submission' ? args.origin.submissionId : 'owner';
    const grantId = derivedId('grant', origin, args.resource.type, args.resource.id, args.granteeOrgId);
    await this.appendOnce(
      streams.grant(grantId),
      grantDecider,
      { type: 'create-grant', grantId, granteeExists: true, ...args },
      derivedId('event', grantId, 'created'),
    );
  }

  /** Appends the reaction's event under an id derived from its cause, unless it is already there. */
  private async appendOnce<State, Command>(
    streamId: string,
    decider: Decider<State, Command, DomainEvent>,
    command: Command,
    eventId: string,
  ): Promise<void> {
    const history = await this.store.readStream(streamId);
    if (history.some((h) => h.id === eventId)) return;
    await decideAndAppend(this.store, streamId, decider, command, (i) => (i === 0 ? eventId : derivedId(eventId, String(i))));
  }
}
