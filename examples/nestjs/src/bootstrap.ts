import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { LogLevel } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config.js';

/** Creates the Nest app on Express (not listening yet: main.ts and the tests do that). */
export async function createApp(config: AppConfig, logger: LogLevel[] | false = ['log', 'warn', 'error']): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), { logger });
  app.disable('x-powered-by');
  // Behind a TLS-terminating proxy: believe its X-Forwarded-* headers (TRUST_PROXY), so req.secure and req.protocol hold.
  app.set('trust proxy', config.trustProxy);
  // Reads the app's session cookie; CookieStateStore parses its own login cookies.
  app.use(cookieParser());
  return app;
}
