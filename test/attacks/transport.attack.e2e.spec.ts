import { generateParticipantKey } from '@exchange/signing';
import { startTestExchange, type TestExchange } from '../support/test-exchange';
import {
  http,
  registerClient,
  registerParticipant,
  type HttpAnswer,
  type Participant,
  type RegisteredClient as Client,
} from '../support/participants';
import { describeAnswer, recordAttack } from './support/attack-table';
import { holdsWithin, sleep } from '@exchange/testing';
import { describeEnds, RawConnection } from './support/raw-connection';

/**
 * The transport layer: clients that are slow, idle or greedy with connections cannot take the
 * exchange from the others; answers holding secrets or private data are never cached; no answer
 * can be sniffed into another content type; the token endpoint neither fails on what it decodes
 * nor shares Idempotency-Keys between clients.
 *
 * Choices made here (and written into the OpenAPI description):
 * - a request must arrive within deadlines: its headers within HEADERS_TIMEOUT_MS, all of it, body
 *   included, within REQUEST_TIMEOUT_MS; a late one is answered 408 request-timeout and closed, and
 *   so is a connection that sends nothing; an idle keep-alive connection is closed after
 *   KEEP_ALIVE_TIMEOUT_MS;
 * - only a request that has fully arrived and whose caller is authenticated takes one of the
 *   MAX_IN_FLIGHT slots (beyond them: 503 overloaded with Retry-After, as before);
 * - one client address may hold MAX_CONNECTIONS_PER_CLIENT open connections; a connection beyond
 *   them is answered 503 too-many-connections with Retry-After at once and closed.
 *
 * Slow clients bind their own loopback source addresses (all of 127/8 is on `lo` on Linux), so
 * that the participants, on 127.0.0.1, are other clients.
 */

/** Small deadlines, so that the rows stay fast; the defaults are 10 s, 30 s and 5 s. */
const DEADLINES = { HEADERS_TIMEOUT_MS: '1500', REQUEST_TIMEOUT_MS: '3000', KEEP_ALIVE_TIMEOUT_MS: '1000', MAX_CONNECTIONS_PER_CLIENT: '100' };
/** How long a row waits for the exchange to end a connection: far beyond the deadlines above, far below Node's own (60 s for headers, 300 s for a request). */
const END_WAIT_MS = 20_000;
const HALF_SECOND = 500;
const ONE_SECOND = 1000;

const SLOW_BODIES = '127.0.0.3';
const GREEDY = '127.0.0.4';
const SLOW_HEADERS = '127.0.0.5';
const IDLE = '127.0.0.6';
const TRICKLING_BODY = '127.0.0.7';
const MALFORMED = '127.0.0.8';

