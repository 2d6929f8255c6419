import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import { forbidden, invalid, notFound, organizationDecider, sha256Base64Url, streams, type Jwks, type Role } from '@exchange/domain';
import { jwksProblem, applyKeySet, KeyHistoryError } from '@exchange/signing';
import { EventRecorder } from '../../pipeline/event-recorder';
import { ReadModel } from '@exchange/projections';
import { Clock } from '../../infrastructure/clock';

export class RegisterOrganization {
  constructor(readonly args: { id?: string; name: string; roles: Role[]; jwks: unknown }) {}
}

export class RotateKeys {
  constructor(
    readonly callerOrgId: string,
    readonly organizationId: string,
    readonly jwks: unknown,
  ) {}
}

function checkedJwks(jwks: unknown, field: string): Jwks {
  const problem = jwksProblem(jwks);
  if (problem) throw invalid('invalid-jwks', `${field}: ${problem}`, [{ field, message: problem }]);
  return jwks as Jwks;
}

@CommandHandler(RegisterOrganization)
export class RegisterOrganizationHandler implements ICommandHandler<RegisterOrganization> {
  constructor(
    private readonly recorder: EventRecorder,
    private readonly clock: Clock,
  ) {}

  async execute({ args }: RegisterOrganization) {
    const organizationId = args.id ?? crypto.randomUUID();
    const jwks = checkedJwks(args.jwks, 'jwks');
    const clientSecret = randomBytes(32).toString('base64url');
    await this.recorder.execute(streams.organization(organizationId), organizationDecider, {
      type: 'register-organization',
      organizationId,
      name: args.name,
      roles: args.roles,
      jwks,
      clientSecretSha256: sha256Base64Url(clientSecret),
      at: this.clock.now(),
    });
    return { id: organizationId, clientId: organizationId, clientSecret };
  }
}

@CommandHandler(RotateKeys)
export class RotateKeysHandler implements ICommandHandler<RotateKeys> {
  constructor(
    private readonly recorder: EventRecorder,
    private readonly readModel: ReadModel,
    private readonly clock: Clock,
  ) {}

  async execute({ callerOrgId, organizationId, jwks }: RotateKeys) {
    const org = this.readModel.organizations.get(organizationId);
    if (!org) throw notFound('organization-not-found', 'no such organization');
    if (callerOrgId !== organizationId) throw forbidden('not-your-organization', 'an organization rotates only its own keys');
    const checked = checkedJwks(jwks, 'keys');
    const at = this.clock.now();
    try {
      applyKeySet(org.keys, checked, at);
    } catch (error) {
      if (error instanceof KeyHistoryError) throw invalid(error.code, error.message, [{ field: 'keys', message: error.message }]);
      throw error;
    }
    await this.recorder.execute(streams.organization(organizationId), organizationDecider, {
      type: 'rotate-keys',
      organizationId,
      jwks: checked,
      at,
    });
  }
}
