// Words and dates as the page shows them (en-GB, Europe/London).

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/London' });
const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
});

export const date = (iso: string | null | undefined) => (iso ? DATE.format(new Date(iso)) : 'Not recorded');
export const dateTime = (iso: string | null | undefined) => (iso ? DATE_TIME.format(new Date(iso)) : 'Not recorded');

/** "2 days 11 hours", "3 hours", "less than an hour". */
export function duration(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const part = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (days > 0) return hours > 0 ? `${part(days, 'day')} ${part(hours, 'hour')}` : part(days, 'day');
  if (hours > 0) return part(hours, 'hour');
  return 'less than an hour';
}

/** "constable" -> "Constable", "inspector_and_above" -> "Inspector and above". */
export function label(value: string | null | undefined): string {
  if (!value) return 'Not recorded';
  const special = LABELS[value];
  if (special) return special;
  const words = value.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const LABELS: Record<string, string> = {
  pcso: 'PCSO',
  abh_s47: 'Actual bodily harm (s47)',
  gbh_s20: 'Grievous bodily harm (s20)',
  gbh_with_intent_s18: 'GBH with intent (s18)',
  emergency_worker_common_assault: 'Common assault on an emergency worker',
  welfare_officer: 'Welfare officer',
  federation_rep: 'Federation rep',
  force_system: 'Force system',
  analyst: 'Analyst',
  admin: 'Administrator',
  officer_in_charge: 'Officer in charge',
  not_applicable: 'Not applicable',
  withdrawn_discontinued: 'Withdrawn or discontinued',
  refer_occupational_health: 'Refer to occupational health',
  refer_professional_help: 'Refer for professional help',
  return_to_work_review: 'Return-to-work review',
};

/** A value for a datetime-local input from an instant, in the browser's time zone. */
export function localInput(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** An instant from a datetime-local or date input (a date alone is 09:00 that day, local time). */
export function fromInput(value: string): string | null {
  if (!value) return null;
  const at = new Date(/T/.test(value) ? value : `${value}T09:00`);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}
