import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import type { MessageDto } from '../../../contracts/api';
import { CreateMailboxSchema, CreateReplySchema, UpdateMailboxSchema, type CapturedEmailDto, type ConnectionCheckDto, type MailboxDto, type MailboxOptionDto } from '../../../contracts/mail';
import { AcceptsBody, CurrentUser, Roles, type AuthUser } from '../auth/auth.decorators';
import { MailboxesService } from './mailboxes.service';
import { CaptureOutbox } from './outbound/capture-outbox.service';
import { OutboundMailService } from './outbound/outbound-mail.service';

class CreateMailboxDto extends createZodDto(CreateMailboxSchema) {}
class UpdateMailboxDto extends createZodDto(UpdateMailboxSchema) {}
class CreateReplyDto extends createZodDto(CreateReplySchema) {}

const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

/** The fields of a multer upload this controller reads. */
interface UploadedFile {
  originalname: string;
  mimetype: string;
  buffer: Buffer;
}

@ApiTags('mailboxes')
@Roles('admin')
@Controller('mailboxes')
export class MailboxesController {
  constructor(
    private readonly mailboxes: MailboxesService,
    private readonly captured: CaptureOutbox,
  ) {}

  @Get()
  list(): Promise<MailboxDto[]> {
    return this.mailboxes.list();
  }

  /** What demo mailboxes kept instead of sending, newest first. */
  @Get('demo-outbox')
  @Roles('admin', 'lead')
  demoOutbox(): Promise<CapturedEmailDto[]> {
    return this.captured.list();
  }

  /** Names and addresses only, for choosing a mailbox in routing rules and journeys. */
  @Get('options')
  @Roles('admin', 'lead', 'care_owner')
  options(): Promise<MailboxOptionDto[]> {
    return this.mailboxes.options();
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<MailboxDto> {
    return this.mailboxes.get(id);
  }

  @Post()
  create(@Body() body: CreateMailboxDto): Promise<MailboxDto> {
    return this.mailboxes.create(body);
  }

  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateMailboxDto): Promise<MailboxDto> {
    return this.mailboxes.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.mailboxes.delete(id);
  }

  @Post(':id/test')
  @HttpCode(200)
  test(@Param('id', ParseUUIDPipe) id: string): Promise<ConnectionCheckDto> {
    return this.mailboxes.testConnection(id);
  }
}

@ApiTags('tickets')
@Controller('tickets')
export class RepliesController {
  constructor(private readonly outbound: OutboundMailService) {}

  /** JSON, or multipart/form-data with `attachments` files. */
  @Post(':id/replies')
  @AcceptsBody('application/json', 'multipart/form-data')
  @UseInterceptors(FilesInterceptor('attachments', 10, { limits: { fileSize: MAX_ATTACHMENT_BYTES } }))
  reply(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CreateReplyDto,
    @UploadedFiles() files: UploadedFile[] | undefined,
    @CurrentUser() user: AuthUser,
  ): Promise<MessageDto> {
    const attachments = (files ?? []).map((file) => ({ filename: file.originalname, contentType: file.mimetype, content: file.buffer }));
    return this.outbound.reply(id, { ...body, files: attachments }, user);
  }
}
