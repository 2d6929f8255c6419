import { resourceIdFor, type CommandContext } from '@exchange/commands';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import { forbidden, invalid, notFound, organizationDecider, sha256Base64Url, streams, type Jwks, type Role } from '@exchange/domain';
import { jwksProblem, applyKeySet, KeyHistoryError } from '@exchange/signing';
import { CommandRunner } from '../../pipeline/command-runner';
import { ReadModel } from '@exchange/projections';

export class RegisterOrganization {
  constructor(
    readonly args: { id?: string; name: string; roles: Role[]; jwks: unknown },
    readonly context: CommandContext,
  ) {}
}

export class RotateKeys {
  constructor(
    readonly callerOrgId: string,
    readonly organizationId: string,
    readonly jwks: unknown,
    readonly context: CommandContext,
  ) {}
}

function checkedJwks(jwks: unknown, field: string): Jwks {
  const problem = jwksProblem(jwks);
  if (problem) throw invalid('invalid-jwks', `${field}: ${problem}`, [{ field, message: problem }]);
  return jwks as Jwks;
}

@CommandHandler(RegisterOrganization)
export class RegisterOrganizationHandler implements ICommandHandler<RegisterOrganization> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ args, context }: RegisterOrganization) {
    const organizationId = args.id ?? resourceIdFor(context, 'organization');
    const jwks = checkedJwks(args.jwks, 'jwks');
    const clientSecret = randomBytes(32).toString('base64url');
    await this.runner.execute(
      {
        streamId: streams.organization(organizationId),
        decider: organizationDecider,
        command: {
          type: 'register-organization',
          organizationId,
          name: args.name,
          roles: args.roles,
          jwks,
          clientSecretSha256: sha256Base64Url(clientSecret),
          at: context.now,
        },
      },
      context,
    );
    return { id: organizationId, clientId: organizationId, clientSecret };
  }
}

@CommandHandler(RotateKeys)
export class RotateKeysHandler implements ICommandHandler<RotateKeys> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly readModel: ReadModel,
  ) {}

  async execute({ callerOrgId, organizationId, jwks, context }: RotateKeys) {
    const org = this.readModel.organizations.get(organizationId);
    if (!org) throw notFound('organization-not-found', 'no such organization');
    if (callerOrgId !== organizationId) throw forbidden('not-your-organization', 'an organization rotates only its own keys');
    const checked = checkedJwks(jwks, 'keys');
    const at = context.now;
    try {
      applyKeySet(org.keys, checked, at);
    } catch (error) {
      if (error instanceof KeyHistoryError) throw invalid(error.code, error.message, [{ field: 'keys', message: error.message }]);
      throw error;
    }
    await this.runner.execute(
      {
        streamId: streams.organization(organizationId),
        decider: organizationDecider,
        command: {
          type: 'rotate-keys',
          organizationId,
          jwks: checked,
          at,
        },
      },
      context,
    );
  }
}
