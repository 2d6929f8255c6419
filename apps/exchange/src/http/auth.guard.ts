import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, forbidden } from '@exchange/domain';
import { ExchangeKeyRing, TokenError } from '@exchange/signing';
import { OperatorCredential } from '../infrastructure/operator-credential';
import { ReadModel } from '@exchange/projections';
import { ALLOWED, PUBLIC, type Caller } from './caller';

/** Why a request carries no usable credential; a bad token is refused with the signing library's TokenError code. */
type CredentialProblem = 'token-missing' | 'token-malformed' | 'token-unknown-organization';
const unauthenticated = (code: CredentialProblem, message: string) => new DomainError('unauthenticated', code, message);

const REALM = 'Bearer realm="battery-exchange"';
/** RFC 6750 section 3: no error attribute when no credential was sent at all. */
const challengeFor = (code: string) =>
  code === 'token-missing'
    ? REALM
    : `${REALM}, error="${code === 'token-malformed' ? 'invalid_request' : 'invalid_token'}", error_description="${code}"`;

/**
 * Authenticates every request (bearer access token of an organization, or the operator's
 * credential) and enforces who may call an endpoint at all.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ExchangeKeyRing,
    private readonly operator: OperatorCredential,
    @Inject(ReadModel) private readonly readModel: ReadModel,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest();
    let caller: Caller;
    try {
      caller = await this.authenticate(request.headers.authorization);
    } catch (error) {
      const code =
        error instanceof TokenError ? error.code : error instanceof DomainError && error.kind === 'unauthenticated' ? error.code : undefined;
      if (code) context.switchToHttp().getResponse().setHeader('WWW-Authenticate', challengeFor(code));
      throw error;
    }
    request.caller = caller;
    const allowed = this.reflector.getAllAndOverride<string[]>(ALLOWED, targets) ?? ['any-organization'];
    if (!isAllowed(caller, allowed)) throw forbidden('role-not-allowed', 'your organization may not call this endpoint');
    return true;
  }

  /** The caller, or a 401: `token-missing`, `token-malformed`, a TokenError code (`token-expired`, ...) or `token-unknown-organization`. */
  private async authenticate(header: unknown): Promise<Caller> {
    if (header === undefined || header === '') throw unauthenticated('token-missing', 'send a bearer token: Authorization: Bearer <token>');
    // The scheme is case-insensitive (RFC 7235); the credential is one printable token.
    const match = typeof header === 'string' ? /^Bearer ([\x21-\x7e]+)$/i.exec(header) : null;
    if (!match) throw unauthenticated('token-malformed', 'the Authorization header is not "Bearer <token>"');
    const token = match[1]!;
    if (this.operator.matches(token)) return { kind: 'operator' };
    // A TokenError (token-expired, token-not-yet-valid, token-wrong-audience, token-wrong-issuer,
    // token-invalid) reaches the problem filter as is: 401 with that code.
    const claims = await this.keys.verifyAccessToken(token);
    const org = this.readModel.organizations.get(claims.sub);
    if (!org) throw unauthenticated('token-unknown-organization', 'the access token names an organization the exchange does not know');
    return { kind: 'organization', orgId: org.id, roles: org.roles };
  }
}

function isAllowed(caller: Caller, allowed: string[]): boolean {
  if (caller.kind === 'operator') return allowed.includes('operator');
  return allowed.includes('any-organization') || caller.roles.some((role) => allowed.includes(role));
}
