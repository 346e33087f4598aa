import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { TicketStatus } from '../../../../contracts/domain';
import type { SurveyKind } from '../../../../contracts/surveys';
import { SatisfactionResponse } from '../../customers/satisfaction-response.entity';
import { ReportSettings } from '../report-settings.entity';
import { Survey } from './survey.entity';

export const REPORT_SETTINGS_ID = 1;

/** A ticket (alias t) whose mail was an auto-reply, bulk mail or a bounce: never surveyed. */
const AUTOMATED_TICKET = `EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = t.id AND m.direction = 'inbound' AND m.flags && ARRAY['auto_reply', 'bulk', 'bounce'])`;

export type NewSurvey = Pick<Survey, 'kind' | 'scale' | 'customerId' | 'ticketId' | 'mailboxId' | 'source' | 'dueAt' | 'createdAt'>;

/** Where a due survey goes and whether it may go: read under the survey's row lock. */
export interface SurveyDelivery {
  survey: Survey;
  toAddress: string | null;
  customerName: string | null;
  unsubscribed: boolean;
  /** Care emails and surveys sent to this customer in the last 7 days (the care frequency cap counts both). */
  sentThisWeek: number;
  weeklyCap: number;
  ticketNumber: number | null;
  ticketSubject: string | null;
  ticketStatus: string | null;
  /** The ticket's mail was an auto-reply, bulk mail or a bounce. */
  ticketAutomated: boolean;
}

/** Surveys, their answers and the report settings. */
@Injectable()
export class SurveyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  findSettings(): Promise<ReportSettings | null> {
    return this.dataSource.getRepository(ReportSettings).findOneBy({ id: REPORT_SETTINGS_ID });
  }

  /** The time zone the report rollups are cut in now (report_rollup_state; it follows the settings' after a recut). */
  async rollupTimeZone(): Promise<string> {
    const [state] = await this.dataSource.query<{ time_zone: string }[]>('SELECT time_zone FROM report_rollup_state WHERE id = 1');
    return state?.time_zone ?? 'UTC';
  }

  async saveSettings(settings: ReportSettings): Promise<void> {
    await this.dataSource.getRepository(ReportSettings).save(settings);
  }

  /** Inserts surveys; the one CSAT per solved ticket already there is kept (nothing returned for it). */
  async insert(surveys: NewSurvey[], manager: EntityManager): Promise<Survey[]> {
    if (surveys.length === 0) return [];
    const result = await manager.createQueryBuilder().insert().into(Survey).values(surveys).orIgnore().returning(['id']).execute();
    const ids = (result.raw as { id: string }[]).map((row) => row.id);
    return ids.length ? manager.getRepository(Survey).findBy({ id: In(ids) }) : [];
  }

  /** What the survey rules read of tickets whose status changed. */
  ticketsForSurvey(ticketIds: string[]): Promise<{ id: string; status: TicketStatus; customerId: string | null; automated: boolean }[]> {
    return this.dataSource.query(
      `SELECT t.id, t.status, t.customer_id AS "customerId",
              ${AUTOMATED_TICKET} AS automated
         FROM tickets t WHERE t.id = ANY($1::uuid[])`,
      [ticketIds],
    );
  }

  /** Scheduled surveys of these tickets whose kind is `kind` are cancelled; returns their ids. */
  async cancelScheduled(ticketIds: string[], kind: SurveyKind, reason: string, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    if (ticketIds.length === 0) return [];
    const rows = await manager.query<{ id: string }[]>(
      `UPDATE surveys SET state = 'cancelled', state_reason = $3 WHERE ticket_id = ANY($1::uuid[]) AND kind = $2 AND state = 'scheduled' RETURNING id`,
      [ticketIds, kind, reason],
    );
    return rows.map((row) => row.id);
  }

  /** The next due survey, locked until the caller's transaction ends (other passes skip it), with what sending needs. */
  async claimDue(now: Date, manager: EntityManager): Promise<SurveyDelivery | null> {
    const [row] = await manager.query<{ id: string }[]>(`SELECT id FROM surveys WHERE state = 'scheduled' AND due_at <= $1 ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED`, [now]);
    if (!row) return null;
    const survey = await manager.getRepository(Survey).findOneByOrFail({ id: row.id });
    const [facts] = await manager.query<Omit<SurveyDelivery, 'survey'>[]>(
      `SELECT c.email AS "toAddress", c.name AS "customerName",
              EXISTS (SELECT 1 FROM unsubscribes u WHERE u.customer_id = c.id) AS "unsubscribed",
              (SELECT count(*)::int FROM care_touches ct WHERE ct.customer_id = c.id AND ct.state IN ('queued', 'sent') AND ct.created_at > $2::timestamptz - interval '7 days')
                + (SELECT count(*)::int FROM surveys s WHERE s.customer_id = c.id AND s.state = 'sent' AND s.sent_at > $2::timestamptz - interval '7 days') AS "sentThisWeek",
              COALESCE((SELECT weekly_email_cap FROM care_settings WHERE id = 1), 3) AS "weeklyCap",
              t.number AS "ticketNumber", t.subject AS "ticketSubject", t.status::text AS "ticketStatus",
              ${AUTOMATED_TICKET} AS "ticketAutomated"
         FROM customers c LEFT JOIN tickets t ON t.id = $3
        WHERE c.id = $1`,
      [survey.customerId, now, survey.ticketId],
    );
    return { survey, ...facts };
  }

  async update(id: string, changes: Partial<Pick<Survey, 'state' | 'stateReason' | 'sentAt' | 'messageId' | 'mailboxId'>>, manager: EntityManager): Promise<void> {
    await manager.getRepository(Survey).update({ id }, changes);
  }

  findById(id: string): Promise<Survey | null> {
    return this.dataSource.getRepository(Survey).findOneBy({ id });
  }

  findAnswer(surveyId: string, manager: EntityManager = this.dataSource.manager): Promise<SatisfactionResponse | null> {
    return manager.getRepository(SatisfactionResponse).findOneBy({ surveyId });
  }

  findAnswerById(id: string): Promise<SatisfactionResponse | null> {
    return this.dataSource.getRepository(SatisfactionResponse).findOneBy({ id });
  }

  /** Records the answer to a survey, replacing an earlier one (it counts from now, and a void no longer holds). */
  async upsertAnswer(answer: Pick<SatisfactionResponse, 'surveyId' | 'kind' | 'customerId' | 'ticketId' | 'score' | 'comment' | 'reason' | 'createdAt'>, manager: EntityManager): Promise<SatisfactionResponse> {
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO satisfaction_responses (survey_id, kind, customer_id, ticket_id, score, comment, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (survey_id) DO UPDATE SET score = EXCLUDED.score, comment = EXCLUDED.comment, reason = EXCLUDED.reason, created_at = EXCLUDED.created_at,
         voided_at = NULL, voided_by_id = NULL, void_reason = NULL
       RETURNING id`,
      [answer.surveyId, answer.kind, answer.customerId, answer.ticketId, answer.score, answer.comment, answer.reason, answer.createdAt],
    );
    return manager.getRepository(SatisfactionResponse).findOneByOrFail({ id: rows[0].id });
  }

  async voidAnswer(id: string, userId: string, reason: string, at: Date, manager: EntityManager): Promise<void> {
    await manager.getRepository(SatisfactionResponse).update({ id }, { voidedAt: at, voidedById: userId, voidReason: reason });
  }
}
