// The payroll export's rows and CSV, pure (payroll-export.ts reads the records): one row per person per pay code of
// a locked timesheet, one `not_locked` row per person whose timesheet is open.
import { csvOf, type Column } from '#shared/csv';
import type { ProfileRecord } from './schemas';
import type { LockedTimesheet } from './timesheet-store';

export interface PayrollRow {
  userId: string;
  name: string;
  status: 'locked' | 'not_locked';
  payCode?: string;
  minutes?: number;
  amount?: number;
  currency?: string;
  packRef?: string;
}

/** Hours for people, two decimals half-up; `minutes` stays the exact figure. */
const hoursOf = (minutes: number) => (Math.round((minutes * 100) / 60) / 100).toFixed(2);

export function payrollRows(profiles: readonly ProfileRecord[], locked: readonly LockedTimesheet[]): PayrollRow[] {
  const lockedBy = new Map(locked.map((item) => [item.userId, item]));
  const names = new Map(profiles.map((profile) => [profile.userId, profile.name]));
  const people = [...new Set([...profiles.map((profile) => profile.userId), ...lockedBy.keys()])].sort();
  return people.flatMap((userId): PayrollRow[] => {
    const name = names.get(userId) ?? '';
    const item = lockedBy.get(userId);
    if (!item) return [{ userId, name, status: 'not_locked' }];
    return Object.entries(item.result.totals.byPayCode)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([payCode, total]) => ({ userId, name, status: 'locked', payCode, minutes: total.minutes, amount: total.amount, currency: item.result.currency, packRef: item.packRef }));
  });
}

const columns: Array<Column<PayrollRow & { periodFrom: string; periodTo: string }>> = [
  { header: 'period_from', value: (r) => r.periodFrom },
  { header: 'period_to', value: (r) => r.periodTo },
  { header: 'user_id', value: (r) => r.userId },
  { header: 'name', value: (r) => r.name },
  { header: 'status', value: (r) => r.status },
  { header: 'pay_code', value: (r) => r.payCode },
  { header: 'minutes', value: (r) => r.minutes },
  { header: 'hours', value: (r) => (r.minutes === undefined ? undefined : hoursOf(r.minutes)) },
  { header: 'amount', value: (r) => r.amount, money: true },
  { header: 'pack', value: (r) => r.packRef },
];

export function payrollCsv(period: { from: string; to: string }, rows: readonly PayrollRow[]): string {
  return csvOf(columns, rows.map((row) => ({ ...row, periodFrom: period.from, periodTo: period.to })), (row) => row.currency);
}

