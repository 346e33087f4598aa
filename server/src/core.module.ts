import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './common/clock';
import { SecretBox } from './common/secret-box';
import { APP_CONFIG, type AppConfig } from './config/config';
import { DATABASE_URL } from './database/database-url';

/** Process-wide services every domain may inject: configuration, the clock, the secret box. */
@Global()
@Module({})
export class CoreModule {
  static register(config: AppConfig, databaseUrl: string, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: DATABASE_URL, useValue: databaseUrl },
        { provide: Clock, useValue: clock },
        { provide: SecretBox, useValue: new SecretBox(config.secretKey) },
      ],
      exports: [APP_CONFIG, DATABASE_URL, Clock, SecretBox],
    };
  }
}
