import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CSAT_GOOD_SCORE, type SurveyKind } from '../../../../contracts/surveys';
import type { AuthUser } from '../../auth/auth.decorators';
import { Clock } from '../../common/clock';
import type { DomainEvent } from '../../common/domain-events';
import { InvalidFieldError, NotFoundError } from '../../common/errors';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { MailboxRepository } from '../../mail/mailbox.repository';
import { MailSender } from '../../mail/outbound/mail-sender';
import { formatSubjectWithToken } from '../../mail/parse';
import { ThreadMarkers } from '../../mail/thread-marker';
import { OutboxService } from '../../outbox/outbox.service';
import { TicketRepository } from '../../tickets/ticket.repository';
import { CLOSED_STATUSES, TicketsService } from '../../tickets/tickets.service';
import { ReportSettingsService } from '../report-settings.service';
import { isBadScore, parseReason, SCALE_CHOICES, surveyFormPage, surveyRefusedPage, surveyThanksPage } from './survey-page';
import { SurveyRepository, type SurveyDelivery } from './survey.repository';
import type { Survey, SurveySource } from './survey.entity';
import { SurveyTokens } from './survey-token';

/** What a caller asks for: the CSAT of a solved ticket, or a journey's NPS (ticketless, from a chosen mailbox). */
export interface SurveyInvitation {
  kind: SurveyKind;
  customerId: string;
  ticketId?: string | null;
  /** Sent from this mailbox; defaults to the ticket's. Required without a ticket. */
  mailboxId?: string | null;
  source: SurveySource;
  /** When it goes out (injected clock); now when left out. */
  dueAt?: Date;
}

/** A ticket whose status just changed, as the survey rules read it. */
export interface ChangedTicket {
  ticketId: string;
  /** The change closed it into another ticket (merge): no survey for that. */
  merged: boolean;
}

/**
 * Surveys, CSAT and NPS alike: invitations with a due time, sent by a pass over what is due (so an injected
 * clock drives them in tests), signed links to a page that records only on confirmation, one answer per
 * survey (a later one replaces it), voiding by leads. Answers raise `satisfaction.recorded`, which the reports
 * and the low-satisfaction journey trigger follow.
 */
@Injectable()
export class SurveysService {
  private readonly logger = new Logger('Surveys');

