import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { ImapFlow } from 'imapflow';
import nodemailer, { type Transporter } from 'nodemailer';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

/**
 * A real mail stack on loopback for integration tests: Dovecot (IMAP + LMTP) from its own config in a
 * temporary folder, and an SMTP listener that hands each message to Dovecot over LMTP and answers 250 only
 * once Dovecot has stored it, so a test can read the mail back right after sending it.
 */
export interface MailStack {
  imap: Endpoint;
  smtp: Endpoint;
  /** Creates a mailbox user (IMAP login and SMTP AUTH); works while the stack runs. */
  addUser(address: string, password: string): Promise<void>;
  /** Stores a message with IMAP APPEND and returns its UID; the folder is created when missing. `flags` e.g. ['\\Seen']. */
  append(address: string, raw: Buffer | string, folder?: string, flags?: string[]): Promise<number>;
  /** Sends a message through the SMTP listener without authentication, as another mail server would. */
  deliver(raw: Buffer | string, envelope: { from: string; to: string[] }): Promise<void>;
  listMessages(address: string, folder?: string): Promise<StoredMessage[]>;
  /** Deletes a folder (not INBOX) and creates it again, empty: Dovecot gives it a new UIDVALIDITY, which it returns. */
  recreateFolder(address: string, folder: string): Promise<string>;
  /** Polls until the folder holds at least `count` messages; fails with what it found on timeout. */
  waitForMessages(address: string, count: number, timeoutMs?: number, folder?: string): Promise<StoredMessage[]>;
  /** Logins Dovecot accepted for this user so far, with their SASL mechanism (from its log). */
  imapLogins(address: string): Promise<Array<{ method: string }>>;
  /** SMTP AUTH logins the SMTP listener accepted so far. */
  smtpLogins: Array<{ user: string; method: string }>;
  /** Stops Dovecot and starts it again on the same ports with the same mail, dropping every IMAP connection. */
  restartImap(): Promise<void>;
  stop(): Promise<void>;
}

export interface Endpoint {
  host: string;
  port: number;
}

export interface StoredMessage {
  uid: number;
  source: Buffer;
  subject: string;
  messageId: string | null;
  flags: string[];
}

export interface MailStackOptions {
  users?: Array<{ address: string; password: string }>;
  /**
   * Also accept OAuth2 logins (XOAUTH2/OAUTHBEARER), checked at this introspection endpoint (RFC 7662; the
   * token's `username` must be the login name): Dovecot through its oauth2 passdb, and SMTP then offers
   * XOAUTH2 only. Users still need a line (any password) for their mail folder.
   */
  oauth2?: OAuth2Introspection;
}

export interface OAuth2Introspection {
  url: string;
  clientId: string;
  clientSecret: string;
}

const HOST = '127.0.0.1';
/** Dovecot refuses to access mail as root; any unused uid works, it needs no passwd entry. */
const MAIL_UID_WHEN_ROOT = 5000;
const DOVECOT_BINARIES = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'];
const DOVECOT_LIBEXEC_DIRS = ['/usr/lib/dovecot', '/usr/libexec/dovecot'];

