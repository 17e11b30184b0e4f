// A site's hourly forecast for the next 1–7 days from its learnt days (pure: unit-tested without AWS). The hourly
// series runs from the first to the last day learnt, 24 site-local hours per day; a day never learnt, or closed by the
// site's calendar, is 24 nulls (not a zero-demand day); an hour of a learnt day without sales is 0. The model is the
// backtest winner of models/hourly.ts (last week's hour, or the daily forecast split by the weekday × hour profile),
// or a labelled fallback under two weeks. Future closed days forecast 0 with `closed: true`.
//
// Hours are the labels '00'–'23' analytics publishes (hour of placing, site-local). On a day the clocks go forward the
// skipped label simply has no sales; on the day they go back the repeated hour's sales are under one label. So every
// day, DST days included, has 24 labels here, and the forecast of a DST day is the profile's 24 labels: the skipped
// label gets what that hour usually gets (0 where the site is closed at night), the repeated one is not doubled.
import { allocate } from '#shared/money';
import { addDays } from '#shared/time';
import { dailyTotalsOf, chooseHourlyModel, HOURS_PER_DAY, type HourlyModel } from './models/hourly';
import type { Forecast } from './models/types';
import { roundForecast, scoreOf, type ForecastMetric, type SalesForecast } from './forecast-rules';
import type { DailyPoint } from './daily-series-store';

export const MAX_HOURLY_FORECAST_DAYS = 7;
/** Days of history an hourly forecast reads: half a year gives the daily model its weekly pattern and trend. */
export const HOURLY_HISTORY_DAYS = 182;

export const HOUR_LABELS = Array.from({ length: HOURS_PER_DAY }, (_, hour) => String(hour).padStart(2, '0'));

export interface HourlySeries {
  from: string;
  to: string;
  dates: string[];
  /** 24 values per date, oldest first. */
  values: Array<number | null>;
}

/**
 * The points as 24 values per day from the first day to the last, oldest first. A day not learnt, closed, or learnt
 * without its hours while it had sales (read without `hours`) is 24 nulls.
 */
export function hourlySeriesOf(points: readonly DailyPoint[], metric: ForecastMetric, closed: ReadonlySet<string>): HourlySeries | undefined {
  const sorted = [...points].sort((a, b) => a.date.localeCompare(b.date));
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (!first || !last) return undefined;
  const byDate = new Map(sorted.map((point) => [point.date, point]));
  const dates: string[] = [];
  const values: Array<number | null> = [];
  for (let date = first.date; date <= last.date; date = addDays(date, 1)) {
    dates.push(date);
    const point = byDate.get(date);
    const hoursKnown = point && (point.hours !== undefined || point[metric] === 0);
    if (!point || !hoursKnown || closed.has(date)) {
      values.push(...new Array<null>(HOURS_PER_DAY).fill(null));
      continue;
    }
    const byHour = new Map((point.hours ?? []).map((hour) => [hour.hour, hour[metric]]));
    values.push(...HOUR_LABELS.map((label) => byHour.get(label) ?? 0));
  }
  return { from: first.date, to: last.date, dates, values };
}

/** A value is null where the model has none (a weekday never observed under seasonal naive). */
export interface HourlyForecastHour {
  hour: string;
  mean: number | null;
  lower80: number | null;
  upper80: number | null;
  lower95: number | null;
  upper95: number | null;
}

export interface HourlyForecastDay {
  date: string;
  /** The calendar closes the site: every hour 0. */
  closed: boolean;
  /** The day's total: the sum of its hours' means (exactly, after rounding). */
  mean: number | null;
  hours: HourlyForecastHour[];
}

/** The sales forecast's answer (history, method, parameters, fallback, backtest) with days of hours. */
export type HourlyForecast =
  | { metric: ForecastMetric; currency: string | null; reason: 'no-data'; history: null; forecast: [] }
  | (Omit<Extract<SalesForecast, { method: string }>, 'forecast'> & {
      /** Under a DAILY × PROFILE forecast: the daily model that forecasts the days' totals. */
      daily?: { method: string; parameters: Record<string, number | number[]> };
      forecast: HourlyForecastDay[];
    });

const CENTS_PER_COUNT = 100;

