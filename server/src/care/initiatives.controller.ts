import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  CreateCommentSchema,
  CreateInitiativeSchema,
  MoveInitiativeSchema,
  UpdateInitiativeSchema,
  type ImpactDto,
  type InitiativeCommentDto,
  type InitiativeDto,
  type InitiativeTicketPageDto,
} from '../../../contracts/care';
import { CurrentUser, Roles, type AuthUser } from '../auth/auth.decorators';
import { InitiativesService } from './initiatives.service';

class CreateInitiativeDto extends createZodDto(CreateInitiativeSchema) {}
class UpdateInitiativeDto extends createZodDto(UpdateInitiativeSchema) {}
class MoveInitiativeDto extends createZodDto(MoveInitiativeSchema) {}
class CreateCommentDto extends createZodDto(CreateCommentSchema) {}

/** The care-initiative board: for care owners (and admins). */
@ApiTags('care')
@Roles('care_owner')
@Controller('care/initiatives')
export class InitiativesController {
  constructor(private readonly initiatives: InitiativesService) {}

  @Get()
  board(): Promise<InitiativeDto[]> {
    return this.initiatives.board();
  }

  @Post()
  create(@Body() body: CreateInitiativeDto, @CurrentUser() user: AuthUser): Promise<InitiativeDto> {
    return this.initiatives.create(body, user);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<InitiativeDto> {
    return this.initiatives.get(id);
  }

  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateInitiativeDto): Promise<InitiativeDto> {
    return this.initiatives.update(id, body);
  }

  @Post(':id/move')
  move(@Param('id', ParseUUIDPipe) id: string, @Body() body: MoveInitiativeDto): Promise<InitiativeDto> {
    return this.initiatives.move(id, body);
  }

  @Get(':id/tickets')
  tickets(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser): Promise<InitiativeTicketPageDto> {
    return this.initiatives.tickets(id, user);
  }

  @Get(':id/impact')
  impact(@Param('id', ParseUUIDPipe) id: string): Promise<ImpactDto> {
    return this.initiatives.impact(id);
  }

  @Get(':id/comments')
  comments(@Param('id', ParseUUIDPipe) id: string): Promise<InitiativeCommentDto[]> {
    return this.initiatives.comments(id);
  }

  @Post(':id/comments')
  addComment(@Param('id', ParseUUIDPipe) id: string, @Body() body: CreateCommentDto, @CurrentUser() user: AuthUser): Promise<InitiativeCommentDto> {
    return this.initiatives.addComment(id, body.body, user);
  }
}