export async function startMailStack(opts: MailStackOptions = {}): Promise<MailStack> {
  const dovecotBinary = findDovecot();
  const dir = await mkdtemp(join(tmpdir(), 'careloop-mail-'));
  // The mail processes run as another uid and must be able to reach the mail folder inside.
  await chmod(dir, 0o755);
  const users = new Map<string, string>();
  const setUser = (address: string, password: string) => {
    if (/[:\r\n]/.test(address + password)) throw new Error('Mail users and passwords may not contain ":" or line breaks');
    users.set(address.toLowerCase(), password);
  };
  for (const user of opts.users ?? []) setUser(user.address, user.password);
  const usersFile = join(dir, 'users');
  // Dovecot re-reads the passwd-file when its size or mtime (whole seconds) changes: give each write its own
  // mtime so that two changes in one second, or a new password of the same length, are never missed.
  let usersFileSecond = Math.floor(Date.now() / 1000);
  const writeUsers = async () => {
    const lines = [...users].map(([address, password]) => `${address}:{PLAIN}${password}::::::\n`);
    await writeFile(`${usersFile}.new`, lines.join(''), { mode: 0o644 });
    usersFileSecond += 1;
    await utimes(`${usersFile}.new`, usersFileSecond, usersFileSecond);
    await rename(`${usersFile}.new`, usersFile);
  };
  await writeUsers();

  const dovecot = new Dovecot(dovecotBinary, dir, usersFile, await freePort(), await freePort(), opts.oauth2);
  await dovecot.start().catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });

  const lmtp = nodemailer.createTransport({ host: HOST, port: dovecot.lmtpPort, lmtp: true, ignoreTLS: true });
  const smtpLogins: Array<{ user: string; method: string }> = [];
  const smtpServer = createSmtpServer(users, lmtp, opts.oauth2, smtpLogins);
  const smtpPort = await new Promise<number>((resolve, reject) => {
    smtpServer.once('error', reject);
    smtpServer.listen(0, HOST, () => resolve((smtpServer.server.address() as AddressInfo).port));
  });
  const imap: Endpoint = { host: HOST, port: dovecot.imapPort };

  const imapClient = (address: string) => {
    const password = users.get(address.toLowerCase());
    if (password === undefined) throw new Error(`No mail user ${address}: call addUser first`);
    return new ImapFlow({ ...imap, secure: false, auth: { user: address, pass: password }, logger: false });
  };
  const withImap = async <T>(address: string, work: (client: ImapFlow) => Promise<T>): Promise<T> => {
    const client = imapClient(address);
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.logout();
    }
  };

  const stack: MailStack = {
    imap,
    smtp: { host: HOST, port: smtpPort },
    async addUser(address, password) {
      setUser(address, password);
      await writeUsers();
      // Dovecot checks the file at most once a second: wait until the new login works, so callers need not.
      await untilLoginWorks(() => imapClient(address));
    },
    append: (address, raw, folder = 'INBOX', flags) =>
      withImap(address, async (client) => {
        if (folder !== 'INBOX') await client.mailboxCreate(folder);
        const appended = await client.append(folder, raw, flags);
        if (!appended || appended.uid === undefined) throw new Error(`IMAP APPEND to ${folder} returned no UID`);
        return appended.uid;
      }),
    async deliver(raw, envelope) {
      const transport = nodemailer.createTransport({ host: HOST, port: smtpPort, ignoreTLS: true });
      try {
        await transport.sendMail({ envelope, raw });
      } finally {
        transport.close();
      }
    },
    recreateFolder: (address, folder) =>
      withImap(address, async (client) => {
        await client.mailboxDelete(folder);
        await client.mailboxCreate(folder);
        const status = await client.status(folder, { uidValidity: true });
        if (!status || status.uidValidity === undefined) throw new Error(`IMAP STATUS of ${folder} returned no UIDVALIDITY`);
        return String(status.uidValidity);
      }),
    listMessages: (address, folder = 'INBOX') =>
      withImap(address, async (client) => {
        const lock = await client.getMailboxLock(folder);
        try {
          if (client.mailbox && client.mailbox.exists === 0) return [];
          const messages: StoredMessage[] = [];
          for await (const message of client.fetch('1:*', { uid: true, source: true, envelope: true, flags: true })) {
            messages.push({
              uid: message.uid,
              source: message.source ?? Buffer.alloc(0),
              subject: message.envelope?.subject ?? '',
              messageId: message.envelope?.messageId ?? null,
              flags: [...(message.flags ?? [])],
            });
          }
          return messages;
        } finally {
          lock.release();
        }
      }),
    async waitForMessages(address, count, timeoutMs = 10_000, folder = 'INBOX') {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const messages = await stack.listMessages(address, folder);
        if (messages.length >= count) return messages;
        if (Date.now() > deadline) {
          throw new Error(`Expected ${count} message(s) in ${address} ${folder} within ${timeoutMs} ms, found ${messages.length}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async imapLogins(address) {
      const log = await readFile(join(dir, 'dovecot.log'), 'utf8').catch(() => '');
      const pattern = new RegExp(`imap-login: Info: Login: user=<${address.replace(/[.+]/g, '\\$&')}>, method=([A-Z0-9-]+)`, 'gi');
      return [...log.matchAll(pattern)].map((match) => ({ method: match[1] }));
    },
    smtpLogins,
    restartImap: async () => {
      await dovecot.stop();
      await dovecot.start();
    },
    async stop() {
      await new Promise<void>((resolve) => smtpServer.close(() => resolve()));
      lmtp.close();
      await dovecot.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };

  return stack;
}

/** One Dovecot instance; `start` after `stop` reuses config, ports and mail. */
class Dovecot {
  private process: ChildProcess | null = null;
  private readonly configPath: string;
  private readonly logPath: string;
  private readonly killOnExit = () => this.killGroup('SIGKILL');

  constructor(
    private readonly binary: string,
    private readonly dir: string,
    private readonly usersFile: string,
    readonly imapPort: number,
    readonly lmtpPort: number,
    private readonly oauth2?: OAuth2Introspection,
  ) {
    this.configPath = join(dir, 'dovecot.conf');
    this.logPath = join(dir, 'dovecot.log');
  }

  async start(): Promise<void> {
    if (!existsSync(this.configPath)) await this.writeConfig();
    // Not inherited: Dovecot's log process would hold the caller's stderr open after the test ends.
    // Its own process group: stopping must also end the imap processes serving open connections.
    const child = spawn(this.binary, ['-F', '-c', this.configPath], { stdio: 'ignore', detached: true });
    this.process = child;
    process.once('exit', this.killOnExit);
    const exited = new Promise<never>((_resolve, reject) => {
      child.once('exit', (code, signal) => reject(new Error(`Dovecot exited while starting (${signal ?? `code ${code}`})`)));
      child.once('error', reject);
    });
    exited.catch(() => undefined);
    try {
      await Promise.race([Promise.all([waitForGreeting(this.imapPort, /^\* OK/), waitForGreeting(this.lmtpPort, /^220 /)]), exited]);
    } catch (error) {
      await this.stop();
      throw new Error(`${(error as Error).message}\n--- ${this.logPath} ---\n${await this.logTail()}`, { cause: error });
    }
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child) return;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      this.killGroup('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    // The master does not wait for its imap processes: without this they keep serving old connections.
    this.killGroup('SIGKILL');
    this.process = null;
    process.removeListener('exit', this.killOnExit);
  }

  private killGroup(signal: NodeJS.Signals): void {
    if (this.process?.pid === undefined) return;
    try {
      process.kill(-this.process.pid, signal);
    } catch {
      // The group is already gone.
    }
  }

  private async writeConfig(): Promise<void> {
    const mailRoot = join(this.dir, 'mail');
    await Promise.all(['run', 'state', 'mail'].map((sub) => mkdir(join(this.dir, sub))));
    const isRoot = process.getuid?.() === 0;
    const { uid, gid, username } = userInfo();
    const mailUid = isRoot ? MAIL_UID_WHEN_ROOT : uid;
    const mailGid = isRoot ? MAIL_UID_WHEN_ROOT : gid;
    if (isRoot) await chown(mailRoot, mailUid, mailGid);
    const accessAsRoot = `mail_uid = ${mailUid}\nmail_gid = ${mailGid}\nfirst_valid_uid = ${mailUid}\nfirst_valid_gid = ${mailGid}\n`;
    // Without root Dovecot cannot switch users or chroot: everything runs as the current user.
    const accessWithoutRoot = `default_login_user = ${username}\ndefault_internal_user = ${username}
default_internal_group = ${username}\nfirst_valid_uid = 1\nfirst_valid_gid = 1
service ipc {\n  chroot =\n}\n`;
    const config = `instance_name = careloop-${basename(this.dir)}
base_dir = ${join(this.dir, 'run')}
state_dir = ${join(this.dir, 'state')}
log_path = ${this.logPath}
protocols = imap lmtp
listen = ${HOST}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login${this.oauth2 ? ' xoauth2 oauthbearer' : ''}
# Tests log in with wrong passwords on purpose: no failure delay, no growing per-IP penalty.
auth_failure_delay = 0
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
${isRoot ? '' : '  chroot =\n'}}
auth_username_format = %Lu
mail_location = maildir:${mailRoot}/%d/%n
recipient_delimiter = +
${isRoot ? accessAsRoot : accessWithoutRoot}
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${this.usersFile}${this.oauth2 ? '\n  mechanisms = plain login' : ''}
}
${this.oauth2 ? `passdb {\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = ${join(this.dir, 'oauth2.conf.ext')}\n}` : ''}
userdb {
  driver = passwd-file
  args = ${this.usersFile}
  default_fields = uid=${mailUid} gid=${mailGid} home=${mailRoot}/%d/%n
}
namespace inbox {
  inbox = yes
  separator = /
}
service imap-login {
  inet_listener imap {
    address = ${HOST}
    port = ${this.imapPort}
  }
  inet_listener imaps {
    port = 0
  }
${isRoot ? '' : '  chroot =\n'}}
service lmtp {
  inet_listener lmtp {
    address = ${HOST}
    port = ${this.lmtpPort}
  }
}
`;
    if (this.oauth2) await writeFile(join(this.dir, 'oauth2.conf.ext'), oauth2PassdbConfig(this.oauth2));
    await writeFile(this.configPath, config);
  }

  private async logTail(): Promise<string> {
    const log = await readFile(this.logPath, 'utf8').catch(() => '(no log written)');
    return log.split('\n').slice(-20).join('\n');
  }
}

async function untilLoginWorks(client: () => ImapFlow, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const attempt = client();
    try {
      await attempt.connect();
      await attempt.logout();
      return;
    } catch (error) {
      attempt.close();
      if (Date.now() > deadline) {
        throw new Error(`A new mail user could not log in within ${timeoutMs} ms: ${(error as Error).message}`, { cause: error });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Dovecot asks the provider about every token (no cache), as a mail server must to notice revocations. */
function oauth2PassdbConfig(introspection: OAuth2Introspection): string {
  const url = new URL(introspection.url);
  url.username = encodeURIComponent(introspection.clientId);
  url.password = encodeURIComponent(introspection.clientSecret);
  return `introspection_mode = post
introspection_url = ${url.href}
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
`;
}

/** RFC 7662 introspection, as Dovecot does it: the token counts when active and issued to this login name. */
async function tokenAccepted(introspection: OAuth2Introspection, user: string, token: string): Promise<boolean> {
  const response = await fetch(introspection.url, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${introspection.clientId}:${introspection.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }).toString(),
  });
  const answer = (await response.json()) as { active?: boolean; username?: string };
  return response.ok && answer.active === true && answer.username?.toLowerCase() === user.toLowerCase();
}

function createSmtpServer(users: Map<string, string>, lmtp: Transporter, oauth2: OAuth2Introspection | undefined, logins: Array<{ user: string; method: string }>): SMTPServer {
  return new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    authMethods: oauth2 ? ['XOAUTH2'] : ['PLAIN', 'LOGIN'],
    logger: false,
    closeTimeout: 1000,
    onAuth(auth, _session, callback) {
      if (oauth2) {
        const user = auth.username ?? '';
        tokenAccepted(oauth2, user, auth.accessToken ?? '').then(
          (accepted) => {
            if (!accepted) return callback(smtpError('Authentication failed: the access token is not valid for this user', 535));
            logins.push({ user, method: auth.method });
            callback(null, { user });
          },
          (error: Error) => callback(smtpError(`Could not check the token: ${error.message}`, 454)),
        );
        return;
      }
      const password = users.get((auth.username ?? '').toLowerCase());
      if (password !== undefined && password === auth.password) {
        logins.push({ user: auth.username ?? '', method: auth.method });
        return callback(null, { user: auth.username });
      }
      callback(smtpError('Authentication failed: wrong username or password', 535));
    },
    onRcptTo(address, _session, callback) {
      if (users.has(withoutDetail(address.address))) return callback();
      callback(smtpError(`No such mailbox here: ${address.address}`, 550));
    },
    onData(stream, session, callback) {
      const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      const to = session.envelope.rcptTo.map((recipient: SMTPServerAddress) => recipient.address);
      // Answer only after Dovecot has stored the message, so a test can read it back right away.
      readAll(stream)
        .then((raw) => lmtp.sendMail({ envelope: { from, to }, raw }))
        .then(
          (info) => {
            const rejected = (info.rejected ?? []).map(String);
            callback(rejected.length === 0 ? null : smtpError(`Dovecot refused ${rejected.join(', ')}`, 451));
          },
          (error: Error) => callback(smtpError(`Delivery to Dovecot failed: ${error.message}`, 451)),
        );
    },
  });
}

/** Dovecot files "support+t42@…" under "support@…" (recipient_delimiter), so SMTP accepts the same. */
function withoutDetail(address: string): string {
  return address.toLowerCase().replace(/\+[^@]*@/, '@');
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function findDovecot(): string {
  const binary = DOVECOT_BINARIES.find((path) => existsSync(path));
  const missing = ['imap', 'lmtp'].filter((name) => !DOVECOT_LIBEXEC_DIRS.some((dir) => existsSync(join(dir, name))));
  if (binary && missing.length === 0) return binary;
  const what = binary ? `Dovecot is installed without ${missing.join(' and ')}` : 'Dovecot is not installed';
  if (process.env.CI === 'true') {
    throw new Error(`${what}, and the mail integration tests need it: \`npm test\` installs it through scripts/ensure-test-services.sh (as root).`);
  }
  throw new Error(`${what}. The mail integration tests need it: run (as root) \`apt-get update && apt-get install -y dovecot-imapd dovecot-lmtpd\` or scripts/ensure-test-services.sh.`);
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Waits for a greeting, not just an open port: Dovecot's master listens before its services can answer. */
async function waitForGreeting(port: number, greeting: RegExp, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const greeted = await new Promise<boolean>((resolve) => {
      const socket = connect(port, HOST);
      socket.setTimeout(1000, () => socket.destroy());
      socket.once('data', (data) => {
        socket.destroy();
        resolve(greeting.test(data.toString()));
      });
      socket.once('close', () => resolve(false));
      socket.once('error', () => resolve(false));
    });
    if (greeted) return;
    if (Date.now() > deadline) throw new Error(`Dovecot did not greet on ${HOST}:${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
