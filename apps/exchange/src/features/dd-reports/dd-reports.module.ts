import { Module } from '@nestjs/common';
import { DdReportsController } from './dd-reports.controller';
import { SubmitDdReportHandler } from './dd-reports.commands';
import { DdReportReader, GetDdReportHandler, GetDdRollupHandler } from './dd-reports.queries';

@Module({ controllers: [DdReportsController], providers: [DdReportReader, SubmitDdReportHandler, GetDdReportHandler, GetDdRollupHandler] })
export class DdReportsModule {}
