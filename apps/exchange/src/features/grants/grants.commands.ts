import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { grantDecider, streams, type Purpose, type ResourceType, type Scope } from '@exchange/domain';
import { Clock, toUtc } from '../../infrastructure/clock';
import { EventRecorder } from '../../pipeline/event-recorder';
import { ReadModel } from '@exchange/projections';
import { ownerOf, resourceNotFound } from './grant-views';
import { newResourceId } from '../../infrastructure/idempotency-context';

export class CreateGrant {
  constructor(
    readonly ownerOrgId: string,
    readonly args: { resource: { type: ResourceType; id: string }; granteeOrgId: string; purpose: Purpose; scope: Scope; expiresAt?: string },
  ) {}
}
export class RevokeGrant {
  constructor(
    readonly callerOrgId: string,
    readonly grantId: string,
  ) {}
}

@CommandHandler(CreateGrant)
export class CreateGrantHandler implements ICommandHandler<CreateGrant> {
  constructor(
    private readonly recorder: EventRecorder,
    private readonly readModel: ReadModel,
    private readonly clock: Clock,
  ) {}

  async execute({ ownerOrgId, args }: CreateGrant) {
    const resource = { type: args.resource.type, id: args.resource.id };
    if (ownerOf(this.readModel, resource) !== ownerOrgId) throw resourceNotFound();
    const grantId = newResourceId();
    await this.recorder.execute(streams.grant(grantId), grantDecider, {
      type: 'create-grant',
      grantId,
      ownerOrgId,
      resource,
      granteeOrgId: args.granteeOrgId,
      granteeExists: this.readModel.organizations.has(args.granteeOrgId),
      purpose: args.purpose,
      scope: args.scope,
      ...(args.expiresAt !== undefined && { expiresAt: toUtc(args.expiresAt) }),
      origin: { kind: 'owner' },
      at: this.clock.now(),
    });
    return { id: grantId };
  }
}

@CommandHandler(RevokeGrant)
export class RevokeGrantHandler implements ICommandHandler<RevokeGrant> {
  constructor(
    private readonly recorder: EventRecorder,
    private readonly clock: Clock,
  ) {}

  async execute({ callerOrgId, grantId }: RevokeGrant) {
    await this.recorder.execute(streams.grant(grantId), grantDecider, { type: 'revoke-grant', grantId, callerOrgId, at: this.clock.now() });
  }
}
