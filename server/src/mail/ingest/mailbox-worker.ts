import { Logger } from '@nestjs/common';
import type { ImapFlow } from 'imapflow';
import { hostname } from 'node:os';
import { Client } from 'pg';
import type { Clock } from '../../common/clock';
import { createImapClient, describeConnectionError } from '../connection';
import type { MailboxRepository } from '../mailbox.repository';
import type { MailboxCredentials } from '../oauth/mailbox-credentials.service';
import { discardSpools, type FetchedMessage, type FolderPosition, type InboundMailProcessor } from './inbound-mail.processor';
import { SPOOL_BYTES, spoolSource } from './spool';

export interface MailboxWorkerDeps {
  databaseUrl: string;
  mailboxes: MailboxRepository;
  processor: InboundMailProcessor;
  credentials: MailboxCredentials;
  clock: Clock;
  pollSeconds: number;
}

/** Fetched per round trip: bounds memory however large the backlog is. */
const FETCH_CHUNK = 200;
const LEASE_RETRY_MS = 2_000;
const MAX_BACKOFF_MS = 30_000;
const INSTANCE = `${hostname()}:${process.pid}`;

/** What the IMAP client's events tell the session loop. */
interface SessionState {
  closed: boolean;
}

/**
 * Keeps one mailbox folder imported: holds the mailbox's lease (a PostgreSQL advisory lock on its own
 * connection, released by the server if this process dies, so another instance takes over within
 * seconds), imports everything after the checkpoint, then waits for IDLE news or the poll interval.
 * Any error ends the session; it reconnects with backoff. It never relies on \Seen.
 */
export class MailboxWorker {
  private readonly logger = new Logger('MailboxWorker');
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** The server announced new mail since the last import began: import again before waiting. */
  private newsPending = false;
  private imap: ImapFlow | null = null;
  private lease: Client | null = null;
  /** How the current session logged in, to name the right fix when the server refuses it. */
  private login: 'password' | 'oauth' = 'password';

