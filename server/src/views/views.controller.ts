import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { CreateSavedViewSchema, UpdateSavedViewSchema, type SavedViewDto, type ViewCountsDto } from '../../../contracts/views';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { ViewCountsService } from './view-counts.service';
import { ViewsService } from './views.service';

class CreateSavedViewDto extends createZodDto(CreateSavedViewSchema) {}
class UpdateSavedViewDto extends createZodDto(UpdateSavedViewSchema) {}

@ApiTags('views')
@Controller('views')
export class ViewsController {
  constructor(
    private readonly views: ViewsService,
    private readonly counts: ViewCountsService,
  ) {}

  @Get()
  list(@CurrentUser() user: AuthUser): Promise<SavedViewDto[]> {
    return this.views.list(user);
  }

  /** Capped counts for the sidebar: built-in views, the viewer's teams and their saved views. */
  @Get('counts')
  viewCounts(@CurrentUser() user: AuthUser): Promise<ViewCountsDto> {
    return this.counts.counts(user);
  }

  @Post()
  create(@Body() body: CreateSavedViewDto, @CurrentUser() user: AuthUser): Promise<SavedViewDto> {
    return this.views.create(body, user);
  }

  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateSavedViewDto, @CurrentUser() user: AuthUser): Promise<SavedViewDto> {
    return this.views.update(id, body, user);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser): Promise<void> {
    return this.views.delete(id, user);
  }
}
