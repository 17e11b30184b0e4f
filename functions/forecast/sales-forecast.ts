// The sales forecast read: the latest stored run's (or `?runId=`'s) forecast of the metric, cut to `days`; a site
// without a run yet gets it computed now from its learnt days (a year at most) and calendar. JSON or CSV.
import { csvOf, csvResponse, type Column } from '#shared/csv';
import type { HttpResult } from '#shared/http';
import { addDays } from '#shared/time';
import { calendarStore, dailySeriesStore } from './config';
import { HISTORY_DAYS, salesForecast, type ForecastDay, type SalesForecast } from './forecast-rules';
import { storedPart } from './run-reads';
import { salesPart } from './run-rules';
import type { SalesForecastQuery } from './schemas';

async function computedNow(siteId: string, query: SalesForecastQuery, now: number): Promise<SalesForecast> {
  const today = new Date(now).toISOString().slice(0, 10);
  const since = addDays(today, -HISTORY_DAYS);
  const [points, calendar] = await Promise.all([dailySeriesStore.daysFrom(siteId, since), calendarStore.between(siteId, since, addDays(today, 60))]);
  return salesForecast(points, query.metric, query.days, calendar);
}

export async function salesForecastOf(siteId: string, query: SalesForecastQuery, now = Date.now()): Promise<HttpResult> {
  const stored = await storedPart<SalesForecast>(siteId, salesPart(query.metric), query.runId);
  const forecast = stored ? { ...stored.body, forecast: stored.body.forecast.slice(0, query.days) } : await computedNow(siteId, query, now);
  const result = { siteId, run: stored?.run ?? null, ...forecast };
  if (query.format === 'json') return { body: result };
  const money = query.metric === 'netSales';
  const columns: Array<Column<ForecastDay>> = [
    { header: 'date', value: (day) => day.date },
    ...(['mean', 'lower80', 'upper80', 'lower95', 'upper95'] as const).map((name) => ({ header: name, value: (day: ForecastDay) => day[name] ?? undefined, money })),
    { header: 'method', value: () => (result.history ? result.method : 'no-data') },
  ];
  return csvResponse(csvOf(columns, result.forecast, result.currency ?? undefined), `forecast-${siteId}-${query.metric}.csv`);
}
