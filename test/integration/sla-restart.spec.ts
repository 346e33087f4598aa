import { SlaEngine } from '../../server/src/sla/sla-engine.service';
import { startTestApp, type TestApp } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createPolicy, freshLogin, ManualClock, ticketSteps } from './sla-harness';

describe('SLA across a restart', () => {
  const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
  let database: TestDatabase;
  let t: TestApp | null = null;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await t?.close();
    await database.drop();
  });

  it('fires every warning and breach that fell due while the server was down, once', async () => {
    t = await startTestApp({ clock, database });
    const token = await t.login();
    await createPolicy(t, token, { name: 'Calendar hours', targets: { normal: { firstReply: 30, resolution: 90 } }, warning: { minutesBefore: 10 } });
    const steps = ticketSteps(t, clock, freshLogin(t, clock));
    const ticketIds = [await steps.open({ subject: 'One' }), await steps.open({ subject: 'Two' }), await steps.open({ subject: 'Three' })];
    await t.close();

    clock.set('2026-03-02T12:00:00Z');
    t = await startTestApp({ clock, database });
    const restarted = ticketSteps(t, clock, freshLogin(t, clock));
    const firedOf = async (ticketId: string) =>
      (await restarted.timeline(ticketId)).filter((event) => event.type === 'sla.warning' || event.type === 'sla.breached').map((event) => `${event.type} ${String(event.data.kind)}`);

    // The restarted server's own catch-up pass (a job at boot), not one the test runs.
    const expected = ['sla.warning first_reply', 'sla.warning resolution', 'sla.breached first_reply', 'sla.breached resolution'];
    const deadline = Date.now() + 15_000;
    while ((await firedOf(ticketIds[2])).length < expected.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));

    await t.app.get(SlaEngine).runDuePass(clock.now());
    for (const ticketId of ticketIds) expect((await firedOf(ticketId)).sort()).toEqual([...expected].sort());
  });
});
