import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '@exchange/domain';
import { EXCHANGE_CONFIG, type ExchangeConfig } from '../config';
import type { Caller } from './caller';

/** How long a shed client is asked to wait before retrying, in seconds. */
export const SHED_RETRY_AFTER_SECONDS = 1;

/**
 * Sheds load instead of queueing it without bound: once `maxInFlight` requests are being handled,
 * further ones are answered at once with 503 and Retry-After, so latency stays bounded and the
 * process stays up.
 *
 * A global guard after the AuthGuard: a request takes a slot only once it has fully arrived (the
 * body parsers ran before any guard) and its caller is authenticated, so that nobody can hold the
 * slots without credentials or by sending slowly; the read deadlines and the per-client connection
 * cap bound those instead. Public endpoints (probes, token, JWKS) take no slot: they answer at once.
 */
@Injectable()
export class LoadShedding implements CanActivate {
  private inFlight = 0;

  constructor(@Inject(EXCHANGE_CONFIG) private readonly config: ExchangeConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    if (!http.getRequest<Request & { caller?: Caller }>().caller) return true;
    const response = http.getResponse<Response>();
    if (this.inFlight >= this.config.maxInFlight) {
      response.setHeader('Retry-After', String(SHED_RETRY_AFTER_SECONDS));
      throw new DomainError(
        'unavailable',
        'overloaded',
        `the exchange is handling ${this.config.maxInFlight} requests already; retry after ${SHED_RETRY_AFTER_SECONDS} s`,
      );
    }
    this.inFlight++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.inFlight--;
    };
    response.once('finish', release);
    response.once('close', release);
    return true;
  }
}
