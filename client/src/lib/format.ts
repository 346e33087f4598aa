const relativeTime = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });

/**
 * Times show in the signed-in person's time zone (their profile's, else the browser's), with the zone named
 * beside them ("3 Dec 2026, 09:15 CET"), so a team across zones reads the same instant the same way.
 */
let dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
let dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
let zoneName = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' });
let displayZone: string | undefined;

export function setDisplayTimeZone(timeZone: string | null | undefined): void {
  const zone = timeZone ?? undefined;
  if (zone === displayZone) return;
  try {
    dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone });
    dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: zone });
    zoneName = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short', timeZone: zone });
    displayZone = zone;
  } catch {
    // A zone this browser does not know: keep the browser's own.
  }
}

/** The zone's short name at that instant (it changes with daylight saving). */
function zoneAt(date: Date): string {
  return zoneName.formatToParts(date).find((part) => part.type === 'timeZoneName')?.value ?? '';
}
const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "5 min. ago" for recent times, a date for anything older than a week. */
export function formatRelativeTime(iso: string, now: number): string {
  const elapsed = new Date(iso).getTime() - now;
  if (Math.abs(elapsed) >= 7 * 86_400_000) return formatDateTime(iso);
  for (const [unit, size] of RELATIVE_UNITS) {
    if (Math.abs(elapsed) >= size) return relativeTime.format(Math.round(elapsed / size), unit);
  }
  return 'just now';
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return `${dateTime.format(date)} ${zoneAt(date)}`.trim();
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** "€74.70" in the customer's currency; a plain "74.70" when the currency was never told (or is unknown here). */
export function formatMoney(value: number, currency: string | null): string {
  const key = currency ?? '';
  let format = moneyFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, currency ? { style: 'currency', currency } : { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    } catch {
      format = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    moneyFormats.set(key, format);
  }
  return format.format(value);
}

/** "3 Apr 2031": a day (a renewal, a start) where the hour tells nothing. */
export function formatDate(iso: string): string {
  return dateOnly.format(new Date(iso));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
