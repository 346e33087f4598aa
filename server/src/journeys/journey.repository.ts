import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { JourneyFiguresDto } from '../../../contracts/journeys';
import { CareSettings } from './care-settings.entity';
import { CareTouch } from './care-touch.entity';
import { JourneyEnrollment } from './journey-enrollment.entity';
import { JourneyStepRun } from './journey-step-run.entity';
import { Journey } from './journey.entity';
import { Unsubscribe } from './unsubscribe.entity';

export const SETTINGS_ID = 1;

function emptyFigures(): JourneyFiguresDto {
  return { entered: 0, active: 0, completed: 0, goalReached: 0, unsubscribed: 0, replies: 0, emailsSent: 0, steps: [] };
}

/** Journeys as care owners edit them, their figures, care settings, unsubscribes and a customer's care history. */
@Injectable()
export class JourneyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  list(): Promise<Journey[]> {
    return this.dataSource.getRepository(Journey).find({ order: { createdAt: 'ASC' } });
  }

  findById(id: string): Promise<Journey | null> {
    return this.dataSource.getRepository(Journey).findOneBy({ id });
  }

  findByPreset(presetKey: string): Promise<Journey | null> {
    return this.dataSource.getRepository(Journey).findOneBy({ presetKey });
  }

  save(journey: Partial<Journey>): Promise<Journey> {
    return this.dataSource.getRepository(Journey).save(journey);
  }

  async delete(id: string): Promise<void> {
    await this.dataSource.getRepository(Journey).delete({ id });
  }

  /** Entered, finished, goal reached, unsubscribed, replies and each step's runs, for many journeys in four queries. */
  async figures(journeyIds: string[]): Promise<Map<string, JourneyFiguresDto>> {
    const result = new Map(journeyIds.map((id) => [id, emptyFigures()]));
    if (journeyIds.length === 0) return result;
    const figuresOf = (id: string) => result.get(id) ?? emptyFigures();
    const [enrollments, steps, touches, unsubscribes] = await Promise.all([
      this.dataSource.query<{ journey_id: string; entered: number; active: number; completed: number; goal_reached: number }[]>(
        `SELECT e.journey_id, count(*)::int AS entered, count(*) FILTER (WHERE e.state = 'active')::int AS active,
                count(*) FILTER (WHERE e.state = 'completed')::int AS completed,
                count(*) FILTER (WHERE e.state = 'exited' AND e.exit_reason = ANY(j.exit_goals))::int AS goal_reached
         FROM journey_enrollments e JOIN journeys j ON j.id = e.journey_id WHERE e.journey_id = ANY($1::uuid[]) GROUP BY e.journey_id`,
        [journeyIds],
      ),
      this.dataSource.query<{ journey_id: string; step_id: string; done: number; skipped: number }[]>(
        `SELECT journey_id, step_id, count(*) FILTER (WHERE outcome = 'done')::int AS done, count(*) FILTER (WHERE outcome = 'skipped')::int AS skipped
         FROM journey_step_runs WHERE journey_id = ANY($1::uuid[]) GROUP BY journey_id, step_id`,
        [journeyIds],
      ),
      this.dataSource.query<{ journey_id: string; sent: number; replies: number }[]>(
        `SELECT journey_id, count(*) FILTER (WHERE state = 'sent')::int AS sent, count(*) FILTER (WHERE replied_at IS NOT NULL)::int AS replies
         FROM care_touches WHERE journey_id = ANY($1::uuid[]) GROUP BY journey_id`,
        [journeyIds],
      ),
      this.dataSource.query<{ journey_id: string; count: number }[]>('SELECT journey_id, count(*)::int AS count FROM unsubscribes WHERE journey_id = ANY($1::uuid[]) GROUP BY journey_id', [
        journeyIds,
      ]),
    ]);
    for (const row of enrollments) Object.assign(figuresOf(row.journey_id), { entered: row.entered, active: row.active, completed: row.completed, goalReached: row.goal_reached });
    for (const row of steps) figuresOf(row.journey_id).steps.push({ stepId: row.step_id, done: row.done, skipped: row.skipped });
    for (const row of touches) Object.assign(figuresOf(row.journey_id), { emailsSent: row.sent, replies: row.replies });
    for (const row of unsubscribes) figuresOf(row.journey_id).unsubscribed = row.count;
    return result;
  }

  findSettings(): Promise<CareSettings | null> {
    return this.dataSource.getRepository(CareSettings).findOneBy({ id: SETTINGS_ID });
  }

  async saveSettings(settings: CareSettings, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(CareSettings).save(settings);
  }

  findTouch(id: string): Promise<CareTouch | null> {
    return this.dataSource.getRepository(CareTouch).findOneBy({ id });
  }

  findUnsubscribe(customerId: string): Promise<Unsubscribe | null> {
    return this.dataSource.getRepository(Unsubscribe).findOneBy({ customerId });
  }

  /**
   * Records an unsubscribe and honours it at once, in one transaction: the customer leaves every journey
   * and care emails not yet sent are suppressed. False when they had unsubscribed already.
   */
  async unsubscribe(entry: Omit<Unsubscribe, 'customer' | 'journey'>): Promise<boolean> {
    return this.transaction(async (manager) => {
      const inserted = await manager.query<{ customer_id: string }[]>(
        'INSERT INTO unsubscribes (customer_id, journey_id, touch_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (customer_id) DO NOTHING RETURNING customer_id',
        [entry.customerId, entry.journeyId, entry.touchId, entry.createdAt],
      );
      if (inserted.length === 0) return false;
      await manager.query(
        `UPDATE journey_enrollments SET state = 'exited', exit_reason = 'unsubscribed', next_step_id = NULL, due_at = NULL, finished_at = $2 WHERE customer_id = $1 AND state = 'active'`,
        [entry.customerId, entry.createdAt],
      );
      await manager.query(`UPDATE care_touches SET state = 'suppressed', error = 'The customer unsubscribed' WHERE customer_id = $1 AND state = 'queued'`, [entry.customerId]);
      return true;
    });
  }

  // ---- a customer's care history ----

  touchesOf(customerId: string): Promise<(CareTouch & { journey: Journey | null })[]> {
    return this.dataSource.getRepository(CareTouch).find({ where: { customerId }, relations: { journey: true }, order: { createdAt: 'DESC' }, take: 200 });
  }

  enrollmentsOf(customerId: string): Promise<(JourneyEnrollment & { journey: Journey })[]> {
    return this.dataSource.getRepository(JourneyEnrollment).find({ where: { customerId }, relations: { journey: true }, order: { createdAt: 'DESC' }, take: 100 });
  }

  async stepRunsOf(enrollmentIds: string[]): Promise<Map<string, JourneyStepRun[]>> {
    const result = new Map<string, JourneyStepRun[]>(enrollmentIds.map((id) => [id, []]));
    if (enrollmentIds.length === 0) return result;
    const runs = await this.dataSource
      .getRepository(JourneyStepRun)
      .createQueryBuilder('r')
      .where('r.enrollmentId IN (:...enrollmentIds)', { enrollmentIds })
      .orderBy('r.createdAt')
      .getMany();
    for (const run of runs) result.get(run.enrollmentId)?.push(run);
    return result;
  }
}
