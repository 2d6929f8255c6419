import { Module } from '@nestjs/common';
import { FootprintsController } from './footprints.controller';
import { PreviewFootprintHandler, SubmitAttestationHandler, SubmitFootprintHandler } from './footprints.commands';
import { FootprintFacts } from './footprint-facts';
import {
  FootprintReader,
  GetDerivationHandler,
  GetFootprintHandler,
  ListAttestationsHandler,
  ListFootprintVersionsHandler,
} from './footprints.queries';
import { ReproduceFootprintHandler } from './reproduce';
import { VerifyFootprintHandler } from './verify';

@Module({
  controllers: [FootprintsController],
  providers: [
    FootprintFacts,
    FootprintReader,
    SubmitFootprintHandler,
    SubmitAttestationHandler,
    PreviewFootprintHandler,
    GetFootprintHandler,
    ListFootprintVersionsHandler,
    GetDerivationHandler,
    ListAttestationsHandler,
    ReproduceFootprintHandler,
    VerifyFootprintHandler,
  ],
  exports: [FootprintReader],
})
export class FootprintsModule {}
