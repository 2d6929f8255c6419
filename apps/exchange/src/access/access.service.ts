import { Injectable } from '@nestjs/common';
import { decideRead, type ReadDecision, type ReadNeed } from '@exchange/access';
import { event, notFound, streams, type ResourceType } from '@exchange/domain';
import { Clock } from '../infrastructure/clock';
import { EventRecorder } from '../pipeline/event-recorder';
import { ReadModel } from '@exchange/projections';

export interface ProtectedResource {
  type: ResourceType;
  id: string;
  ownerOrgId: string;
}

/** Applies the access policy to the read model's grants, and records every read made under a grant. */
@Injectable()
export class AccessService {
  constructor(
    private readonly readModel: ReadModel,
    private readonly recorder: EventRecorder,
    private readonly clock: Clock,
  ) {}

  decide(readerOrgId: string, resource: ProtectedResource, need: ReadNeed): ReadDecision {
    return decideRead({ readerOrgId, ownerOrgId: resource.ownerOrgId, grants: this.readModel.grantsOn(resource), need, now: this.clock.now() });
  }

  canRead(readerOrgId: string, resource: ProtectedResource, need: ReadNeed): boolean {
    return this.decide(readerOrgId, resource, need).allowed;
  }

  /**
   * A read of protected data: allowed reads under a grant are recorded in the resource's audit
   * trail; refused ones answer `whenRefused` (404 by default, never revealing that the thing exists).
   */
  async read(readerOrgId: string, resource: ProtectedResource, need: ReadNeed, what: string, whenRefused: () => Error = () => notFound(`${resource.type}-not-found`, `no such ${resource.type}`)): Promise<ReadDecision & { allowed: true }> {
    const decision = this.decide(readerOrgId, resource, need);
    if (!decision.allowed) throw whenRefused();
    if (decision.via === 'grant') {
      const { grant } = decision;
      await this.recorder.record(streams.audit(resource.id), [
        event('protected-data.read', { resource: { type: resource.type, id: resource.id }, ownerOrgId: resource.ownerOrgId, readerOrgId, grantId: grant.grantId, purpose: grant.purpose, scope: grant.scope, what, readAt: this.clock.now() }),
      ]);
    }
    return decision;
  }
}
