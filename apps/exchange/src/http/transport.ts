import { createServer, STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { ReadDeadlines } from '../config';
import { SHED_RETRY_AFTER_SECONDS } from './load-shedding';
import { problem, type Problem } from './problem';
import { NOSNIFF } from './security-headers';

/** How long a refused connection may linger for its client to read the answer and close. */
const REFUSED_LINGER_MS = 2000;

/** How often Node looks for requests past their deadline: a tenth of the shorter deadline, from 50 ms to 1 s. */
const deadlineCheckInterval = (deadlines: ReadDeadlines) =>
  Math.min(1000, Math.max(50, Math.floor(Math.min(deadlines.headersTimeoutMs, deadlines.requestTimeoutMs) / 10)));

/**
 * Express on an http.Server made here, with the exchange's read deadlines: Node enforces them only
 * as often as `connectionsCheckingInterval` says (every 30 s by default), and that can be set only
 * when the server is constructed. A request past its deadline reaches `answerUnparsableRequests`
 * as ERR_HTTP_REQUEST_TIMEOUT.
 */
export class DeadlineExpressAdapter extends ExpressAdapter {
  constructor(private readonly deadlines: ReadDeadlines) {
    super();
  }

  override initHttpServer(): void {
    const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs } = this.deadlines;
    const options = {
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      connectionsCheckingInterval: deadlineCheckInterval(this.deadlines),
    };
    const server = createServer(options, this.getInstance());
    server.keepAliveTimeout = keepAliveTimeoutMs;
    this.httpServer = server;
  }
}

/** Writes a problem answer straight on the socket, for what never reaches Express, and closes the connection after it. */
export function endWithProblem(socket: Socket, answer: Problem, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(answer);
  const head = [
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}`,
    'Content-Type: application/problem+json',
    ...Object.entries({ ...NOSNIFF, ...headers }).map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

const UNPARSABLE: Record<number, { code: string; detail: string }> = {
  400: { code: 'malformed-request', detail: 'the request is not well-formed HTTP (a control character in a header, a malformed request line, ...)' },
  408: { code: 'request-timeout', detail: 'the request did not arrive in time (headers, or the whole request, past the deadline)' },
  431: { code: 'http-431', detail: 'the request headers are larger than the exchange accepts' },
};

/**
 * Answers what Node's HTTP parser refuses before Express sees it (a NUL or bare CR in a header, a
 * malformed request line, headers too large) and requests past their read deadline with
 * problem+json too, then closes the connection.
 */
export function answerUnparsableRequests(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // Like Node's own handler: answer only when no response on this socket has started, so a reply can never corrupt another.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) return void socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const { code, detail } = UNPARSABLE[status]!;
    endWithProblem(socket, problem(status, code, detail));
  });
}

/**
 * Caps the connections one client address holds open at once. A connection beyond the cap is
 * answered at once, before anything is read from it, with 503 too-many-connections and
 * Retry-After, and closed: it never reaches the HTTP parser, so it costs nothing but its socket.
 * Must be called before the server listens: it takes over Node's own connection handler.
 */
export function limitConnectionsPerClient(server: Server, maxPerClient: number): void {
  const open = new Map<string, number>();
  const accept = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    const client = socket.remoteAddress;
    if (client === undefined) return void socket.destroy();
    const count = open.get(client) ?? 0;
    if (count >= maxPerClient) return refuseConnection(socket, maxPerClient);
    open.set(client, count + 1);
    socket.once('close', () => {
      const left = open.get(client)! - 1;
      if (left === 0) open.delete(client);
      else open.set(client, left);
    });
    for (const listener of accept) listener.call(server, socket);
  });
}

function refuseConnection(socket: Socket, maxPerClient: number): void {
  socket.on('error', () => socket.destroy());
  // Read and drop what the client sends: closing a socket with unread data would reset the connection before the client read the answer.
  socket.resume();
  const detail = `this address holds ${maxPerClient} connections to the exchange already; reuse them, or retry after ${SHED_RETRY_AFTER_SECONDS} s`;
  endWithProblem(socket, problem(503, 'too-many-connections', detail), { 'Retry-After': String(SHED_RETRY_AFTER_SECONDS) });
  setTimeout(() => socket.destroy(), REFUSED_LINGER_MS).unref();
}
