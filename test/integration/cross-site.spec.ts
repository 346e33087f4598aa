import fc from 'fast-check';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { io } from 'socket.io-client';
import type { TicketDetailDto, UserDto } from '../../contracts/api';
import { ADMIN_EMAIL, startTestApp, type TestApp } from '../support/app';
import { launchBrowser } from '../support/browser';
import { createTicket } from '../support/fixtures';

/** A page of another origin on the same host (another loopback port): same site, so `SameSite=Lax` lets the cookie through. */
async function serveAttackerPages(pages: Record<string, string>): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const page = pages[request.url ?? ''];
    response.writeHead(page ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(page ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function autoSubmittingForm(action: string, fields: Record<string, string>, enctype = 'application/x-www-form-urlencoded'): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return `<!doctype html><form method="post" action="${escapeHtml(action)}" enctype="${enctype}">${inputs}</form><script>document.forms[0].submit()</script>`;
}

/** `no-cors` lets a page send a POST with "simple" headers and the cookie; it just cannot read the answer. */
function noCorsFetches(requests: { url: string; contentType: string; body: string }[]): string {
  const calls = requests.map(({ url, contentType, body }) => `fetch(${JSON.stringify(url)}, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': ${JSON.stringify(contentType)} }, body: ${JSON.stringify(body)} })`);
  return `<!doctype html><script>Promise.allSettled([${calls.join(',')}]).then(() => { document.title = 'sent'; });</script>`;
}

describe('cross-site requests and sockets are refused', () => {
  let t: TestApp;
  let admin: string;
  let browser: Browser;
  let context: BrowserContext;
  let attacker: { url: string; close(): Promise<void> };
  let ticketId: string;

  const users = async () => (await t.http.get('/api/users').auth(admin, { type: 'bearer' })).body as UserDto[];
  const notesOn = async (id: string) => ((await t.http.get(`/api/tickets/${id}`).auth(admin, { type: 'bearer' })).body as TicketDetailDto).messages.filter((message) => message.direction === 'note');

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
    ticketId = (await createTicket(t.app, { subject: 'A parcel that never came' })).id;
    const target = t.url;
    const newAdmin = { email: 'mallory@evil.test', name: 'Mallory', role: 'admin', password: 'mallory-password-1' };
    attacker = await serveAttackerPages({
      '/form': autoSubmittingForm(`${target}/api/users`, newAdmin),
      '/form-json-as-text': autoSubmittingForm(`${target}/api/tickets/${ticketId}/notes`, { '{"body":"forged by a text/plain form","x":"': '"}' }, 'text/plain'),
      '/form-multipart': autoSubmittingForm(`${target}/api/tickets/${ticketId}/replies`, { bodyText: 'forged reply' }, 'multipart/form-data'),
      '/fetch': noCorsFetches([
        { url: `${target}/api/users`, contentType: 'text/plain', body: JSON.stringify(newAdmin) },
        { url: `${target}/api/tickets/${ticketId}/notes`, contentType: 'text/plain', body: JSON.stringify({ body: 'forged by fetch' }) },
        { url: `${target}/api/tickets/${ticketId}/notes`, contentType: 'application/x-www-form-urlencoded', body: 'body=forged+by+fetch' },
      ]),
    });
    browser = await launchBrowser();
    context = await browser.newContext();
    // The admin is signed in to Careloop in this browser: their session cookie is there.
    await context.addCookies([{ name: 'careloop_session', value: admin, url: target, httpOnly: true, sameSite: 'Lax' }]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await attacker?.close();
    await t?.close();
  });

  it('the same request from Careloop itself goes through, so the cookie would be honoured', async () => {
    const page = await context.newPage();
    await page.goto(`${t.url}/api/health`);
    const status = await page.evaluate(
      (id) => fetch(`/api/tickets/${id}/notes`, { method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ body: 'written in Careloop' }) }).then((r) => r.status),
      ticketId,
    );
    expect(status).toBe(201);
    expect((await notesOn(ticketId)).map((note) => note.bodyText)).toEqual(['written in Careloop']);
    await page.close();
  });

  it.each(['/form', '/form-json-as-text', '/form-multipart'])('an auto-submitting form on another port (%s) creates nothing', async (path) => {
    const page = await context.newPage();
    const answer = page.waitForResponse((response) => response.url().startsWith(t.url));
    await page.goto(`${attacker.url}${path}`);
    expect((await answer).status()).toBe(403);
    expect((await users()).map((user) => user.email)).toEqual([ADMIN_EMAIL]);
    expect((await notesOn(ticketId)).map((note) => note.bodyText)).toEqual(['written in Careloop']);
    const detail = (await t.http.get(`/api/tickets/${ticketId}`).auth(admin, { type: 'bearer' })).body as TicketDetailDto;
    expect(detail.messages.filter((message) => message.direction === 'outbound')).toEqual([]);
    await page.close();
  });

  it('a no-cors fetch from another port creates nothing', async () => {
    const page = await context.newPage();
    await page.goto(`${attacker.url}/fetch`);
    await page.waitForFunction('document.title === "sent"');
    expect((await users()).map((user) => user.email)).toEqual([ADMIN_EMAIL]);
    expect((await notesOn(ticketId)).map((note) => note.bodyText)).toEqual(['written in Careloop']);
    await page.close();
  });

  it('a socket with a foreign Origin is refused before the handshake, one from Careloop connects', async () => {
    const attempt = (origin: string) =>
      new Promise<string>((resolve) => {
        const socket = io(t.url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { origin, cookie: `careloop_session=${admin}` } });
        socket.once('connect', () => {
          socket.close();
          resolve('connected');
        });
        socket.once('connect_error', (error) => {
          socket.close();
          resolve(`refused: ${error.message}`);
        });
      });
    expect(await attempt(attacker.url)).toMatch(/^refused/);
    expect(await attempt('https://careloop.evil.test')).toMatch(/^refused/);
    expect(await attempt(t.url)).toBe('connected');
  });

  it('every state-changing route refuses a cookie-authenticated request with a foreign Origin', async () => {
    const routes = stateChangingRoutes(t);
    expect(routes.length).toBeGreaterThan(40);
    // The two that other sites call by design never read the session: the cookie grants nothing there.
    const crossSiteByDesign = new Set(['POST /api/subscriptions/events', 'POST /api/care/unsubscribe/:token']);
    const foreignOrigin = fc.oneof(
      fc.integer({ min: 1, max: 65535 }).map((port) => `http://127.0.0.1:${port}`),
      fc.domain().map((domain) => `https://${domain}`),
      fc.constant('null'),
      fc.constant(new URL(t.url).origin.replace('http:', 'https:')),
    );
    const body = fc.oneof(
      fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 20 })).map((fields) => ({ type: 'application/json', data: JSON.stringify(fields) })),
      fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 20 })).map((fields) => ({ type: 'application/x-www-form-urlencoded', data: new URLSearchParams(fields).toString() })),
      fc.string({ maxLength: 40 }).map((data) => ({ type: 'text/plain', data })),
      fc.constant(null),
    );
    const usersBefore = await users();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), foreignOrigin, body, fc.uuid(), async (route, origin, sent, id) => {
        const path = route.path.replace(/:[A-Za-z]+/g, id);
        let call = t.http[route.method.toLowerCase() as 'post'](path).set('Cookie', `careloop_session=${admin}`).set('Origin', origin);
        if (sent) call = call.set('Content-Type', sent.type).send(sent.data);
        const response = await call;
        if (crossSiteByDesign.has(`${route.method} ${route.path}`)) expect(response.status).toBeGreaterThanOrEqual(400);
        else expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({ route: `${route.method} ${route.path}`, status: 403 });
      }),
      { numRuns: 300 },
    );
    expect(await users()).toEqual(usersBefore);
  });

  it('a cookie-authenticated request without Origin or Sec-Fetch-Site is refused; a bearer one needs neither', async () => {
    const note = { body: 'from a script' };
    const withCookie = await t.http.post(`/api/tickets/${ticketId}/notes`).set('Cookie', `careloop_session=${admin}`).send(note);
    expect(withCookie.status).toBe(403);
    const sameOrigin = await t.http.post(`/api/tickets/${ticketId}/notes`).set('Cookie', `careloop_session=${admin}`).set('Sec-Fetch-Site', 'same-origin').send(note);
    expect(sameOrigin.status).toBe(201);
    const bearer = await t.http.post(`/api/tickets/${ticketId}/notes`).auth(admin, { type: 'bearer' }).set('Origin', attacker.url).send(note);
    expect(bearer.status).toBe(201);
  });

  it('a form-encoded body is refused with 415 even from Careloop itself', async () => {
    const response = await t.http.post('/api/users').auth(admin, { type: 'bearer' }).type('form').send({ email: 'form@example.com', name: 'Form', role: 'agent', password: 'form-password-1' });
    expect(response.status).toBe(415);
    expect((await users()).map((user) => user.email)).not.toContain('form@example.com');
  });

  it('an anonymous request with a large body is refused unread; a signed-in one of the same size is read', async () => {
    const big = JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(200_000) });
    const anonymous = await t.http.post('/api/auth/login').set('Content-Type', 'application/json').send(big);
    expect(anonymous.status).toBe(413);
    const signedIn = await t.http.post(`/api/tickets/${ticketId}/notes`).auth(admin, { type: 'bearer' }).set('Content-Type', 'application/json').send(JSON.stringify({ body: 'y'.repeat(200_000) }));
    expect(signedIn.status).toBe(400);
    expect(signedIn.body.fields[0].field).toBe('body');
  });
});

/** The running app's route table, read from its Express router: every POST, PUT, PATCH and DELETE under /api. */
function stateChangingRoutes(t: TestApp): { method: string; path: string }[] {
  type Layer = { route?: { path: string; methods: Record<string, boolean> } };
  const express = t.app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } };
  const routes: { method: string; path: string }[] = [];
  for (const layer of express.router.stack) {
    if (!layer.route?.path.startsWith('/api/')) continue;
    for (const method of Object.keys(layer.route.methods)) {
      if (['post', 'put', 'patch', 'delete'].includes(method)) routes.push({ method: method.toUpperCase(), path: layer.route.path });
    }
  }
  return routes;
}
