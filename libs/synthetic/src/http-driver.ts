import { randomUUID } from 'node:crypto';
import { bomOf, type PlannedFootprint } from './plan';
import { signChainTiers, type Chain, type SignedFootprint } from './sign';

export interface HttpAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A minimal JSON client: bearer token, an Idempotency-Key on every POST, problem+json bodies returned as they are. */
// The exchange answers JSON of many shapes; callers say which one they expect.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function callExchange<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<HttpAnswer<T>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
      ...(options.token && { authorization: `Bearer ${options.token}` }),
      ...(method === 'POST' && { 'idempotency-key': randomUUID() }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

async function expectStatus<T>(status: number, answer: Promise<HttpAnswer<T>>, what: string): Promise<T> {
  const { status: got, body } = await answer;
  if (got !== status) throw new Error(`${what}: expected ${status}, got ${got} ${JSON.stringify(body)}`);
  return body;
}

/** Runs `work` over `items` with at most `limit` in flight; rejects on the first failure. */
export async function forEachLimit<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/** Asks the exchange for an access token (client credentials). */
export async function accessToken(baseUrl: string, clientId: string, clientSecret: string): Promise<string> {
  const body = await expectStatus(
    200,
    callExchange(baseUrl, 'POST', '/v1/auth/token', { body: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret } }),
    'token',
  );
  return body.access_token as string;
}

export interface HttpTarget {
  baseUrl: string;
  operatorToken: string;
}

export interface DriveOptions {
  /**
   * How customers get to read their suppliers' footprints: `grant` (the supplier grants scope
   * document, purpose downstream-aggregation) or `request` (the customer asks, the supplier answers
   * and the exchange grants). Default `grant`.
   */
  readAccess?: 'grant' | 'request';
  /** Requests in flight at a time; default 8. */
  concurrency?: number;
}

export interface DrivenChain {
  /** Access token of every organization, by organization id. */
  tokens: Map<string, string>;
  /** The part id the exchange assigned, by footprint index. */
  partIds: string[];
  payloadSha256s: string[];
  /** The exchange's receipt of every footprint, by footprint index. */
  receipts: string[];
}

/**
 * Plays the chain against a running exchange over HTTP, as its participants would: the operator
 * registers the organizations (with the chain's ids and public keys), each one registers its parts
 * and BOMs, then tier by tier (deepest first) every supplier submits its signed footprint and lets
 * its customers read it; the auditor, if any, is granted scope derivation on every footprint.
 */
export async function driveChainOverHttp(target: HttpTarget, chain: Chain, options: DriveOptions = {}): Promise<DrivenChain> {
  const { plan } = chain;
  const { baseUrl } = target;
  const limit = options.concurrency ?? 8;
  const tokens = new Map<string, string>();
  await forEachLimit(plan.organizations, limit, async (org) => {
    const registered = await expectStatus(
      201,
      callExchange(baseUrl, 'POST', '/v1/organizations', {
        token: target.operatorToken,
        body: { id: org.id, name: org.name, roles: org.roles, jwks: { keys: [chain.keys.get(org.id)!.publicJwk] } },
      }),
      `register ${org.name}`,
    );
    tokens.set(org.id, await accessToken(baseUrl, registered.clientId, registered.clientSecret));
  });
  const as = (orgId: string) => tokens.get(orgId)!;

  const partIds: string[] = new Array(plan.footprints.length);
  await forEachLimit(plan.footprints, limit, async (f) => {
    const body = { partNumber: f.partNumber, name: `Synthetic part ${f.partNumber}`, declaredUnit: plan.spec.declaredUnit };
    partIds[f.index] = (
      await expectStatus(201, callExchange(baseUrl, 'POST', '/v1/parts', { token: as(f.issuer), body }), `part ${f.partNumber}`)
    ).id;
  });
  const partIdOf = (f: PlannedFootprint) => partIds[f.index]!;
  await forEachLimit(
    plan.footprints.filter((f) => f.inputs.length > 0),
    limit,
    async (f) =>
      void (await expectStatus(
        200,
        callExchange(baseUrl, 'PUT', `/v1/parts/${partIdOf(f)}/bom`, { token: as(f.issuer), body: { inputs: bomOf(plan, f, partIdOf) } }),
        `bom of ${f.partNumber}`,
      )),
  );

  const receipts: string[] = new Array(plan.footprints.length);
  const submitTier = async (signed: SignedFootprint[]) => {
    await forEachLimit(signed, limit, async (s) => {
      const f = s.planned;
      const requests =
        options.readAccess === 'request'
          ? await Promise.all(
              f.customers.map(async (customer) => {
                const body = { kind: 'cfp', supplierOrgId: f.issuer, supplierPartId: partIdOf(f) };
                return (
                  await expectStatus(201, callExchange(baseUrl, 'POST', '/v1/requests', { token: as(customer), body }), `request for ${f.partNumber}`)
                ).id as string;
              }),
            )
          : [];
      const accepted = await expectStatus(
        201,
        callExchange(baseUrl, 'POST', '/v1/footprints', { token: as(f.issuer), body: { jws: s.jws, derivation: s.derivation } }),
        `footprint of ${f.partNumber}`,
      );
      receipts[f.index] = accepted.receipt;
      if (options.readAccess === 'request') {
        for (const requestId of requests)
          await expectStatus(
            200,
            callExchange(baseUrl, 'POST', `/v1/requests/${requestId}/answer`, { token: as(f.issuer), body: { documentId: f.id } }),
            `answer for ${f.partNumber}`,
          );
      } else {
        for (const customer of f.customers) {
          const body = { resource: { type: 'footprint', id: f.id }, granteeOrgId: customer, purpose: 'downstream-aggregation', scope: 'document' };
          await expectStatus(201, callExchange(baseUrl, 'POST', '/v1/grants', { token: as(f.issuer), body }), `grant on ${f.partNumber}`);
        }
      }
      if (plan.auditor) {
        const body = { resource: { type: 'footprint', id: f.id }, granteeOrgId: plan.auditor.id, purpose: 'verification', scope: 'derivation' };
        await expectStatus(201, callExchange(baseUrl, 'POST', '/v1/grants', { token: as(f.issuer), body }), `auditor grant on ${f.partNumber}`);
      }
    });
  };
  const payloadSha256s = await signChainTiers(chain, submitTier, { partIdOf });
  return { tokens, partIds, payloadSha256s, receipts };
}
