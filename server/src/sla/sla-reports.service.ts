import { Injectable } from '@nestjs/common';
import type { SlaReportDto, SlaReportGroup, SlaTargetDto, TicketSlaDto } from '../../../contracts/sla';
import type { AuthUser } from '../auth/auth.decorators';
import { Clock } from '../common/clock';
import { TicketsService } from '../tickets/tickets.service';
import { SlaClock } from './clock';
import { SlaRepository } from './sla.repository';
import { clockSettings, targetState, toBusinessCalendar } from './sla-rules';
import type { SlaTarget } from './sla-target.entity';

const iso = (date: Date | null) => date?.toISOString() ?? null;
const NO_GROUP_LABEL: Record<SlaReportGroup, string> = { policy: 'Deleted policy', team: 'No team', agent: 'Unassigned', day: '' };

/** What agents and leads read about SLAs: a ticket's targets and the achievement report. */
@Injectable()
export class SlaReportsService {
  constructor(
    private readonly repository: SlaRepository,
    private readonly tickets: TicketsService,
    private readonly clock: Clock,
  ) {}

  async ticketSla(ticketId: string, viewer: AuthUser): Promise<TicketSlaDto> {
    await this.tickets.requireVisible(ticketId, viewer);
    const now = this.clock.now();
    const targets = await this.repository.targets(ticketId);
    const current = [...targets].reverse().find((target) => target.policy && target.achievedAt === null) ?? targets.at(-1);
    return {
      policy: current?.policy ? { id: current.policy.id, name: current.policy.name } : null,
      targets: targets.map((target) => this.toTargetDto(target, now)),
    };
  }

  async report(from: Date, to: Date, groupBy: SlaReportGroup): Promise<SlaReportDto> {
    const rows = await this.repository.report(from, to, groupBy);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      groupBy,
      rows: rows.map(({ key, label, total, met, breached }) => ({
        key,
        label: label ?? NO_GROUP_LABEL[groupBy],
        total,
        met,
        breached,
        percentMet: total ? Math.round((met / total) * 1000) / 10 : null,
      })),
    };
  }


  private toTargetDto(target: SlaTarget, now: Date): SlaTargetDto {
    const settings = clockSettings(target.policy ?? { warning: null }, toBusinessCalendar(target.policy?.calendar ?? null));
    const clock = SlaClock.restore(settings, target);
    return {
      id: target.id,
      kind: target.kind,
      state: targetState(clock, target.breachedAt, now),
      policyId: target.policyId,
      targetMinutes: target.targetMinutes,
      spentMinutes: Math.round(clock.spentMinutesAt(now) * 10) / 10,
      dueAt: iso(target.dueAt),
      warnAt: iso(target.warnAt),
      warnedAt: iso(target.warnedAt),
      breachedAt: iso(target.breachedAt),
      achievedAt: iso(target.achievedAt),
      pausedAt: iso(target.pausedAt),
      createdAt: target.createdAt.toISOString(),
    };
  }
}
