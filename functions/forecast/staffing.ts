// The staffing suggestion read: the site's learnt days with their hours (half a year), its productivity targets and
// the learnt pay rates → the pure suggestion (staffing-rules.ts), as JSON or CSV. Computed on request, with no closed
// days yet: the stored runs pass the calendar's (run-rules.ts closedDatesOf) and this read is to serve the latest run.
import { csvOf, csvResponse, type Column } from '#shared/csv';
import type { HttpResult } from '#shared/http';
import { addDays } from '#shared/time';
import { dailySeriesStore, payRateStore, targetStore } from './config';
import { HOURLY_HISTORY_DAYS } from './hourly-forecast-rules';
import { closedDatesNow, storedPart } from './run-reads';
import { STAFFING_PART } from './run-rules';
import { staffingForecast, type StaffingDay, type StaffingForecast, type StaffingHour } from './staffing-rules';
import type { TargetsRecord } from './target-store';
import type { StaffingQuery } from './staffing-schemas';

type CsvRow = { day: StaffingDay; hour: StaffingHour; positionId: string; people: number };

const CSV_COLUMNS: Array<Column<CsvRow>> = [
  { header: 'date', value: (row) => row.day.date },
  { header: 'hour', value: (row) => row.hour.hour },
  { header: 'positionId', value: (row) => row.positionId },
  { header: 'people', value: (row) => row.people },
  { header: 'trading', value: (row) => row.hour.trading },
  { header: 'netSales', value: (row) => row.hour.netSales, money: true },
  { header: 'orders', value: (row) => row.hour.orders },
  { header: 'covers', value: (row) => row.hour.covers },
];

type StoredStaffing = StaffingForecast & { targetsVersion: number };

async function computedNow(siteId: string, query: StaffingQuery, targets: TargetsRecord, now: number): Promise<StoredStaffing> {
  const since = addDays(new Date(now).toISOString().slice(0, 10), -HOURLY_HISTORY_DAYS);
  const [points, people] = await Promise.all([dailySeriesStore.daysFrom(siteId, since, { hours: true }), payRateStore.ratesOf(siteId)]);
  return { targetsVersion: targets.version, ...staffingForecast(points, query.days, targets.positions, people, await closedDatesNow(siteId, points, query.days)) };
}

/**
 * The latest stored run's (or `?runId=`'s) suggestion, cut to `days`; computed now when the site has no run yet, or
 * when its targets changed since the run (a manager who just set them sees them applied; `?runId=` keeps the old).
 */
export async function staffingOf(siteId: string, query: StaffingQuery, now = Date.now()): Promise<HttpResult> {
  const [targets, stored] = await Promise.all([targetStore.get(siteId), storedPart<StoredStaffing>(siteId, STAFFING_PART, query.runId)]);
  const usable = stored && (query.runId || stored.body.targetsVersion === targets?.version) ? stored : undefined;
  const result = usable
    ? { siteId, run: usable.run, ...usable.body, days: usable.body.days.slice(0, query.days) }
    : targets
      ? { siteId, run: null, ...(await computedNow(siteId, query, targets, now)) }
      : { siteId, run: null, reason: 'no-targets' as const, days: [] };
  if (query.format === 'json') return { body: result };
  const rows = result.days.flatMap((day) => day.hours.flatMap((hour) => hour.positions.map(({ positionId, people: count }) => ({ day, hour, positionId, people: count }))));
  return csvResponse(csvOf(CSV_COLUMNS, rows, 'currency' in result ? (result.currency ?? undefined) : undefined), `staffing-${siteId}.csv`);
}
