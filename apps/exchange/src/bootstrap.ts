import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ExchangeModule } from './app.module';
import type { ExchangeConfig } from './config';
import { toProblem } from './http/problem';
import { sendProblem } from './http/problem.filter';
import { validationPipe } from './http/validation';

/** Builds the embedded exchange: body limits, problem+json everywhere, validation, OpenAPI at /docs. */
export async function createExchangeApp(config: ExchangeConfig, options: { logger?: false } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ExchangeModule.forRoot(config), { bodyParser: false, ...(options.logger === false && { logger: false }) });
  app.disable('x-powered-by');
  app.use(express.json({ limit: config.bodyLimit, strict: true, type: ['application/json', 'application/*+json'] }));
  app.use(express.urlencoded({ limit: config.bodyLimit, extended: false }));
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => (error ? sendProblem(res, toProblem(error)) : next()));
  app.useGlobalPipes(validationPipe());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Battery data exchange')
      .setDescription('Signed carbon-footprint and due-diligence data for battery supply chains (EU 2023/1542). Decimal figures are strings; errors are application/problem+json.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
