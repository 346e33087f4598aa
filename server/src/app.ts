import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { AppModule, type AppOptions } from './app.module';
import { AuthService } from './auth/auth.service';
import { resolveSession } from './auth/session.middleware';
import { useBodyParsing } from './common/body-parsing';
import { PostgresIoAdapter } from './realtime/postgres-io.adapter';

/**
 * Builds the whole application: used by main.ts and by the integration tests, so tests exercise the
 * same middleware, security headers and validation as production.
 */
export async function createApp(options: AppOptions & { logger?: LoggerService | LogLevel[] | false }): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(options), { logger: options.logger, bodyParser: false });
  if (options.config.trustProxy) app.set('trust proxy', 1);
  app.setGlobalPrefix('api');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          // Email HTML is its own document (the email frame, with its own policy): its remote images never need this one.
          imgSrc: ["'self'", 'data:', 'blob:'],
          // The API and the live channel are same-origin ('self' covers ws:/wss: to this host in CSP 3 browsers).
          connectSrc: ["'self'"],
          frameSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          // Careloop is often reached over plain HTTP on a LAN or localhost; TLS is the proxy's job.
          upgradeInsecureRequests: null,
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(cookieParser());
  app.use('/api', resolveSession(app.get(AuthService)));
  useBodyParsing(app);
  app.enableShutdownHooks();
  app.useWebSocketAdapter(new PostgresIoAdapter(app, options.databaseUrl, options.config));

  const document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('Careloop API').setVersion('1').addCookieAuth('careloop_session').addBearerAuth().build());
  SwaggerModule.setup('api/docs', app, cleanupOpenApiDoc(document), { jsonDocumentUrl: 'api/openapi.json' });
  return app;
}
