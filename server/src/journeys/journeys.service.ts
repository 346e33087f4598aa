import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type {
  JourneyReviewDto,
  CreateFromPresetRequest,
  CreateJourneyRequest,
  JourneyDto,
  JourneyFiguresDto,
  JourneyPresetDto,
  JourneyStep,
  TestSendRequest,
  TestSendResultDto,
  UpdateJourneyRequest,
} from '../../../contracts/journeys';
import { CreateJourneySchema } from '../../../contracts/journeys';
import type { AuthUser } from '../auth/auth.decorators';
import { Clock } from '../common/clock';
import { DomainError, InvalidFieldError, NotFoundError } from '../common/errors';
import type { Customer } from '../customers/customer.entity';
import { CustomerRepository } from '../customers/customer.repository';
import { MailboxRepository } from '../mail/mailbox.repository';
import { MailSender } from '../mail/outbound/mail-sender';
import { UserRepository } from '../users/user.repository';
import { CareSettingsService } from './care-settings.service';
import { CareTemplates } from './care-templates';
import { JOURNEY_PRESETS } from './journey-presets';
import { JourneyRepository } from './journey.repository';
import type { Journey } from './journey.entity';
import { JourneyEngineRepository } from './journey-engine.repository';
import { JourneyTriggers } from './journey-triggers.service';
import { UnsubscribeTokens } from './unsubscribe-token';

/** What a test send fills templates with when no customer is named. */
/** A preset's review looks this far back, and shows this many of the customers it finds. */
const REVIEW_DAYS = 30;
const REVIEW_SAMPLE = 5;

/** A step that sends no email, as the review puts it. */
function describeStepInWords(step: Exclude<JourneyStep, { type: 'email' }>, render: (template: string) => string): string {
  switch (step.type) {
    case 'wait':
      return step.wait.mode === 'duration'
        ? `Waits ${step.wait.days} days${step.wait.hours ? ` ${step.wait.hours} hours` : ''}.`
        : step.wait.mode === 'before_renewal'
          ? `Waits until ${step.wait.days} days before the next renewal.`
          : 'Waits for the chosen weekdays and hours.';
    case 'branch':
      return `Checks ${step.condition.field.replace(/_/g, ' ')} and goes on accordingly.`;
    case 'task':
      return `Opens a ticket for the care team: “${render(step.title).trim()}”.`;
    case 'tag':
      return `Tags the customer “${step.tag}”.`;
    case 'nps_survey':
      return 'Asks “How likely are you to recommend us, 0–10?” by email; the answer counts in the NPS on the care dashboard.';
  }
}

const SAMPLE_CUSTOMER: Customer = Object.assign({} as Customer, {
  email: 'sample.customer@example.com',
  name: 'Sam Sample',
  plan: 'Coffee 1 kg / month',
  currentCycle: 1,
  nextRenewalAt: new Date('2031-02-01T09:00:00Z'),
  lifetimeValue: 24.9,
  subscriptionStatus: 'active',
  skippedCycles: 0,
});

function toJourneyDto(journey: Journey, figures: JourneyFiguresDto): JourneyDto {
  return {
    id: journey.id,
    name: journey.name,
    description: journey.description,
    presetKey: journey.presetKey,
    status: journey.status,
    trigger: journey.trigger,
    steps: journey.steps,
    exitGoals: journey.exitGoals,
    mailboxId: journey.mailboxId,
    fromName: journey.fromName,
    sendWhileTicketOpen: journey.sendWhileTicketOpen,
    ownerId: journey.ownerId,
    holdoutPercent: journey.holdoutPercent,
    activatedAt: journey.activatedAt?.toISOString() ?? null,
    createdAt: journey.createdAt.toISOString(),
    updatedAt: journey.updatedAt.toISOString(),
    figures,
  };
}

/** Journeys as care owners build them: editing, presets, switching on and off, test sends, figures. */
@Injectable()
export class JourneysService {
  constructor(
    private readonly journeys: JourneyRepository,
    private readonly users: UserRepository,
    private readonly mailboxes: MailboxRepository,
    private readonly customers: CustomerRepository,
    private readonly templates: CareTemplates,
    private readonly sender: MailSender,
    private readonly settings: CareSettingsService,
    private readonly triggers: JourneyTriggers,
    private readonly clock: Clock,
    private readonly engine: JourneyEngineRepository,
    private readonly tokens: UnsubscribeTokens,
  ) {}

