import { EnvReader, readPlatformConfig, type PlatformConfig } from '@exchange/platform';
import { CHAIN_LIMIT_SETTINGS, type ChainLimits } from './features/chain-limits';

export interface ExchangeConfig extends PlatformConfig {
  operatorToken?: string;
  tokenTtlSeconds: number;
  bodyLimit: string;
  /**
   * Embedded profile (default): reactions, relay and notifier run in this process, and a 2xx
   * waits until reactions settled. Distributed profile: they are separate apps, and the read
   * model follows the store by polling every `readModelPollMs`.
   */
  inProcessWorkers: boolean;
  readModelPollMs: number;
  /** Requests of authenticated callers handled at once; beyond it the exchange answers 503 with Retry-After instead of queueing. */
  maxInFlight: number;
  /** How much of a supply chain one answer may take in (see ChainLimits). */
  chainLimits: ChainLimits;
  /** How long a client may take to send a request: its headers, all of it (body included), and how long an idle keep-alive connection stays open. */
  readDeadlines: ReadDeadlines;
  /** Open connections one client address may hold; a connection beyond them is answered 503 and closed. */
  maxConnectionsPerClient: number;
}

export interface ReadDeadlines {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

/** Reads the exchange's configuration from the environment; refuses an invalid one, naming every problem. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ExchangeConfig {
  const reader = new EnvReader(env);
  const platform = readPlatformConfig(reader, { port: 3000, clientId: 'exchange-api' });
  const operatorToken = reader.optional('EXCHANGE_OPERATOR_TOKEN', (v) => (v.length >= 16 ? null : 'must have at least 16 characters'));
  return reader.done({
    ...platform,
    ...(operatorToken !== undefined && { operatorToken }),
    tokenTtlSeconds: reader.integer('TOKEN_TTL_SECONDS', 3600, 60, 86_400),
    bodyLimit: reader.string('BODY_LIMIT', '1mb'),
    inProcessWorkers: reader.oneOf('IN_PROCESS_WORKERS', ['true', 'false'], 'true') === 'true',
    readModelPollMs: reader.integer('READ_MODEL_POLL_MS', 200, 10, 60_000),
    maxInFlight: reader.integer('MAX_IN_FLIGHT', 64, 1, 100_000),
    chainLimits: Object.fromEntries(
      CHAIN_LIMIT_SETTINGS.map(({ key, env, fallback }) => [key, reader.integer(env, fallback, 1, 10_000_000)]),
    ) as unknown as ChainLimits,
    readDeadlines: readDeadlines(reader),
    // The benchmarks' keep-alive agent opens up to 1024 sockets from one address (bench/lib/http-load.ts).
    maxConnectionsPerClient: reader.integer('MAX_CONNECTIONS_PER_CLIENT', 2048, 1, 1_000_000),
  });
}

function readDeadlines(reader: EnvReader): ReadDeadlines {
  const headersTimeoutMs = reader.integer('HEADERS_TIMEOUT_MS', 10_000, 100, 600_000);
  const requestTimeoutMs = reader.integer('REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000);
  if (headersTimeoutMs > requestTimeoutMs)
    reader.problems.push(`HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
  return { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs: reader.integer('KEEP_ALIVE_TIMEOUT_MS', 5000, 100, 600_000) };
}

export const EXCHANGE_CONFIG = Symbol('EXCHANGE_CONFIG');
