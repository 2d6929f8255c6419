import type { DomainEvent } from '@exchange/domain';
import type { RequestView } from '../views';
import type { AppliedAt, Mutable, Projection } from './shared';

export class Requests implements Projection {
  readonly handles = ['request.created', 'request.answered', 'request.rejected'] as const;
  private readonly byId = new Map<string, Mutable<RequestView>>();

  get(id: string): RequestView | undefined {
    return this.byId.get(id);
  }

  all(): IterableIterator<RequestView> {
    return this.byId.values();
  }

  apply(e: DomainEvent, { position }: AppliedAt): void {
    switch (e.type) {
      case 'request.created': {
        const { requestId, createdAt, ...rest } = e.data;
        this.byId.set(requestId, { id: requestId, ...rest, status: 'open', createdAt, position });
        return;
      }
      case 'request.answered': {
        const request = this.byId.get(e.data.requestId);
        if (request) Object.assign(request, { status: 'answered', documentId: e.data.documentId });
        return;
      }
      case 'request.rejected': {
        const request = this.byId.get(e.data.requestId);
        if (request) Object.assign(request, { status: 'rejected', reason: e.data.reason });
        return;
      }
    }
  }
}
