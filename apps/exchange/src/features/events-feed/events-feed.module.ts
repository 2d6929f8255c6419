import { Module } from '@nestjs/common';
import { EventsFeedController } from './events-feed.controller';

@Module({ controllers: [EventsFeedController] })
export class EventsFeedModule {}