  constructor(
    private readonly repository: SurveyRepository,
    private readonly settings: ReportSettingsService,
    private readonly tokens: SurveyTokens,
    private readonly tickets: TicketsService,
    private readonly ticketRepository: TicketRepository,
    private readonly mailboxes: MailboxRepository,
    private readonly sender: MailSender,
    private readonly outbox: OutboxService,
    private readonly markers: ThreadMarkers,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Schedules surveys (in the caller's transaction when given); returns those created (a ticket's CSAT exists once). */
  async invite(invitations: SurveyInvitation[], manager?: EntityManager): Promise<Survey[]> {
    const settings = await this.settings.get();
    const now = this.clock.now();
    const rows = invitations.map((invitation) => {
      if (!invitation.ticketId && !invitation.mailboxId) throw new InvalidFieldError('mailboxId', 'a survey without a ticket needs a mailbox to leave from');
      return {
        kind: invitation.kind,
        scale: invitation.kind === 'nps' ? ('nps' as const) : settings.csatScale,
        customerId: invitation.customerId,
        ticketId: invitation.ticketId ?? null,
        mailboxId: invitation.mailboxId ?? null,
        source: invitation.source,
        dueAt: invitation.dueAt ?? now,
        createdAt: now,
      };
    });
    return manager ? this.repository.insert(rows, manager) : this.repository.transaction((own) => this.repository.insert(rows, own));
  }

  /**
   * Follows status changes: a solved ticket gets its CSAT survey after the delay (once per ticket, never for
   * automatic mail, a merge or a ticket without a customer); a ticket reopened before it went cancels it.
   */
  async onStatusChanged(changed: ChangedTicket[]): Promise<void> {
    if (changed.length === 0) return;
    const settings = await this.settings.get();
    const tickets = await this.repository.ticketsForSurvey(changed.map((ticket) => ticket.ticketId));
    const merged = new Set(changed.filter((ticket) => ticket.merged).map((ticket) => ticket.ticketId));
    const reopened = tickets.filter((ticket) => !CLOSED_STATUSES.includes(ticket.status)).map((ticket) => ticket.id);
    await this.repository.cancelScheduled(reopened, 'csat', 'The ticket was reopened before the survey went out');
    if (!settings.surveysEnabled) return;
    const solved = tickets.filter((ticket) => CLOSED_STATUSES.includes(ticket.status) && ticket.customerId && !ticket.automated && !merged.has(ticket.id));
    const dueAt = new Date(this.clock.now().getTime() + settings.surveyDelayHours * 3_600_000);
    await this.invite(solved.map((ticket) => ({ kind: 'csat', customerId: ticket.customerId as string, ticketId: ticket.id, source: 'ticket_solved', dueAt })));
  }

  /** Sends every survey that is due; returns how many it handled (sent, suppressed, cancelled or failed). */
  async sendDue(): Promise<number> {
    let handled = 0;
    while (await this.outbox.transaction((manager, raise) => this.sendNext(manager, raise))) handled++;
    return handled;
  }

  private async sendNext(manager: EntityManager, raise: (event: DomainEvent) => void): Promise<boolean> {
    const now = this.clock.now();
    const delivery = await this.repository.claimDue(now, manager);
    if (!delivery) return false;
    const { survey } = delivery;
    const refusal = this.refusal(delivery);
    if (refusal) {
      await this.repository.update(survey.id, refusal, manager);
      return true;
    }
    const mailboxId = survey.mailboxId ?? (survey.ticketId ? (await this.ticketRepository.findById(survey.ticketId, manager))?.mailboxId : null);
    const mailbox = mailboxId ? await this.mailboxes.findWithSecrets(mailboxId) : null;
    if (!mailbox) {
      await this.repository.update(survey.id, { state: 'failed', stateReason: 'There is no mailbox to send it from' }, manager);
      return true;
    }
    const settings = await this.settings.get();
    const domain = mailbox.address.slice(mailbox.address.lastIndexOf('@') + 1);
    const messageId = `careloop-survey.${survey.id}@${domain}`;
    const last = survey.ticketId ? await this.ticketRepository.lastEmail(survey.ticketId, manager) : null;
    const marker = delivery.ticketNumber !== null ? [this.markers.ticketReference(delivery.ticketNumber, mailbox.address)] : [];
    // CARELOOP_PUBLIC_URL (config, never empty) is the one address customers reach Careloop at.
    const link = `${this.config.publicUrl}/api/surveys/${this.tokens.sign(survey.id, now)}`;
    const result = await this.sender.deliver(mailbox, {
      fromName: settings.workspaceName,
      to: delivery.toAddress as string,
      subject:
        delivery.ticketNumber !== null ? formatSubjectWithToken(`Re: ${delivery.ticketSubject ?? ''}`, delivery.ticketNumber) : `How likely are you to recommend ${settings.workspaceName}?`,
      text: this.emailText(survey, delivery, settings.workspaceName, link),
      messageId,
      inReplyTo: last?.messageId ?? null,
      references: [...marker, ...(last?.references ?? []).filter((id) => !marker.includes(id)), ...(last?.messageId ? [last.messageId] : [])].slice(-20),
      date: now,
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'OOF, AutoReply' },
    });
    if (!result.delivered) {
      this.logger.warn(`survey ${survey.id} not sent: ${result.error}`);
      await this.repository.update(survey.id, { state: 'failed', stateReason: result.error, mailboxId: mailbox.id }, manager);
      return true;
    }
    await this.repository.update(survey.id, { state: 'sent', sentAt: now, messageId, mailboxId: mailbox.id, stateReason: null }, manager);
    const event = survey.ticketId ? await this.recordOnTicket(survey.ticketId, 'survey.sent', { surveyId: survey.id, kind: survey.kind, to: delivery.toAddress }, manager) : null;
    if (survey.ticketId && event) raise({ name: 'ticket.updated', payload: { ticketId: survey.ticketId, eventIds: [event], changed: ['survey.sent'] } });
    return true;
  }

  /** Why a due survey must not go, as the state it ends in; null when it may go. */
  private refusal(delivery: SurveyDelivery): Pick<Survey, 'state' | 'stateReason'> | null {
    const { survey } = delivery;
    if (!delivery.toAddress) return { state: 'failed', stateReason: 'The customer has no email address' };
    if (delivery.unsubscribed) return { state: 'suppressed', stateReason: 'The customer unsubscribed' };
    if (survey.source === 'ticket_solved' && delivery.ticketStatus !== null && !(CLOSED_STATUSES as readonly string[]).includes(delivery.ticketStatus)) {
      return { state: 'cancelled', stateReason: 'The ticket was reopened before the survey went out' };
    }
    if (delivery.ticketAutomated) return { state: 'suppressed', stateReason: 'The ticket came from an auto-reply, bulk mail or a bounce' };
    if (delivery.sentThisWeek >= delivery.weeklyCap) return { state: 'suppressed', stateReason: `The customer already got ${delivery.sentThisWeek} care emails this week (cap ${delivery.weeklyCap})` };
    return null;
  }

  private emailText(survey: Survey, delivery: SurveyDelivery, workspaceName: string, link: string): string {
    const greeting = `Hello${delivery.customerName ? ` ${delivery.customerName}` : ''},`;
    const intro =
      survey.kind === 'nps'
        ? `How likely are you to recommend ${workspaceName} to a friend or colleague? Pick a number from 0 (not at all) to 10 (extremely likely):`
        : `your request #${delivery.ticketNumber ?? ''} "${delivery.ticketSubject ?? ''}" was solved. How would you rate the support you received?`;
    const choices = SCALE_CHOICES[survey.scale].map((choice) => `${choice.label}: ${link}?answer=${choice.value}`).join('\n');
    return `${greeting}\n\n${intro}\n\n${choices}\n\nOne click opens a short page where you confirm (and may add a comment). Thank you!\n\n${workspaceName}\n`;
  }

