import type { MailboxState, OAuthProvider } from '../../../../contracts/mail';

/** A mailbox's state in words, as its status badge shows it. */
export const STATE_LABELS: Record<MailboxState, string> = {
  connected: 'Connected',
  connecting: 'Connecting…',
  error: 'Error',
  disabled: 'Disabled',
};

export const PROVIDER_LABELS: Record<OAuthProvider, string> = { google: 'Google', microsoft: 'Microsoft 365' };

/** "45 s", "12 min", "3 h", "2 d": how far behind the mailbox's last successful sync is. */
export function formatLag(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}
