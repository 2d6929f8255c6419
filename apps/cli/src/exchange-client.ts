import { randomUUID } from 'node:crypto';

/** An RFC 9457 problem document as the exchange answers it. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Array<{ field: string; message: string }>;
  [extension: string]: unknown;
}

/** A non-2xx answer: the HTTP status and the problem+json body (or what came instead). */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
    readonly method: string,
    readonly path: string,
  ) {
    super(`${method} ${path} → ${status}${problem.title ? ` ${problem.title}` : ''}${problem.detail ? `: ${problem.detail}` : ''}`);
    this.name = 'ProblemError';
  }
}

export interface Page<T> {
  items: T[];
  next?: string;
}

export interface TokenAnswer {
  access_token: string;
  token_type: string;
  expires_in: number;
}

export interface PostOptions {
  /** Reuse a key to retry safely; a fresh UUID otherwise. */
  idempotencyKey?: string;
}

export type Query = Record<string, string | number | undefined>;

const LIST_PAGE_SIZE = 500;

/** A participant's view of the exchange over HTTP: one base URL, one bearer token. */
export class ExchangeClient {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
  ) {}

  /** Exchanges client credentials for an access token and returns a client that carries it. */
  static async authenticate(baseUrl: string, clientId: string, clientSecret: string): Promise<ExchangeClient> {
    const anonymous = new ExchangeClient(baseUrl);
    const answer = await anonymous.post<TokenAnswer>('/v1/auth/token', {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    });
    return anonymous.withToken(answer.access_token);
  }

  withToken(token: string): ExchangeClient {
    return new ExchangeClient(this.baseUrl, token);
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.send<T>('GET', withQuery(path, query));
  }

  post<T>(path: string, body: unknown, options: PostOptions = {}): Promise<T> {
    return this.send<T>('POST', path, body, { 'Idempotency-Key': options.idempotencyKey ?? randomUUID() });
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('PUT', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.send<T>('DELETE', path);
  }

  /** Every item of a list endpoint, following `next` cursors. */
  async listAll<T>(path: string, query: Query = {}): Promise<T[]> {
    const items: T[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.get<Page<T>>(path, { ...query, limit: LIST_PAGE_SIZE, after });
      items.push(...page.items);
      if (!page.next || page.next === after || page.items.length === 0) return items;
      after = page.next;
    }
  }

  /** The HTTP status a GET answers, without throwing: for probing what a caller may see. */
  async statusOf(path: string): Promise<number> {
    try {
      await this.get(path);
      return 200;
    } catch (error) {
      if (error instanceof ProblemError) return error.status;
      throw error;
    }
  }

  private async send<T>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', ...extraHeaders };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`${this.baseUrl.replace(/\/+$/, '')}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const parsed = await readBody(response);
    if (!response.ok) throw new ProblemError(response.status, asProblem(parsed, response), method, path);
    return parsed as T;
  }
}

function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function asProblem(body: unknown, response: Response): Problem {
  if (body && typeof body === 'object') return body as Problem;
  return { title: response.statusText, status: response.status, detail: typeof body === 'string' ? body : undefined };
}
