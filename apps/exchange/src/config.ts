import { resolve } from 'node:path';

export interface ExchangeConfig {
  host: string;
  port: number;
  dataDir: string;
  operatorToken?: string;
  tokenTtlSeconds: number;
  bodyLimit: string;
  issuer: string;
}

/** Reads the embedded profile's configuration from the environment; refuses an invalid one. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ExchangeConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const tokenTtlSeconds = Number(env.TOKEN_TTL_SECONDS ?? 3600);
  if (!Number.isInteger(tokenTtlSeconds) || tokenTtlSeconds < 60) throw new Error('TOKEN_TTL_SECONDS must be an integer of at least 60');
  if (env.EXCHANGE_OPERATOR_TOKEN !== undefined && env.EXCHANGE_OPERATOR_TOKEN.length < 16) throw new Error('EXCHANGE_OPERATOR_TOKEN must have at least 16 characters');
  return {
    host: env.HOST ?? '127.0.0.1',
    port,
    dataDir: resolve(env.DATA_DIR ?? './data'),
    operatorToken: env.EXCHANGE_OPERATOR_TOKEN,
    tokenTtlSeconds,
    bodyLimit: env.BODY_LIMIT ?? '1mb',
    issuer: env.EXCHANGE_ISSUER ?? 'urn:battery-exchange',
  };
}

export const EXCHANGE_CONFIG = Symbol('EXCHANGE_CONFIG');
