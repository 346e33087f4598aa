import type { DrillDownDto, NpsDto } from '../../contracts/care-metrics';
import type { JourneyReviewDto } from '../../contracts/journeys';
import type { TicketPageDto } from '../../contracts/api';
import { JourneyEngine } from '../../server/src/journeys/journey-engine.service';
import { SurveysService } from '../../server/src/reports/surveys/surveys.service';
import { startTestApp, type TestApp } from '../support/app';
import { reactions } from '../support/events';
import { setUpCare, startSmtpSink, subscriptionEvent, switchOnPreset, type CareWorkspace, type SmtpSink } from './journeys-harness';
import { ManualClock } from './sla-harness';

const DAY = 86_400_000;
const START = new Date('2031-03-03T10:00:00.000Z');
const dayOf = (n: number) => new Date(START.getTime() + n * DAY);

/**
 * NPS from end to end: the day-90 NPS preset asks through the survey system, customers answer on the survey
 * page, a detractor's answer opens a ticket for the care team, and the care dashboard's NPS is the hand count.
 */
describe('NPS: the day-90 survey, a detractor call-back and the score', () => {
  const clock = new ManualClock(new Date(START.getTime() - 3_600_000));
  let t: TestApp;
  let sink: SmtpSink;
  let care: CareWorkspace;
  // Promoters 10, 9, 9; a passive 7; a detractor 2: (3 − 1) ÷ 5 = NPS 40.
  const answers: [string, number, string | null][] = [
    ['ann', 10, 'Best beans I have had'],
    ['ben', 9, null],
    ['cas', 9, null],
    ['dan', 7, null],
    ['eve', 2, 'Two boxes arrived stale'],
  ];

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await startTestApp({ clock, env: { CARELOOP_WORKERS: 'false' } });
    care = await setUpCare(t, sink);
    await switchOnPreset(t, care, 'day_90_nps');
    await switchOnPreset(t, care, 'nps_detractor_call_back');
    for (const [name] of answers) {
      clock.set(dayOf(0).toISOString());
      await subscriptionEvent(t, care, { id: `${name}-created`, type: 'created', occurredAt: dayOf(0).toISOString(), customer: { email: `${name}@example.com`, name: name.replace(/^./, (c) => c.toUpperCase()) } });
    }
    await reactions(t.app);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  const pass = async (day: number) => {
    clock.set(dayOf(day).toISOString());
    await reactions(t.app);
    await t.app.get(JourneyEngine).runDue();
    await t.app.get(SurveysService).sendDue();
  };

  it('asks every subscriber once on day 90, and not before', async () => {
    await pass(89);
    expect(sink.messages).toHaveLength(0);
    await pass(90);
    await pass(91);
    expect(sink.messages.map((mail) => [mail.to, mail.subject]).sort()).toEqual(answers.map(([name]) => [`${name}@example.com`, 'How likely are you to recommend Careloop?']).sort());
    expect(sink.messages[0].text).toContain('?answer=10');
  });

  it('records answers confirmed on the survey page; a detractor opens a call-back ticket for the care team', async () => {
    clock.set(dayOf(92).toISOString());
    for (const [name, score, comment] of answers) {
      const mail = sink.messages.find((message) => message.to === `${name}@example.com`);
      const link = new RegExp(`(http\\S+/api/surveys/[^?\\s]+)\\?answer=${score}\\b`).exec(mail?.text ?? '')?.[1] as string;
      const opened = await t.http.get(`${new URL(link).pathname}?answer=${score}`);
      expect(opened.status).toBe(200);
      const confirmed = await t.http.post(new URL(link).pathname).type('form').send({ answer: String(score), ...(comment ? { comment } : {}) });
      expect(confirmed.status).toBe(200);
    }
    await pass(92);
    // Three months on the clock: the sessions have expired.
    care.admin = await t.login();
    care.careOwner = await t.login('carla@careloop.test', 'password-12345');
    const tasks = (await t.http.get('/api/tickets').query({ q: 'Call back' }).auth(care.admin, { type: 'bearer' })).body as TicketPageDto;
    expect(tasks.items.map((ticket) => ticket.subject)).toEqual(['Call back Eve: unhappy in the NPS survey']);
  });

  it('shows NPS as hand-computed: score, groups, trend by month and the comments', async () => {
    const response = await t.http.get('/api/care/metrics/nps').query({ from: '2031-05', to: '2031-06' }).auth(care.careOwner, { type: 'bearer' });
    expect(response.status).toBe(200);
    const nps = response.body as NpsDto;
    expect(nps).toMatchObject({ answers: 5, promoters: 3, passives: 1, detractors: 1, score: 40 });
    expect(nps.months).toEqual([
      { month: '2031-05', answers: 0, promoters: 0, passives: 0, detractors: 0, score: null },
      { month: '2031-06', answers: 5, promoters: 3, passives: 1, detractors: 1, score: 40 },
    ]);
    expect(nps.comments.map((comment) => [comment.name, comment.score, comment.group, comment.comment]).sort()).toEqual([
      ['Ann', 10, 'promoters', 'Best beans I have had'],
      ['Eve', 2, 'detractors', 'Two boxes arrived stale'],
    ]);
    const agent = await t.http.get('/api/care/metrics/nps').auth(await agentToken(), { type: 'bearer' });
    expect(agent.status).toBe(403);
  });

  it('drills into the detractors, with their answer, and downloads them as CSV', async () => {
    const query = { figure: 'nps', from: '2031-06', to: '2031-06', group: 'detractors' };
    const drill = (await t.http.get('/api/care/metrics/drill-down').query(query).auth(care.careOwner, { type: 'bearer' })).body as DrillDownDto;
    expect(drill.total).toBe(1);
    expect(drill.rows[0]).toMatchObject({ email: 'eve@example.com', score: 2, comment: 'Two boxes arrived stale' });
    const promoters = (await t.http.get('/api/care/metrics/drill-down').query({ ...query, group: 'promoters' }).auth(care.careOwner, { type: 'bearer' })).body as DrillDownDto;
    expect(promoters.rows.map((row) => row.email).sort()).toEqual(['ann@example.com', 'ben@example.com', 'cas@example.com']);
    const csv = await t.http.get('/api/care/metrics/drill-down').query({ ...query, format: 'csv' }).auth(care.careOwner, { type: 'bearer' });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const [header, row] = csv.text.trim().split('\n');
    expect(header).toBe('email,name,status,started_at,cancelled_at,cancellation_kind,nps_score,nps_comment,answered_at');
    expect(row).toMatch(/^eve@example\.com,Eve,active,2031-03-03T10:00:00\.000Z,,,2,Two boxes arrived stale,2031-06-0\dT/);
  });

  it('reviews a preset before it goes live: who it would have taken in over the last 30 days, its steps for one of them', async () => {
    const response = await t.http.get('/api/journeys/presets/nps_detractor_call_back/review').auth(care.careOwner, { type: 'bearer' });
    expect(response.status).toBe(200);
    const review = response.body as JourneyReviewDto;
    expect(review).toMatchObject({ customers: 1, sample: [{ email: 'eve@example.com', name: 'Eve' }], emails: [], previewFor: 'Eve <eve@example.com>' });
    expect(review.otherSteps).toEqual(['Opens a ticket for the care team: “Call back Eve: unhappy in the NPS survey”.']);
    const day90 = (await t.http.get('/api/journeys/presets/day_90_nps/review').auth(care.careOwner, { type: 'bearer' })).body as JourneyReviewDto;
    expect(day90.customers).toBe(5);
    expect(day90.otherSteps[0]).toMatch(/^Asks “How likely are you to recommend us, 0–10\?”/);
  });

  async function agentToken(): Promise<string> {
    await t.http.post('/api/users').auth(care.admin, { type: 'bearer' }).send({ email: 'agent@careloop.test', name: 'Agent', role: 'agent', password: 'password-12345' });
    return t.login('agent@careloop.test', 'password-12345');
  }
});