  async list(): Promise<JourneyDto[]> {
    const journeys = await this.journeys.list();
    const figures = await this.journeys.figures(journeys.map((journey) => journey.id));
    return journeys.map((journey) => toJourneyDto(journey, figures.get(journey.id) as JourneyFiguresDto));
  }

  async get(id: string): Promise<JourneyDto> {
    const journey = await this.require(id);
    return toJourneyDto(journey, (await this.journeys.figures([id])).get(id) as JourneyFiguresDto);
  }

  async create(input: CreateJourneyRequest, presetKey: string | null = null): Promise<JourneyDto> {
    const fields = CreateJourneySchema.parse(input);
    await this.check(fields);
    const saved = await this.journeys.save({ ...fields, presetKey, status: 'draft' });
    return this.get(saved.id);
  }

  async update(id: string, input: UpdateJourneyRequest): Promise<JourneyDto> {
    const journey = await this.require(id);
    const merged = CreateJourneySchema.parse({ ...journey, ...input });
    await this.check(merged);
    await this.journeys.save({ id, ...merged });
    return this.get(id);
  }

  async delete(id: string): Promise<void> {
    await this.require(id);
    await this.journeys.delete(id);
  }

  /** Switches a journey on (or back on): triggers count from now; customers already in it carry on. */
  async activate(id: string): Promise<JourneyDto> {
    const journey = await this.require(id);
    if (!(await this.mailboxFor(journey)) && journey.steps.some((step) => step.type === 'email')) {
      throw new DomainError('no_mailbox', 'Connect a mailbox (or choose one for this journey) before switching it on: its emails need one to leave from', 422);
    }
    if (journey.status !== 'active') await this.journeys.save({ id, status: 'active', activatedAt: this.clock.now(), scannedUntil: null });
    await this.triggers.requestPass();
    return this.get(id);
  }

  /** Paused: nobody enters and no step runs until it is switched on again. */
  async pause(id: string): Promise<JourneyDto> {
    await this.require(id);
    await this.journeys.save({ id, status: 'paused' });
    return this.get(id);
  }

  async presets(): Promise<JourneyPresetDto[]> {
    const existing = new Map((await this.journeys.list()).flatMap((journey) => (journey.presetKey ? [[journey.presetKey, journey.id] as const] : [])));
    return JOURNEY_PRESETS.map(({ key, journey }) => {
      const parsed = CreateJourneySchema.parse(journey);
      return { key, name: parsed.name, description: parsed.description, trigger: parsed.trigger, steps: parsed.steps, exitGoals: parsed.exitGoals, journeyId: existing.get(key) ?? null };
    });
  }

