import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExchangeClient, ProblemError } from './exchange-client';

interface Seen {
  method?: string;
  url?: string;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('ExchangeClient against a stub server', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        seen.push({ method: request.method, url: request.url, headers: request.headers, body });
        const url = new URL(request.url ?? '/', 'http://stub');
        const send = (status: number, value: unknown, type = 'application/json') => {
          response.writeHead(status, { 'Content-Type': type });
          response.end(JSON.stringify(value));
        };
        if (url.pathname === '/v1/auth/token') return send(200, { access_token: 'tok', token_type: 'Bearer', expires_in: 60 });
        if (url.pathname === '/v1/items') {
          const after = Number(url.searchParams.get('after') ?? 0);
          return send(200, after < 2 ? { items: [after], next: String(after + 1) } : { items: [after] });
        }
        if (url.pathname === '/v1/missing') {
          return send(404, { type: 'about:blank', title: 'Not Found', status: 404, detail: 'no such thing' }, 'application/problem+json');
        }
        return send(201, { id: 'new' });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (seen.length = 0));

  it('logs in with client credentials and then sends the bearer token', async () => {
    const client = await ExchangeClient.authenticate(baseUrl, 'cid', 'secret');
    await client.get('/v1/anything');
    expect(JSON.parse(seen[0].body)).toEqual({ grant_type: 'client_credentials', client_id: 'cid', client_secret: 'secret' });
    expect(seen[1].headers.authorization).toBe('Bearer tok');
  });

  it('puts a fresh Idempotency-Key on every POST, or the one it is given', async () => {
    const client = new ExchangeClient(baseUrl, 'tok');
    await client.post('/v1/things', { a: 1 });
    await client.post('/v1/things', { a: 1 });
    await client.post('/v1/things', { a: 1 }, { idempotencyKey: 'retry-1' });
    const keys = seen.map((request) => request.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).not.toBe(keys[0]);
    expect(keys[2]).toBe('retry-1');
    expect(seen[0].headers['content-type']).toBe('application/json');
  });

  it('throws a ProblemError carrying the status and the problem body', async () => {
    const client = new ExchangeClient(baseUrl, 'tok');
    const error = await client.get('/v1/missing').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toMatchObject({ status: 404, problem: { title: 'Not Found', detail: 'no such thing' } });
    expect(await client.statusOf('/v1/missing')).toBe(404);
    expect(await client.statusOf('/v1/items')).toBe(200);
  });

  it('follows next cursors to the end of a list', async () => {
    const client = new ExchangeClient(baseUrl, 'tok');
    expect(await client.listAll('/v1/items', { direction: 'inbound' })).toEqual([0, 1, 2]);
    expect(seen[1].url).toBe('/v1/items?direction=inbound&limit=500&after=1');
  });
});
