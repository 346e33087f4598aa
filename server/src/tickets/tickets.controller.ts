import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { BulkUpdateTicketsSchema, CreateNoteSchema, EmailFrameQuerySchema, MergeTicketsSchema, type BulkUpdateResultDto, TicketQuerySchema, UpdateTicketSchema, type MessageDto, type TicketDetailDto, type TicketPageDto, type TicketSummaryDto } from '../../../contracts/api';
import { CurrentUser, Roles, type AuthUser } from '../auth/auth.decorators';
import { emailFrameCsp, INLINE_SAFE_IMAGE_TYPES } from '../mail/parse';
import { TicketsService } from './tickets.service';

class TicketQueryDto extends createZodDto(TicketQuerySchema) {}
class UpdateTicketDto extends createZodDto(UpdateTicketSchema) {}
class CreateNoteDto extends createZodDto(CreateNoteSchema) {}
class MergeTicketsDto extends createZodDto(MergeTicketsSchema) {}
class BulkUpdateTicketsDto extends createZodDto(BulkUpdateTicketsSchema) {}
class EmailFrameQueryDto extends createZodDto(EmailFrameQuerySchema) {}

@ApiTags('tickets')
@Controller('tickets')
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Get()
  list(@Query() query: TicketQueryDto, @CurrentUser() user: AuthUser): Promise<TicketPageDto> {
    return this.tickets.list(query, user);
  }

  /** One request and one transaction for a whole selection (the inbox's bulk actions). */
  @Post('bulk')
  @HttpCode(200)
  async bulkUpdate(@Body() body: BulkUpdateTicketsDto, @CurrentUser() user: AuthUser): Promise<BulkUpdateResultDto> {
    return { tickets: await this.tickets.bulkUpdate(body.ticketIds, body.changes, user) };
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser): Promise<TicketDetailDto> {
    return this.tickets.get(id, user);
  }

  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateTicketDto, @CurrentUser() user: AuthUser): Promise<TicketSummaryDto> {
    return this.tickets.update(id, body, { type: 'user', id: user.id }, user);
  }

  @Roles('lead')
  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser): Promise<void> {
    return this.tickets.delete(id, user);
  }

  @Post(':id/merge')
  @HttpCode(200)
  merge(@Param('id', ParseUUIDPipe) id: string, @Body() body: MergeTicketsDto, @CurrentUser() user: AuthUser): Promise<TicketSummaryDto> {
    return this.tickets.merge(id, body.sourceIds, user);
  }

  /** The message exactly as received (or sent): for oversized, garbled or quarantined-looking mail. */
  @Get(':id/messages/:messageId/raw')
  async rawSource(@Param('id', ParseUUIDPipe) id: string, @Param('messageId', ParseUUIDPipe) messageId: string, @CurrentUser() user: AuthUser, @Res() response: Response): Promise<void> {
    const raw = await this.tickets.rawSource(id, messageId, user);
    response.setHeader('Content-Type', 'message/rfc822');
    response.setHeader('Content-Disposition', `attachment; filename="ticket-${raw.ticketNumber}-message.eml"`);
    response.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    response.setHeader('Cache-Control', 'private, no-store');
    response.send(raw.source);
  }

  /**
   * A message's HTML as its own document, for the ticket view's sandboxed frame: the frame's policy (no
   * script, images as the agent chose) is set here, so the app's own policy needs no remote images.
   */
  @Get(':id/messages/:messageId/frame')
  async emailFrame(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('messageId', ParseUUIDPipe) messageId: string,
    @Query() query: EmailFrameQueryDto,
    @CurrentUser() user: AuthUser,
    @Res() response: Response,
  ): Promise<void> {
    const remoteImages = query.images === '1';
    const document = await this.tickets.emailFrame(id, messageId, user, remoteImages);
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.setHeader('Content-Security-Policy', emailFrameCsp(remoteImages));
    response.setHeader('Cache-Control', 'private, no-store');
    response.send(document);
  }

  @Post(':id/notes')
  addNote(@Param('id', ParseUUIDPipe) id: string, @Body() body: CreateNoteDto, @CurrentUser() user: AuthUser): Promise<MessageDto> {
    return this.tickets.addNote(id, body.body, user, body.mentionIds);
  }
}

@ApiTags('attachments')
@Controller('attachments')
export class AttachmentsController {
  constructor(private readonly tickets: TicketsService) {}

  @Get(':id')
  async download(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser, @Res() response: Response): Promise<void> {
    const attachment = await this.tickets.attachment(id, user);
    const contentType = attachment.contentType.toLowerCase();
    const inline = INLINE_SAFE_IMAGE_TYPES.has(contentType);
    response.setHeader('Content-Type', inline ? contentType : 'application/octet-stream');
    response.setHeader('Content-Disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`);
    response.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    response.setHeader('Cache-Control', 'private, max-age=3600');
    response.send(attachment.content);
  }
}