const basic = (clientId: string, clientSecret: string) => `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function tokenRequest(exchange: TestExchange, authorization: string, idempotencyKey?: string): Promise<HttpAnswer> {
  const headers = { ...FORM, authorization, ...(idempotencyKey && { 'idempotency-key': idempotencyKey }) };
  return http(exchange, 'POST', '/v1/auth/token', { body: 'grant_type=client_credentials', headers });
}

const eventsNote = (appended: bigint) => (appended === 0n ? 'no event' : `${appended} event(s)`);

function openMany(exchange: TestExchange, count: number, from: string): Promise<RawConnection[]> {
  return Promise.all(Array.from({ length: count }, () => RawConnection.open(exchange.baseUrl, from)));
}

function openConnections(exchange: TestExchange): Promise<number> {
  return new Promise((resolve, reject) =>
    exchange.app.getHttpServer().getConnections((error: Error | null, count: number) => (error ? reject(error) : resolve(count))),
  );
}

/** Waits until the exchange has accepted at least `count` connections, and a moment more for it to read what they sent. */
async function untilAccepted(exchange: TestExchange, count: number): Promise<void> {
  await holdsWithin(async () => (await openConnections(exchange)) >= count, 10_000);
  await sleep(200);
}

describe('attacks: the transport layer', () => {
  let exchange: TestExchange;
  let participant: Participant;
  let x: Client;
  let y: Client;

  beforeAll(async () => {
    exchange = await startTestExchange({ env: DEADLINES });
    participant = await registerParticipant(exchange, 'Patient Participant');
    x = await registerClient(exchange, 'Client X');
    y = await registerClient(exchange, 'Client Y');
  });
  afterAll(() => exchange.stop());

  describe('slow and idle clients are bounded by read deadlines and hold no in-flight slot', () => {
    it('80 half-sent token requests from one address: the others are served while they hang, then each is answered 408', async () => {
      const before = await exchange.eventCount();
      const body = JSON.stringify({ grant_type: 'client_credentials', client_id: 'slow-client', client_secret: 'not-the-secret-of-anyone' });
      const head = `POST /v1/auth/token HTTP/1.1\r\nHost: exchange\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
      const slow = await openMany(exchange, 80, SLOW_BODIES);
      for (const connection of slow) connection.write(head + body.slice(0, body.length / 2));
      await untilAccepted(exchange, 80);
      const parts = await participant.call('GET', '/v1/parts');
      const token = await tokenRequest(exchange, basic(x.clientId, x.clientSecret));
      const hanging = slow.filter((connection) => !connection.closed).length;
      await holdsWithin(() => slow.every((connection) => connection.closed), END_WAIT_MS);
      const appended = (await exchange.eventCount()) - before;
      slow.forEach((connection) => connection.destroy());
      recordAttack({
        attack: '80 connections from one address send the headers and half the body of POST /v1/auth/token, then nothing',
        expected:
          'while they hang: GET /v1/parts 200, a token request from another client 200; then 80 answered 408 request-timeout and closed; no event',
        observed:
          `while ${hanging === 80 ? 'they hang' : `${hanging} of them hang`}: GET /v1/parts ${parts.status}, ` +
          `a token request from another client ${token.status}; then ${describeEnds(slow)}; ${eventsNote(appended)}`,
      });
      expect(hanging).toBe(80);
      expect(parts.status).toBe(200);
      expect(token.status).toBe(200);
      expect(describeEnds(slow)).toBe('80 answered 408 request-timeout and closed');
      expect(appended).toBe(0n);
    });

    it('slowloris: headers sent a byte every half second, on new connections and on a keep-alive one, are answered 408', async () => {
      const slowHeaders = 'GET /v1/parts HTTP/1.1\r\nHost: exchange\r\nX-Slow: ' + 'a'.repeat(200);
      const fresh = await openMany(exchange, 10, SLOW_HEADERS);
      fresh.forEach((connection) => connection.trickle(slowHeaders, HALF_SECOND));
      const keptAlive = await RawConnection.open(exchange.baseUrl, SLOW_HEADERS);
      keptAlive.write('GET /health HTTP/1.1\r\nHost: exchange\r\n\r\n');
      await holdsWithin(() => keptAlive.answers.length === 1, 10_000);
      keptAlive.trickle(slowHeaders, HALF_SECOND);
      const all = [...fresh, keptAlive];
      await holdsWithin(() => all.every((connection) => connection.closed), END_WAIT_MS);
      all.forEach((connection) => connection.destroy());
      recordAttack({
        attack: 'slowloris: request headers a byte every half second, on 10 new connections and on a keep-alive one after its first answer',
        expected: '11 answered 408 request-timeout and closed',
        observed: describeEnds(all),
      });
      expect(describeEnds(all)).toBe('11 answered 408 request-timeout and closed');
    });

    it('idle connections: one that never sends a byte is answered 408, an idle keep-alive one is closed', async () => {
      const silent = await RawConnection.open(exchange.baseUrl, IDLE);
      const keptAlive = await RawConnection.open(exchange.baseUrl, IDLE);
      keptAlive.write('GET /health HTTP/1.1\r\nHost: exchange\r\n\r\n');
      await holdsWithin(() => silent.closed && keptAlive.closed, END_WAIT_MS);
      [silent, keptAlive].forEach((connection) => connection.destroy());
      recordAttack({
        attack: 'a connection that never sends a byte, and a keep-alive connection left idle after its answer',
        expected: 'silent: 1 answered 408 request-timeout and closed; idle keep-alive: 1 answered 200 and closed',
        observed: `silent: ${describeEnds([silent])}; idle keep-alive: ${describeEnds([keptAlive])}`,
      });
      expect(describeEnds([silent])).toBe('1 answered 408 request-timeout and closed');
      expect(describeEnds([keptAlive])).toBe('1 answered 200 and closed');
    });

    it('a body that trickles one byte a second is answered 408 and records nothing', async () => {
      const before = await exchange.eventCount();
      const body = JSON.stringify({ partNumber: 'TRICKLE-1', name: 'Trickled part', declaredUnit: 'piece' });
      const connection = await RawConnection.open(exchange.baseUrl, TRICKLING_BODY);
      const head = `POST /v1/parts HTTP/1.1\r\nHost: exchange\r\nAuthorization: Bearer ${participant.token}\r\nContent-Type: application/json\r\n`;
      connection.write(`${head}Content-Length: ${body.length}\r\n\r\n`);
      connection.trickle(body, ONE_SECOND);
      await holdsWithin(() => connection.closed, END_WAIT_MS);
      connection.destroy();
      const appended = (await exchange.eventCount()) - before;
      recordAttack({
        attack: `an authenticated POST /v1/parts whose ${body.length}-byte body trickles one byte a second`,
        expected: '1 answered 408 request-timeout and closed; no event',
        observed: `${describeEnds([connection])}; ${eventsNote(appended)}`,
      });
      expect(describeEnds([connection])).toBe('1 answered 408 request-timeout and closed');
      expect(appended).toBe(0n);
    });
  });

  describe('the token endpoint', () => {
    it('answers an undecodable Basic credential with 401 invalid-client, not 500', async () => {
      const before = await exchange.eventCount();
      const badId = await tokenRequest(exchange, `Basic ${Buffer.from('%E0%A4%A:x').toString('base64')}`);
      const badSecret = await tokenRequest(exchange, `Basic ${Buffer.from(`${x.clientId}:%E0%A4%A`).toString('base64')}`);
      const appended = (await exchange.eventCount()) - before;
      recordAttack({
        attack: 'Authorization: Basic with bad percent-encoding (base64 of "%E0%A4%A:x", and in the secret) on /v1/auth/token',
        expected: '401 invalid-client, 401 invalid-client, no event',
        observed: `${describeAnswer(badId)}, ${describeAnswer(badSecret)}, ${eventsNote(appended)}`,
      });
      for (const answer of [badId, badSecret]) {
        expect(answer.status).toBe(401);
        expect(answer.body.code).toBe('invalid-client');
        expect(answer.headers.get('content-type')).toContain('application/problem+json');
      }
      expect(appended).toBe(0n);
    });

    it('scopes an Idempotency-Key to the client: client Y may use a key client X used', async () => {
      const key = 'token-key-shared-by-chance';
      const first = await tokenRequest(exchange, basic(x.clientId, x.clientSecret), key);
      const second = await tokenRequest(exchange, basic(y.clientId, y.clientSecret), key);
      recordAttack({
        attack: 'client Y asks for a token with an Idempotency-Key client X used before',
        expected: 'X 200, Y 200 (keys are per client)',
        observed: `X ${first.status}, Y ${describeAnswer(second)}${second.status === 200 ? ' (keys are per client)' : ''}`,
      });
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      // A token is a secret answer: never stored, so the same client's replay is refused rather than given it again.
      expect((await tokenRequest(exchange, basic(y.clientId, y.clientSecret), key)).body.code).toBe('idempotency-key-already-applied');
    });

    it("does not let a stranger with Y's client id and a wrong secret learn which keys Y used", async () => {
      const key = 'token-key-of-y';
      const own = await tokenRequest(exchange, basic(y.clientId, y.clientSecret), key);
      const stranger = await tokenRequest(exchange, basic(y.clientId, 'a-guessed-secret'), key);
      recordAttack({
        attack: "a stranger sends Y's client id, a wrong secret and the Idempotency-Key Y used",
        expected: 'Y 200, the stranger 401 invalid-client',
        observed: `Y ${own.status}, the stranger ${describeAnswer(stranger)}`,
      });
      expect(own.status).toBe(200);
      expect(stranger.status).toBe(401);
      expect(stranger.body.code).toBe('invalid-client');
    });
  });

  describe('caching and content sniffing', () => {
    it('marks the token answer no-store and no-cache (RFC 6749 section 5.1)', async () => {
      const answer = await tokenRequest(exchange, basic(x.clientId, x.clientSecret));
      const observed = `${answer.status}, Cache-Control: ${answer.headers.get('cache-control') ?? '(none)'}, Pragma: ${answer.headers.get('pragma') ?? '(none)'}`;
      recordAttack({ attack: 'the token answer in a shared cache', expected: '200, Cache-Control: no-store, Pragma: no-cache', observed });
      expect(observed).toBe('200, Cache-Control: no-store, Pragma: no-cache');
    });

    it('marks the 201 holding a clientSecret no-store', async () => {
      const key = await generateParticipantKey('EdDSA');
      const body = { name: 'Cached Org', roles: ['supplier'], jwks: { keys: [key.publicJwk] } };
      const answer = await http(exchange, 'POST', '/v1/organizations', { token: exchange.operatorToken, body });
      const withSecret = typeof answer.body.clientSecret === 'string' ? ' with a clientSecret' : '';
      const observed = `${answer.status}${withSecret}, Cache-Control: ${answer.headers.get('cache-control') ?? '(none)'}`;
      const attack = 'the answer to POST /v1/organizations, holding a clientSecret, in a shared cache';
      recordAttack({ attack, expected: '201 with a clientSecret, Cache-Control: no-store', observed });
      expect(observed).toBe('201 with a clientSecret, Cache-Control: no-store');
    });

    it('marks every /v1 answer no-store, errors included', async () => {
      const answers: [string, HttpAnswer][] = [
        ['GET /v1/parts 200', await participant.call('GET', '/v1/parts')],
        ['GET /v1/events 200', await participant.call('GET', '/v1/events')],
        ['GET /v1/parts/{unknown} 404', await participant.call('GET', '/v1/parts/00000000-0000-4000-8000-000000000000')],
        ['GET /v1/parts without a token 401', await http(exchange, 'GET', '/v1/parts')],
      ];
      const cacheable = answers.filter(([, answer]) => answer.headers.get('cache-control') !== 'no-store').map(([name]) => name);
      const observed = cacheable.length === 0 ? 'all no-store' : `cacheable: ${cacheable.join(', ')}`;
      recordAttack({ attack: 'private /v1 answers (200, 404, 401) in a shared cache', expected: 'all no-store', observed });
      expect(observed).toBe('all no-store');
    });

    it('serves /docs under a Content-Security-Policy that allows only its own scripts, none inline', async () => {
      const response = await fetch(`${exchange.baseUrl}/docs`);
      const html = await response.text();
      const policy = response.headers.get('content-security-policy');
      const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
      const ownScripts = scripts.every(([, attributes, content]) => /src="\.\/[^"]+"/.test(attributes!) && content!.trim() === '');
      const directives = new Map(
        (policy ?? '')
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .map(([name = '', ...values]) => [name, values]),
      );
      const strictScripts = directives.get('script-src')?.join(' ') === "'self'" && directives.get('default-src')?.join(' ') === "'none'";
      const policyNote = strictScripts ? "default-src 'none', script-src 'self'" : `policy ${policy}`;
      const pageNote = ownScripts && scripts.length > 0 ? 'every script of the page its own, none inline' : 'the page has inline or foreign scripts';
      const observed = policy ? `${policyNote}; ${pageNote}` : 'no Content-Security-Policy';
      const expected = "default-src 'none', script-src 'self'; every script of the page its own, none inline";
      recordAttack({ attack: 'a script injected into the Swagger UI page at /docs', expected, observed });
      expect(observed).toBe(expected);
      // What Swagger UI needs besides its scripts: its stylesheet and inline <style>, data: images (icons), fetches of /docs-json.
      expect(directives.get('style-src')).toEqual(expect.arrayContaining(["'self'"]));
      expect(directives.get('img-src')).toEqual(expect.arrayContaining(["'self'", 'data:']));
      expect(directives.get('connect-src')).toEqual(["'self'"]);
    });
  });

  describe('greedy clients', () => {
    let small: TestExchange;
    let busy: Participant;

    beforeAll(async () => {
      small = await startTestExchange({ env: { MAX_CONNECTIONS_PER_CLIENT: '50', MAX_IN_FLIGHT: '1' } });
      busy = await registerParticipant(small, 'Busy Participant');
    });
    afterAll(() => small.stop());

    it('refuses connections beyond MAX_CONNECTIONS_PER_CLIENT from one address with 503 at once, and serves the others', async () => {
      const kept = await openMany(small, 50, GREEDY);
      await untilAccepted(small, 50);
      const extra = await openMany(small, 5, GREEDY);
      await holdsWithin(() => extra.every((connection) => connection.closed), END_WAIT_MS);
      const parts = await busy.call('GET', '/v1/parts');
      const keptOpen = kept.filter((connection) => !connection.closed).length;
      kept.forEach((connection) => connection.destroy());
      await holdsWithin(async () => (await openConnections(small)) < 50, 10_000);
      const again = await RawConnection.open(small.baseUrl, GREEDY);
      again.write('GET /health HTTP/1.1\r\nHost: exchange\r\nConnection: close\r\n\r\n');
      await holdsWithin(() => again.closed, 10_000);
      const withRetryAfter = extra.every((connection) => connection.answer?.headers.has('retry-after') === true);
      extra.forEach((connection) => connection.destroy());
      const observed =
        `${keptOpen} of 50 kept; the 5 beyond: ${describeEnds(extra)}${withRetryAfter ? ' (Retry-After)' : ''}; ` +
        `127.0.0.1: GET /v1/parts ${parts.status}; once they closed: ${describeEnds([again])}`;
      const expected =
        '50 of 50 kept; the 5 beyond: 5 answered 503 too-many-connections and closed (Retry-After); ' +
        '127.0.0.1: GET /v1/parts 200; once they closed: 1 answered 200 and closed';
      recordAttack({ attack: 'one address opens 55 connections against MAX_CONNECTIONS_PER_CLIENT=50', expected, observed });
      expect(observed).toBe(expected);
    });

    it('sends X-Content-Type-Options: nosniff on every answer: JSON, problems, shed and raw answers, the docs', async () => {
      const idle = await RawConnection.open(exchange.baseUrl, IDLE);
      const answers: [string, Headers | undefined][] = [];
      const fetched = async (name: string, url: string, init?: RequestInit) => {
        const response = await fetch(url, init);
        await response.arrayBuffer();
        answers.push([`${name} ${response.status}`, response.headers]);
      };
      const bearer = { authorization: `Bearer ${participant.token}` };
      await fetched('GET /v1/parts', `${exchange.baseUrl}/v1/parts`, { headers: bearer });
      const part = JSON.stringify({ partNumber: 'NOSNIFF-1', name: 'N', declaredUnit: 'piece' });
      await fetched('POST /v1/parts', `${exchange.baseUrl}/v1/parts`, {
        method: 'POST',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: part,
      });
      await fetched('GET /v1/parts without a token', `${exchange.baseUrl}/v1/parts`);
      await fetched('GET /nothing-here', `${exchange.baseUrl}/nothing-here`);
      await fetched('GET /health', `${exchange.baseUrl}/health`);
      await fetched('GET /.well-known/jwks.json', `${exchange.baseUrl}/.well-known/jwks.json`);
      await fetched('GET /docs', `${exchange.baseUrl}/docs`);
      await fetched('GET /docs-json', `${exchange.baseUrl}/docs-json`);
      answers.push(['a 503 overloaded', await shedAnswer(small, busy)]);
      answers.push(['a request with a NUL in a header (raw 400)', await malformedAnswer(exchange)]);
      await holdsWithin(() => idle.closed, END_WAIT_MS);
      answers.push(["an idle connection's raw 408", idle.answer?.headers]);
      const refused = await refusedConnectionAnswer(small);
      answers.push(['a connection beyond the per-client limit (raw 503)', refused]);
      idle.destroy();
      const sniffable = answers.filter(([, headers]) => headers?.get('x-content-type-options') !== 'nosniff').map(([name]) => name);
      const observed = sniffable.length === 0 ? `all ${answers.length} nosniff` : `without nosniff: ${sniffable.join(', ')}`;
      recordAttack({ attack: 'a browser sniffing an answer into another content type', expected: `all ${answers.length} nosniff`, observed });
      expect(observed).toBe(`all ${answers.length} nosniff`);
    });
  });
});

