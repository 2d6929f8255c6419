import type { DomainEvent } from '@exchange/domain';
import type { SubmissionView } from '../views';
import type { Organizations } from './organizations';
import type { AppliedAt, Mutable, Projection } from './shared';

export class Submissions implements Projection {
  readonly handles = ['submission.received', 'submission.acknowledged'] as const;
  private readonly byId = new Map<string, Mutable<SubmissionView>>();

  constructor(private readonly organizations: Organizations) {}

  get(id: string): SubmissionView | undefined {
    return this.byId.get(id);
  }

  all(): IterableIterator<SubmissionView> {
    return this.byId.values();
  }

  sharedId(id: string): string {
    return this.byId.get(id)?.id ?? id;
  }

  apply(e: DomainEvent, { position, revision }: AppliedAt): void {
    switch (e.type) {
      case 'submission.received': {
        const d = e.data;
        this.byId.set(d.submissionId, {
          id: d.submissionId,
          issuer: this.organizations.sharedId(d.issuer),
          regulatorOrgId: this.organizations.sharedId(d.regulatorOrgId),
          payloadSha256: d.payloadSha256,
          receivedAt: d.receivedAt,
          position,
          revision,
          status: 'received',
        });
        return;
      }
      case 'submission.acknowledged': {
        const submission = this.byId.get(e.data.submissionId);
        if (submission) {
          submission.status = 'acknowledged';
          submission.acknowledgedRevision = revision;
        }
        return;
      }
    }
  }
}
