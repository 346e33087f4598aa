import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { SubscriberQuerySchema, type SubscriberPageDto, type SubscriberPlanDto } from '../../../contracts/customers';
import { CustomersService } from './customers.service';

class SubscriberQueryDto extends createZodDto(SubscriberQuerySchema) {}

/** The subscribers table: everyone signed in may read it (agents open customers read-only). */
@ApiTags('customers')
@Controller('subscribers')
export class SubscribersController {
  constructor(private readonly customers: CustomersService) {}

  /** Sorted, filtered and paged by keyset: `after=<next>` or `before=<prev>` from the previous answer. */
  @Get()
  list(@Query() query: SubscriberQueryDto): Promise<SubscriberPageDto> {
    return this.customers.subscribers(query);
  }

  @Get('plans')
  plans(): Promise<SubscriberPlanDto[]> {
    return this.customers.subscriberPlans();
  }
}
