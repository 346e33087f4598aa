import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  CreateKeywordRuleSchema,
  FlagTicketSchema,
  SignalQuerySchema,
  UpdateKeywordRuleSchema,
  type KeywordRuleDto,
  type SignalsDto,
  type TagModelStatusDto,
  type TagSuggestionDto,
  type TicketFlagDto,
} from '../../../contracts/care';
import { CurrentUser, Roles, type AuthUser } from '../auth/auth.decorators';
import { SignalsService } from './signals/signals.service';
import { TagSuggestionsService } from './suggestions/tag-suggestions.service';
import { TagInsightsJobs } from './tag-insights.jobs';

class CreateKeywordRuleDto extends createZodDto(CreateKeywordRuleSchema) {}
class UpdateKeywordRuleDto extends createZodDto(UpdateKeywordRuleSchema) {}
class FlagTicketDto extends createZodDto(FlagTicketSchema) {}
class SignalQueryDto extends createZodDto(SignalQuerySchema) {}

/** What agents do from the ticket view: read, accept and reject suggestions, flag "this keeps happening". */
@ApiTags('tickets')
@Controller('tickets/:id')
export class TicketInsightsController {
  constructor(
    private readonly suggestions: TagSuggestionsService,
    private readonly signals: SignalsService,
  ) {}

  @Get('tag-suggestions')
  list(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser): Promise<TagSuggestionDto[]> {
    return this.suggestions.list(id, user);
  }

  @Post('tag-suggestions/:tagId/accept')
  @HttpCode(200)
  accept(@Param('id', ParseUUIDPipe) id: string, @Param('tagId', ParseUUIDPipe) tagId: string, @CurrentUser() user: AuthUser): Promise<TagSuggestionDto[]> {
    return this.suggestions.accept(id, tagId, user);
  }

  @Post('tag-suggestions/:tagId/reject')
  @HttpCode(200)
  reject(@Param('id', ParseUUIDPipe) id: string, @Param('tagId', ParseUUIDPipe) tagId: string, @CurrentUser() user: AuthUser): Promise<TagSuggestionDto[]> {
    return this.suggestions.reject(id, tagId, user);
  }

  @Get('flag')
  flagSummary(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser): Promise<TicketFlagDto> {
    return this.signals.flagSummary(id, user);
  }

  @Post('flag')
  @HttpCode(200)
  flag(@Param('id', ParseUUIDPipe) id: string, @Body() body: FlagTicketDto, @CurrentUser() user: AuthUser): Promise<TicketFlagDto> {
    return this.signals.flag(id, body.note, user);
  }

  @Delete('flag')
  unflag(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser): Promise<TicketFlagDto> {
    return this.signals.unflag(id, user);
  }
}

@ApiTags('signals')
@Controller('signals')
export class SignalsController {
  constructor(private readonly signals: SignalsService) {}

  @Roles('lead', 'care_owner')
  @Get()
  list(@Query() query: SignalQueryDto, @CurrentUser() user: AuthUser): Promise<SignalsDto> {
    return this.signals.list(query.limit, user);
  }
}

/** Care owners' keyword rules and the suggestion model's state. */
@ApiTags('tags')
@Controller('tag-suggestions')
export class TagSuggestionAdminController {
  constructor(
    private readonly suggestions: TagSuggestionsService,
    private readonly jobs: TagInsightsJobs,
  ) {}

  @Roles('lead', 'care_owner')
  @Get('model')
  model(): Promise<TagModelStatusDto> {
    return this.suggestions.modelStatus();
  }

  /** Queues a training now (it runs in the background); the status shows when it is done. */
  @Roles('care_owner')
  @Post('model/retrain')
  @HttpCode(202)
  retrain(): Promise<void> {
    return this.jobs.requestRetrain();
  }

  @Roles('lead', 'care_owner')
  @Get('rules')
  rules(): Promise<KeywordRuleDto[]> {
    return this.suggestions.listRules();
  }

  @Roles('care_owner')
  @Post('rules')
  createRule(@Body() body: CreateKeywordRuleDto): Promise<KeywordRuleDto> {
    return this.suggestions.createRule(body);
  }

  @Roles('care_owner')
  @Patch('rules/:ruleId')
  updateRule(@Param('ruleId', ParseUUIDPipe) id: string, @Body() body: UpdateKeywordRuleDto): Promise<KeywordRuleDto> {
    return this.suggestions.updateRule(id, body);
  }

  @Roles('care_owner')
  @Delete('rules/:ruleId')
  @HttpCode(204)
  deleteRule(@Param('ruleId', ParseUUIDPipe) id: string): Promise<void> {
    return this.suggestions.deleteRule(id);
  }
}
