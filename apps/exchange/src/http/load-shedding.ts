import type { NextFunction, Request, Response } from 'express';
import { problem } from './problem';
import { sendProblem } from './problem.filter';

/** How long a shed client is asked to wait before retrying, in seconds. */
export const SHED_RETRY_AFTER_SECONDS = 1;

/**
 * Sheds load instead of queueing it without bound: once `maxInFlight` requests are being handled,
 * further ones are answered at once with 503 and Retry-After, so latency stays bounded and the
 * process stays up. Probes are never shed (an orchestrator must see the process is alive).
 */
export function loadShedding(maxInFlight: number) {
  let inFlight = 0;
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path.startsWith('/health')) return next();
    if (inFlight >= maxInFlight) {
      res.setHeader('Retry-After', String(SHED_RETRY_AFTER_SECONDS));
      return sendProblem(res, problem(503, 'overloaded', `the exchange is handling ${maxInFlight} requests already; retry after ${SHED_RETRY_AFTER_SECONDS} s`));
    }
    inFlight++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      inFlight--;
    };
    res.once('finish', release);
    res.once('close', release);
    next();
  };
}