  /** The page a link opens; records nothing. */
  async page(token: string, answer: unknown): Promise<{ status: number; html: string }> {
    const settings = await this.settings.get();
    const found = await this.surveyOf(token);
    if ('refused' in found) return { status: found.refused === 'expired' ? 410 : 404, html: surveyRefusedPage(settings.workspaceName, found.refused) };
    const { survey } = found;
    const choice = SCALE_CHOICES[survey.scale].find((option) => option.value === answer);
    const previous = await this.repository.findAnswer(survey.id);
    const previousChoice = previous ? SCALE_CHOICES[survey.scale].find((option) => option.score === previous.score) : undefined;
    const ticket = survey.ticketId ? await this.ticketRepository.findById(survey.ticketId) : null;
    return {
      status: 200,
      html: surveyFormPage({
        workspaceName: settings.workspaceName,
        scale: survey.scale,
        selected: choice?.value ?? null,
        ticketLabel: ticket ? `#${ticket.number} “${ticket.subject}”` : null,
        previous: previousChoice ? { label: previousChoice.label } : null,
      }),
    };
  }

  /** The customer confirmed: records (or replaces) the answer, puts it on the ticket's timeline and tells the listeners. */
  async answer(token: string, form: { answer?: unknown; comment?: unknown; reason?: unknown }): Promise<{ status: number; html: string }> {
    const settings = await this.settings.get();
    const found = await this.surveyOf(token);
    if ('refused' in found) return { status: found.refused === 'expired' ? 410 : 404, html: surveyRefusedPage(settings.workspaceName, found.refused) };
    const { survey } = found;
    const choice = SCALE_CHOICES[survey.scale].find((option) => option.value === form.answer);
    if (!choice) return this.page(token, null).then((page) => ({ ...page, status: 400 }));
    const comment = typeof form.comment === 'string' && form.comment.trim() ? form.comment.trim().slice(0, 5000) : null;
    const reason = isBadScore(survey.scale, choice.score) ? parseReason(form.reason) : null;
    await this.outbox.transaction(async (manager, raise) => {
      const saved = await this.repository.upsertAnswer(
        { surveyId: survey.id, kind: survey.kind, customerId: survey.customerId, ticketId: survey.ticketId, score: choice.score, comment, reason, createdAt: this.clock.now() },
        manager,
      );
      if (survey.ticketId) {
        const event = await this.recordOnTicket(survey.ticketId, 'survey.answered', { surveyId: survey.id, kind: survey.kind, score: choice.score, label: choice.label, good: survey.kind === 'csat' ? choice.score >= CSAT_GOOD_SCORE : null, comment, reason }, manager);
        if (event) raise({ name: 'ticket.updated', payload: { ticketId: survey.ticketId, eventIds: [event], changed: ['survey.answered'] } });
      }
      raise({ name: 'satisfaction.recorded', payload: { customerId: survey.customerId, responseId: saved.id } });
    });
    return { status: 200, html: surveyThanksPage(settings.workspaceName, choice.label) };
  }

  /** A lead or admin voids an answer (a test answer, an answer about someone else): it counts nowhere and triggers nothing. */
  async voidAnswer(responseId: string, reason: string, user: AuthUser): Promise<void> {
    const answer = await this.repository.findAnswerById(responseId);
    if (!answer) throw new NotFoundError('Answer');
    await this.outbox.transaction(async (manager, raise) => {
      await this.repository.voidAnswer(answer.id, user.id, reason, this.clock.now(), manager);
      if (answer.ticketId) {
        const event = await this.tickets.addEvent(answer.ticketId, 'survey.voided', { type: 'user', id: user.id }, { responseId: answer.id, reason }, manager);
        raise({ name: 'ticket.updated', payload: { ticketId: answer.ticketId, eventIds: [event.id], changed: ['survey.voided'] } });
      }
      raise({ name: 'satisfaction.recorded', payload: { customerId: answer.customerId, responseId: answer.id } });
    });
  }

  private async surveyOf(token: string): Promise<{ survey: Survey } | { refused: 'tampered' | 'expired' | 'unknown' }> {
    const check = this.tokens.verify(token, this.clock.now());
    if (!check.valid) return { refused: check.reason };
    const survey = await this.repository.findById(check.surveyId);
    return survey ? { survey } : { refused: 'unknown' };
  }

  /** A timeline entry on a ticket that still exists; returns its id. */
  private async recordOnTicket(ticketId: string, type: string, data: Record<string, unknown>, manager: EntityManager): Promise<string | null> {
    const exists = await this.ticketRepository.findById(ticketId, manager);
    if (!exists) return null;
    return (await this.tickets.addEvent(ticketId, type, { type: 'system', id: null }, data, manager)).id;
  }
}
