/** Server settings of common providers, so the manual form needs only the address and an app password. */
export interface ProviderPreset {
  id: string;
  label: string;
  imap: { host: string; port: number; tls: boolean };
  smtp: { host: string; port: number; tls: boolean };
  sentFolder: string;
  plusAddressing: boolean;
  /** What to know before using a password with this provider. */
  note: string;
}

export const PROVIDER_PRESETS: ProviderPreset[] = [
  {
    id: 'gmail',
    label: 'Gmail / Google Workspace',
    imap: { host: 'imap.gmail.com', port: 993, tls: true },
    smtp: { host: 'smtp.gmail.com', port: 465, tls: true },
    sentFolder: '',
    plusAddressing: true,
    note: 'Prefer "Connect Google" above. With a password: 2-step verification on and an app password (Workspace admins may forbid them).',
  },
  {
    id: 'microsoft',
    label: 'Microsoft 365 (Exchange Online)',
    imap: { host: 'outlook.office365.com', port: 993, tls: true },
    smtp: { host: 'smtp.office365.com', port: 587, tls: false },
    sentFolder: 'Sent Items',
    plusAddressing: true,
    note: 'Use "Connect Microsoft 365" above: Microsoft 365 no longer accepts passwords for IMAP.',
  },
  {
    id: 'fastmail',
    label: 'Fastmail',
    imap: { host: 'imap.fastmail.com', port: 993, tls: true },
    smtp: { host: 'smtp.fastmail.com', port: 465, tls: true },
    sentFolder: 'Sent',
    plusAddressing: true,
    note: 'Needs an app password (Settings → Privacy & Security → App passwords).',
  },
  {
    id: 'icloud',
    label: 'iCloud Mail',
    imap: { host: 'imap.mail.me.com', port: 993, tls: true },
    smtp: { host: 'smtp.mail.me.com', port: 587, tls: false },
    sentFolder: 'Sent Messages',
    plusAddressing: false,
    note: 'Needs an app-specific password (appleid.apple.com); the user is the full iCloud address.',
  },
  {
    id: 'yahoo',
    label: 'Yahoo Mail',
    imap: { host: 'imap.mail.yahoo.com', port: 993, tls: true },
    smtp: { host: 'smtp.mail.yahoo.com', port: 465, tls: true },
    sentFolder: 'Sent',
    plusAddressing: false,
    note: 'Needs an app password (Account security → Generate app password).',
  },
  {
    id: 'zoho',
    label: 'Zoho Mail',
    imap: { host: 'imap.zoho.com', port: 993, tls: true },
    smtp: { host: 'smtp.zoho.com', port: 465, tls: true },
    sentFolder: 'Sent',
    plusAddressing: false,
    note: 'Turn on IMAP access in Zoho Mail settings; with 2FA, use an app-specific password. Accounts in the EU use imap.zoho.eu / smtp.zoho.eu.',
  },
];
