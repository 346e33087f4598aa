import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import type { TicketStatus } from '../../../contracts/domain';
import { hashPassword } from '../auth/password';
import { Clock } from '../common/clock';
import type { DomainEvent } from '../common/domain-events';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Customer } from '../customers/customer.entity';
import { SubscriptionsService } from '../customers/subscriptions.service';
import { Macro } from '../macros/macro.entity';
import { Mailbox } from '../mail/mailbox.entity';
import { OutboxService } from '../outbox/outbox.service';
import { SurveyRepository } from '../reports/surveys/survey.repository';
import { SurveysService } from '../reports/surveys/surveys.service';
import { SlaPolicy } from '../sla/sla-policy.entity';
import { Tag } from '../tags/tag.entity';
import type { Ticket } from '../tickets/ticket.entity';
import { TicketRepository } from '../tickets/ticket.repository';
import { CLOSED_STATUSES, TicketsService } from '../tickets/tickets.service';
import { Team } from '../users/team.entity';
import { User } from '../users/user.entity';
import { DEMO_AGENTS, DEMO_CONVERSATIONS, DEMO_FIRST_NAMES, DEMO_TAGS, DEMO_TEAMS } from './demo-data';
import { demoNpsAnswers, demoSubscribers } from './demo-subscriptions';

