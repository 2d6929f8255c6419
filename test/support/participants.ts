import { randomBytes, randomUUID } from 'node:crypto';
import { canonicalSha256, OECD_STEPS, type DdReportDocument, type Derivation, type StageFigures, type Role } from '@exchange/domain';
import { generateParticipantKey, signDocument, type ParticipantKey } from '@exchange/signing';
import type { TestExchange } from './test-exchange';

export interface HttpAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function http<T = any>(
  exchange: Pick<TestExchange, 'baseUrl'>,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpAnswer<T>> {
  const response = await fetch(`${exchange.baseUrl}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
      ...(options.token && { authorization: `Bearer ${options.token}` }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

/** A registered organization with its key pair and an access token. */
export class Participant {
  constructor(
    readonly exchange: TestExchange,
    readonly id: string,
    readonly name: string,
    readonly token: string,
    readonly key: ParticipantKey,
  ) {}

  call<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>) {
    return http<T>(this.exchange, method, path, { token: this.token, body, headers });
  }

  sign(document: object, typ: string, key: ParticipantKey = this.key) {
    return signDocument(document, { privateJwk: key.privateJwk, kid: key.kid, alg: key.alg, typ });
  }

  async registerPart(partNumber: string, declaredUnit = 'kilogram'): Promise<string> {
    const answer = await this.call('POST', '/v1/parts', { partNumber, name: partNumber, declaredUnit });
    if (answer.status !== 201) throw new Error(`part: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.id;
  }

  async setBom(partId: string, inputs: { supplier: Participant; partId: string; quantity: string }[]) {
    const answer = await this.call('PUT', `/v1/parts/${partId}/bom`, {
      inputs: inputs.map((i) => ({ supplierOrgId: i.supplier.id, supplierPartId: i.partId, quantity: i.quantity })),
    });
    if (answer.status !== 200) throw new Error(`bom: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}

/** An organization registered by the operator, with its client credentials and signing key. */
export interface RegisteredClient {
  id: string;
  clientId: string;
  clientSecret: string;
  key: ParticipantKey;
}

export async function registerClient(
  exchange: TestExchange,
  name: string,
  roles: Role[] = ['supplier'],
  alg: 'EdDSA' | 'ES256' = 'EdDSA',
): Promise<RegisteredClient> {
  const key = await generateParticipantKey(alg);
  const registered = await http(exchange, 'POST', '/v1/organizations', {
    token: exchange.operatorToken,
    body: { name, roles, jwks: { keys: [key.publicJwk] } },
  });
  if (registered.status !== 201) throw new Error(`register: ${registered.status} ${JSON.stringify(registered.body)}`);
  return { id: registered.body.id, clientId: registered.body.clientId, clientSecret: registered.body.clientSecret, key };
}

/** A registered organization that has exchanged its client credentials for an access token. */
export async function registerParticipant(
  exchange: TestExchange,
  name: string,
  roles: Role[] = ['supplier'],
  alg: 'EdDSA' | 'ES256' = 'EdDSA',
): Promise<Participant> {
  const client = await registerClient(exchange, name, roles, alg);
  const token = await http(exchange, 'POST', '/v1/auth/token', {
    body: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret },
  });
  if (token.status !== 200) throw new Error(`token: ${token.status} ${JSON.stringify(token.body)}`);
  return new Participant(exchange, client.id, name, token.body.access_token, client.key);
}

export interface FootprintDraft {
  document: Record<string, any>;
  derivation: Derivation;
}

/** A footprint document and derivation whose total is `total` (computed by the caller or the preview). */
export function footprintDraft(args: {
  issuer: string;
  partId: string;
  own: StageFigures;
  inputs?: Derivation['inputs'];
  total: Record<string, string>;
  id?: string;
  version?: number;
  declaredUnit?: string;
}): FootprintDraft {
  const derivation: Derivation = { salt: randomBytes(16).toString('base64url'), own: args.own, inputs: args.inputs ?? [] };
  const document = {
    id: args.id ?? randomUUID(),
    version: args.version ?? 1,
    issuer: args.issuer,
    partId: args.partId,
    declaredUnit: args.declaredUnit ?? 'kilogram',
    validFrom: '2026-01-01T00:00:00Z',
    methodology: 'EU 2023/1542 CFP rules',
    total: args.total,
    derivationSha256: canonicalSha256(derivation),
  };
  return { document, derivation };
}

/** Previews the total, signs the document and submits it; returns the 201 answer. */
export async function submitFootprint(
  p: Participant,
  partId: string,
  own: StageFigures,
  inputs: Derivation['inputs'] = [],
  over: { id?: string; version?: number; declaredUnit?: string } = {},
) {
  const preview = await p.call('POST', '/v1/footprints/preview', {
    own,
    inputs: inputs.map(({ footprintId, version, quantity }) => ({ footprintId, version, quantity })),
  });
  if (preview.status !== 200) throw new Error(`preview: ${preview.status} ${JSON.stringify(preview.body)}`);
  const draft = footprintDraft({ issuer: p.id, partId, own, inputs, total: preview.body.total, ...over });
  const answer = await p.call('POST', '/v1/footprints', { jws: await p.sign(draft.document, 'cfp+jws'), derivation: draft.derivation });
  if (answer.status !== 201) throw new Error(`footprint: ${answer.status} ${JSON.stringify(answer.body)}`);
  return { ...answer.body, document: draft.document, derivation: draft.derivation } as {
    id: string;
    version: number;
    payloadSha256: string;
    receipt: string;
    document: Record<string, any>;
    derivation: Derivation;
  };
}

/** A DD report document the exchange accepts as it is (every OECD step implemented, no smelters, risks or inputs); `over` replaces what a test needs. */
export function ddReportDraft(issuer: string, partId: string, over: Partial<DdReportDocument> = {}): DdReportDocument {
  return {
    id: randomUUID(),
    version: 1,
    issuer,
    partId,
    period: { from: '2025-01-01', to: '2025-12-31' },
    minerals: ['cobalt'],
    oecdSteps: Object.fromEntries(OECD_STEPS.map((step) => [step, { status: 'implemented' }])) as DdReportDocument['oecdSteps'],
    smelters: [],
    risks: [],
    inputs: [],
    ...over,
  };
}

/** Signs and submits a DD report document; returns the 201 answer. */
export async function submitDdReport(
  p: Participant,
  document: object,
): Promise<{ id: string; version: number; payloadSha256: string; receipt: string }> {
  const answer = await p.call('POST', '/v1/dd-reports', { jws: await p.sign(document, 'dd+jws') });
  if (answer.status !== 201) throw new Error(`dd report: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}
