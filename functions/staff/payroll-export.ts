// A pay period's payroll for the payroll clerk: one row per person per pay code of the locked timesheets, as JSON or
// CSV (#shared/csv: RFC 4180, formula-safe names, money as minor units and as a decimal of the row's currency).
// Only locked timesheets are paid: a person whose timesheet is still open is listed as excluded (a `not_locked`
// row without pay code in the CSV, `notLocked` in the JSON), never silently left out and never paid from a preview.
import { csvResponse } from '#shared/csv';
import type { HttpResult } from '#shared/http';
import { timesheetStore } from './config';
import { payrollCsv, payrollRows } from './payroll-export-rows';
import type { LockedTimesheet } from './timesheet-store';
import { allProfiles, sitePeriod } from './timesheets';

export async function payrollExport(siteId: string, periodFrom: string, format: 'json' | 'csv'): Promise<HttpResult> {
  const { period } = await sitePeriod(siteId, periodFrom);
  const [profiles, items] = await Promise.all([allProfiles(siteId), timesheetStore.ofPeriod(siteId, period.from)]);
  const locked = items.filter((item): item is LockedTimesheet => item.status === 'locked');
  const rows = payrollRows(profiles, locked);
  if (format === 'csv') return csvResponse(payrollCsv(period, rows), `payroll-${siteId}-${period.from}.csv`);
  const totals: Record<string, number> = {};
  for (const item of locked) totals[item.result.currency] = (totals[item.result.currency] ?? 0) + item.result.totals.amount;
  return {
    body: {
      period,
      rows: rows.filter((row) => row.status === 'locked'),
      notLocked: rows.filter((row) => row.status === 'not_locked').map(({ userId, name }) => ({ userId, name, excluded: true })),
      totals,
    },
  };
}
