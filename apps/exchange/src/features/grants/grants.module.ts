import { Module } from '@nestjs/common';
import { AuditController, GrantsController } from './grants.controller';
import { CreateGrantHandler, RevokeGrantHandler } from './grants.commands';

@Module({ controllers: [GrantsController, AuditController], providers: [CreateGrantHandler, RevokeGrantHandler] })
export class GrantsModule {}
