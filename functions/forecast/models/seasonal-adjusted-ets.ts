// Decomposition + ETS for hourly series, after R's stlf() on msts(y, c(24, 168)): remove a daily and a weekly
// season, forecast what is left with a non-seasonal ETS, add the seasons back. Our decomposition is simpler than
// mstl()'s iterated loess, in three moving averages:
// - Trend: the centred moving average over a week (2×168 MA, as classical decomposition). Over the last half-week,
//   where no centred window exists, the trend goes on along the slope of its last week of values (a flat end would
//   count a rising last half-week as season); over the first half-week it carries the first value.
// - Daily season: per hour of the day, the detrended values' mean over the seven days around each day (a whole
//   week, so the weekdays' differences cancel); it moves with the weeks, as mstl's daily season does. The forecast
//   uses the last seven days' shape.
// - Weekly season: per hour of the week, the mean of what the daily season leaves over the last WEEKS_AVERAGED
//   weeks (a weekday's own shape: a Saturday lunch, a Monday closure), centred to sum to 0.
// - What is left (trend + remainder: the level a quiet or busy week moves) is forecast by ETS(A,N,N) or
//   ETS(A,Ad,N), the lower AICc; its intervals are those of the whole (the seasons taken as known, as stlf does).
// Missing values stay missing in the ETS fit (its state carries over them); the decomposition interpolates them.
import type { FittedModel, Forecast, Series } from './types';
import { interpolateMissing } from './ets-initial-states';
import { etsModel, fitEts, type EtsFit } from './ets';
import { assertHorizon } from './intervals';

const DAY = 24;
const WEEK = 7 * DAY;
/** Weeks the weekly season averages: its differences are small against the noise of one week, so many. */
export const WEEKS_AVERAGED = 12;

/** The weekly moving average, extended at the end along its last week's slope and at the start flat. */
export function weeklyTrend(y: ReadonlyArray<number>): number[] {
  const n = y.length;
  const half = WEEK / 2;
  if (n < WEEK + 1) return new Array<number>(n).fill(y.reduce((a, b) => a + b, 0) / Math.max(n, 1));
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + y[i]!;
  const trend = new Array<number>(n);
  // 2×168 MA: the two outermost points count half, so each hour of the week weighs the same.
  for (let t = half; t < n - half; t++) trend[t] = (prefix[t + half + 1]! - prefix[t - half]! - (y[t - half]! + y[t + half]!) / 2) / WEEK;
  for (let t = 0; t < half; t++) trend[t] = trend[half]!;
  const last = n - half - 1;
  const slope = last - WEEK >= half ? (trend[last]! - trend[last - WEEK]!) / WEEK : 0;
  for (let t = last + 1; t < n; t++) trend[t] = trend[last]! + slope * (t - last);
  return trend;
}

/** Hour of the day → the mean over the whole week of days around `day` (the last seven days at the end). */
function dailyShapeAround(detrended: ReadonlyArray<number>, day: number): number[] {
  const days = detrended.length / DAY;
  const first = Math.max(0, Math.min(day - 3, days - 7));
  const width = Math.min(7, days);
  return Array.from({ length: DAY }, (_, hour) => {
    let sum = 0;
    for (let d = first; d < first + width; d++) sum += detrended[d * DAY + hour]!;
    return sum / width;
  });
}

/** The season to add back at each hour of the next week, by position t mod 168 (series of whole days). */
export function hourlySeason(y: ReadonlyArray<number>): number[] {
  const trend = weeklyTrend(y);
  const detrended = y.map((v, t) => v - trend[t]!);
  const days = y.length / DAY;
  const shapes = Array.from({ length: days }, (_, day) => dailyShapeAround(detrended, day));
  const sums = new Float64Array(WEEK);
  const counts = new Float64Array(WEEK);
  for (let t = y.length - 1; t >= Math.max(0, y.length - WEEKS_AVERAGED * WEEK); t--) {
    sums[t % WEEK]! += detrended[t]! - shapes[Math.floor(t / DAY)]![t % DAY]!;
    counts[t % WEEK]! += 1;
  }
  const weekly = Array.from({ length: WEEK }, (_, j) => (counts[j]! > 0 ? sums[j]! / counts[j]! : 0));
  const centre = weekly.reduce((a, b) => a + b, 0) / WEEK;
  const lastShape = shapes[days - 1] ?? new Array<number>(DAY).fill(0);
  const shapeCentre = lastShape.reduce((a, b) => a + b, 0) / DAY;
  return weekly.map((w, j) => w - centre + lastShape[j % DAY]! - shapeCentre);
}

/** MSTL-style decomposition + ETS on an hourly series of whole days; undefined when the level cannot be fitted. */
export function seasonalAdjustedEts(series: Series): FittedModel | undefined {
  if (series.length % DAY !== 0 || series.length < 2 * WEEK) return undefined;
  const season = hourlySeason(interpolateMissing(series));
  const adjusted = series.map((v, t) => (v === null ? null : v - season[t % WEEK]!));
  const fits = [
    fitEts(adjusted, 1, { error: 'A', trend: 'N', damped: false, season: 'N' }),
    fitEts(adjusted, 1, { error: 'A', trend: 'A', damped: true, season: 'N' }),
  ].filter((fit): fit is EtsFit => fit !== undefined && Number.isFinite(fit.aicc));
  const best = fits.sort((a, b) => a.aicc - b.aicc)[0];
  if (!best) return undefined;
  const level = etsModel(best);
  const n = series.length;
  return {
    method: `MSTL(24,168) + ${level.method}`,
    parameters: { ...level.parameters, weeksAveraged: WEEKS_AVERAGED, season },
    forecast(h: number): Forecast {
      assertHorizon(h);
      const raw = level.forecast(h);
      const add = (values: number[]) => values.map((v, i) => v + season[(n + i) % WEEK]!);
      return { mean: add(raw.mean), lower80: add(raw.lower80), upper80: add(raw.upper80), lower95: add(raw.lower95), upper95: add(raw.upper95) };
    },
  };
}
