import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { CustomersModule } from '../customers/customers.module';
import { TicketsModule } from '../tickets/tickets.module';
import { InboundMailProcessor } from './ingest/inbound-mail.processor';
import { MailIngestService } from './ingest/mail-ingest.service';
import { ThreadResolver } from './ingest/threading';
import { MailboxRepository } from './mailbox.repository';
import { MailboxesController, RepliesController } from './mail.controller';
import { MailboxesService } from './mailboxes.service';
import { SystemMailer } from './outbound/system-mailer';
import { MailSender } from './outbound/mail-sender';
import { OutboundMailService } from './outbound/outbound-mail.service';

@Module({
  imports: [TicketsModule, CustomersModule, OutboxModule],
  controllers: [MailboxesController, RepliesController],
  providers: [MailboxRepository, MailboxesService, ThreadResolver, InboundMailProcessor, MailIngestService, OutboundMailService, MailSender, SystemMailer],
  exports: [MailboxRepository, OutboundMailService, InboundMailProcessor, MailSender, SystemMailer],
})
export class MailModule {}
