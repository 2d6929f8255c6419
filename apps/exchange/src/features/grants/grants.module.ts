import { Module } from '@nestjs/common';
import { GrantPositions } from './grant-positions';
import { AuditController, GrantsController } from './grants.controller';
import { CreateGrantHandler, RevokeGrantHandler } from './grants.commands';

@Module({ controllers: [GrantsController, AuditController], providers: [CreateGrantHandler, RevokeGrantHandler, GrantPositions] })
export class GrantsModule {}
