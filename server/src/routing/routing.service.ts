import { Injectable } from '@nestjs/common';
import type { CreateRuleRequest, DryRunResultDto, RuleAction, RuleCondition, RuleDto, TimeCondition, UpdateRuleRequest } from '../../../contracts/automation';
import { InvalidFieldError, NotFoundError } from '../common/errors';
import { MacroRepository } from '../macros/macro.repository';
import { parseTemplate } from '../macros/template-renderer';
import { UserRepository } from '../users/user.repository';
import type { RoutingRule } from './routing-rule.entity';
import { RoutingEngine } from './routing-engine.service';
import { RoutingRepository } from './routing.repository';
import { patternProblem } from './rule-conditions';

/** A rule as the API accepts it, after validation filled in the defaults. */
type RuleInput = Pick<RoutingRule, 'name' | 'isActive' | 'triggers' | 'timeCondition' | 'match' | 'conditions' | 'actions' | 'stopProcessing'>;

function toRuleDto(rule: RoutingRule): RuleDto {
  return {
    id: rule.id,
    name: rule.name,
    position: rule.position,
    isActive: rule.isActive,
    triggers: rule.triggers,
    timeCondition: rule.timeCondition,
    match: rule.match,
    conditions: rule.conditions,
    actions: rule.actions,
    stopProcessing: rule.stopProcessing,
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
  };
}

/** Routing rules as leads manage them: saved only when every pattern, template and reference is valid. */
@Injectable()
export class RoutingService {
  constructor(
    private readonly routing: RoutingRepository,
    private readonly engine: RoutingEngine,
    private readonly users: UserRepository,
    private readonly macros: MacroRepository,
  ) {}

  async list(): Promise<RuleDto[]> {
    return (await this.routing.listRules()).map(toRuleDto);
  }

  async get(id: string): Promise<RuleDto> {
    return toRuleDto(await this.require(id));
  }

  async create(input: CreateRuleRequest): Promise<RuleDto> {
    const rule = input as RuleInput;
    await this.validate(rule);
    return toRuleDto(await this.routing.saveRule(rule));
  }

  async update(id: string, input: UpdateRuleRequest): Promise<RuleDto> {
    const current = await this.require(id);
    const merged = { ...current, ...(input as Partial<RuleInput>) };
    await this.validate(merged);
    await this.routing.saveRule({ id, ...(input as Partial<RuleInput>) });
    return this.get(id);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.routing.deleteRule(id))) throw new NotFoundError('Rule');
  }

  async reorder(ruleIds: string[]): Promise<RuleDto[]> {
    const existing = (await this.routing.listRules()).map((rule) => rule.id);
    const complete = ruleIds.length === existing.length && new Set(ruleIds).size === ruleIds.length && existing.every((id) => ruleIds.includes(id));
    if (!complete) throw new InvalidFieldError('ruleIds', 'must list every rule exactly once');
    await this.routing.reorder(ruleIds);
    return this.list();
  }

  async dryRun(rule: Pick<RuleInput, 'match' | 'conditions'>, limit: number): Promise<DryRunResultDto> {
    await this.validateConditions(rule.conditions, null);
    const { evaluated, matches } = await this.engine.dryRun(rule, limit);
    return {
      evaluated,
      matches: matches.map((ticket) => ({ id: ticket.id, number: ticket.number, subject: ticket.subject, status: ticket.status, priority: ticket.priority, createdAt: ticket.createdAt.toISOString() })),
    };
  }

  private async require(id: string): Promise<RoutingRule> {
    const rule = await this.routing.findRule(id);
    if (!rule) throw new NotFoundError('Rule');
    return rule;
  }

  private async validate(rule: Pick<RuleInput, 'conditions' | 'actions' | 'timeCondition'>): Promise<void> {
    await Promise.all([this.validateConditions(rule.conditions, rule.timeCondition), ...rule.actions.map((action, index) => this.validateAction(action, `actions.${index}`))]);
  }

  private async validateConditions(conditions: RuleCondition[], timeCondition: TimeCondition | null): Promise<void> {
    const calendarIds = new Map<string, string>();
    conditions.forEach((condition, index) => {
      const field = `conditions.${index}.value`;
      if ((condition.operator === 'matches' || condition.operator === 'not_matches') && typeof condition.value === 'string') {
        const problem = patternProblem(condition.value);
        if (problem) throw new InvalidFieldError(field, `not a valid pattern (RE2 syntax): ${problem}`);
      }
      if (condition.field === 'business_hours') calendarIds.set(condition.value, field);
    });
    if (timeCondition?.type === 'no_agent_reply_for' && timeCondition.calendarId) calendarIds.set(timeCondition.calendarId, 'timeCondition.calendarId');
    const found = new Set((await this.routing.calendars([...calendarIds.keys()])).map((calendar) => calendar.id));
    for (const [id, field] of calendarIds) if (!found.has(id)) throw new InvalidFieldError(field, 'no business calendar with this id');
  }

  private async validateAction(action: RuleAction, field: string): Promise<void> {
    switch (action.type) {
      case 'send_auto_reply':
      case 'add_note':
        parseTemplate(action.body, `${field}.body`);
        return;
      case 'apply_macro':
        if (!(await this.macros.findById(action.macroId))) throw new InvalidFieldError(`${field}.macroId`, 'no macro with this id');
        return;
      case 'set_team':
      case 'assign_agent':
        if (action.teamId && !(await this.users.findTeam(action.teamId))) throw new InvalidFieldError(`${field}.teamId`, 'no team with this id');
        return;
      case 'set_assignee':
        if (action.assigneeId && !(await this.users.findById(action.assigneeId))?.isActive) throw new InvalidFieldError(`${field}.assigneeId`, 'no active user with this id');
        return;
      default:
        return;
    }
  }
}
