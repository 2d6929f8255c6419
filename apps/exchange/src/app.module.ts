import { Module, type DynamicModule } from '@nestjs/common';
import type { ExchangeConfig } from './config';
import { CoreModule } from './core.module';
import { HealthController } from './health.controller';
import { OrganizationsModule } from './features/organizations/organizations.module';
import { PartsModule } from './features/parts/parts.module';
import { RequestsModule } from './features/requests/requests.module';
import { FootprintsModule } from './features/footprints/footprints.module';
import { DdReportsModule } from './features/dd-reports/dd-reports.module';
import { GrantsModule } from './features/grants/grants.module';
import { SubmissionsModule } from './features/submissions/submissions.module';
import { EventsFeedModule } from './features/events-feed/events-feed.module';
import { OperationsModule } from './features/operations/operations.module';

@Module({})
export class ExchangeModule {
  static forRoot(config: ExchangeConfig): DynamicModule {
    return {
      module: ExchangeModule,
      imports: [
        CoreModule.forRoot(config),
        OrganizationsModule,
        PartsModule,
        RequestsModule,
        FootprintsModule,
        DdReportsModule,
        GrantsModule,
        SubmissionsModule,
        EventsFeedModule,
        OperationsModule,
      ],
      controllers: [HealthController],
    };
  }
}
