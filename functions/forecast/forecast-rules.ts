// A site's daily forecast from its learnt days (pure: unit-tested without AWS). The series runs from the first to the
// last day learnt, a day never published being a gap (null: not a zero-demand day), and so is a day the site's
// calendar closes or marks a holiday (calendar-rules.ts); the model is the winner of the engine's backtest at a weekly
// period (models/backtest.ts), or a labelled fallback while history is short. Future closed days forecast 0, future
// holidays carry the uplift the same holiday had when last observed.
import { addDays } from '#shared/time';
import { EMPTY_CALENDAR, SiteCalendar, type Calendar } from './calendar-rules';
import { dailyModelOf, type Backtest } from './daily-model';
import type { DailyPoint } from './daily-series-store';

export const FORECAST_METRICS = ['netSales', 'orders', 'covers'] as const;
export type ForecastMetric = (typeof FORECAST_METRICS)[number];

export { MIN_HISTORY_DAYS, scoreOf, WEEKLY_PERIOD } from './daily-model';
/** Days of history a forecast reads: a year holds every weekly pattern the models use, at a bounded cost. */
export const HISTORY_DAYS = 365;
export const MAX_FORECAST_DAYS = 28;

export interface DailySeries {
  from: string;
  to: string;
  dates: string[];
  values: Array<number | null>;
}

/** No trade at all: analytics publishes such days for a site that was not open yet (its last 7 days when it first runs). */
const tradeless = (point: DailyPoint) => point.orders === 0 && point.netSales === 0 && point.covers === 0;

/**
 * The points as one value per day from the first day with trade to the last, oldest first; a missing day is null.
 * Days without any trade before the first that had some are not history (the site was not open yet); after it, a
 * day without trade is a zero (or a gap, if the calendar closes it).
 */
export function dailySeriesOf(points: readonly DailyPoint[], metric: ForecastMetric): DailySeries | undefined {
  const ordered = [...points].sort((a, b) => a.date.localeCompare(b.date));
  const opened = ordered.findIndex((point) => !tradeless(point));
  const sorted = opened < 0 ? [] : ordered.slice(opened);
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

/** A value is null where the model has none: a weekday with no observation in the season it repeats (always closed). */
export interface ForecastDay {
  date: string;
  mean: number | null;
  lower80: number | null;
  upper80: number | null;
  lower95: number | null;
  upper95: number | null;
  /** The calendar closes the site: 0, whatever the model says. */
  closed?: true;
  /** A holiday: the model's values times the uplift it had when last observed (none known: the model's values, `uplift` absent). */
  holiday?: { name?: string; uplift?: number; observedOn?: string };
}

export type SalesForecast =
  | { metric: ForecastMetric; currency: string | null; reason: 'no-data'; history: null; forecast: [] }
  | {
      metric: ForecastMetric;
      currency: string | null;
      history: { from: string; to: string; days: number; observedDays: number };
      method: string;
      /** The fitted model's parameters (smoothing weights, initial states…), as stored with a run. */
      parameters: Record<string, number | number[]>;
      /** Present when the model is not a backtest winner: why. */
      fallback?: { reason: string };
      backtest: Backtest;
      forecast: ForecastDay[];
    };

/** The next `days` days after the last learnt one. */
export function salesForecast(points: readonly DailyPoint[], metric: ForecastMetric, days: number, calendar: Calendar = EMPTY_CALENDAR): SalesForecast {
  const currency = [...points].reverse().find((point) => point.currency)?.currency ?? null;
  const learnt = dailySeriesOf(points, metric);
  if (!learnt) return { metric, currency, reason: 'no-data', history: null, forecast: [] };
  const siteCalendar = new SiteCalendar(calendar);
  const series = { ...learnt, values: siteCalendar.forFitting(learnt.dates, learnt.values) };
  const observedDays = series.values.filter((value) => value !== null).length;
  const { model, fallback, backtest } = dailyModelOf(series.values);
  const raw = model.forecast(days);
  const learntValue = new Map(learnt.dates.map((date, i) => [date, learnt.values[i]]));
  const forecast: ForecastDay[] = Array.from({ length: days }, (_, i) => {
    const date = addDays(series.to, i + 1);
    if (siteCalendar.isClosed(date)) return { date, mean: 0, lower80: 0, upper80: 0, lower95: 0, upper95: 0, closed: true };
    const holiday = siteCalendar.holidayOn(date);
    const uplift = holiday && siteCalendar.upliftOf(holiday, date, (day) => learntValue.get(day));
    const factor = uplift?.ratio ?? 1;
    const value = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? roundForecast(metric, x * factor) : null);
    return {
      date,
      mean: value(raw.mean[i]),
      lower80: value(raw.lower80[i]),
      upper80: value(raw.upper80[i]),
      lower95: value(raw.lower95[i]),
      upper95: value(raw.upper95[i]),
      ...(holiday ? { holiday: { ...(holiday.name ? { name: holiday.name } : {}), ...(uplift ? { uplift: Math.round(uplift.ratio * 1000) / 1000, observedOn: uplift.observedOn } : {}) } } : {}),
    };
  });
  return {
    metric,
    currency,
    history: { from: series.from, to: series.to, days: series.dates.length, observedDays },
    method: model.method,
    parameters: model.parameters,
    ...(fallback ? { fallback } : {}),
    backtest,
    forecast,
  };
}
