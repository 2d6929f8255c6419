import { Module } from '@nestjs/common';
import { PartsController } from './parts.controller';
import { RegisterPartHandler, SetBomHandler } from './parts.commands';

@Module({ controllers: [PartsController], providers: [RegisterPartHandler, SetBomHandler] })
export class PartsModule {}
