import { resourceIdFor, type CommandContext } from '@exchange/commands';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { grantDecider, streams, type Purpose, type ResourceType, type Scope } from '@exchange/domain';
import { toUtc } from '../../infrastructure/clock';
import { CommandRunner } from '../../pipeline/command-runner';
import { ReadModel } from '@exchange/projections';
import { ownerOf, resourceNotFound } from './grant-views';

export class CreateGrant {
  constructor(
    readonly ownerOrgId: string,
    readonly args: { resource: { type: ResourceType; id: string }; granteeOrgId: string; purpose: Purpose; scope: Scope; expiresAt?: string },
    readonly context: CommandContext,
  ) {}
}
export class RevokeGrant {
  constructor(
    readonly callerOrgId: string,
    readonly grantId: string,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(CreateGrant)
export class CreateGrantHandler implements ICommandHandler<CreateGrant> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly readModel: ReadModel,
  ) {}

  async execute({ ownerOrgId, args, context }: CreateGrant) {
    const resource = { type: args.resource.type, id: args.resource.id };
    if (ownerOf(this.readModel, resource) !== ownerOrgId) throw resourceNotFound();
    const grantId = resourceIdFor(context, 'grant');
    await this.runner.execute(
      {
        streamId: streams.grant(grantId),
        decider: grantDecider,
        command: {
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
          at: context.now,
        },
      },
      context,
    );
    return { id: grantId };
  }
}

@CommandHandler(RevokeGrant)
export class RevokeGrantHandler implements ICommandHandler<RevokeGrant> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ callerOrgId, grantId, context }: RevokeGrant) {
    await this.runner.execute(
      { streamId: streams.grant(grantId), decider: grantDecider, command: { type: 'revoke-grant', grantId, callerOrgId, at: context.now } },
      context,
    );
  }
}
