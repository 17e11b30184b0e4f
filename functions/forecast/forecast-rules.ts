// A site's daily forecast from its learnt days (pure: unit-tested without AWS). The series runs from the first to the
// last day learnt, a day never published being a gap (null: not a zero-demand day); the model is the winner of the
// engine's backtest at a weekly period (models/backtest.ts), or a labelled fallback while history is short.
import { addDays } from '#shared/time';
import { chooseByBacktest, type CandidateScore } from './models/backtest';
import { fallbackFor } from './models/fallbacks';
import type { FittedModel } from './models/types';
import type { DailyPoint } from './daily-series-store';

export const FORECAST_METRICS = ['netSales', 'orders', 'covers'] as const;
export type ForecastMetric = (typeof FORECAST_METRICS)[number];

/** A week: the season of daily restaurant figures. */
export const WEEKLY_PERIOD = 7;
/** Two weeks (two seasons) of observed days at least before a weekly model is fitted; fewer get a labelled fallback. */
export const MIN_HISTORY_DAYS = 2 * WEEKLY_PERIOD;
/** Days of history a forecast reads: a year holds every weekly pattern the models use, at a bounded cost. */
export const HISTORY_DAYS = 365;
export const MAX_FORECAST_DAYS = 28;

export interface DailySeries {
  from: string;
  to: string;
  dates: string[];
  values: Array<number | null>;
}

/** The points as one value per day from the first to the last, oldest first; a missing day is null. */
export function dailySeriesOf(points: readonly DailyPoint[], metric: ForecastMetric): DailySeries | undefined {
  const sorted = [...points].sort((a, b) => a.date.localeCompare(b.date));
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (!first || !last) return undefined;
  const byDate = new Map(sorted.map((point) => [point.date, point[metric]]));
  const dates: string[] = [];
  for (let date = first.date; date <= last.date; date = addDays(date, 1)) dates.push(date);
  return { from: first.date, to: last.date, dates, values: dates.map((date) => byDate.get(date) ?? null) };
}

/** Money to integer minor units rounded half up, counts to 2 decimals; never below zero (no negative demand). */
export function roundForecast(metric: ForecastMetric, value: number): number {
  const floored = Math.max(0, value);
  return metric === 'netSales' ? Math.floor(floored + 0.5) : Math.floor(floored * 100 + 0.5) / 100;
}

const score = (value: number) => (Number.isFinite(value) ? Math.round(value * 10_000) / 10_000 : null);
const scoreOf = (s: CandidateScore) => ({ candidate: s.candidate, method: s.method, mase: score(s.mase), smape: score(s.smape), windows: s.windows });

/** A value is null where the model has none: a weekday with no observation in the season it repeats (always closed). */
export interface ForecastDay {
  date: string;
  mean: number | null;
  lower80: number | null;
  upper80: number | null;
  lower95: number | null;
  upper95: number | null;
}

export type SalesForecast =
  | { metric: ForecastMetric; currency: string | null; reason: 'no-data'; history: null; forecast: [] }
  | {
      metric: ForecastMetric;
      currency: string | null;
      history: { from: string; to: string; days: number; observedDays: number };
      method: string;
      /** Present when the model is not a backtest winner: why. */
      fallback?: { reason: string };
      backtest: { chosen: string; note?: string; candidates: Array<ReturnType<typeof scoreOf>> };
      forecast: ForecastDay[];
    };

/** The next `days` days after the last learnt one. */
export function salesForecast(points: readonly DailyPoint[], metric: ForecastMetric, days: number): SalesForecast {
  const currency = [...points].reverse().find((point) => point.currency)?.currency ?? null;
  const series = dailySeriesOf(points, metric);
  if (!series) return { metric, currency, reason: 'no-data', history: null, forecast: [] };
  const observedDays = series.values.filter((value) => value !== null).length;
  let model: FittedModel;
  let fallback: { reason: string } | undefined;
  let backtest: { chosen: string; note?: string; candidates: Array<ReturnType<typeof scoreOf>> };
  if (observedDays < MIN_HISTORY_DAYS) {
    fallback = { reason: `${observedDays} days of history: a weekly model needs ${MIN_HISTORY_DAYS}; the mean of the days so far` };
    model = fallbackFor(series.values, 'mean', fallback.reason);
    backtest = { chosen: model.method, note: 'not run: too little history', candidates: [] };
  } else {
    const choice = chooseByBacktest(series.values, WEEKLY_PERIOD);
    model = choice.model;
    const engineFallback = 'fallbackReason' in model ? String(model.fallbackReason) : undefined;
    if (engineFallback) fallback = { reason: engineFallback };
    backtest = { chosen: choice.method, ...(choice.reason ? { note: choice.reason } : {}), candidates: choice.scores.map(scoreOf) };
  }
  const raw = model.forecast(days);
  const value = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? roundForecast(metric, x) : null);
  const forecast: ForecastDay[] = Array.from({ length: days }, (_, i) => ({
    date: addDays(series.to, i + 1),
    mean: value(raw.mean[i]),
    lower80: value(raw.lower80[i]),
    upper80: value(raw.upper80[i]),
    lower95: value(raw.lower95[i]),
    upper95: value(raw.upper95[i]),
  }));
  return {
    metric,
    currency,
    history: { from: series.from, to: series.to, days: series.dates.length, observedDays },
    method: model.method,
    ...(fallback ? { fallback } : {}),
    backtest,
    forecast,
  };
}
