import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { DATABASE_URL } from '../../database/database-url';
import { MailboxRepository } from '../mailbox.repository';
import { MailboxCredentials } from '../oauth/mailbox-credentials.service';
import { InboundMailProcessor } from './inbound-mail.processor';
import { MailboxWorker } from './mailbox-worker';
import { sweepStaleSpools } from './spool';

/** How often this instance compares its workers with the mailboxes table (changes made on other instances). */
const RECONCILE_MS = 5_000;

/**
 * Runs one MailboxWorker per active mailbox on every instance with workers on; the workers' leases
 * make sure exactly one instance imports a given mailbox. Mailbox changes restart their worker.
 */
@Injectable()
export class MailIngestService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MailIngest');
  private readonly workers = new Map<string, { worker: MailboxWorker; version: number }>();
  private timer: NodeJS.Timeout | null = null;
  private reconciling: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly mailboxes: MailboxRepository,
    private readonly processor: InboundMailProcessor,
    private readonly credentials: MailboxCredentials,
    private readonly clock: Clock,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.workers) return;
    sweepStaleSpools().then(
      (removed) => {
        if (removed) this.logger.log(`removed ${removed} spool folder(s) an earlier process left behind`);
      },
      (error: unknown) => this.logger.warn(`could not sweep old spool folders: ${String(error)}`),
    );
    this.schedule();
    this.timer = setInterval(() => this.schedule(), RECONCILE_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.reconciling;
    await Promise.all([...this.workers.values()].map(({ worker }) => worker.stop()));
    this.workers.clear();
  }

  /** A mailbox changed here: compare workers with the table now rather than at the next round. */
  onMailboxChanged(): void {
    if (this.config.workers) this.schedule();
  }

  /** Serialised, so overlapping triggers never start two workers for one mailbox. */
  private schedule(): void {
    this.reconciling = this.reconciling.then(() => this.reconcile()).catch((error: unknown) => this.logger.error(`reconcile failed: ${String(error)}`));
  }

  private async reconcile(): Promise<void> {
    if (this.stopped) return;
    const wanted = new Map((await this.mailboxes.findIngestible()).map((mailbox) => [mailbox.id, mailbox.updatedAt.getTime()]));
    for (const [id, { worker, version }] of this.workers) {
      if (wanted.get(id) !== version) {
        await worker.stop();
        this.workers.delete(id);
      }
    }
    for (const [id, version] of wanted) {
      if (this.workers.has(id)) continue;
      const worker = new MailboxWorker(id, {
        databaseUrl: this.databaseUrl,
        mailboxes: this.mailboxes,
        processor: this.processor,
        credentials: this.credentials,
        clock: this.clock,
        pollSeconds: this.config.imapPollSeconds,
      });
      this.workers.set(id, { worker, version });
      worker.start();
    }
  }
}
