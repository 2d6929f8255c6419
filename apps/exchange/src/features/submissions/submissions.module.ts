import { Module } from '@nestjs/common';
import { SubmissionsController } from './submissions.controller';
import { AcknowledgeSubmissionHandler, SubmitDeclarationHandler } from './submissions.commands';
import { GetSubmissionHandler, ListSubmissionsHandler, SubmissionReader } from './submissions.queries';

@Module({
  controllers: [SubmissionsController],
  providers: [SubmissionReader, SubmitDeclarationHandler, AcknowledgeSubmissionHandler, ListSubmissionsHandler, GetSubmissionHandler],
})
export class SubmissionsModule {}
