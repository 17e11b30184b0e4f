// The item and ingredient forecast reads: the latest stored run's (or `?runId=`'s), cut to `days`; a site without a
// run yet gets them computed now from its learnt days with their items (a year at most), its calendar's closed days
// and its learnt recipes (item-forecast-rules.ts). JSON or CSV.
import { csvOf, csvResponse, type Column } from '#shared/csv';
import type { HttpResult } from '#shared/http';
import { addDays } from '#shared/time';
import { dailySeriesStore, recipeStore } from './config';
import { HISTORY_DAYS } from './forecast-rules';
import { ingredientDemand, itemForecasts, type IngredientDemand, type IngredientDemandLine, type ItemForecast, type ItemForecastDay, type ItemForecasts } from './item-forecast-rules';
import type { ItemForecastQuery } from './item-schemas';
import { closedDatesNow, storedPart, type RunLabel } from './run-reads';
import { INGREDIENTS_PART, ITEMS_PART } from './run-rules';

async function computedNow(siteId: string, days: number, now: number): Promise<ItemForecasts> {
  const since = addDays(new Date(now).toISOString().slice(0, 10), -HISTORY_DAYS);
  const points = await dailySeriesStore.daysFrom(siteId, since, { items: true });
  return itemForecasts(points, days, await closedDatesNow(siteId, points, days));
}

const itemsCut = (forecasts: ItemForecasts, days: number): ItemForecasts =>
  'reason' in forecasts ? { ...forecasts, days } : { ...forecasts, days, items: forecasts.items.map((item) => ({ ...item, forecast: item.forecast.slice(0, days) })) };

const demandCut = (demand: IngredientDemand, days: number): IngredientDemand => ({
  ...demand,
  days,
  ingredients: demand.ingredients.map((line) => ({ ...line, daily: line.daily.slice(0, days), cumulativeSd: line.cumulativeSd.slice(0, days) })),
});

async function forecastsOf(siteId: string, query: ItemForecastQuery, now: number): Promise<{ run: RunLabel | null; forecasts: ItemForecasts }> {
  const stored = await storedPart<ItemForecasts>(siteId, ITEMS_PART, query.runId);
  return stored ? { run: stored.run, forecasts: itemsCut(stored.body, query.days) } : { run: null, forecasts: await computedNow(siteId, query.days, now) };
}

const INTERVAL = ['mean', 'lower80', 'upper80', 'lower95', 'upper95'] as const;

export async function itemForecastOf(siteId: string, query: ItemForecastQuery, now = Date.now()): Promise<HttpResult> {
  const { run, forecasts } = await forecastsOf(siteId, query, now);
  const result = { siteId, run, ...forecasts };
  if (query.format === 'json') return { body: result };
  const rows = result.items.flatMap((item) => item.forecast.map((day) => ({ item, day })));
  const columns: Array<Column<{ item: ItemForecast; day: ItemForecastDay }>> = [
    { header: 'itemId', value: ({ item }) => item.itemId },
    { header: 'name', value: ({ item }) => item.name },
    { header: 'date', value: ({ day }) => day.date },
    ...INTERVAL.map((name) => ({ header: name, value: ({ day }: { day: ItemForecastDay }) => day[name] ?? undefined })),
    { header: 'closed', value: ({ day }) => day.closed === true },
    { header: 'method', value: ({ item }) => item.method },
  ];
  return csvResponse(csvOf(columns, rows, undefined), `forecast-${siteId}-items.csv`);
}

export async function ingredientDemandOf(siteId: string, query: ItemForecastQuery, now = Date.now()): Promise<HttpResult> {
  const stored = await storedPart<IngredientDemand>(siteId, INGREDIENTS_PART, query.runId);
  let demand: IngredientDemand;
  let reason: string | undefined;
  if (stored) demand = demandCut(stored.body, query.days);
  else {
    const [forecasts, recipes] = await Promise.all([computedNow(siteId, query.days, now), recipeStore.recipesOf(siteId)]);
    demand = ingredientDemand(forecasts, recipes);
    if ('reason' in forecasts) reason = forecasts.reason;
  }
  const result = { siteId, run: stored?.run ?? null, ...(reason ? { reason } : {}), ...demand };
  if (query.format === 'json') return { body: result };
  const rows = demand.ingredients.flatMap((line) => line.daily.map((expected, d) => ({ line, d, expected })));
  const columns: Array<Column<{ line: IngredientDemandLine; d: number; expected: number }>> = [
    { header: 'ingredientId', value: ({ line }) => line.ingredientId },
    { header: 'unit', value: ({ line }) => line.unit },
    { header: 'date', value: ({ d }) => addDays(demand.from!, d) },
    { header: 'expected', value: ({ expected }) => expected },
    { header: 'cumulativeSd', value: ({ line, d }) => line.cumulativeSd[d] },
  ];
  return csvResponse(csvOf(columns, rows, undefined), `forecast-${siteId}-ingredients.csv`);
}
