import { Module } from '@nestjs/common';
import { MailIngestListener } from './ingest/mail-ingest.listener';
import { OutboxModule } from '../outbox/outbox.module';
import { CustomersModule } from '../customers/customers.module';
import { MacrosModule } from '../macros/macros.module';
import { TicketsModule } from '../tickets/tickets.module';
import { InboundMailProcessor } from './ingest/inbound-mail.processor';
import { MailIngestService } from './ingest/mail-ingest.service';
import { ThreadResolver } from './ingest/threading';
import { MailboxRepository } from './mailbox.repository';
import { MailboxesController, RepliesController } from './mail.controller';
import { MailboxesService } from './mailboxes.service';
import { MailboxCredentials } from './oauth/mailbox-credentials.service';
import { MailboxOAuthController } from './oauth/mailbox-oauth.controller';
import { MailboxOAuthService } from './oauth/mailbox-oauth.service';
import { OAuthClient } from './oauth/oauth-client';
import { CaptureOutbox } from './outbound/capture-outbox.service';
import { CapturedEmailRepository } from './outbound/captured-email.repository';
import { SystemMailer } from './outbound/system-mailer';
import { MailSender } from './outbound/mail-sender';
import { OutboundMailService } from './outbound/outbound-mail.service';
import { ThreadMarkers } from './thread-marker';

@Module({
  imports: [TicketsModule, CustomersModule, OutboxModule, MacrosModule],
  controllers: [MailboxOAuthController, MailboxesController, RepliesController],
  providers: [MailboxRepository, MailboxesService, OAuthClient, MailboxCredentials, MailboxOAuthService, ThreadMarkers, ThreadResolver, InboundMailProcessor, MailIngestService, MailIngestListener, OutboundMailService, MailSender, SystemMailer, CapturedEmailRepository, CaptureOutbox],
  exports: [MailboxRepository, OutboundMailService, InboundMailProcessor, MailSender, ThreadMarkers, MailboxCredentials, SystemMailer],
})
export class MailModule {}