/** The headers of a 503 overloaded answer: bursts of part registrations against MAX_IN_FLIGHT=1 until one is shed. */
async function shedAnswer(exchange: TestExchange, participant: Participant): Promise<Headers | undefined> {
  for (let burst = 0; burst < 5; burst++) {
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        fetch(`${exchange.baseUrl}/v1/parts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${participant.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ partNumber: `SHED-${burst}-${i}`, name: 'Shed', declaredUnit: 'piece' }),
        }),
      ),
    );
    const bodies = await Promise.all(answers.map((answer) => answer.text()));
    const shed = answers.findIndex((answer, i) => answer.status === 503 && bodies[i]!.includes('"overloaded"'));
    if (shed >= 0) return answers[shed]!.headers;
  }
  return undefined;
}

/** The headers of the raw answer to a request the HTTP parser refuses (a NUL in a header value). */
async function malformedAnswer(exchange: TestExchange): Promise<Headers | undefined> {
  const connection = await RawConnection.open(exchange.baseUrl, MALFORMED);
  connection.write('GET /v1/parts HTTP/1.1\r\nHost: exchange\r\nX-Evil: a\u0000b\r\n\r\n');
  await holdsWithin(() => connection.closed, 10_000);
  connection.destroy();
  return connection.answer?.headers;
}

/** The headers of the answer to a connection beyond the per-client limit of `exchange` (50). */
async function refusedConnectionAnswer(exchange: TestExchange): Promise<Headers | undefined> {
  const kept = await openMany(exchange, 50, GREEDY);
  await untilAccepted(exchange, 50);
  const [beyond] = await openMany(exchange, 1, GREEDY);
  await holdsWithin(() => beyond!.closed, END_WAIT_MS);
  [...kept, beyond!].forEach((connection) => connection.destroy());
  return beyond!.answer?.headers;
}
