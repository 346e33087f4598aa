import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  it('round-trips a secret and never stores it in clear', () => {
    const box = new SecretBox('a-test-key-of-some-length');
    const sealed = box.seal('imap-password-123');
    expect(sealed).not.toContain('imap-password-123');
    expect(box.open(sealed)).toBe('imap-password-123');
  });

  it('refuses to open a secret sealed with another key', () => {
    const sealed = new SecretBox('first-key-0123456789').seal('secret');
    expect(() => new SecretBox('second-key-0123456789').open(sealed)).toThrow();
  });
});
