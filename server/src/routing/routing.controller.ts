import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { CreateRuleSchema, DryRunSchema, ReorderRulesSchema, UpdateRuleSchema, type DryRunResultDto, type RuleDto } from '../../../contracts/automation';
import { Roles } from '../auth/auth.decorators';
import { RoutingService } from './routing.service';

class CreateRuleDto extends createZodDto(CreateRuleSchema) {}
class UpdateRuleDto extends createZodDto(UpdateRuleSchema) {}
class ReorderRulesDto extends createZodDto(ReorderRulesSchema) {}
class DryRunDto extends createZodDto(DryRunSchema) {}

/** Routing rules are a lead's (and an admin's) to read and change. */
@ApiTags('routing')
@Roles('lead')
@Controller('routing/rules')
export class RoutingController {
  constructor(private readonly routing: RoutingService) {}

  @Get()
  list(): Promise<RuleDto[]> {
    return this.routing.list();
  }

  @Post()
  create(@Body() body: CreateRuleDto): Promise<RuleDto> {
    return this.routing.create(body);
  }

  /** Declared before `:id` so the literal paths win. */
  @Put('order')
  reorder(@Body() body: ReorderRulesDto): Promise<RuleDto[]> {
    return this.routing.reorder(body.ruleIds);
  }

  @Post('dry-run')
  @HttpCode(200)
  dryRun(@Body() body: DryRunDto): Promise<DryRunResultDto> {
    return this.routing.dryRun(body.rule, body.limit);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<RuleDto> {
    return this.routing.get(id);
  }

  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateRuleDto): Promise<RuleDto> {
    return this.routing.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.routing.delete(id);
  }
}
