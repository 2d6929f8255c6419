import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { toProblem, type Problem } from './problem';

export function sendProblem(res: Response, p: Problem): void {
  if (p.status === 503 && !res.hasHeader('Retry-After')) res.setHeader('Retry-After', '5');
  res.status(p.status).type('application/problem+json').send(JSON.stringify(p));
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    sendProblem(host.switchToHttp().getResponse<Response>(), toProblem(error));
  }
}
