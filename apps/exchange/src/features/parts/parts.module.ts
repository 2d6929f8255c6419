import { Module } from '@nestjs/common';
import { PartsController } from './parts.controller';
import { RegisterPartHandler, SetBomHandler } from './parts.commands';
import { GetPartHandler, ListPartsHandler } from './parts.queries';

@Module({ controllers: [PartsController], providers: [RegisterPartHandler, SetBomHandler, ListPartsHandler, GetPartHandler] })
export class PartsModule {}
