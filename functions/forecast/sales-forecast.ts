// The sales forecast read: the site's learnt days (a year at most) → the pure forecast (forecast-rules.ts), as JSON or CSV.
import { csvOf, csvResponse, type Column } from '#shared/csv';
import type { HttpResult } from '#shared/http';
import { addDays } from '#shared/time';
import { dailySeriesStore } from './config';
import { HISTORY_DAYS, salesForecast, type ForecastDay } from './forecast-rules';
import type { SalesForecastQuery } from './schemas';

export async function salesForecastOf(siteId: string, query: SalesForecastQuery, now = Date.now()): Promise<HttpResult> {
  const since = addDays(new Date(now).toISOString().slice(0, 10), -HISTORY_DAYS);
  const result = { siteId, ...salesForecast(await dailySeriesStore.daysFrom(siteId, since), query.metric, query.days) };
  if (query.format === 'json') return { body: result };
  const money = query.metric === 'netSales';
  const columns: Array<Column<ForecastDay>> = [
    { header: 'date', value: (day) => day.date },
    ...(['mean', 'lower80', 'upper80', 'lower95', 'upper95'] as const).map((name) => ({ header: name, value: (day: ForecastDay) => day[name] ?? undefined, money })),
    { header: 'method', value: () => (result.history ? result.method : 'no-data') },
  ];
  return csvResponse(csvOf(columns, result.forecast, result.currency ?? undefined), `forecast-${siteId}-${query.metric}.csv`);
}
