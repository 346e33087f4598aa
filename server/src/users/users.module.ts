import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { SessionRepository } from '../auth/session.repository';
import { TeamsController, UsersController } from './users.controller';
import { UserRepository } from './user.repository';
import { UsersService } from './users.service';

@Module({
  imports: [OutboxModule],
  controllers: [UsersController, TeamsController],
  providers: [UserRepository, UsersService, SessionRepository],
  exports: [UserRepository, UsersService, SessionRepository],
})
export class UsersModule {}
