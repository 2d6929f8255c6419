import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { IS_PUBLIC_ROUTE } from '@exchange/platform';
import { forbidden, type Role } from '@exchange/domain';

export type Caller = { kind: 'operator' } | { kind: 'organization'; orgId: string; roles: readonly Role[] };

export const PUBLIC = IS_PUBLIC_ROUTE;
export const ALLOWED = 'exchange:allowed';

/** The endpoint needs no credential. */
export const Public = () => SetMetadata(PUBLIC, true);
/** Who may call the endpoint at all: the operator, or organizations with one of these roles. Others get 403. */
export const AllowedCallers = (...who: ('operator' | Role | 'any-organization')[]) => SetMetadata(ALLOWED, who);

/** The authenticated caller, set by the AuthGuard. */
export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => ctx.switchToHttp().getRequest().caller);

/** The calling organization's id; the operator is refused, since it holds no participant data. */
export const CallerOrg = createParamDecorator((_: unknown, ctx: ExecutionContext): string => orgIdOf(ctx.switchToHttp().getRequest().caller));

export function orgIdOf(caller: Caller | undefined): string {
  if (caller?.kind !== 'organization') throw forbidden('participants-only', 'this endpoint is for participants');
  return caller.orgId;
}
