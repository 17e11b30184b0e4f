// Pay periods, pure: which site-local days one timesheet covers, from the site's settings (settings.ts payPeriod).
//   weekly, biweekly   every 7 or 14 days from the anchor (any period's first day), before and after it
//   semimonthly        the 1st to the 15th, the 16th to the month's last day
//   monthly            the 1st to the month's last day
// A period is named by its first day (`periodFrom` in the routes and the table); a day that starts no period is a
// 422 naming the field, never a silently shifted period.
import { UnprocessableError } from '#shared/errors';
import { addDays } from '#shared/time';
import type { StaffSettings } from './settings';

export type PayPeriodRule = StaffSettings['payPeriod'];

/** Site-local days, both included. */
export interface PayPeriod {
  from: string;
  to: string;
}

export class PayPeriodStartError extends UnprocessableError {
  override name = 'PayPeriodStartError';
  constructor(field: string, date: string, period: PayPeriod) {
    super(`${field}: ${date} starts no pay period of this site; the period containing it starts on ${period.from}`, { field, periodContaining: period });
  }
}

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
const floorDiv = (a: number, b: number) => Math.floor(a / b);

function lastDayOfMonth(date: string): string {
  const [year, month] = date.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

/** The pay period `date` lies in. */
export function periodContaining(rule: PayPeriodRule, date: string): PayPeriod {
  switch (rule.kind) {
    case 'weekly':
    case 'biweekly': {
      const length = rule.kind === 'weekly' ? 7 : 14;
      const from = addDays(rule.anchor, floorDiv(daysBetween(rule.anchor, date), length) * length);
      return { from, to: addDays(from, length - 1) };
    }
    case 'semimonthly': {
      const month = date.slice(0, 8);
      return Number(date.slice(8)) <= 15 ? { from: `${month}01`, to: `${month}15` } : { from: `${month}16`, to: lastDayOfMonth(date) };
    }
    case 'monthly':
      return { from: `${date.slice(0, 8)}01`, to: lastDayOfMonth(date) };
  }
}

export const nextPeriod = (rule: PayPeriodRule, period: PayPeriod): PayPeriod => periodContaining(rule, addDays(period.to, 1));
export const previousPeriod = (rule: PayPeriodRule, period: PayPeriod): PayPeriod => periodContaining(rule, addDays(period.from, -1));

/** The period that starts on `from`, or a 422 naming `field` (and the period `from` lies in). */
export function periodStartingOn(rule: PayPeriodRule, from: string, field = 'periodFrom'): PayPeriod {
  const period = periodContaining(rule, from);
  if (period.from !== from) throw new PayPeriodStartError(field, from, period);
  return period;
}

/** Every period that one of `dates` lies in, oldest first, each once. */
export function periodsTouching(rule: PayPeriodRule, dates: readonly string[]): PayPeriod[] {
  const byFrom = new Map(dates.map((date) => periodContaining(rule, date)).map((period) => [period.from, period]));
  return [...byFrom.values()].sort((a, b) => a.from.localeCompare(b.from));
}
