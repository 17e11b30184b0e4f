// What one forecast run computes for a site, from what the domain has learnt (pure: no AWS). Each kind of forecast
// gives a part (stored as the routes read it back) and a summary of its model; the daily figures also give what each
// day was forecast at the tracked horizons (forecast-vs-actual, accuracy-rules.ts); the ingredient demand and the
// staffing are also what the run publishes (forecast.ingredient-demand, forecast.staffing-suggested).
import { addDays } from '#shared/time';
import { SiteCalendar, type Calendar } from './calendar-rules';
import type { DailyPoint } from './daily-series-store';
import { FORECAST_METRICS, MAX_FORECAST_DAYS, salesForecast, type SalesForecast } from './forecast-rules';
import { hourlyForecast, MAX_HOURLY_FORECAST_DAYS, type HourlyForecast } from './hourly-forecast-rules';
import { ingredientDemand, itemForecasts, MAX_ITEM_FORECAST_DAYS, type IngredientDemand, type ItemForecasts } from './item-forecast-rules';
import type { PersonRates } from './pay-rate-rules';
import type { ItemRecipe } from './recipe-store';
import type { RunPart, RunPartSummary, TrackedForecast } from './run-store';
import { staffingFromHourly, type PositionTarget, type StaffingForecast } from './staffing-rules';

/** Days ahead whose forecasts are kept for comparison with what happened: tomorrow's, and next week's. */
export const TRACKED_HORIZONS = [1, 7] as const;

export interface RunInputs {
  /** The learnt days, oldest first, with their hours and items. */
  points: readonly DailyPoint[];
  calendar: Calendar;
  recipes: readonly ItemRecipe[];
  /** The site's productivity targets and their version; none set: no staffing part. */
  targets?: { version: number; positions: readonly PositionTarget[] };
  people: readonly PersonRates[];
}

export interface RunResults {
  history: { from: string; to: string } | null;
  parts: RunPart[];
  summaries: RunPartSummary[];
  /** Without runId and createdAt: the run adds them. */
  tracked: Array<Omit<TrackedForecast, 'runId' | 'createdAt'>>;
  /** What the run publishes, when there is any. */
  ingredientDemand?: IngredientDemand;
  staffing?: Extract<StaffingForecast, { history: unknown }>;
}

export const salesPart = (metric: string) => `sales#${metric}`;
export const hourlyPart = (metric: string) => `hourly#${metric}`;
export const ITEMS_PART = 'items';
export const INGREDIENTS_PART = 'ingredients';
export const STAFFING_PART = 'staffing';

const summaryOf = (part: string, forecast: { method?: string; fallback?: { reason: string } }): RunPartSummary => ({
  part,
  ...(forecast.method ? { method: forecast.method } : {}),
  ...(forecast.fallback ? { fallback: forecast.fallback.reason } : {}),
});

/** How many menu items each method forecasts: `ETS(A,N,A) ×12, SBA ×5`. */
function methodsOf(forecasts: ItemForecasts): string | undefined {
  const counts = new Map<string, number>();
  for (const item of forecasts.items) counts.set(item.method, (counts.get(item.method) ?? 0) + 1);
  return counts.size === 0 ? undefined : [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([method, n]) => `${method} ×${n}`).join(', ');
}

export function runResults(inputs: RunInputs): RunResults {
  const results: RunResults = { history: null, parts: [], summaries: [], tracked: [] };
  const daily = FORECAST_METRICS.map((metric) => salesForecast(inputs.points, metric, MAX_FORECAST_DAYS, inputs.calendar));
  const history = daily.find((forecast) => forecast.history)?.history;
  if (!history) return results;
  results.history = { from: history.from, to: history.to };
  for (const forecast of daily) {
    results.parts.push({ part: salesPart(forecast.metric), body: forecast });
    if (forecast.history) results.summaries.push(summaryOf(salesPart(forecast.metric), forecast));
    results.tracked.push(...trackedOf(forecast));
  }

  const closed = closedDatesOf(inputs.calendar, results.history, MAX_FORECAST_DAYS);
  const hourly = Object.fromEntries(FORECAST_METRICS.map((metric) => [metric, hourlyForecast(inputs.points, metric, MAX_HOURLY_FORECAST_DAYS, closed)])) as Record<(typeof FORECAST_METRICS)[number], HourlyForecast>;
  for (const metric of FORECAST_METRICS) {
    results.parts.push({ part: hourlyPart(metric), body: hourly[metric] });
    if (hourly[metric].history) results.summaries.push(summaryOf(hourlyPart(metric), hourly[metric] as { method?: string; fallback?: { reason: string } }));
  }

  const items = itemForecasts(inputs.points, MAX_ITEM_FORECAST_DAYS, closed);
  const methods = methodsOf(items);
  results.parts.push({ part: ITEMS_PART, body: items });
  results.summaries.push({ part: ITEMS_PART, ...(methods ? { method: methods } : {}) });
  const demand = ingredientDemand(items, inputs.recipes);
  results.parts.push({ part: INGREDIENTS_PART, body: demand });
  results.summaries.push({ part: INGREDIENTS_PART });
  if (demand.ingredients.length > 0) results.ingredientDemand = demand;

  if (inputs.targets && inputs.targets.positions.length > 0) {
    const staffing = staffingFromHourly(hourly, inputs.targets.positions, inputs.people, closed);
    // The targets' version: the route recomputes a suggestion whose targets have changed since.
    results.parts.push({ part: STAFFING_PART, body: { targetsVersion: inputs.targets.version, ...staffing } });
    results.summaries.push({ part: STAFFING_PART });
    if ('history' in staffing) results.staffing = staffing;
  }
  return results;
}

/** What a daily forecast said of the days at the tracked horizons (closed days are not compared, so not kept). */
export function trackedOf(forecast: SalesForecast): Array<Omit<TrackedForecast, 'runId' | 'createdAt'>> {
  if (!forecast.history) return [];
  return TRACKED_HORIZONS.flatMap((horizon) => {
    const day = forecast.forecast[horizon - 1];
    return day && !day.closed ? [{ metric: forecast.metric, date: day.date, horizon, mean: day.mean, lower80: day.lower80, upper80: day.upper80, lower95: day.lower95, upper95: day.upper95 }] : [];
  });
}

/** The closed days from the first learnt day to `days` after the last: what the hourly, item and staffing forecasts take. */
export function closedDatesOf(calendar: Calendar, history: { from: string; to: string }, days: number): Set<string> {
  return new SiteCalendar(calendar).closedBetween(history.from, addDays(history.to, days));
}
