import { OutboxService } from '../outbox/outbox.service';
import { Injectable } from '@nestjs/common';
import type { CreateMacroRequest, MacroApplyResultDto, MacroDto, MacroPreviewDto, MacroScope, TicketAction, UpdateMacroRequest } from '../../../contracts/automation';
import type { AuthUser } from '../auth/auth.decorators';
import { Clock } from '../common/clock';
import { ForbiddenError, InvalidFieldError, NotFoundError } from '../common/errors';
import { TicketRepository } from '../tickets/ticket.repository';
import { TicketsService } from '../tickets/tickets.service';
import { UserRepository } from '../users/user.repository';
import type { Macro } from './macro.entity';
import { MacroRepository, type MacroViewer } from './macro.repository';
import { parseTemplate, renderTemplate, type RenderedTemplate } from './template-renderer';
import { templateVariables } from './template-variables';
import { outcomeEvents, TicketActionsService, type ActionOutcome } from './ticket-actions.service';
import type { EntityManager } from 'typeorm';
import type { DomainEvent } from '../common/domain-events';
import type { Ticket } from '../tickets/ticket.entity';

const MANAGERS = new Set(['lead', 'admin']);

function scopeOf(macro: Macro): MacroScope {
  if (macro.ownerId) return 'personal';
  return macro.teamId ? 'team' : 'everyone';
}

function toMacroDto(macro: Macro): MacroDto {
  return {
    id: macro.id,
    name: macro.name,
    body: macro.body,
    actions: macro.actions,
    scope: scopeOf(macro),
    teamId: macro.teamId,
    ownerId: macro.ownerId,
    usageCount: macro.usageCount,
    lastUsedAt: macro.lastUsedAt?.toISOString() ?? null,
    createdAt: macro.createdAt.toISOString(),
    updatedAt: macro.updatedAt.toISOString(),
  };
}

/** Every template of a macro parses, or the field, line and reason are named. */
export function validateMacroTemplates(body: string, actions: TicketAction[]): void {
  parseTemplate(body, 'body');
  actions.forEach((action, index) => {
    if (action.type === 'add_note') parseTemplate(action.body, `actions.${index}.body`);
  });
}

/**
 * Macros: leads and admins manage shared ones (everyone's or a team's); everyone manages their own
 * personal ones, and reads and applies every macro they can see.
 */
