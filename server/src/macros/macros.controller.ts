import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  CreateMacroSchema,
  MacroPreviewSchema,
  MacroQuerySchema,
  UpdateMacroSchema,
  type MacroApplyResultDto,
  type MacroDto,
  type MacroPreviewDto,
} from '../../../contracts/automation';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { MacrosService } from './macros.service';

class CreateMacroDto extends createZodDto(CreateMacroSchema) {}
class UpdateMacroDto extends createZodDto(UpdateMacroSchema) {}
class MacroQueryDto extends createZodDto(MacroQuerySchema) {}
class PreviewRequestDto extends createZodDto(MacroPreviewSchema) {}

/** Who may write which macro depends on its scope, so the service checks roles rather than a decorator. */
@ApiTags('macros')
@Controller('macros')
export class MacrosController {
  constructor(private readonly macros: MacrosService) {}

  @Get()
  list(@Query() query: MacroQueryDto, @CurrentUser() user: AuthUser): Promise<MacroDto[]> {
    return this.macros.list(user, query.q);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser): Promise<MacroDto> {
    return this.macros.get(id, user);
  }

  @Post()
  create(@Body() body: CreateMacroDto, @CurrentUser() user: AuthUser): Promise<MacroDto> {
    return this.macros.create(body, user);
  }

  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateMacroDto, @CurrentUser() user: AuthUser): Promise<MacroDto> {
    return this.macros.update(id, body, user);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser): Promise<void> {
    return this.macros.delete(id, user);
  }

  @Post(':id/preview')
  @HttpCode(200)
  preview(@Param('id', ParseUUIDPipe) id: string, @Body() body: PreviewRequestDto, @CurrentUser() user: AuthUser): Promise<MacroPreviewDto> {
    return this.macros.preview(id, body.ticketId, user);
  }
}

@ApiTags('macros')
@Controller('tickets/:ticketId/macros')
export class TicketMacrosController {
  constructor(private readonly macros: MacrosService) {}

  @Post(':macroId/apply')
  @HttpCode(200)
  apply(@Param('ticketId', ParseUUIDPipe) ticketId: string, @Param('macroId', ParseUUIDPipe) macroId: string, @CurrentUser() user: AuthUser): Promise<MacroApplyResultDto> {
    return this.macros.apply(macroId, ticketId, user);
  }
}