/** Any fixed number: seeding holds this advisory lock so two instances starting together seed once. */
const SEED_LOCK = 72_604_311;
const DEMO_TICKETS = 50;
const DEMO_SUBSCRIBERS = 320;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A tiny deterministic PRNG, so every fresh demo workspace looks the same. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** On the first start with an empty database: the first admin and, unless switched off, a demo workspace. */
@Injectable()
export class SeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Seed');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tickets: TicketsService,
    private readonly ticketRepository: TicketRepository,
    private readonly clock: Clock,
    private readonly outbox: OutboxService,
    private readonly subscriptions: SubscriptionsService,
    private readonly surveys: SurveysService,
    private readonly surveyRepository: SurveyRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const created = await this.outbox.transaction(async (manager, raise) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK]);
      if ((await manager.count(User)) > 0) return null;
      const password = this.config.adminPassword ?? randomBytes(12).toString('base64url');
      const passwordHash = await hashPassword(password);
      await manager.save(User, { email: this.config.adminEmail, name: 'Admin', role: 'admin', availability: 'available', passwordHash });
      if (this.config.demo) await this.seedDemo(manager, password, raise);
      return { password, generated: !this.config.adminPassword };
    });
    if (!created) return;
    // Printed once, on purpose: this is how a newcomer learns how to log in.
    const lines = [
      `First start: created the admin account ${this.config.adminEmail}`,
      created.generated ? `  password: ${created.password}   (generated; set CARELOOP_ADMIN_PASSWORD to choose one)` : '  password: the value of CARELOOP_ADMIN_PASSWORD',
    ];
    if (this.config.demo) lines.push(`  demo workspace loaded; demo agents (${DEMO_AGENTS.map((agent) => agent.email).join(', ')}) use the same password`);
    for (const line of lines) this.logger.log(line);
  }

  private async seedDemo(manager: EntityManager, password: string, raise: (event: DomainEvent) => void): Promise<void> {
    const random = mulberry32(20_261_121);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const now = this.clock.now().getTime();

    const teams = new Map<string, Team>();
    for (const team of DEMO_TEAMS) teams.set(team.name, await manager.save(Team, team));
    const agents: User[] = [];
    for (const agent of DEMO_AGENTS) {
      agents.push(
        await manager.save(User, {
          email: agent.email,
          name: agent.name,
          role: agent.role,
          availability: 'available',
          // Same password, but each account its own salt and hash: one cracked hash reveals no other account's.
          passwordHash: await hashPassword(password),
          teams: agent.teams.map((name) => teams.get(name) as Team),
        }),
      );
    }
    await manager.save(Tag, DEMO_TAGS);
    // Not connected to any server: replies "send" into the capture outbox, so a newcomer can try one without SMTP.
    const mailbox = await manager.save(Mailbox, { name: 'Demo support', address: 'support@careloop.local', isActive: false, captureOutbox: true });

    // A year of subscribers, through the same path the subscription webhook takes.
    const subscribers = demoSubscribers(random, new Date(now), DEMO_SUBSCRIBERS);
    await this.subscriptions.applyHistory(
      subscribers.flatMap((subscriber) => subscriber.events),
      manager,
    );
    const byEmail = new Map((await manager.find(Customer, { where: { email: In(subscribers.map((subscriber) => subscriber.email)) } })).map((customer) => [customer.email, customer]));
    const customers = subscribers.slice(0, DEMO_FIRST_NAMES.length).map((subscriber) => byEmail.get(subscriber.email) as Customer);

    // The demo tickets get what imported mail gets (SLA targets, tag analysis, live pushes …): their events go
    // to the outbox with them and are delivered once the workspace is committed.
    const events: DomainEvent[] = [];
    const statuses: TicketStatus[] = ['new', 'open', 'open', 'pending', 'solved', 'closed'];
    for (let index = 0; index < DEMO_TICKETS; index++) {
      const conversation = DEMO_CONVERSATIONS[index % DEMO_CONVERSATIONS.length];
      const customer = customers[index % customers.length];
      const team = teams.get(conversation.team) as Team;
      // A third arrived in the last hours, so the demo shows SLA clocks still running beside the breached ones.
      const start = index % 3 === 0 ? now - conversation.turns.length * 6 * HOUR - Math.floor(random() * 4 * HOUR) : now - Math.floor(random() * 30 * DAY) - DAY;
      const status = conversation.turns.length === 1 ? pick<TicketStatus>(['new', 'open']) : pick(statuses);
      const assignee = status === 'new' ? null : pick(agents.filter((agent) => agent.teams.some((member) => member.id === team.id)));
      const ticket = await this.tickets.openTicket(
        {
          subject: conversation.subject,
          status,
          priority: pick(['low', 'normal', 'normal', 'normal', 'high', 'urgent'] as const),
          customerId: customer.id,
          teamId: team.id,
          assigneeId: assignee?.id ?? null,
          mailboxId: mailbox.id,
          solvedAt: status === 'solved' || status === 'closed' ? new Date(start + conversation.turns.length * HOUR) : null,
          createdAt: new Date(start),
          awaitingRouting: true,
        },
        manager,
      );
      await this.tickets.addEvent(ticket.id, 'ticket.created', { type: 'system', id: null }, { via: 'demo' }, manager);
      await this.recordSolve(ticket, assignee?.id ?? null, manager);
      events.push({ name: 'ticket.created', payload: { ticketId: ticket.id } });
      let at = start;
      for (const [turn, text] of conversation.turns.entries()) {
        const fromCustomer = turn % 2 === 0;
        const author = assignee ?? agents[0];
        const message = await this.tickets.appendMessage(
          ticket,
          {
            direction: fromCustomer ? 'inbound' : 'outbound',
            authorId: fromCustomer ? null : author.id,
            mailboxId: mailbox.id,
            fromAddress: fromCustomer ? customer.email : mailbox.address,
            fromName: fromCustomer ? customer.name : author.name,
            toAddresses: [fromCustomer ? mailbox.address : customer.email],
            subject: turn === 0 ? conversation.subject : `Re: ${conversation.subject}`,
            bodyText: text,
            deliveryState: fromCustomer ? null : 'sent',
            createdAt: new Date(at),
          },
          manager,
        );
        events.push({ name: 'message.created', payload: { ticketId: ticket.id, messageId: message.id } });
        at += Math.floor(random() * 6 + 1) * HOUR;
      }
      if (conversation.note) {
        await this.tickets.appendMessage(ticket, { direction: 'note', authorId: agents[0].id, fromName: agents[0].name, bodyText: conversation.note, createdAt: new Date(at) }, manager);
      }
      const tags = await manager.find(Tag, { where: conversation.tags.map((name) => ({ name })) });
      await this.ticketRepository.replaceTags(
        ticket.id,
        tags.map((tag) => tag.id),
        [],
        manager,
      );
    }

    // Those who wrote in during their first cycle: one solved ticket each, tagged, long before the inbox's recent work.
    for (const [index, subscriber] of subscribers.entries()) {
      if (!subscriber.firstCycleTicketAt) continue;
      const customer = byEmail.get(subscriber.email) as Customer;
      const conversation = DEMO_CONVERSATIONS[index % DEMO_CONVERSATIONS.length];
      const createdAt = subscriber.firstCycleTicketAt;
      const ticket = await this.tickets.openTicket(
        { subject: conversation.subject, status: 'closed', customerId: customer.id, teamId: (teams.get(conversation.team) as Team).id, mailboxId: mailbox.id, solvedAt: new Date(createdAt.getTime() + 4 * HOUR), createdAt },
        manager,
      );
      await this.tickets.addEvent(ticket.id, 'ticket.created', { type: 'system', id: null }, { via: 'demo' }, manager);
      await this.recordSolve(ticket, null, manager);
      const message = await this.tickets.appendMessage(
        ticket,
        { direction: 'inbound', mailboxId: mailbox.id, fromAddress: customer.email, fromName: customer.name, toAddresses: [mailbox.address], subject: conversation.subject, bodyText: conversation.turns[0], createdAt },
        manager,
      );
      events.push({ name: 'ticket.created', payload: { ticketId: ticket.id } }, { name: 'message.created', payload: { ticketId: ticket.id, messageId: message.id } });
      const tags = await manager.find(Tag, { where: conversation.tags.map((name) => ({ name })) });
      await this.ticketRepository.replaceTags(
        ticket.id,
        tags.map((tag) => tag.id),
        [],
        manager,
      );
    }

    // Day-90 NPS answers, through the survey system: the survey as sent, then the answer as the page records it.
    const npsAnswers = demoNpsAnswers(mulberry32(90_090), new Date(now), subscribers);
    const surveys = await this.surveys.invite(
      npsAnswers.map((answer) => ({ kind: 'nps', customerId: (byEmail.get(answer.email) as Customer).id, mailboxId: mailbox.id, source: 'journey', dueAt: answer.askedAt })),
      manager,
    );
    // One answer per customer: the surveys come back in no particular order.
    const answerOf = new Map(npsAnswers.map((answer) => [(byEmail.get(answer.email) as Customer).id, answer]));
    for (const survey of surveys) {
      const answer = answerOf.get(survey.customerId) as (typeof npsAnswers)[number];
      await this.surveyRepository.update(survey.id, { state: 'sent', sentAt: answer.askedAt, mailboxId: mailbox.id }, manager);
      await this.surveyRepository.upsertAnswer({ surveyId: survey.id, kind: 'nps', customerId: survey.customerId, ticketId: null, score: answer.score, comment: answer.comment, reason: null, createdAt: answer.answeredAt }, manager);
    }

    events.forEach(raise);

    await manager.save(Macro, {
      name: 'Skip next box',
      body: 'Hi {{ customer.first_name | default: "there" }},\n\nYour next box is skipped. Your subscription continues with the following one.\n\nBest,\n{{ agent.name }}',
      actions: [
        { type: 'add_tags', tags: ['skip'] },
        { type: 'set_status', status: 'pending' },
      ],
    });
    await manager.save(SlaPolicy, {
      name: 'Standard',
      position: 0,
      conditions: {},
      businessHours: true,
      targets: {
        urgent: { firstReply: 60, nextReply: 120, resolution: 480 },
        high: { firstReply: 240, nextReply: 240, resolution: 960 },
        normal: { firstReply: 480, nextReply: 480, resolution: 2400 },
        low: { firstReply: 960, nextReply: 960, resolution: 4800 },
      },
    });
  }

  /**
   * A demo ticket seeded solved gets the status change an agent's solve records, at its solve time: reports count
   * solves (and the backlog) from these, as they do for real tickets.
   */
  private async recordSolve(ticket: Ticket, agentId: string | null, manager: EntityManager): Promise<void> {
    if (!CLOSED_STATUSES.includes(ticket.status) || !ticket.solvedAt) return;
    const actor = agentId ? { actorType: 'user' as const, actorId: agentId } : { actorType: 'system' as const, actorId: null };
    await this.ticketRepository.insertEvents([{ ticketId: ticket.id, type: 'status.changed', ...actor, data: { from: 'open', to: ticket.status }, createdAt: ticket.solvedAt }], manager);
  }
}
