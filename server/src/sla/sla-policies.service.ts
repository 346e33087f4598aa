import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import type { CalendarDto, CreateCalendarSchema, CreatePolicySchema, SlaPolicyDto, UpdateCalendarSchema, UpdatePolicySchema } from '../../../contracts/sla';
import { Clock } from '../common/clock';
import { ConflictError, DomainError, InvalidFieldError, NotFoundError } from '../common/errors';
import { UserRepository } from '../users/user.repository';
import { validateBusinessCalendar } from './clock';
import type { BusinessCalendarEntity } from './business-calendar.entity';
import { SlaRepository } from './sla.repository';
import type { SlaPolicy } from './sla-policy.entity';
import { toBusinessCalendar } from './sla-rules';
import { SlaScheduler } from './sla-scheduler';

type CreatePolicy = z.output<typeof CreatePolicySchema>;
type UpdatePolicy = z.output<typeof UpdatePolicySchema>;
type CreateCalendar = z.output<typeof CreateCalendarSchema>;
type UpdateCalendar = z.output<typeof UpdateCalendarSchema>;

function toPolicyDto(policy: SlaPolicy): SlaPolicyDto {
  const { id, name, position, isActive, conditions, targets, calendarId, pauseStatuses, warning, escalation } = policy;
  return { id, name, position, isActive, conditions, targets, calendarId, pauseStatuses, warning, escalation, updatedAt: policy.updatedAt.toISOString() };
}

/** Leads' SLA settings: the ordered policies and the business calendars they count in. */
@Injectable()
export class SlaPoliciesService {
  constructor(
    private readonly repository: SlaRepository,
    private readonly users: UserRepository,
    private readonly scheduler: SlaScheduler,
    private readonly clock: Clock,
  ) {}

  async listPolicies(): Promise<SlaPolicyDto[]> {
    return (await this.repository.policies()).map(toPolicyDto);
  }

  async createPolicy(input: CreatePolicy): Promise<SlaPolicyDto> {
    await this.checkReferences(input);
    const position = await this.repository.nextPolicyPosition();
    return toPolicyDto(await this.repository.savePolicy({ ...input, position }));
  }

  /** Open targets move to changed targets, warning or calendar, keeping their time spent (in a job). */
  async updatePolicy(id: string, input: UpdatePolicy): Promise<SlaPolicyDto> {
    const policy = await this.repository.findPolicy(id);
    if (!policy) throw new NotFoundError('SLA policy');
    await this.checkReferences(input);
    const previousCalendar = toBusinessCalendar(policy.calendar);
    const changedAt = this.clock.now();
    await this.repository.savePolicy({ id, ...input });
    if (input.targets !== undefined || input.warning !== undefined || (input.calendarId !== undefined && input.calendarId !== policy.calendarId)) {
      await this.scheduler.enqueueRebase({ previousCalendars: { [id]: previousCalendar }, changedAt: changedAt.toISOString() });
    }
    return toPolicyDto((await this.repository.findPolicy(id)) ?? policy);
  }

  async deletePolicy(id: string): Promise<void> {
    if (!(await this.repository.deletePolicy(id))) throw new NotFoundError('SLA policy');
  }

  /** Sets the order in which policies are tried; every policy must be listed once. */
  async reorderPolicies(policyIds: string[]): Promise<SlaPolicyDto[]> {
    const existing = (await this.repository.policies()).map((policy) => policy.id);
    const complete = policyIds.length === existing.length && new Set(policyIds).size === policyIds.length && existing.every((id) => policyIds.includes(id));
    if (!complete) throw new InvalidFieldError('policyIds', 'must list every policy exactly once');
    await this.repository.setPolicyPositions(policyIds);
    return this.listPolicies();
  }

  async listCalendars(): Promise<CalendarDto[]> {
    const [calendars, policies] = await Promise.all([this.repository.calendars(), this.repository.policies()]);
    return calendars.map((calendar) => this.toCalendarDto(calendar, policies));
  }

  async createCalendar(input: CreateCalendar): Promise<CalendarDto> {
    this.checkCalendar(input);
    await this.checkNameFree(input.name);
    return this.toCalendarDto(await this.repository.saveCalendar(input), []);
  }

  /** Changed hours, holidays or zone move the due times of every open target counted in this calendar (in a job). */
  async updateCalendar(id: string, input: UpdateCalendar): Promise<CalendarDto> {
    const calendar = await this.repository.findCalendar(id);
    if (!calendar) throw new NotFoundError('Business calendar');
    const next = { ...calendar, ...input };
    this.checkCalendar(next);
    if (input.name !== undefined && input.name !== calendar.name) await this.checkNameFree(input.name);
    const changedAt = this.clock.now();
    const saved = await this.repository.saveCalendar({ id, ...input });
    const policies = await this.repository.policies();
    const using = policies.filter((policy) => policy.calendarId === id);
    if (input.timeZone !== undefined || input.weekly !== undefined || input.holidays !== undefined) {
      const previous = toBusinessCalendar(calendar);
      await this.scheduler.enqueueRebase({ previousCalendars: Object.fromEntries(using.map((policy) => [policy.id, previous])), changedAt: changedAt.toISOString() });
    }
    return this.toCalendarDto({ ...next, ...saved }, policies);
  }

  async deleteCalendar(id: string): Promise<void> {
    if ((await this.repository.policies()).some((policy) => policy.calendarId === id)) throw new ConflictError('Policies still count in this calendar');
    if (!(await this.repository.deleteCalendar(id))) throw new NotFoundError('Business calendar');
  }

  private toCalendarDto(calendar: BusinessCalendarEntity, policies: SlaPolicy[]): CalendarDto {
    const { id, name, timeZone, weekly, holidays } = calendar;
    const policyIds = policies.filter((policy) => policy.calendarId === id).map((policy) => policy.id);
    return { id, name, timeZone, weekly, holidays, policyIds, updatedAt: calendar.updatedAt.toISOString() };
  }

  /** The clock module's own checks (overlapping intervals, a week without open time), each naming its field. */
  private checkCalendar(calendar: CreateCalendar): void {
    const problems = validateBusinessCalendar(toBusinessCalendar(calendar));
    if (problems.length === 0) return;
    const fields = problems.map((problem) => ({ field: /^(\w+)/.exec(problem)?.[1] ?? 'weekly', message: problem }));
    throw new DomainError('invalid_field', problems.join('; '), 400, fields);
  }

  private async checkNameFree(name: string): Promise<void> {
    if (await this.repository.findCalendarByName(name)) throw new InvalidFieldError('name', 'a calendar with this name exists');
  }

  private async checkReferences(input: UpdatePolicy): Promise<void> {
    if (input.calendarId && !(await this.repository.findCalendar(input.calendarId))) throw new InvalidFieldError('calendarId', 'no calendar with this id');
    const teamId = input.escalation?.reassignTeamId;
    if (teamId && !(await this.users.findTeam(teamId))) throw new InvalidFieldError('escalation.reassignTeamId', 'no team with this id');
  }
}
