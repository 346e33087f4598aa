import { loadConfig } from '../config/config';
import { bodyMediaType, originVerdict } from './request-origin';

describe('request origin', () => {
  const direct = { publicUrl: 'https://help.example.com', trustProxy: false };
  const proxied = { publicUrl: 'https://help.example.com', trustProxy: true };

  it('takes the public URL and, without a proxy, the address the browser used', () => {
    expect(originVerdict(direct, { origin: 'https://help.example.com', host: 'internal:3000' })).toBe('same-origin');
    expect(originVerdict(direct, { origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' })).toBe('same-origin');
    expect(originVerdict(direct, { origin: 'http://127.0.0.1:4000', host: '127.0.0.1:3000' })).toBe('cross-origin');
    expect(originVerdict(direct, { origin: 'https://127.0.0.1:3000', host: '127.0.0.1:3000' })).toBe('cross-origin');
    expect(originVerdict(direct, { origin: 'null', host: '127.0.0.1:3000' })).toBe('cross-origin');
  });

  it('behind a proxy trusts only the public URL, whatever Host the proxy forwards', () => {
    expect(originVerdict(proxied, { origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' })).toBe('cross-origin');
    expect(originVerdict(proxied, { origin: 'https://help.example.com', host: '127.0.0.1:3000' })).toBe('same-origin');
  });

  it("believes the browser's Sec-Fetch-Site, and knows nothing when a client sends neither header", () => {
    expect(originVerdict(proxied, { 'sec-fetch-site': 'same-origin' })).toBe('same-origin');
    expect(originVerdict(proxied, { 'sec-fetch-site': 'same-site' })).toBe('cross-origin');
    expect(originVerdict(proxied, {})).toBe('unknown');
  });

  it('names the body media type only when there is a body', () => {
    expect(bodyMediaType({ 'content-type': 'Application/JSON; charset=utf-8', 'content-length': '2' })).toBe('application/json');
    expect(bodyMediaType({ 'content-type': 'text/plain', 'content-length': '0' })).toBeNull();
    expect(bodyMediaType({ 'transfer-encoding': 'chunked' })).toBe('');
  });
});

describe('CARELOOP_PUBLIC_URL', () => {
  const env = { CARELOOP_SECRET_KEY: 'test-secret-key-0123456789' };

  it('defaults to localhost on the configured port and drops a trailing slash', () => {
    expect(loadConfig({ ...env, PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ ...env, CARELOOP_PUBLIC_URL: 'https://help.example.com/' }).publicUrl).toBe('https://help.example.com');
  });

  it('refuses what is not an http(s) URL', () => {
    expect(() => loadConfig({ ...env, CARELOOP_PUBLIC_URL: 'help.example.com' })).toThrow(/CARELOOP_PUBLIC_URL/);
    expect(() => loadConfig({ ...env, CARELOOP_PUBLIC_URL: 'ftp://help.example.com' })).toThrow(/CARELOOP_PUBLIC_URL/);
  });
});
