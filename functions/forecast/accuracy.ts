// Forecast vs actual for a range: the tracked forecasts of one horizon (run-store.ts) beside the learnt days.
import { BadRequestError } from '#shared/errors';
import { csvOf, csvResponse, type Column } from '#shared/csv';
import type { HttpResult } from '#shared/http';
import { addDays } from '#shared/time';
import { accuracyDays, accuracySummary, type AccuracyDay } from './accuracy-rules';
import { MAX_ACCURACY_DAYS, type AccuracyQuery } from './accuracy-schemas';
import { SiteCalendar } from './calendar-rules';
import { calendarStore, dailySeriesStore, runStore } from './config';

const DEFAULT_DAYS = 28;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

export async function accuracyOf(siteId: string, query: AccuracyQuery, now = Date.now()): Promise<HttpResult> {
  const to = query.to ?? (await runStore.lastLearntDay(siteId)) ?? addDays(new Date(now).toISOString().slice(0, 10), -1);
  const from = query.from ?? addDays(to, -(DEFAULT_DAYS - 1));
  // The schema compares from and to only when both are given; a `to` taken by default can be before `from`.
  if (from > to) throw new BadRequestError(`from (${from}) is after to (${to}${query.to ? '' : ', the last day learnt'})`);
  if (daysBetween(from, to) >= MAX_ACCURACY_DAYS) throw new BadRequestError(`An accuracy read compares at most ${MAX_ACCURACY_DAYS} days; narrow from/to`);
  // A week before `from` too: seasonal naive's forecast of the first days.
  const [points, tracked, calendar] = await Promise.all([
    dailySeriesStore.daysFrom(siteId, addDays(from, -7)),
    runStore.tracked(siteId, query.metric, from, to, query.horizon),
    calendarStore.between(siteId, addDays(from, -7), to),
  ]);
  const actual = new Map(points.filter((point) => point.date <= to).map((point) => [point.date, point[query.metric]]));
  const siteCalendar = new SiteCalendar(calendar);
  const days = accuracyDays({ from, to, tracked, actualOn: (date) => actual.get(date), isClosed: (date) => siteCalendar.isClosed(date) });
  const currency = points.find((point) => point.currency)?.currency ?? null;
  const result = { siteId, metric: query.metric, horizon: query.horizon, from, to, currency, summary: accuracySummary(days), days };
  if (query.format === 'json') return { body: result };
  const money = query.metric === 'netSales';
  const columns: Array<Column<AccuracyDay>> = [
    { header: 'date', value: (day) => day.date },
    ...(['actual', 'forecast', 'lower80', 'upper80', 'lower95', 'upper95', 'error', 'seasonalNaive'] as const).map((name) => ({ header: name, value: (day: AccuracyDay) => day[name] ?? undefined, money })),
    { header: 'within80', value: (day) => (day.within80 === null ? undefined : String(day.within80)) },
    { header: 'within95', value: (day) => (day.within95 === null ? undefined : String(day.within95)) },
    { header: 'closed', value: (day) => (day.closed ? 'true' : undefined) },
    { header: 'runId', value: (day) => day.runId ?? undefined },
  ];
  return csvResponse(csvOf(columns, days, currency ?? undefined), `forecast-accuracy-${siteId}-${query.metric}-h${query.horizon}.csv`);
}