/**
 * The day's rounded hourly means, adding up exactly to its rounded total: money in minor units, counts in hundredths,
 * split by largest remainder (a day of 24 separately rounded hours would drift from its total by up to 12 units).
 */
function roundedDay(metric: ForecastMetric, means: readonly number[]): { total: number | null; hours: Array<number | null> } {
  if (means.some((mean) => !Number.isFinite(mean))) return { total: null, hours: means.map((mean) => (Number.isFinite(mean) ? roundForecast(metric, mean) : null)) };
  const unit = metric === 'netSales' ? 1 : CENTS_PER_COUNT;
  const sum = means.reduce((a, b) => a + Math.max(0, b), 0);
  const units = Math.round(roundForecast(metric, sum) * unit);
  const parts = allocate(units, means.map((mean) => Math.round(Math.max(0, mean) * unit * 1_000)));
  return { total: units / unit, hours: parts.map((part) => part / unit) };
}

function dayOf(metric: ForecastMetric, date: string, raw: Forecast, offset: number): HourlyForecastDay {
  const slice = (values: number[]) => values.slice(offset, offset + HOURS_PER_DAY);
  const { total, hours } = roundedDay(metric, slice(raw.mean));
  const bound = (values: number[], i: number) => (Number.isFinite(values[offset + i]) ? roundForecast(metric, values[offset + i]!) : null);
  return {
    date,
    closed: false,
    mean: total,
    hours: HOUR_LABELS.map((hour, i) => {
      const mean = hours[i] ?? null;
      // Rounding the mean by largest remainder may move it a unit past a rounded bound: keep the bounds around it.
      const below = (value: number | null) => (value === null || mean === null ? value : Math.min(value, mean));
      const above = (value: number | null) => (value === null || mean === null ? value : Math.max(value, mean));
      const lower80 = below(bound(raw.lower80, i));
      const upper80 = above(bound(raw.upper80, i));
      return {
        hour,
        mean,
        lower80,
        upper80,
        lower95: lower80 === null ? bound(raw.lower95, i) : Math.min(bound(raw.lower95, i) ?? lower80, lower80),
        upper95: upper80 === null ? bound(raw.upper95, i) : Math.max(bound(raw.upper95, i) ?? upper80, upper80),
      };
    }),
  };
}

const closedDay = (date: string): HourlyForecastDay => ({
  date,
  closed: true,
  mean: 0,
  hours: HOUR_LABELS.map((hour) => ({ hour, mean: 0, lower80: 0, upper80: 0, lower95: 0, upper95: 0 })),
});

/** The next `days` (1–7) days after the last learnt one, hour by hour; `closed` holds the calendar's closed dates. */
export function hourlyForecast(points: readonly DailyPoint[], metric: ForecastMetric, days: number, closed: ReadonlySet<string>): HourlyForecast {
  if (!Number.isInteger(days) || days < 1 || days > MAX_HOURLY_FORECAST_DAYS) throw new RangeError(`days must be a whole number from 1 to ${MAX_HOURLY_FORECAST_DAYS}, got ${days}`);
  const currency = [...points].reverse().find((point) => point.currency)?.currency ?? null;
  const series = hourlySeriesOf(points, metric, closed);
  if (!series) return { metric, currency, reason: 'no-data', history: null, forecast: [] };
  const observedDays = dailyTotalsOf(series.values).filter((total) => total !== null).length;
  const choice = chooseHourlyModel(series.values);
  const model: HourlyModel = choice.model;
  const raw = model.forecast(days * HOURS_PER_DAY);
  const forecast = Array.from({ length: days }, (_, k) => {
    const date = addDays(series.to, k + 1);
    return closed.has(date) ? closedDay(date) : dayOf(metric, date, raw, k * HOURS_PER_DAY);
  });
  return {
    metric,
    currency,
    history: { from: series.from, to: series.to, days: series.dates.length, observedDays },
    method: model.method,
    parameters: model.parameters,
    ...(model.daily ? { daily: model.daily } : {}),
    ...(choice.fallbackReason ? { fallback: { reason: choice.fallbackReason } } : {}),
    backtest: { chosen: choice.method, ...(choice.reason ? { note: choice.reason } : {}), candidates: choice.scores.map(scoreOf) },
    forecast,
  };
}
