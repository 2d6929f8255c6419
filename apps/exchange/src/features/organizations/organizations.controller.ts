import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { timingSafeEqual } from 'node:crypto';
import { DomainError, notFound, sha256Base64Url } from '@exchange/domain';
import { ExchangeKeyRing } from '@exchange/signing';
import { AllowedCallers, CallerOrg, Public } from '../../http/caller';
import { ReadModel } from '../../read-model/read-model';
import type { OrganizationView } from '../../read-model/views';
import { RegisterOrganizationDto, RotateKeysDto, TokenRequestDto } from './organizations.dto';
import { RegisterOrganization, RotateKeys } from './organizations.commands';
import { EXCHANGE_CONFIG, type ExchangeConfig } from '../../config';

const badClient = () => new DomainError('unauthenticated', 'invalid-client', 'unknown client or wrong secret');

function jwksView(org: OrganizationView) {
  return {
    keys: org.keys.map((k) => k.jwk),
    history: org.keys.map((k) => ({ kid: k.kid, validFrom: k.validFrom, ...(k.validUntil !== undefined && { validUntil: k.validUntil }), status: k.validUntil === undefined ? 'current' : 'retired' })),
  };
}

@ApiTags('identity')
@Controller()
export class OrganizationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly readModel: ReadModel,
    private readonly keys: ExchangeKeyRing,
    @Inject(EXCHANGE_CONFIG) private readonly config: ExchangeConfig,
  ) {}

  @Post('v1/organizations')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'register an organization (operator)' })
  @AllowedCallers('operator')
  register(@Body() body: RegisterOrganizationDto) {
    return this.commands.execute(new RegisterOrganization(body));
  }

  @Get('v1/organizations/:id')
  @ApiBearerAuth()
  @AllowedCallers('operator', 'any-organization')
  get(@Param('id', ParseUUIDPipe) id: string) {
    const org = this.readModel.organizations.get(id);
    if (!org) throw notFound('organization-not-found', 'no such organization');
    return { id: org.id, name: org.name, roles: org.roles, registeredAt: org.registeredAt };
  }

  @Get('v1/organizations/:id/jwks')
  @ApiBearerAuth()
  @ApiOperation({ summary: "an organization's public keys, current and retired, with when each was valid" })
  @AllowedCallers('operator', 'any-organization')
  jwks(@Param('id', ParseUUIDPipe) id: string) {
    const org = this.readModel.organizations.get(id);
    if (!org) throw notFound('organization-not-found', 'no such organization');
    return jwksView(org);
  }

  @Put('v1/organizations/:id/jwks')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'rotate keys: the given set becomes current, keys left out are retired' })
  async rotate(@CallerOrg() caller: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: RotateKeysDto) {
    await this.commands.execute(new RotateKeys(caller, id, body));
    return jwksView(this.readModel.organizations.get(id)!);
  }

  @Post('v1/auth/token')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'OAuth 2.0 client credentials (form, JSON or HTTP Basic)' })
  async token(@Body() body: TokenRequestDto, @Headers('authorization') authorization?: string) {
    const basic = parseBasic(authorization);
    if (body.grant_type !== 'client_credentials') {
      throw new DomainError('invalid', 'unsupported-grant-type', 'grant_type must be client_credentials', {}, [{ field: 'grant_type', message: 'must be client_credentials' }]);
    }
    const clientId = basic?.id ?? body.client_id;
    const secret = basic?.secret ?? body.client_secret;
    const org = clientId ? [...this.readModel.organizations.values()].find((o) => o.clientId === clientId) : undefined;
    if (!org || !secret || !sameHash(sha256Base64Url(secret), org.clientSecretSha256)) throw badClient();
    const { token, expiresIn } = await this.keys.issueAccessToken({ sub: org.id, roles: org.roles, ttlSeconds: this.config.tokenTtlSeconds });
    return { access_token: token, token_type: 'Bearer', expires_in: expiresIn };
  }

  @Get('.well-known/jwks.json')
  @Public()
  @ApiOperation({ summary: "the exchange's public keys (access tokens, receipts)" })
  exchangeJwks() {
    return this.keys.publicJwks();
  }
}

function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
  const match = header ? /^Basic ([A-Za-z0-9+/=]+)$/.exec(header) : null;
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
