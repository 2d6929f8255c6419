import { STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ExchangeModule } from './app.module';
import type { ExchangeConfig } from './config';
import { loadShedding } from './http/load-shedding';
import { FORM_ENDPOINTS, MAX_JSON_DEPTH, requireJsonBody, verifyJsonBody } from './http/json-body';
import { problem, toProblem } from './http/problem';
import { sendProblem } from './http/problem.filter';
import { validationPipe } from './http/validation';

const INPUT_RULES = [
  'Input rules (what a request is refused for, and with which status):',
  '- Bodies are application/json (or application/*+json) in UTF-8, a JSON object at the top level; anything else is 415 unsupported-media-type (the token endpoint also takes application/x-www-form-urlencoded). A bare string, number, array or null is 400 body-not-an-object; invalid JSON is 400 malformed-json; a body over the size limit is 413 body-too-large.',
  `- JSON nested more than ${MAX_JSON_DEPTH} levels deep (arrays and objects), in a body or in a signed payload, is 400 too-deeply-nested.`,
  '- Unknown fields, at any level and inside signed documents and derivations, are 400 validation-failed, and so are "__proto__" and "constructor" members.',
  '- Ids are UUIDs in lower case (their canonical form; an upper-case form is refused, so that one id never names two things): a malformed id in a path is 400 invalid-id, in a body, query or signed document 400 validation-failed; a well-formed id the caller cannot see is 404.',
  '- Decimal figures are strings of digits with one optional point: no exponent, sign "+", lone or leading point, comma, whitespace, NaN or Infinity, at most 40 digits; a minus sign (even "-0") only where negatives are allowed, i.e. nowhere in v1. Signed and hashed figures must be normalized.',
  '- Date-times are RFC 3339 with a day that exists (no 2026-02-30, no hour 24, no leap second); dates are YYYY-MM-DD.',
  '- Text fields refuse C0 controls (NUL, TAB, CR, LF, ESC, ...), DEL, C1 controls and lone surrogates; other Unicode, U+2028 and U+2029 included, is text.',
  '- Idempotency-Key is 1 to 255 visible ASCII characters; anything else is 400 invalid-idempotency-key. A request the HTTP parser cannot read (a NUL or bare CR in a header, ...) is 400 malformed-request.',
].join('\n');

/**
 * Answers what Node's HTTP parser refuses before Express sees it (a NUL or bare CR in a header, a
 * malformed request line, headers too large) with problem+json too, then closes the connection.
 */
function answerUnparsableRequests(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // Like Node's own handler: answer only when no response on this socket has started, so a reply can never corrupt another.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) return void socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const detail = status === 431 ? 'the request headers are larger than the exchange accepts' : status === 408 ? 'the request took too long to arrive' : 'the request is not well-formed HTTP (a control character in a header, a malformed request line, ...)';
    const body = JSON.stringify(problem(status, status === 400 ? 'malformed-request' : `http-${status}`, detail));
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}

/** Builds the embedded exchange: body limits, problem+json everywhere, validation, OpenAPI at /docs. */
export async function createExchangeApp(config: ExchangeConfig, options: { logger?: false } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ExchangeModule.forRoot(config), { bodyParser: false, ...(options.logger === false && { logger: false }) });
  app.disable('x-powered-by');
  answerUnparsableRequests(app.getHttpServer());
  app.use(loadShedding(config.maxInFlight));
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
      .setDescription(`Signed carbon-footprint and due-diligence data for battery supply chains (EU 2023/1542). Decimal figures are strings; errors are application/problem+json.\n\n${INPUT_RULES}`)
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
