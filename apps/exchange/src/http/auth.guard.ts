import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, forbidden } from '@exchange/domain';
import { ExchangeKeyRing, TokenError } from '@exchange/signing';
import { OperatorCredential } from '../infrastructure/operator-credential';
import { ReadModel } from '@exchange/projections';
import { ALLOWED, PUBLIC, type Caller } from './caller';

const unauthenticated = (message: string) => new DomainError('unauthenticated', 'unauthenticated', message);

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
    const caller = await this.authenticate(request.headers.authorization);
    request.caller = caller;
    const allowed = this.reflector.getAllAndOverride<string[]>(ALLOWED, targets) ?? ['any-organization'];
    if (!isAllowed(caller, allowed)) throw forbidden('role-not-allowed', 'your organization may not call this endpoint');
    return true;
  }

  private async authenticate(header: unknown): Promise<Caller> {
    const match = typeof header === 'string' ? /^Bearer ([\x21-\x7e]+)$/.exec(header) : null;
    if (!match) throw unauthenticated('send a bearer token: Authorization: Bearer <token>');
    const token = match[1]!;
    if (this.operator.matches(token)) return { kind: 'operator' };
    let claims;
    try {
      claims = await this.keys.verifyAccessToken(token);
    } catch (error) {
      if (error instanceof TokenError) throw unauthenticated(`the access token is not valid (${error.code})`);
      throw error;
    }
    const org = this.readModel.organizations.get(claims.sub);
    if (!org) throw unauthenticated('the access token names an unknown organization');
    return { kind: 'organization', orgId: org.id, roles: org.roles };
  }
}

function isAllowed(caller: Caller, allowed: string[]): boolean {
  if (caller.kind === 'operator') return allowed.includes('operator');
  return allowed.includes('any-organization') || caller.roles.some((role) => allowed.includes(role));
}
