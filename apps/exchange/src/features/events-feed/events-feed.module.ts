import { Module } from '@nestjs/common';
import { EventsFeedController } from './events-feed.controller';
import { GetEventsFeedHandler } from './events-feed.queries';

@Module({ controllers: [EventsFeedController], providers: [GetEventsFeedHandler] })
export class EventsFeedModule {}
