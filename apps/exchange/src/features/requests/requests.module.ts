import { Module } from '@nestjs/common';
import { RequestsController } from './requests.controller';
import { AnswerRequestHandler, CreateRequestHandler, RejectRequestHandler } from './requests.commands';
import { GetRequestHandler, ListRequestsHandler } from './requests.queries';

@Module({
  controllers: [RequestsController],
  providers: [CreateRequestHandler, AnswerRequestHandler, RejectRequestHandler, ListRequestsHandler, GetRequestHandler],
})
export class RequestsModule {}
