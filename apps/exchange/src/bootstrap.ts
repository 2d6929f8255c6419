import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import { dataDirectoriesOf, secureDataDirectories } from '@exchange/platform';
import { ExchangeModule } from './app.module';
import type { ExchangeConfig } from './config';
import { FORM_ENDPOINTS, MAX_JSON_DEPTH, requireJsonBody, verifyJsonBody } from './http/json-body';
import { toProblem } from './http/problem';
import { securityHeaders } from './http/security-headers';
import { sendProblem } from './http/problem.filter';
import { answerUnparsableRequests, DeadlineExpressAdapter, limitConnectionsPerClient } from './http/transport';
import { validationPipe } from './http/validation';

const DESCRIPTION =
  'Signed carbon-footprint and due-diligence data for battery supply chains (EU 2023/1542). Decimal figures are strings; errors are application/problem+json.';

const seconds = (ms: number) => `${ms / 1000} s`;

/** Input rules and limits, for the OpenAPI description; the limits are the ones this exchange was configured with. */
const inputRules = (config: ExchangeConfig, deadlines = config.readDeadlines) => [
  'Input rules (what a request is refused for, and with which status):',
  '- Bodies are application/json (or application/*+json) in UTF-8, a JSON object at the top level; anything else is 415 unsupported-media-type (the token endpoint also takes application/x-www-form-urlencoded). A bare string, number, array or null is 400 body-not-an-object; invalid JSON is 400 malformed-json; a body over the size limit is 413 body-too-large.',
  `- JSON nested more than ${MAX_JSON_DEPTH} levels deep (arrays and objects), in a body or in a signed payload, is 400 too-deeply-nested.`,
  '- Unknown fields, at any level and inside signed documents and derivations, are 400 validation-failed, and so are "__proto__" and "constructor" members.',
  '- Ids are UUIDs in lower case (their canonical form; an upper-case form is refused, so that one id never names two things): a malformed id in a path is 400 invalid-id, in a body, query or signed document 400 validation-failed; a well-formed id the caller cannot see is 404.',
  '- Decimal figures are strings of digits with one optional point: no exponent, sign "+", lone or leading point, comma, whitespace, NaN or Infinity, at most 40 digits; a minus sign (even "-0") only where negatives are allowed, i.e. nowhere in v1. Signed and hashed figures must be normalized.',
  '- Date-times are RFC 3339 with a day that exists (no 2026-02-30, no hour 24, no leap second); dates are YYYY-MM-DD.',
  '- Text fields refuse C0 controls (NUL, TAB, CR, LF, ESC, ...), DEL, C1 controls and lone surrogates; other Unicode, U+2028 and U+2029 included, is text.',
  '- Idempotency-Key is 1 to 255 visible ASCII characters; anything else is 400 invalid-idempotency-key. A request the HTTP parser cannot read (a NUL or bare CR in a header, ...) is 400 malformed-request.',
  '- An Idempotency-Key is scoped to the caller; on the token endpoint, to the client whose credentials the request presents.',
  `- A request must arrive in time: its headers within ${seconds(deadlines.headersTimeoutMs)} and all of it, body included, within ` +
    `${seconds(deadlines.requestTimeoutMs)} of its first byte (HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS); a late one, or a connection that sends ` +
    'nothing for as long, is answered 408 request-timeout and closed. ' +
    `An idle keep-alive connection is closed after ${seconds(deadlines.keepAliveTimeoutMs)} (KEEP_ALIVE_TIMEOUT_MS).`,
  `- At most ${config.maxInFlight} requests of authenticated callers are handled at once (MAX_IN_FLIGHT), counted once a request has fully arrived; ` +
    'beyond them 503 overloaded with Retry-After. Public endpoints (probes, token, JWKS) are not counted.',
  `- One client address may hold ${config.maxConnectionsPerClient} connections open (MAX_CONNECTIONS_PER_CLIENT); a connection beyond them is answered ` +
    'at once with 503 too-many-connections and Retry-After, and closed.',
  '- Every /v1 answer carries Cache-Control: no-store (the token answer also Pragma: no-cache); every answer carries X-Content-Type-Options: nosniff.',
];

/** Builds the embedded exchange: owner-only data directories, read deadlines, body limits, problem+json everywhere, validation, OpenAPI at /docs. */
export async function createExchangeApp(config: ExchangeConfig, options: { logger?: false } = {}): Promise<NestExpressApplication> {
  secureDataDirectories(dataDirectoriesOf(config), {
    ...(options.logger !== false && { warn: (message: string) => new Logger('DataDirectory').warn(message) }),
  });
  const app = await NestFactory.create<NestExpressApplication>(ExchangeModule.forRoot(config), new DeadlineExpressAdapter(config.readDeadlines), {
    bodyParser: false,
    ...(options.logger === false && { logger: false }),
  });
  app.disable('x-powered-by');
  answerUnparsableRequests(app.getHttpServer());
  limitConnectionsPerClient(app.getHttpServer(), config.maxConnectionsPerClient);
  app.use(securityHeaders);
  app.use(requireJsonBody);
  app.use(express.json({ limit: config.bodyLimit, strict: true, type: ['application/json', 'application/*+json'], verify: verifyJsonBody }));
  app.use(FORM_ENDPOINTS, express.urlencoded({ limit: config.bodyLimit, extended: false }));
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => (error ? sendProblem(res, toProblem(error)) : next()));
  app.useGlobalPipes(validationPipe());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Battery data exchange')
      .setDescription(`${DESCRIPTION}\n\n${inputRules(config).join('\n')}`)
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
