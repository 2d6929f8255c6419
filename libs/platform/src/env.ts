import { resolve } from 'node:path';

/** A configuration the process must refuse to start with; lists every problem at once. */
export class InvalidConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n- ${problems.join('\n- ')}`);
    this.name = 'InvalidConfigurationError';
  }
}

/** Reads environment variables, collecting problems instead of throwing at the first. */
export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  string(name: string, fallback: string): string {
    const value = this.env[name];
    return value === undefined || value === '' ? fallback : value;
  }

  optional(name: string, check?: (value: string) => string | null): string | undefined {
    const value = this.env[name];
    if (value === undefined || value === '') return undefined;
    const problem = check?.(value);
    if (problem) this.problems.push(`${name} ${problem}`);
    return value;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) this.problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!allowed.includes(raw as T)) this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
    return raw as T;
  }

  directory(name: string, fallback: string): string {
    return resolve(this.string(name, fallback));
  }

  /** Throws InvalidConfigurationError when anything read was invalid. */
  done<T>(config: T): T {
    if (this.problems.length > 0) throw new InvalidConfigurationError(this.problems);
    return config;
  }
}

const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$/;

export const brokerListProblem = (value: string) =>
  value.split(',').every((broker) => HOST_PORT.test(broker.trim())) ? null : 'must be a comma-separated list of host:port';

export const eventStoreConnectionProblem = (value: string) =>
  /^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kurrent|kurrent\+discover):\/\/.+/.test(value)
    ? null
    : 'must be an EventStoreDB connection string such as esdb://localhost:2113?tls=false';
