import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DATABASE_URL } from '../database/database-url';

export interface QueueOptions {
  /** Attempts after the first failure, with exponential backoff starting at retryDelaySeconds. */
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** Jobs handed to one handler call. */
  batchSize?: number;
  pollingIntervalSeconds?: number;
}

export interface EnqueueOptions {
  /**
   * Idempotency key: the job's id is derived from queue and key, so a second send with the same key
   * is a no-op for as long as the job is kept (pg-boss archives completed jobs after 12 hours). Put a
   * time window in the key (e.g. a date) for work that may recur.
   */
  singletonKey?: string;
  startAfter?: Date;
  /** Enqueue inside this transaction, so the job exists exactly when the caller's work commits. */
  manager?: EntityManager;
}

/** A UUID derived from queue and key (RFC 4122 version 5 layout over SHA-1). */
export function keyedJobId(queue: string, key: string): string {
  const bytes = createHash('sha1').update(`${queue}\u0000${key}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

type Handler<T> = (data: T, job: { id: string; retryCount: number }) => Promise<void>;
/** Takes the jobs of one fetch together (set-wise work); if it throws, each of them is retried. */
type BatchHandler<T> = (jobs: { data: T; id: string; retryCount: number }[]) => Promise<void>;

/**
 * The one durable job engine (pg-boss on PostgreSQL) for everything that must survive a crash or run
 * on another instance: outbound mail, retries, background work. Time-driven business rules (SLA due
 * times, journey steps) keep their due times in their own tables and are found by scheduler passes.
 */
@Injectable()
export class JobsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly boss: PgBoss;
  private readonly workers = new Map<string, string>();
  private readonly registrations: { queue: string; options: QueueOptions; handler: BatchHandler<never> }[] = [];
  private started = false;

  constructor(@Inject(DATABASE_URL) databaseUrl: string, @Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.boss = new PgBoss({ connectionString: databaseUrl, schema: 'pgboss', migrate: false, max: 5, application_name: 'careloop-jobs' });
    this.boss.on('error', (error) => this.logger.error(`job queue error: ${error.message}`));
  }

  async onModuleInit(): Promise<void> {
    await this.boss.start();
    this.started = true;
    for (const registration of this.registrations) await this.startWorker(registration.queue, registration.options, registration.handler);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.started) await this.boss.stop({ graceful: true, timeout: 10_000, wait: true });
    this.started = false;
  }

  /** Declares a queue and its handler; workers run on every instance unless CARELOOP_WORKERS is off. */
  async register<T>(queue: string, options: QueueOptions, handler: Handler<T>): Promise<void> {
    await this.registerBatch<T>(queue, options, async (jobs) => {
      for (const job of jobs) await handler(job.data, { id: job.id, retryCount: job.retryCount });
    });
  }

  /** As `register`, with up to `options.batchSize` jobs per call. */
  async registerBatch<T>(queue: string, options: QueueOptions, handler: BatchHandler<T>): Promise<void> {
    const registration = { queue, options, handler: handler as BatchHandler<never> };
    this.registrations.push(registration);
    if (this.started) await this.startWorker(queue, options, registration.handler);
  }

  async send<T extends object>(queue: string, data: T, options: EnqueueOptions = {}): Promise<string | null> {
    const { manager, singletonKey, ...jobOptions } = options;
    return this.boss.send(queue, data, {
      ...jobOptions,
      // pg-boss inserts with ON CONFLICT DO NOTHING on the id: a repeated key returns null.
      id: singletonKey === undefined ? undefined : keyedJobId(queue, singletonKey),
      db: manager ? { executeSql: async (text, values) => ({ rows: await manager.query<unknown[]>(text, values) }) } : undefined,
    });
  }

  /** Enqueues many jobs with one statement; a key already queued is skipped, as with `send`. */
  async sendAll<T extends object>(queue: string, jobs: { data: T; singletonKey: string }[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.boss.insert(jobs.map(({ data, singletonKey }) => ({ name: queue, data, id: keyedJobId(queue, singletonKey) })));
  }

  /** Sends a job to a registered queue on a cron schedule (UTC): once per tick, however many instances run. */
  async schedule(queue: string, cron: string): Promise<void> {
    await this.boss.schedule(queue, cron);
  }

  /** Wakes this instance's worker for a queue now instead of at its next poll. */
  nudge(queue: string): void {
    const workerId = this.workers.get(queue);
    if (workerId) this.boss.notifyWorker(workerId);
  }

  private async startWorker<T>(queue: string, options: QueueOptions, handler: BatchHandler<T>): Promise<void> {
    await this.declareQueue(queue, options);
    if (!this.config.workers) return;
    const workOptions = { batchSize: options.batchSize ?? 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1, includeMetadata: true as const };
    const workerId = await this.boss.work<T>(queue, workOptions, (jobs) => handler(jobs.map((job) => ({ data: job.data, id: job.id, retryCount: job.retryCount }))));
    this.workers.set(queue, workerId);
  }

  /**
   * Creates the queue unless it exists. Instances starting together on an empty database declare the
   * same queues at once, and pg-boss's queue creation (a table partition each) can deadlock between
   * them: PostgreSQL aborts one side, which simply tries again.
   */
  private async declareQueue(queue: string, options: QueueOptions): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (await this.boss.getQueue(queue)) return;
        await this.boss.createQueue(queue, { name: queue, retryLimit: options.retryLimit ?? 5, retryDelay: options.retryDelaySeconds ?? 10, retryBackoff: true });
        return;
      } catch (error) {
        const deadlock = (error as { code?: string }).code === '40P01';
        if (!deadlock || attempt >= 5) throw error;
      }
    }
  }
}
