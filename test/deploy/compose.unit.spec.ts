import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configFromEnv } from '../../apps/exchange/src/config';
import { notifierConfig } from '../../apps/notifier/src/main';
import { reactorConfig } from '../../apps/reactor/src/main';
import { relayConfig } from '../../apps/relay/src/main';

const root = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true });
const services: Record<string, any> = compose.services;
const APPS = { exchange: configFromEnv, reactor: reactorConfig, relay: relayConfig, notifier: notifierConfig } as const;

/** The environment compose gives a service, with ${VAR:?...} interpolations filled as a user would. */
function environmentOf(service: any): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(service.environment ?? {}))
    env[name] = String(value).replace(/\$\{[A-Z_]+:\?[^}]*\}/g, 'operator-token-from-the-shell');
  return env;
}

describe('docker-compose.yml (the distributed profile)', () => {
  it('runs EventStoreDB single node, Kafka in KRaft mode with topic set-up, and every app', () => {
    expect(Object.keys(services).sort()).toEqual(['eventstoredb', 'exchange', 'kafka', 'kafka-topics', 'notifier', 'reactor', 'relay'].sort());
    expect(services.eventstoredb.environment.EVENTSTORE_CLUSTER_SIZE).toBe('1');
    expect(services.kafka.environment.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(services['kafka-topics'].command.join(' ')).toEqual(expect.stringContaining('--topic exchange.events'));
    expect(services['kafka-topics'].command.join(' ')).toEqual(expect.stringContaining('--topic exchange.dead-letter'));
  });

  it('gives every service a health check (or a completion condition) and every app its infrastructure first', () => {
    for (const [name, service] of Object.entries(services)) {
      if (name === 'kafka-topics') continue;
      expect({ name, test: service.healthcheck?.test }).toEqual({ name, test: expect.any(Array) });
    }
    for (const app of Object.keys(APPS)) {
      expect(services[app].depends_on.eventstoredb.condition).toBe('service_healthy');
      expect(services[app].depends_on['kafka-topics'].condition).toBe('service_completed_successfully');
    }
    expect(services.notifier.depends_on.exchange.condition).toBe('service_healthy');
  });

  it('starts each app from an entry point that exists, probing its own readiness endpoint on its own port', () => {
    for (const app of Object.keys(APPS)) {
      const entry = services[app].command[services[app].command.length - 1];
      expect(entry).toBe(`dist/apps/${app}/src/main.js`);
      expect(existsSync(join(root, `apps/${app}/src/main.ts`))).toBe(true);
      expect(services[app].healthcheck.test.join(' ')).toContain(`:${services[app].environment.PORT}/health/ready`);
    }
  });

  it('gives each app an environment its own configuration accepts, on EventStoreDB and Kafka', () => {
    for (const [app, readConfig] of Object.entries(APPS)) {
      const config = readConfig(environmentOf(services[app]));
      expect(config.eventStoreConnectionString).toMatch(/^esdb:\/\/eventstoredb:2113/);
      expect(config.kafkaBrokers).toEqual(['kafka:9092']);
    }
    expect(configFromEnv(environmentOf(services.exchange)).inProcessWorkers).toBe(false);
  });

  it('keeps state in named volumes and publishes ports on the loopback only', () => {
    const declared = Object.keys(compose.volumes);
    for (const service of Object.values(services)) {
      for (const volume of service.volumes ?? []) expect(declared).toContain(String(volume).split(':')[0]);
      for (const port of service.ports ?? []) expect(String(port)).toMatch(/^127\.0\.0\.1:/);
    }
    expect(services.exchange.volumes).toContain('exchange-keys:/keys');
    expect(services.notifier.volumes).toContain('exchange-keys:/keys');
  });
});

describe('configuration is refused when invalid', () => {
  it.each(Object.entries(APPS))('%s names every problem', (_app, readConfig) => {
    let message = '';
    try {
      readConfig({ PORT: 'eighty', KAFKA_BROKERS: 'not a broker', EVENTSTORE_CONNECTION_STRING: 'http://x' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('PORT must be an integer');
    expect(message).toContain('KAFKA_BROKERS must be a comma-separated list of host:port');
    expect(message).toContain('EVENTSTORE_CONNECTION_STRING must be an EventStoreDB connection string');
  });
});
