import { Module } from '@nestjs/common';
import { SetupController } from './setup.controller';
import { SetupRepository } from './setup.repository';
import { SetupService } from './setup.service';

/** The first-run checklist a new workspace opens on. */
@Module({
  controllers: [SetupController],
  providers: [SetupRepository, SetupService],
})
export class SetupModule {}
