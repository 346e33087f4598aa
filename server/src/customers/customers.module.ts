import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { CustomerImportService } from './customer-import.service';
import { CustomerRepository } from './customer.repository';
import { CustomersController } from './customers.controller';
import { CustomersService } from './customers.service';
import { SubscribersController } from './subscribers.controller';
import { SubscriptionRepository } from './subscription.repository';
import { SubscriptionsController } from './subscriptions.controller';
import { SubscriptionsService } from './subscriptions.service';

@Module({
  imports: [OutboxModule],
  controllers: [CustomersController, SubscribersController, SubscriptionsController],
  providers: [CustomerRepository, CustomersService, CustomerImportService, SubscriptionRepository, SubscriptionsService],
  exports: [CustomerRepository, CustomersService, SubscriptionRepository, SubscriptionsService],
})
export class CustomersModule {}
