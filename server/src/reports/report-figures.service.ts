import { Injectable } from '@nestjs/common';
import { ReportDayRollupRepository } from './report-day-rollup.repository';
import { ReportsRepository, type AgentRow, type ReportFilters, type ReportRange, type StatRow } from './reports.repository';

/**
 * The aggregate figures: from the per-day rollups when a rollup cell answers the filters (everyone, a team, an
 * agent), otherwise from the per-ticket rows, which give the same counts and the exact percentiles.
 */
@Injectable()
export class ReportFigures {
  constructor(
    private readonly rollups: ReportDayRollupRepository,
    private readonly rows: ReportsRepository,
  ) {}

  async volume(range: ReportRange, filters: ReportFilters): Promise<{ day: string; created: number; solved: number; reopened: number; backlog: number }[]> {
    return (await this.rollups.volume(range, filters)) ?? this.rows.volume(range, filters);
  }

  async heatmap(range: ReportRange, filters: ReportFilters): Promise<{ weekday: number; hour: number; count: number }[]> {
    return (await this.rollups.heatmap(range, filters)) ?? this.rows.heatmap(range, filters);
  }

  async replyStats(range: ReportRange, filters: ReportFilters, first: boolean): Promise<{ calendar: StatRow; business: StatRow }> {
    return (await this.rollups.replyStats(range, filters, first)) ?? this.rows.replyStats(range, filters, first);
  }

  async firstReplyDays(range: ReportRange, filters: ReportFilters): Promise<{ day: string; firstReplyMedian: number | null; firstReplyBusinessMedian: number | null; replies: number }[]> {
    return (await this.rollups.firstReplyDays(range, filters)) ?? this.rows.firstReplyDays(range, filters);
  }

  async firstReplyDistribution(range: ReportRange, filters: ReportFilters, bounds: number[]): Promise<{ bucket: number; count: number }[]> {
    return (await this.rollups.firstReplyDistribution(range, filters, bounds)) ?? this.rows.firstReplyDistribution(range, filters, bounds);
  }

  async resolution(range: ReportRange, filters: ReportFilters): Promise<{ first: StatRow; full: StatRow; replies: StatRow; solved: number; oneTouch: number }> {
    return (await this.rollups.resolution(range, filters)) ?? this.rows.resolution(range, filters);
  }

  async resolutionDays(range: ReportRange, filters: ReportFilters): Promise<{ day: string; solved: number; fullResolutionMedian: number | null; oneTouch: number }[]> {
    return (await this.rollups.resolutionDays(range, filters)) ?? this.rows.resolutionDays(range, filters);
  }

  async csat(range: ReportRange, filters: ReportFilters): Promise<{ answers: number; good: number; sent: number }> {
    return (await this.rollups.csat(range, filters)) ?? this.rows.csat(range, filters);
  }

  async csatDays(range: ReportRange, filters: ReportFilters): Promise<{ day: string; answers: number; good: number }[]> {
    return (await this.rollups.csatDays(range, filters)) ?? this.rows.csatDays(range, filters);
  }

  async agents(range: ReportRange, filters: ReportFilters): Promise<AgentRow[]> {
    return (await this.rollups.agents(range, filters)) ?? this.rows.agents(range, filters);
  }
}