  constructor(
    readonly mailboxId: string,
    private readonly deps: MailboxWorkerDeps,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run().catch((error: unknown) => this.logger.error(`mailbox ${this.mailboxId}: worker stopped: ${String(error)}`));
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    this.imap?.close();
    await this.loop;
    await this.releaseLease();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      if (!(await this.acquireLease())) {
        await this.sleep(LEASE_RETRY_MS);
        continue;
      }
      try {
        await this.session(() => {
          failures = 0;
        });
      } catch (error) {
        if (!this.running) break;
        failures++;
        const message = describeConnectionError('IMAP', error, this.login);
        this.logger.warn(`mailbox ${this.mailboxId}: ${message}${(error as { code?: string }).code ? ` (${(error as { code?: string }).code})` : ''}`);
        await this.deps.mailboxes.upsertSync(this.mailboxId, await this.folder(), { state: 'error', lastError: message, lastErrorAt: this.deps.clock.now(), heldBy: INSTANCE }).catch(() => undefined);
        if (this.lease && !(await this.leaseAlive())) await this.releaseLease();
      } finally {
        this.imap?.close();
        this.imap = null;
      }
      if (this.running) await this.sleep(Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(failures, 6)));
    }
  }

  private async session(onConnected: () => void): Promise<void> {
    const mailbox = await this.deps.mailboxes.findWithSecrets(this.mailboxId);
    if (!mailbox) return;
    const folder = mailbox.imapFolder;
    this.login = mailbox.oauthProvider ? 'oauth' : 'password';
    const imap = createImapClient(mailbox, await this.deps.credentials.imap(mailbox));
    this.imap = imap;
    const connection: SessionState = { closed: false };
    const failure: { error: Error | null } = { error: null };
    imap.on('error', (error: Error) => {
      failure.error = error;
    });
    imap.on('close', () => {
      connection.closed = true;
      this.wake?.();
    });
    imap.on('exists', () => {
      this.newsPending = true;
      this.wake?.();
    });
    await imap.connect();
    const position: FolderPosition = { mailbox, folder, uidValidity: await this.selectFolder(imap, folder) };
    let selectedAt = performance.now();
    await this.deps.mailboxes.upsertSync(this.mailboxId, folder, { state: 'connected', lastError: null, heldBy: INSTANCE });
    onConnected();

    const pollMs = this.deps.pollSeconds * 1000;
    // An OAuth token only matters at login: the open session keeps working while this instance renews it
    // ahead of expiry, so the next login (after a drop) has a fresh one and a revoked grant shows at once.
    let refreshDueAt = mailbox.oauthProvider ? (await this.deps.credentials.accessToken(this.mailboxId)).refreshDueAt : null;
    while (this.running && !connection.closed) {
      // A folder deleted and created again under an open session is not announced, by IDLE or otherwise:
      // Dovecot goes on answering from the old folder (or says BYE at some later command). Selecting it
      // afresh once per poll interval shows the folder as it is now, with its new UIDVALIDITY.
      if (performance.now() - selectedAt >= pollMs) {
        position.uidValidity = await this.selectFolder(imap, folder);
        selectedAt = performance.now();
      }
      this.newsPending = false;
      await this.importNew(imap, position);
      if (imap.mailbox) await this.deps.mailboxes.upsertSync(this.mailboxId, folder, { lastSyncAt: this.deps.clock.now(), folderMessages: imap.mailbox.exists });
      if (!(await this.leaseAlive())) throw new Error('lost the mailbox lease');
      // Mail that arrived while importing announces itself through 'exists'; otherwise wait.
      const untilPoll = Math.max(0, pollMs - (performance.now() - selectedAt));
      await this.waitForNews(imap, connection, refreshDueAt ? Math.min(untilPoll, refreshDueAt.getTime() - this.deps.clock.now().getTime()) : untilPoll);
      if (refreshDueAt && refreshDueAt.getTime() <= this.deps.clock.now().getTime() && this.running && !connection.closed) {
        refreshDueAt = (await this.deps.credentials.accessToken(this.mailboxId)).refreshDueAt;
      }
    }
    if (this.running && failure.error) throw failure.error;
    if (this.running) throw new Error('The IMAP server closed the connection');
  }

  /**
   * SELECTs the folder and returns its UIDVALIDITY. A new one means the server renumbered the folder
   * (deleted and created again, restored from backup): the import starts over from the first UID, and
   * content hashes keep mail already imported from repeating.
   */
  private async selectFolder(imap: ImapFlow, folder: string): Promise<string> {
    const opened = await imap.mailboxOpen(folder);
    const uidValidity = String(opened.uidValidity);
    const sync = await this.deps.mailboxes.findSync(this.mailboxId, folder);
    if (sync?.uidValidity && sync.uidValidity !== uidValidity) {
      this.logger.warn(`mailbox ${this.mailboxId}: UIDVALIDITY changed ${sync.uidValidity} → ${uidValidity}; resyncing ${folder}`);
      await this.deps.mailboxes.upsertSync(this.mailboxId, folder, { uidValidity, lastUid: '0', folderMessages: opened.exists });
    } else if (!sync?.uidValidity) {
      await this.deps.mailboxes.upsertSync(this.mailboxId, folder, { uidValidity, lastUid: sync?.lastUid ?? '0' });
    }
    return uidValidity;
  }

  private async importNew(imap: ImapFlow, position: FolderPosition): Promise<void> {
    const sync = await this.deps.mailboxes.findSync(this.mailboxId, position.folder);
    const after = BigInt(sync?.lastUid ?? '0');
    const found = await imap.search({ uid: `${after + 1n}:*` }, { uid: true });
    // "n:*" always matches the last message, even when its UID is below n.
    const uids = (found || []).map((uid) => BigInt(uid)).filter((uid) => uid > after).sort((a, b) => (a < b ? -1 : 1));
    const chunks: bigint[][] = [];
    for (let start = 0; start < uids.length; start += FETCH_CHUNK) chunks.push(uids.slice(start, start + FETCH_CHUNK));
    // The next chunk downloads and parses while this one is stored: IMAP, the CPU and PostgreSQL work side by side.
    const prepare = async (chunk: bigint[]) => {
      const batch = await this.fetchChunk(imap, chunk);
      try {
        return { batch, prepared: await this.deps.processor.prepare(position, batch) };
      } catch (error) {
        await discardSpools(batch);
        throw error;
      }
    };
    let next = chunks.length ? prepare(chunks[0]) : null;
    try {
      for (let index = 0; index < chunks.length && this.running && next; index++) {
        const { batch, prepared } = await next;
        next = index + 1 < chunks.length ? prepare(chunks[index + 1]) : null;
        try {
          await this.deps.processor.storeBatch(position, prepared);
        } finally {
          await discardSpools(batch);
        }
      }
    } finally {
      // A chunk prepared ahead of a stop or failure is fetched again next time: its spooled sources go now.
      await next?.then(({ batch }) => discardSpools(batch), () => undefined);
    }
  }

  /**
   * Sources up to SPOOL_BYTES come in memory, in one FETCH for the chunk (asked for at most SPOOL_BYTES
   * each); a source that fills that window streams into a spool file afterwards instead.
   */
  private async fetchChunk(imap: ImapFlow, uids: bigint[]): Promise<FetchedMessage[]> {
    const batch: FetchedMessage[] = [];
    const large: string[] = [];
    for await (const message of imap.fetch(uids.map(String).join(','), { uid: true, source: { maxLength: SPOOL_BYTES } }, { uid: true })) {
      if (message.source && message.source.length >= SPOOL_BYTES) large.push(String(message.uid));
      else if (message.source) batch.push({ uid: String(message.uid), source: message.source });
      else this.logger.warn(`mailbox ${this.mailboxId} UID ${message.uid}: the server returned no source; skipped`);
    }
    try {
      for (const uid of large) {
        const spooled = await spoolSource(imap, uid);
        if (spooled) batch.push({ uid, spooled });
        else this.logger.warn(`mailbox ${this.mailboxId} UID ${uid}: the server returned no source; skipped`);
      }
    } catch (error) {
      await discardSpools(batch);
      throw error;
    }
    return batch.sort((a, b) => (BigInt(a.uid) < BigInt(b.uid) ? -1 : 1));
  }

  /** Waits at most `waitMs` for IDLE news; returns at once when news came while importing or the connection is gone. */
  private async waitForNews(imap: ImapFlow, connection: SessionState, waitMs: number): Promise<void> {
    // An announcement that came while importing (no one was waiting then) must not wait for the next poll;
    // nor may a connection that closed meanwhile (its 'close' found no one waiting either).
    if (this.newsPending || connection.closed || waitMs <= 0) return;
    const news = new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
      timer.unref();
    });
    // IDLE keeps the connection open for pushes; NOOP-polling servers answer 'exists' on the next command.
    const idle = imap.idle().catch(() => undefined);
    await Promise.race([news, timeout]);
    clearTimeout(timer);
    this.wake = null;
    void idle;
  }

  private async acquireLease(): Promise<boolean> {
    if (this.lease) return true;
    const client = new Client({ connectionString: this.deps.databaseUrl, application_name: 'careloop-mailbox-lease' });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock(hashtext('careloop.mailbox'), hashtext($1)) AS locked", [this.mailboxId]);
      if (rows[0]?.locked) {
        this.lease = client;
        return true;
      }
    } catch (error) {
      this.logger.warn(`mailbox ${this.mailboxId}: could not take the lease: ${String(error)}`);
    }
    await client.end().catch(() => undefined);
    return false;
  }

  private async leaseAlive(): Promise<boolean> {
    try {
      await this.lease?.query('SELECT 1');
      return this.lease !== null;
    } catch {
      return false;
    }
  }

  private async releaseLease(): Promise<void> {
    const lease = this.lease;
    this.lease = null;
    await lease?.end().catch(() => undefined);
  }

  private async folder(): Promise<string> {
    return (await this.deps.mailboxes.findById(this.mailboxId))?.imapFolder ?? 'INBOX';
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
