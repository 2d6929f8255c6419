import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Readiness } from '@exchange/platform';
import { Projector } from '@exchange/projections';
import { EXCHANGE_CONFIG, type ExchangeConfig } from './config';
import { IdempotencyStore } from './infrastructure/idempotency-store';
import { RefusalLog } from './access/refusal-log';

/** Start: rebuild the read model from history (and, distributed, keep following it). Stop: close what the API owns. */
@Injectable()
export class Lifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  ready = false;
  private poller?: NodeJS.Timeout;

  constructor(
    private readonly idempotency: IdempotencyStore,
    private readonly projector: Projector,
    private readonly refusals: RefusalLog,
    @Inject(EXCHANGE_CONFIG) private readonly config: ExchangeConfig,
    readiness: Readiness,
  ) {
    readiness.register('read-model', () => this.ready);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.projector.catchUp();
    await this.refusals.load();
    if (!this.config.inProcessWorkers)
      this.poller = setInterval(() => void this.projector.catchUp().catch(() => undefined), this.config.readModelPollMs);
    this.ready = true;
  }

  async onApplicationShutdown(): Promise<void> {
    this.ready = false;
    clearInterval(this.poller);
    this.idempotency.close();
    await this.refusals.close();
  }
}
