import { Client } from 'pg';
import { startTestApp, type TestApp } from '../support/app';
import { connectMailbox, email, SUPPORT, SUPPORT_PASSWORD } from '../support/mail-fixtures';
import { startMailStack, type MailStack } from '../support/mail-stack';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { waitFor } from '../support/wait';

const MESSAGES = 400;

describe('ingestion survives a killed process and moves to another instance', () => {
  let stack: MailStack;
  let api: TestApp;
  let db: Client;
  const servers: ServerProcess[] = [];

  const counts = async () => {
    const { rows } = await db.query<{ messages: number; distinct_ids: number; tickets: number; receipts: number }>(
      `SELECT (SELECT count(*)::int FROM messages WHERE direction = 'inbound') AS messages,
              (SELECT count(DISTINCT message_id)::int FROM messages WHERE direction = 'inbound') AS distinct_ids,
              (SELECT count(*)::int FROM tickets) AS tickets,
              (SELECT count(*)::int FROM mail_receipts) AS receipts`,
    );
    return rows[0];
  };

  beforeAll(async () => {
    stack = await startMailStack({ users: [{ address: SUPPORT, password: SUPPORT_PASSWORD }] });
    for (let i = 0; i < MESSAGES; i++) {
      await stack.append(SUPPORT, email({ from: `customer${i}@example.com`, subject: `Crash test ${i}`, body: `Message number ${i}. `.repeat(20), messageId: `crash.${i}@example.com` }));
    }
    // The API-only app creates the mailbox; the imports happen in the separate processes below.
    api = await startTestApp({ env: { CARELOOP_WORKERS: 'false' } });
    await connectMailbox(api, stack, await api.login());
    db = new Client({ connectionString: api.database.url });
    await db.connect();
    // 400 IMAP APPENDs, each its own login: minutes on a loaded machine.
  }, 180_000);

  afterAll(async () => {
    for (const server of servers) await server.stop();
    await db?.end();
    await api?.close();
    await stack?.stop();
  });

  it('imports every message exactly once across a SIGKILL mid-batch and a takeover by a second instance', async () => {
    const first = startServerProcess(api.database.url);
    servers.push(first);
    await waitFor('the first instance importing', async () => (await counts()).messages > 0, 45_000, 20);
    // The second instance starts while the first holds the mailbox: it must wait, not import alongside.
    const second = startServerProcess(api.database.url);
    servers.push(second);
    await waitFor('the first instance part-way through', async () => (await counts()).messages >= 60, 45_000, 20);
    await first.kill();
    const killedAt = await counts();
    expect(killedAt.messages).toBeLessThan(MESSAGES);

    const done = await waitFor('the second instance to finish', async () => {
      const current = await counts();
      return current.messages >= MESSAGES ? current : undefined;
    }, 60_000);
    // Give any stray duplicate a moment to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await counts()).toEqual({ messages: MESSAGES, distinct_ids: MESSAGES, tickets: MESSAGES, receipts: MESSAGES });
    expect(done.messages).toBe(MESSAGES);
  }, 180_000);
});
