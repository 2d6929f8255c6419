import { Module } from '@nestjs/common';
import { Projector } from './projector';
import { ReadModel } from './read-model';
import { RecordedFacts } from './recorded-facts';
import { RefusalTrail } from './refusal-trail';

/** The read model, its projector and what reads back the facts it leaves in the store (every process that answers queries keeps its own). */
@Module({ providers: [ReadModel, Projector, RecordedFacts, RefusalTrail], exports: [ReadModel, Projector, RecordedFacts, RefusalTrail] })
export class ReadModelModule {}
