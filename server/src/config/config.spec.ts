import { ConfigError, loadConfig } from './config';

const base = { CARELOOP_SECRET_KEY: 'a-test-secret-key-long-enough' };

describe('OAuth and public URL settings', () => {
  it('defaults to the providers’ own endpoints and servers, and to localhost as the public URL', () => {
    const config = loadConfig({ ...base, PORT: '4000' });
    expect(config.publicUrl).toBe('http://localhost:4000');
    expect(config.oauth.google).toEqual({
      clientId: undefined,
      clientSecret: undefined,
      issuer: 'https://accounts.google.com',
      imap: { host: 'imap.gmail.com', port: 993, tls: true },
      smtp: { host: 'smtp.gmail.com', port: 465, tls: true },
    });
    expect(config.oauth.microsoft).toMatchObject({
      issuer: 'https://login.microsoftonline.com/organizations/v2.0',
      imap: { host: 'outlook.office365.com', port: 993, tls: true },
      smtp: { host: 'smtp.office365.com', port: 587, tls: false },
    });
  });

  it('takes a tenant, overridden endpoints (a stand-in provider) and a public URL without its trailing slash', () => {
    const config = loadConfig({
      ...base,
      CARELOOP_PUBLIC_URL: 'https://help.example.com/',
      CARELOOP_MICROSOFT_TENANT: 'contoso.onmicrosoft.com',
      CARELOOP_GOOGLE_ISSUER: 'http://127.0.0.1:4444',
      CARELOOP_GOOGLE_IMAP_URL: 'imap://127.0.0.1:1143',
    });
    expect(config.publicUrl).toBe('https://help.example.com');
    expect(config.oauth.microsoft.issuer).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0');
    expect(config.oauth.google.issuer).toBe('http://127.0.0.1:4444');
    expect(config.oauth.google.imap).toEqual({ host: '127.0.0.1', port: 1143, tls: false });
  });

  it('refuses half an OAuth app and malformed server URLs, naming every variable', () => {
    const load = () =>
      loadConfig({ ...base, CARELOOP_GOOGLE_CLIENT_ID: 'id-only', CARELOOP_MICROSOFT_CLIENT_SECRET: 'secret-only', CARELOOP_MICROSOFT_SMTP_URL: 'smtp.office365.com:587', CARELOOP_PUBLIC_URL: 'ftp://x' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/CARELOOP_GOOGLE_CLIENT_SECRET: must be set when CARELOOP_GOOGLE_CLIENT_ID is/);
    expect(load).toThrow(/CARELOOP_MICROSOFT_CLIENT_ID: must be set when CARELOOP_MICROSOFT_CLIENT_SECRET is/);
    expect(load).toThrow(/CARELOOP_MICROSOFT_SMTP_URL: must look like smtps:\/\/host:port/);
    expect(load).toThrow(/CARELOOP_PUBLIC_URL/);
  });
});
