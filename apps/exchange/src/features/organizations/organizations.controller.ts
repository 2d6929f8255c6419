import { Body, Controller, Get, Header, Headers, HttpCode, Param, Post, Put } from '@nestjs/common';
import type { CommandContext } from '@exchange/commands';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ParseIdPipe } from '../../http/parse-id.pipe';
import { DomainError } from '@exchange/domain';
import { ExchangeKeyRing } from '@exchange/signing';
import { AllowedCallers, CallerOrg, Public } from '../../http/caller';
import { WriteContext } from '../../http/write-context';
import { clientCredentialsOf } from '../../http/client-credentials';
import { SecretAnswer } from '../../http/idempotency.interceptor';
import { RegisterOrganizationDto, RotateKeysDto, TokenRequestDto } from './organizations.dto';
import { RegisterOrganization, RotateKeys } from './organizations.commands';
import { GetOrganization, GetOrganizationJwks, IssueAccessToken } from './organizations.queries';

@ApiTags('identity')
@Controller()
export class OrganizationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly keys: ExchangeKeyRing,
  ) {}

  @Post('v1/organizations')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'register an organization (operator)' })
  @AllowedCallers('operator')
  @SecretAnswer()
  register(@WriteContext() context: CommandContext, @Body() body: RegisterOrganizationDto) {
    return this.commands.execute(new RegisterOrganization(body, context));
  }

  @Get('v1/organizations/:id')
  @ApiBearerAuth()
  @AllowedCallers('operator', 'any-organization')
  get(@Param('id', ParseIdPipe) id: string) {
    return this.queries.execute(new GetOrganization(id));
  }

  @Get('v1/organizations/:id/jwks')
  @ApiBearerAuth()
  @ApiOperation({ summary: "an organization's public keys, current and retired, with when each was valid" })
  @AllowedCallers('operator', 'any-organization')
  jwks(@Param('id', ParseIdPipe) id: string) {
    return this.queries.execute(new GetOrganizationJwks(id));
  }

  @Put('v1/organizations/:id/jwks')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'rotate keys: the given set becomes current, keys left out are retired' })
  async rotate(
    @WriteContext() context: CommandContext,
    @CallerOrg() caller: string,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: RotateKeysDto,
  ) {
    await this.commands.execute(new RotateKeys(caller, id, body, context));
    return this.queries.execute(new GetOrganizationJwks(id));
  }

  @Post('v1/auth/token')
  @Public()
  @SecretAnswer()
  @HttpCode(200)
  // RFC 6749 section 5.1; Cache-Control: no-store comes with every /v1 answer (securityHeaders).
  @Header('Pragma', 'no-cache')
  @ApiOperation({ summary: 'OAuth 2.0 client credentials (form, JSON or HTTP Basic)' })
  async token(@Body() body: TokenRequestDto, @Headers('authorization') authorization?: string) {
    const client = clientCredentialsOf(authorization, body);
    if (body.grant_type !== 'client_credentials') {
      throw new DomainError('invalid', 'unsupported-grant-type', 'grant_type must be client_credentials', {}, [
        { field: 'grant_type', message: 'must be client_credentials' },
      ]);
    }
    return this.queries.execute(new IssueAccessToken(client.id, client.secret));
  }

  @Get('.well-known/jwks.json')
  @Public()
  @ApiOperation({ summary: "the exchange's public keys (access tokens, receipts)" })
  exchangeJwks() {
    return this.keys.publicJwks();
  }
}
