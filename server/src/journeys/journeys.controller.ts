import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import type { Customer360Dto } from '../../../contracts/customers';
import {
  CreateFromPresetSchema,
  CreateJourneySchema,
  TestSendSchema,
  UpdateJourneySchema,
  type JourneyDto,
  type JourneyPresetDto,
  type JourneyReviewDto,
  type TestSendResultDto,
} from '../../../contracts/journeys';
import { CurrentUser, Roles, type AuthUser } from '../auth/auth.decorators';
import { Customer360Service } from './customer-360.service';
import { JourneysService } from './journeys.service';

class CreateJourneyDto extends createZodDto(CreateJourneySchema) {}
class UpdateJourneyDto extends createZodDto(UpdateJourneySchema) {}
class CreateFromPresetDto extends createZodDto(CreateFromPresetSchema) {}
class TestSendDto extends createZodDto(TestSendSchema) {}

@ApiTags('journeys')
@Roles('care_owner')
@Controller('journeys')
export class JourneysController {
  constructor(private readonly journeys: JourneysService) {}

  @Get()
  list(): Promise<JourneyDto[]> {
    return this.journeys.list();
  }

  @Get('presets')
  presets(): Promise<JourneyPresetDto[]> {
    return this.journeys.presets();
  }

  @Get('presets/:key/review')
  reviewPreset(@Param('key') key: string): Promise<JourneyReviewDto> {
    return this.journeys.reviewPreset(key);
  }

  @Post('presets/:key')
  fromPreset(@Param('key') key: string, @Body() body: CreateFromPresetDto): Promise<JourneyDto> {
    return this.journeys.createFromPreset(key, body);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<JourneyDto> {
    return this.journeys.get(id);
  }

  @Post()
  create(@Body() body: CreateJourneyDto): Promise<JourneyDto> {
    return this.journeys.create(body);
  }

  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateJourneyDto): Promise<JourneyDto> {
    return this.journeys.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.journeys.delete(id);
  }

  @Post(':id/activate')
  @HttpCode(200)
  activate(@Param('id', ParseUUIDPipe) id: string): Promise<JourneyDto> {
    return this.journeys.activate(id);
  }

  @Post(':id/pause')
  @HttpCode(200)
  pause(@Param('id', ParseUUIDPipe) id: string): Promise<JourneyDto> {
    return this.journeys.pause(id);
  }

  @Post(':id/test-send')
  @HttpCode(200)
  testSend(@Param('id', ParseUUIDPipe) id: string, @Body() body: TestSendDto, @CurrentUser() user: AuthUser): Promise<TestSendResultDto> {
    return this.journeys.testSend(id, body, user);
  }
}

@ApiTags('customers')
@Controller('customers')
export class Customer360Controller {
  constructor(private readonly overview: Customer360Service) {}

  /**
   * The customer 360: profile, subscription timeline, tickets, care emails, journeys, satisfaction. Everyone
   * signed in may read it (agents see it without edit controls); tickets follow the viewer's access rule.
   */
  @Get(':id/overview')
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser): Promise<Customer360Dto> {
    return this.overview.overview(id, user);
  }
}
