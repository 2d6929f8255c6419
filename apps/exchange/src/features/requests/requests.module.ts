import { Module } from '@nestjs/common';
import { RequestsController } from './requests.controller';
import { AnswerRequestHandler, CreateRequestHandler, RejectRequestHandler } from './requests.commands';

@Module({ controllers: [RequestsController], providers: [CreateRequestHandler, AnswerRequestHandler, RejectRequestHandler] })
export class RequestsModule {}
