// The hourly forecast read: the latest stored run's (or `?runId=`'s) hourly forecast of the metric, cut to `days`; a
// site without a run yet gets it computed now from its learnt days with their hours (half a year at most) and its
// calendar's closed days (hourly-forecast-rules.ts). JSON or CSV.
import { csvOf, csvResponse, type Column } from '#shared/csv';
import type { HttpResult } from '#shared/http';
import { addDays } from '#shared/time';
import { dailySeriesStore } from './config';
import { HOURLY_HISTORY_DAYS, hourlyForecast, type HourlyForecast, type HourlyForecastHour } from './hourly-forecast-rules';
import type { HourlyForecastQuery } from './hourly-schemas';
import { closedDatesNow, storedPart } from './run-reads';
import { hourlyPart } from './run-rules';

type HourRow = HourlyForecastHour & { date: string; closed: boolean };

export async function hourlyForecastOf(siteId: string, query: HourlyForecastQuery, now = Date.now()): Promise<HttpResult> {
  const stored = await storedPart<HourlyForecast>(siteId, hourlyPart(query.metric), query.runId);
  let forecast: HourlyForecast;
  if (stored) forecast = { ...stored.body, forecast: stored.body.forecast.slice(0, query.days) } as HourlyForecast;
  else {
    const since = addDays(new Date(now).toISOString().slice(0, 10), -HOURLY_HISTORY_DAYS);
    const points = await dailySeriesStore.daysFrom(siteId, since, { hours: true });
    forecast = hourlyForecast(points, query.metric, query.days, await closedDatesNow(siteId, points, query.days));
  }
  const result = { siteId, run: stored?.run ?? null, ...forecast };
  if (query.format === 'json') return { body: result };
  const money = query.metric === 'netSales';
  const rows: HourRow[] = result.forecast.flatMap((day) => day.hours.map((hour) => ({ ...hour, date: day.date, closed: day.closed })));
  const columns: Array<Column<HourRow>> = [
    { header: 'date', value: (row) => row.date },
    { header: 'hour', value: (row) => row.hour },
    ...(['mean', 'lower80', 'upper80', 'lower95', 'upper95'] as const).map((name) => ({ header: name, value: (row: HourRow) => row[name] ?? undefined, money })),
    { header: 'closed', value: (row) => String(row.closed) },
    { header: 'method', value: () => (result.history ? result.method : 'no-data') },
  ];
  return csvResponse(csvOf(columns, rows, result.currency ?? undefined), `forecast-hourly-${siteId}-${query.metric}.csv`);
}
