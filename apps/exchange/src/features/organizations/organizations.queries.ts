import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { timingSafeEqual } from 'node:crypto';
import { DomainError, notFound, sha256Base64Url } from '@exchange/domain';
import { ExchangeKeyRing } from '@exchange/signing';
import { EXCHANGE_CONFIG, type ExchangeConfig } from '../../config';
import { ReadModel, type OrganizationView } from '@exchange/projections';

export class GetOrganization {
  constructor(readonly organizationId: string) {}
}
export class GetOrganizationJwks {
  constructor(readonly organizationId: string) {}
}
/** Client credentials to exchange for an access token; issuing one appends nothing. */
export class IssueAccessToken {
  constructor(
    readonly clientId: string | undefined,
    readonly clientSecret: string | undefined,
  ) {}
}

const organizationNotFound = () => notFound('organization-not-found', 'no such organization');
const badClient = () => new DomainError('unauthenticated', 'invalid-client', 'unknown client or wrong secret');

function organizationOf(readModel: ReadModel, organizationId: string): OrganizationView {
  const org = readModel.organizations.get(organizationId);
  if (!org) throw organizationNotFound();
  return org;
}

export function jwksView(org: OrganizationView) {
  return {
    keys: org.keys.map((k) => k.jwk),
    history: org.keys.map((k) => ({
      kid: k.kid,
      validFrom: k.validFrom,
      ...(k.validUntil !== undefined && { validUntil: k.validUntil }),
      status: k.validUntil === undefined ? 'current' : 'retired',
    })),
  };
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

@QueryHandler(GetOrganization)
export class GetOrganizationHandler implements IQueryHandler<GetOrganization> {
  constructor(private readonly readModel: ReadModel) {}

  async execute({ organizationId }: GetOrganization) {
    const org = organizationOf(this.readModel, organizationId);
    return { id: org.id, name: org.name, roles: org.roles, registeredAt: org.registeredAt };
  }
}

@QueryHandler(GetOrganizationJwks)
export class GetOrganizationJwksHandler implements IQueryHandler<GetOrganizationJwks> {
  constructor(private readonly readModel: ReadModel) {}

  async execute({ organizationId }: GetOrganizationJwks) {
    return jwksView(organizationOf(this.readModel, organizationId));
  }
}

@QueryHandler(IssueAccessToken)
export class IssueAccessTokenHandler implements IQueryHandler<IssueAccessToken> {
  constructor(
    private readonly readModel: ReadModel,
    private readonly keys: ExchangeKeyRing,
    @Inject(EXCHANGE_CONFIG) private readonly config: ExchangeConfig,
  ) {}

  async execute({ clientId, clientSecret }: IssueAccessToken) {
    // The client id is the organization's id: one lookup, however many organizations there are (this runs without credentials).
    const candidate = clientId ? this.readModel.organizations.get(clientId) : undefined;
    const org = candidate?.clientId === clientId ? candidate : undefined;
    if (!org || !clientSecret || !sameHash(sha256Base64Url(clientSecret), org.clientSecretSha256)) throw badClient();
    const { token, expiresIn } = await this.keys.issueAccessToken({ sub: org.id, roles: org.roles, ttlSeconds: this.config.tokenTtlSeconds });
    return { access_token: token, token_type: 'Bearer', expires_in: expiresIn };
  }
}
