import { OutboxModule } from './outbox/outbox.module';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ServeStaticModule } from '@nestjs/serve-static';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ZodValidationPipe } from 'nestjs-zod';
import { NulFreePipe } from './common/nul-free.pipe';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AuthModule } from './auth/auth.module';
import { CareModule } from './care/care.module';
import { CareMetricsModule } from './care/metrics/care-metrics.module';
import type { Clock } from './common/clock';
import { HttpExceptionFilter } from './common/http-exception.filter';
import type { AppConfig } from './config/config';
import { CoreModule } from './core.module';
import { CustomersModule } from './customers/customers.module';
import { dataSourceOptions } from './database/data-source-options';
import { initializeAndMigrate } from './database/migrate';
import { HealthController } from './health/health.controller';
import { JobsModule } from './jobs/jobs.module';
import { JourneysModule } from './journeys/journeys.module';
import { ReportsModule } from './reports/reports.module';
import { MacrosModule } from './macros/macros.module';
import { MailModule } from './mail/mail.module';
import { NotificationsModule } from './notifications/notifications.module';
import { RealtimeModule } from './realtime/realtime.module';
import { RoutingModule } from './routing/routing.module';
import { SeedModule } from './seed/seed.module';
import { SetupModule } from './setup/setup.module';
import { SlaModule } from './sla/sla.module';
import { TagInsightsModule } from './tags/tag-insights.module';
import { TagsModule } from './tags/tags.module';
import { TicketsModule } from './tickets/tickets.module';
import { UsersModule } from './users/users.module';
import { ViewsModule } from './views/views.module';

export interface AppOptions {
  config: AppConfig;
  databaseUrl: string;
  clock?: Clock;
}

@Module({})
export class AppModule {
  static register({ config, databaseUrl, clock }: AppOptions): DynamicModule {
    // In production the same process serves the built client, so Careloop is one process on one port.
    const client = existsSync(join(config.clientDir, 'index.html'))
      ? [ServeStaticModule.forRoot({ rootPath: config.clientDir, exclude: ['/api/{*path}', '/socket.io/{*path}'] })]
      : [];
    return {
      module: AppModule,
      imports: [
        CoreModule.register(config, databaseUrl, clock),
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(databaseUrl),
          dataSourceFactory: () => initializeAndMigrate(dataSourceOptions(databaseUrl)),
        }),
        JobsModule,
        OutboxModule,
        ThrottlerModule.forRoot([{ ttl: 60_000, limit: config.loginLimitPerMinute }]),
        ...client,
        UsersModule,
        AuthModule,
        CustomersModule,
        TagsModule,
        TicketsModule,
        TagInsightsModule,
        CareModule,
        CareMetricsModule,
        SlaModule,
        MailModule,
        JourneysModule,
        ReportsModule,
        MacrosModule,
        RoutingModule,
        NotificationsModule,
        RealtimeModule,
        ViewsModule,
        SeedModule,
        SetupModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        // Before validation: a NUL never reaches a schema, a service or PostgreSQL.
        { provide: APP_PIPE, useClass: NulFreePipe },
        { provide: APP_PIPE, useClass: ZodValidationPipe },
      ],
    };
  }
}
