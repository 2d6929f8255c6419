import { Module } from '@nestjs/common';
import { ParkedReactionsController } from './operations.controller';
import { ParkedReactionsQuery } from './operations.queries';

@Module({ controllers: [ParkedReactionsController], providers: [ParkedReactionsQuery] })
export class OperationsModule {}