@Injectable()
export class MacrosService {
  constructor(
    private readonly macros: MacroRepository,
    private readonly actions: TicketActionsService,
    private readonly tickets: TicketsService,
    private readonly ticketRepository: TicketRepository,
    private readonly users: UserRepository,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  async list(viewer: AuthUser, name?: string): Promise<MacroDto[]> {
    return (await this.macros.visible(this.viewerOf(viewer), name)).map(toMacroDto);
  }

  async get(id: string, viewer: AuthUser): Promise<MacroDto> {
    return toMacroDto(await this.requireVisible(id, viewer));
  }

  async create(input: CreateMacroRequest, viewer: AuthUser): Promise<MacroDto> {
    const scope = input.scope ?? 'everyone';
    const body = input.body ?? '';
    const actions = (input.actions ?? []) as TicketAction[];
    await this.checkWritable(scope, input.teamId ?? null, viewer);
    validateMacroTemplates(body, actions);
    const saved = await this.macros.save({ name: input.name, body, actions, ...this.ownership(scope, input.teamId ?? null, viewer.id) });
    return this.get(saved.id, viewer);
  }

  async update(id: string, input: UpdateMacroRequest, viewer: AuthUser): Promise<MacroDto> {
    const macro = await this.requireVisible(id, viewer);
    await this.checkWritable(scopeOf(macro), macro.teamId, viewer);
    const scope = input.scope ?? scopeOf(macro);
    const teamId = input.teamId !== undefined ? input.teamId : macro.teamId;
    if (input.scope !== undefined || input.teamId !== undefined) await this.checkWritable(scope, teamId, viewer);
    const body = input.body ?? macro.body;
    const actions = input.actions ?? macro.actions;
    validateMacroTemplates(body, actions);
    await this.macros.save({ id, name: input.name ?? macro.name, body, actions, ...this.ownership(scope, teamId, macro.ownerId ?? viewer.id) });
    return this.get(id, viewer);
  }

  async delete(id: string, viewer: AuthUser): Promise<void> {
    const macro = await this.requireVisible(id, viewer);
    await this.checkWritable(scopeOf(macro), macro.teamId, viewer);
    await this.macros.delete(id);
  }

  /** The macro rendered against the ticket as it is now, with what its actions would do; nothing changes. */
  async preview(id: string, ticketId: string, viewer: AuthUser): Promise<MacroPreviewDto> {
    const [macro, ticket] = await Promise.all([this.requireVisible(id, viewer), this.tickets.requireVisible(ticketId, viewer)]);
    const variables = templateVariables(await this.actions.subject(ticket, viewer));
    const body = renderTemplate(macro.body, variables);
    const noteWarnings = macro.actions.flatMap((action) => (action.type === 'add_note' ? renderTemplate(action.body, variables).warnings : []));
    return { body: body.text, warnings: [...new Set([...body.warnings, ...noteWarnings])], actions: await this.actions.describe(macro.actions) };
  }

  /**
   * Applies every action in one transaction (all or none) and returns the rendered reply for the
   * composer; the timeline records the macro and each change it made.
   */
  async apply(id: string, ticketId: string, viewer: AuthUser): Promise<MacroApplyResultDto> {
    const macro = await this.requireVisible(id, viewer);
    await this.tickets.requireVisible(ticketId, viewer);
    const { body, outcome } = await this.outbox.transaction(async (manager, raise) => {
      const ticket = await this.ticketRepository.findForUpdate(ticketId, manager);
      if (!ticket) throw new NotFoundError('Ticket');
      const applied = await this.applyLocked(macro, ticket, viewer, manager);
      outcomeEvents(ticketId, applied.outcome).forEach(raise);
      return applied;
    });
    const ticket = await this.tickets.summary(ticketId);
    if (!ticket) throw new NotFoundError('Ticket');
    return { body: body.text, warnings: [...new Set([...body.warnings, ...outcome.warnings])], actions: outcome.descriptions, ticket };
  }

  /**
   * The actions of macros the agent picked in the composer, applied to a locked ticket in the caller's
   * transaction as the reply goes out (their body is already in the reply). Returns the events to raise.
   */
  async applyWithReply(macroIds: string[], ticket: Ticket, viewer: AuthUser, manager: EntityManager): Promise<DomainEvent[]> {
    const events: DomainEvent[] = [];
    for (const id of macroIds) {
      const macro = await this.requireVisible(id, viewer).catch(() => {
        throw new InvalidFieldError('macroIds', `no macro ${id} that you may use`);
      });
      events.push(...outcomeEvents(ticket.id, (await this.applyLocked(macro, ticket, viewer, manager)).outcome));
    }
    return events;
  }

  private async applyLocked(macro: Macro, ticket: Ticket, viewer: AuthUser, manager: EntityManager): Promise<{ body: RenderedTemplate; outcome: ActionOutcome }> {
    const actor = { type: 'user' as const, id: viewer.id };
    const variables = templateVariables(await this.actions.subject(ticket, viewer, manager));
    const body = renderTemplate(macro.body, variables);
    const outcome = await this.actions.apply(ticket, macro.actions, actor, variables, manager);
    const applied = await this.tickets.addEvent(ticket.id, 'macro.applied', actor, { macroId: macro.id, macroName: macro.name, actions: outcome.descriptions }, manager);
    await this.macros.recordUse(macro.id, this.clock.now(), manager);
    return { body, outcome: { ...outcome, eventIds: [applied.id, ...outcome.eventIds], changed: ['macro.applied', ...outcome.changed] } };
  }

  private viewerOf(viewer: AuthUser): MacroViewer {
    return { id: viewer.id, teamIds: MANAGERS.has(viewer.role) ? null : viewer.teamIds };
  }

  private async requireVisible(id: string, viewer: AuthUser): Promise<Macro> {
    const macro = await this.macros.findById(id);
    const { teamIds } = this.viewerOf(viewer);
    const visible =
      macro && (macro.ownerId ? macro.ownerId === viewer.id : !macro.teamId || teamIds === null || teamIds.includes(macro.teamId));
    if (!macro || !visible) throw new NotFoundError('Macro');
    return macro;
  }

  private async checkWritable(scope: MacroScope, teamId: string | null, viewer: AuthUser): Promise<void> {
    if (scope !== 'personal' && !MANAGERS.has(viewer.role)) throw new ForbiddenError('Only leads and admins can change shared macros');
    if (scope === 'team' && (!teamId || !(await this.users.findTeam(teamId)))) throw new InvalidFieldError('teamId', 'no team with this id');
  }

  private ownership(scope: MacroScope, teamId: string | null, ownerId: string): Pick<Macro, 'ownerId' | 'teamId'> {
    if (scope === 'personal') return { ownerId, teamId: null };
    return { ownerId: null, teamId: scope === 'team' ? teamId : null };
  }
}
