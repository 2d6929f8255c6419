import { Global, Logger, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { join } from 'node:path';
import { NotifierModule, RelayModule } from '@exchange/integration';
import { PlatformModule } from '@exchange/platform';
import { SqliteEventStore } from '@exchange/event-store/sqlite';
import { ReadModelModule, RefusalTrail } from '@exchange/projections';
import { ReactionsModule } from '@exchange/reactions';
import { EXCHANGE_CONFIG, type ExchangeConfig } from './config';
import { AuthGuard } from './http/auth.guard';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { LoadShedding } from './http/load-shedding';
import { ProblemFilter } from './http/problem.filter';
import { Clock } from './infrastructure/clock';
import { IdempotencyStore } from './infrastructure/idempotency-store';
import { OperatorCredential } from './infrastructure/operator-credential';
import { CommandRunner } from './pipeline/command-runner';
import { AccessService } from './access/access.service';
import { SignedDocuments } from './access/signed-documents';
import { Receipts } from './access/receipts';
import { RefusalLog } from './access/refusal-log';
import { Lifecycle } from './lifecycle';

/**
 * The exchange API's infrastructure. The ports' adapters come from PlatformModule (SQLite and the
 * in-process bus unless EventStoreDB / Kafka are configured); in the embedded profile the
 * reactions, the relay and the notifier run in this process too.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: ExchangeConfig): DynamicModule {
    const workers = config.inProcessWorkers ? [ReactionsModule, RelayModule, NotifierModule] : [];
    return {
      module: CoreModule,
      imports: [CqrsModule.forRoot(), PlatformModule.forRoot(config), ReadModelModule, ...workers],
      providers: [
        { provide: EXCHANGE_CONFIG, useValue: config },
        { provide: IdempotencyStore, useFactory: () => new IdempotencyStore(join(config.dataDir, 'idempotency.sqlite')) },
        {
          provide: OperatorCredential,
          useFactory: () =>
            OperatorCredential.loadOrCreate(config.dataDir, config.operatorToken, (token) =>
              new Logger('Operator').log(`generated the operator credential (kept in ${config.dataDir}/operator-token): ${token}`),
            ),
        },
        {
          provide: RefusalLog,
          inject: [RefusalTrail],
          // Never fsynced per commit: a refusal's write must not stall the event loop (see RefusalLog).
          useFactory: (trail: RefusalTrail) =>
            new RefusalLog(SqliteEventStore.open(join(config.dataDir, 'refusals.sqlite'), { durability: 'normal' }), trail),
        },
        Clock,
        CommandRunner,
        AccessService,
        SignedDocuments,
        Receipts,
        Lifecycle,
        // Guards run in this order: a request takes an in-flight slot only once its caller is authenticated.
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: LoadShedding },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
      exports: [
        EXCHANGE_CONFIG,
        IdempotencyStore,
        OperatorCredential,
        RefusalLog,
        Clock,
        CommandRunner,
        AccessService,
        SignedDocuments,
        Receipts,
        Lifecycle,
        CqrsModule,
        ReadModelModule,
        ...workers,
      ],
    };
  }
}
