// Forecast against what happened (pure): each day's tracked forecast beside the figure analytics later published, and
// how good the forecasts were over a range — errors, bias, how often the intervals held the actual, and the error
// relative to seasonal naive's (the same weekday a week before), the benchmark every model here must beat.
import { addDays } from '#shared/time';
import type { TrackedForecast } from './run-store';

export interface AccuracyDay {
  date: string;
  actual: number | null;
  forecast: number | null;
  lower80: number | null;
  upper80: number | null;
  lower95: number | null;
  upper95: number | null;
  /** forecast − actual */
  error: number | null;
  within80: boolean | null;
  within95: boolean | null;
  /** The run that made the forecast. */
  runId: string | null;
  /** Seasonal naive's forecast of the day: the actual of the same weekday a week before. */
  seasonalNaive: number | null;
  /** The calendar closes the day: not compared. */
  closed?: true;
}

export interface AccuracySummary {
  /** Days with both a forecast and an actual (closed days left out). */
  days: number;
  mae: number | null;
  /** Mean of forecast − actual: above 0, the forecasts ran high. */
  bias: number | null;
  /** Mean absolute percentage error over the days whose actual is not 0, in %. */
  mape: number | null;
  /** Symmetric MAPE as R's accuracy() (0–200), in %. */
  smape: number | null;
  /** Share of actuals inside the 80 % and 95 % intervals (a good interval holds about that share). */
  coverage80: number | null;
  coverage95: number | null;
  /** MAE ÷ seasonal naive's MAE over the days both have: below 1, the forecasts beat last week's figure. */
  relativeToSeasonalNaive: number | null;
}

const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);
const round = (value: number | null, places = 4) => (value === null || !Number.isFinite(value) ? null : Math.round(value * 10 ** places) / 10 ** places);

export function accuracyDays(input: {
  from: string;
  to: string;
  tracked: readonly TrackedForecast[];
  actualOn: (date: string) => number | null | undefined;
  isClosed: (date: string) => boolean;
}): AccuracyDay[] {
  const byDate = new Map(input.tracked.map((track) => [track.date, track]));
  const days: AccuracyDay[] = [];
  for (let date = input.from; date <= input.to; date = addDays(date, 1)) {
    const track = byDate.get(date);
    const actual = input.actualOn(date) ?? null;
    const forecast = track?.mean ?? null;
    const compared = actual !== null && forecast !== null;
    const inside = (lower: number | null | undefined, upper: number | null | undefined) => (compared && lower != null && upper != null ? actual >= lower && actual <= upper : null);
    const closed = input.isClosed(date);
    days.push({
      date,
      actual,
      forecast,
      lower80: track?.lower80 ?? null,
      upper80: track?.upper80 ?? null,
      lower95: track?.lower95 ?? null,
      upper95: track?.upper95 ?? null,
      error: compared && !closed ? forecast - actual : null,
      within80: closed ? null : inside(track?.lower80, track?.upper80),
      within95: closed ? null : inside(track?.lower95, track?.upper95),
      runId: track?.runId ?? null,
      seasonalNaive: input.isClosed(addDays(date, -7)) ? null : (input.actualOn(addDays(date, -7)) ?? null),
      ...(closed ? { closed: true as const } : {}),
    });
  }
  return days;
}

export function accuracySummary(days: readonly AccuracyDay[]): AccuracySummary {
  const compared = days.filter((day): day is AccuracyDay & { actual: number; forecast: number; error: number } => day.error !== null);
  const absolute = compared.map((day) => Math.abs(day.error));
  const percentage = compared.filter((day) => day.actual !== 0).map((day) => (100 * Math.abs(day.error)) / Math.abs(day.actual));
  const symmetric = compared.map((day) => (day.actual === 0 && day.forecast === 0 ? 0 : (200 * Math.abs(day.error)) / (Math.abs(day.actual) + Math.abs(day.forecast))));
  const share = (flags: Array<boolean | null>) => {
    const known = flags.filter((flag): flag is boolean => flag !== null);
    return known.length === 0 ? null : known.filter(Boolean).length / known.length;
  };
  const againstNaive = compared.filter((day) => day.seasonalNaive !== null);
  const naiveMae = mean(againstNaive.map((day) => Math.abs(day.seasonalNaive! - day.actual)));
  const modelMae = mean(againstNaive.map((day) => Math.abs(day.error)));
  return {
    days: compared.length,
    mae: round(mean(absolute), 2),
    bias: round(mean(compared.map((day) => day.error)), 2),
    mape: round(mean(percentage), 2),
    smape: round(mean(symmetric), 2),
    coverage80: round(share(compared.map((day) => day.within80))),
    coverage95: round(share(compared.map((day) => day.within95))),
    relativeToSeasonalNaive: naiveMae && modelMae !== null ? round(modelMae / naiveMae) : null,
  };
}
