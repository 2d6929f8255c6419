import { Module } from '@nestjs/common';
import { AuditController, GrantsController } from './grants.controller';
import { CreateGrantHandler, RevokeGrantHandler } from './grants.commands';
import { GetGrantHandler, ListAuditEntriesHandler, ListGrantsHandler } from './grants.queries';

@Module({
  controllers: [GrantsController, AuditController],
  providers: [CreateGrantHandler, RevokeGrantHandler, ListGrantsHandler, GetGrantHandler, ListAuditEntriesHandler],
})
export class GrantsModule {}
