import { Global, Logger, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { join } from 'node:path';
import { EventStore, SqliteEventStore } from '@exchange/event-store';
import { ExchangeKeyRing } from '@exchange/signing';
import { EXCHANGE_CONFIG, type ExchangeConfig } from './config';
import { AuthGuard } from './http/auth.guard';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { ProblemFilter } from './http/problem.filter';
import { Clock } from './infrastructure/clock';
import { IdempotencyStore } from './infrastructure/idempotency-store';
import { OperatorCredential } from './infrastructure/operator-credential';
import { EventRecorder } from './pipeline/event-recorder';
import { Projector } from './pipeline/projector';
import { Reactors } from './pipeline/reactors';
import { ReadModel } from './read-model/read-model';
import { AccessService } from './access/access.service';
import { SignedDocuments } from './access/signed-documents';
import { Receipts } from './access/receipts';
import { Lifecycle } from './lifecycle';

/** The embedded profile's infrastructure: SQLite event store, in-memory read model, in-process reactions. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: ExchangeConfig): DynamicModule {
    return {
      module: CoreModule,
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: EXCHANGE_CONFIG, useValue: config },
        { provide: EventStore, useFactory: () => SqliteEventStore.open(join(config.dataDir, 'events.sqlite')) },
        { provide: IdempotencyStore, useFactory: () => new IdempotencyStore(join(config.dataDir, 'idempotency.sqlite')) },
        { provide: ExchangeKeyRing, useFactory: () => ExchangeKeyRing.loadOrCreate(config.dataDir, { issuer: config.issuer }) },
        {
          provide: OperatorCredential,
          useFactory: () =>
            OperatorCredential.loadOrCreate(config.dataDir, config.operatorToken, (token) =>
              new Logger('Operator').log(`generated the operator credential (kept in ${config.dataDir}/operator-token): ${token}`),
            ),
        },
        Clock,
        ReadModel,
        Projector,
        Reactors,
        EventRecorder,
        AccessService,
        SignedDocuments,
        Receipts,
        Lifecycle,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
      exports: [EXCHANGE_CONFIG, EventStore, IdempotencyStore, ExchangeKeyRing, OperatorCredential, Clock, ReadModel, Projector, Reactors, EventRecorder, AccessService, SignedDocuments, Receipts, Lifecycle, CqrsModule],
    };
  }
}
