import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { CommandContext } from '@exchange/commands';

type WithContext = { commandContext?: CommandContext };

/**
 * The context the request's commands are executed with, set by the IdempotencyInterceptor: named
 * after the caller's Idempotency-Key or, without a key, one of the request's own, at one instant.
 */
export function writeContextOf(request: WithContext): CommandContext {
  if (!request.commandContext) throw new Error('no CommandContext was set for this request');
  return request.commandContext;
}

export function setWriteContext(request: WithContext, context: CommandContext): void {
  request.commandContext = context;
}

/** The request's CommandContext, for a controller to pass into its commands. */
export const WriteContext = createParamDecorator((_: unknown, ctx: ExecutionContext): CommandContext =>
  writeContextOf(ctx.switchToHttp().getRequest()),
);