  /** What switching a preset on would do: who its trigger picked out in the last 30 days, and its emails rendered for one of them. */
  async reviewPreset(key: string): Promise<JourneyReviewDto> {
    const preset = JOURNEY_PRESETS.find((candidate) => candidate.key === key);
    if (!preset) throw new NotFoundError('Journey preset');
    const journey = CreateJourneySchema.parse(preset.journey);
    const to = this.clock.now();
    const from = new Date(to.getTime() - REVIEW_DAYS * 86_400_000);
    const found = await this.engine.wouldEnter(journey.trigger, from, to, REVIEW_SAMPLE);
    const customer = (found.sample[0] && (await this.customers.findById(found.sample[0].id))) || SAMPLE_CUSTOMER;
    const settings = await this.settings.get();
    const mailbox = await this.mailboxFor(journey);
    const scope = {
      customer,
      ticket: { number: 1234, subject: 'My first box arrived damaged' },
      links: { unsubscribe: this.tokens.link(null), skip: settings.manageSubscriptionUrl, adjust: settings.manageSubscriptionUrl },
      sender: { name: journey.fromName ?? mailbox?.name ?? 'The care team' },
    };
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      customers: found.count,
      sample: found.sample.map((row) => ({ customerId: row.id, email: row.email, name: row.name })),
      emails: journey.steps.flatMap((step) =>
        step.type === 'email' ? [{ stepId: step.id, subject: this.templates.render(step.subject, scope).replace(/\s+/g, ' ').trim(), body: this.templates.render(step.body, scope).trim() }] : [],
      ),
      previewFor: customer.name ? `${customer.name} <${customer.email}>` : customer.email,
      otherSteps: journey.steps.flatMap((step) => (step.type === 'email' ? [] : [describeStepInWords(step, (template) => this.templates.render(template, scope))])),
    };
  }

  /** Makes the preset's journey (once; asking again returns it) and switches it on when asked. */
  async createFromPreset(key: string, options: CreateFromPresetRequest): Promise<JourneyDto> {
    const preset = JOURNEY_PRESETS.find((candidate) => candidate.key === key);
    if (!preset) throw new NotFoundError('Journey preset');
    const existing = await this.journeys.findByPreset(key);
    const journey = existing ? await this.get(existing.id) : await this.create({ ...preset.journey, mailboxId: options.mailboxId ?? null }, key);
    return options.activate ? this.activate(journey.id) : journey;
  }

  /** Sends one email step to the care owner, filled with a customer's data (or a sample's); nothing is recorded. */
  async testSend(id: string, request: TestSendRequest, user: AuthUser): Promise<TestSendResultDto> {
    const journey = await this.require(id);
    const step = journey.steps.find((candidate) => candidate.id === request.stepId);
    if (step?.type !== 'email') throw new InvalidFieldError('stepId', 'is not an email step of this journey');
    const customer = request.customerId ? await this.customers.findById(request.customerId) : SAMPLE_CUSTOMER;
    if (!customer) throw new InvalidFieldError('customerId', 'no customer with this id');
    const mailbox = await this.mailboxFor(journey);
    if (!mailbox) throw new DomainError('no_mailbox', 'There is no mailbox to send from', 422);
    const settings = await this.settings.get();
    const scope = {
      customer,
      ticket: { number: 1234, subject: 'My first box arrived damaged' },
      links: { unsubscribe: this.tokens.link(null), skip: settings.manageSubscriptionUrl, adjust: settings.manageSubscriptionUrl },
      sender: { name: journey.fromName ?? mailbox.name },
    };
    const subject = `[Test] ${this.templates.render(step.subject, scope).trim()}`;
    const domain = mailbox.address.slice(mailbox.address.lastIndexOf('@') + 1);
    const withSecrets = await this.mailboxes.findWithSecrets(mailbox.id);
    if (!withSecrets) throw new DomainError('no_mailbox', 'There is no mailbox to send from', 422);
    const result = await this.sender.deliver(withSecrets, {
      fromName: journey.fromName,
      to: user.email,
      subject,
      text: this.templates.render(step.body, scope),
      messageId: `careloop-care-test.${randomUUID()}@${domain}`,
      inReplyTo: null,
      references: [],
      date: this.clock.now(),
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    if (!result.delivered) throw new DomainError('send_failed', `The test email could not be sent: ${result.error}`, 502);
    return { sentTo: user.email, subject };
  }

  private async require(id: string): Promise<Journey> {
    const journey = await this.journeys.findById(id);
    if (!journey) throw new NotFoundError('Journey');
    return journey;
  }

  private async mailboxFor(journey: Pick<Journey, 'mailboxId'>) {
    if (journey.mailboxId) return this.mailboxes.findById(journey.mailboxId);
    return (await this.mailboxes.findAll()).find((mailbox) => mailbox.isActive) ?? null;
  }

  /** What the schema cannot know: templates parse, and the mailbox and people named exist. */
  private async check(journey: { steps: JourneyStep[]; mailboxId: string | null; ownerId: string | null }): Promise<void> {
    this.templates.check(journey.steps);
    if (journey.mailboxId && !(await this.mailboxes.findById(journey.mailboxId))) throw new InvalidFieldError('mailboxId', 'no mailbox with this id');
    const people = [journey.ownerId, ...journey.steps.map((step) => (step.type === 'task' ? step.assigneeId : null))].filter((id): id is string => id !== null);
    const known = await this.users.existsIds([...new Set(people)]);
    const unknown = people.find((id) => !known.includes(id));
    if (unknown) throw new InvalidFieldError(unknown === journey.ownerId ? 'ownerId' : 'steps', `no user with id ${unknown}`);
  }
}
