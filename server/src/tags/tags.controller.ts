import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { CreateTagSchema, UpdateTagSchema, type TagDto } from '../../../contracts/api';
import { MergeTagSchema, UpdateTagSettingsSchema, type MergeTagResultDto, type TagSettingsDto } from '../../../contracts/care';
import { Roles } from '../auth/auth.decorators';
import { TagsService } from './tags.service';

class CreateTagDto extends createZodDto(CreateTagSchema) {}
class UpdateTagDto extends createZodDto(UpdateTagSchema) {}
class MergeTagDto extends createZodDto(MergeTagSchema) {}
class UpdateTagSettingsDto extends createZodDto(UpdateTagSettingsSchema) {}

@ApiTags('tags')
@Controller('tags')
export class TagsController {
  constructor(private readonly tags: TagsService) {}

  @Get()
  list(): Promise<TagDto[]> {
    return this.tags.list();
  }

  @Post()
  create(@Body() body: CreateTagDto): Promise<TagDto> {
    return this.tags.create(body);
  }

  /** Every signed-in user may read the settings: the ticket view needs to know whether a tag is required. */
  @Get('settings')
  settings(): Promise<TagSettingsDto> {
    return this.tags.getSettings();
  }

  @Roles('lead', 'care_owner')
  @Patch('settings')
  updateSettings(@Body() body: UpdateTagSettingsDto): Promise<TagSettingsDto> {
    return this.tags.updateSettings(body);
  }

  @Roles('lead', 'care_owner')
  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateTagDto): Promise<TagDto> {
    return this.tags.update(id, body);
  }

  @Roles('lead', 'care_owner')
  @Post(':id/merge')
  @HttpCode(200)
  merge(@Param('id', ParseUUIDPipe) id: string, @Body() body: MergeTagDto): Promise<MergeTagResultDto> {
    return this.tags.merge(id, body.intoTagId);
  }

  @Roles('lead', 'care_owner')
  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.tags.delete(id);
  }
}
