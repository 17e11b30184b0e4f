// Intermittent demand (a dish sold twice a week): Croston, SBA and TSB. Point forecasts are flat.
// - Croston (R's forecast::croston, the reference of tests/unit/fixtures/forecast/croston.json): exponential
//   smoothing of the non-zero demand sizes z and of the intervals p between them, each started at its first value
//   (ses initial = "simple") and updated only when a demand occurs; forecast z/p. The one-step fitted value at t is
//   that ratio from the data before t, 0 before the first demand (as croston's fitted values).
// - SBA (Syntetos–Boylan approximation): Croston × (1 − α/2), which removes Croston's known upward bias.
// - TSB (Teunter–Syntetos–Babai): smooths the demand probability d every period (d ← d + β(1[y>0] − d)) and the
//   size z only when a demand occurs; forecast d·z. Started at the first demand with z = that demand and
//   d = 1/(its position), Croston's starting interval as a probability, so the three methods start alike. Unlike
//   Croston it decays when demand stops (an item taken off the menu goes towards zero).
// Missing values (null: a closed day) are skipped, neither demand nor an interval: a closure is not a zero sale.
// α (and TSB's β) are fixed at 0.1 by default, as R's croston; `alpha: 'mse'` picks them from ALPHA_GRID by the
// in-sample mean squared one-step error instead.
// Intervals: R's croston has none. Ours are empirical: the 10/90 % and 2.5/97.5 % quantiles (R's type 7) of the
// in-sample one-step errors y − ŷ, from the first demand on, added to the flat forecast and floored at zero, the
// same at every horizon (the errors of a flat forecast of intermittent demand are dominated by whether and how much
// is sold on the day, not by how far ahead). Too few errors (under MIN_ERRORS_FOR_INTERVALS) give the widest
// interval the data has: observed minimum and maximum.
import type { FittedModel, Forecast, Series } from './types';
import { assertHorizon } from './intervals';

export type IntermittentMethod = 'CROSTON' | 'SBA' | 'TSB';

export const DEFAULT_ALPHA = 0.1;
export const ALPHA_GRID = [0.05, 0.1, 0.15, 0.2, 0.3] as const;
const MIN_ERRORS_FOR_INTERVALS = 10;

export interface IntermittentOptions {
  /** A smoothing constant, or 'mse' to choose one from ALPHA_GRID by in-sample MSE. TSB uses it for size and probability. */
  alpha?: number | 'mse';
}

export interface IntermittentTrace {
  /** The flat point forecast after the last observation. */
  forecast: number;
  /** One-step fitted values (null where the series is null, or before any value: R's first fitted value is NA). */
  fitted: Array<number | null>;
}

/** Share of the observed values that are zero: the caller's test for "intermittent" (e.g. > 0.3). */
export function zeroShare(series: Series): number {
  const observed = series.filter((v): v is number => v !== null);
  return observed.length === 0 ? 0 : observed.filter((v) => v === 0).length / observed.length;
}

/** Croston's (or SBA's) ratio and one-step fitted values at a given α. */
export function crostonTrace(series: Series, alpha: number, method: 'CROSTON' | 'SBA' = 'CROSTON'): IntermittentTrace {
  const correction = method === 'SBA' ? 1 - alpha / 2 : 1;
  const fitted: Array<number | null> = [];
  let size = NaN;
  let interval = NaN;
  let sinceLast = 0;
  let seenAny = false;
  const ratio = () => (Number.isNaN(size) ? 0 : (correction * size) / interval);
  for (const y of series) {
    fitted.push(y === null || !seenAny ? null : ratio());
    if (y === null) continue;
    seenAny = true;
    sinceLast++;
    if (y <= 0) continue;
    if (Number.isNaN(size)) [size, interval] = [y, sinceLast];
    else {
      size += alpha * (y - size);
      interval += alpha * (sinceLast - interval);
    }
    sinceLast = 0;
  }
  return { forecast: ratio(), fitted };
}

/** TSB's d·z and one-step fitted values at a given α (= β). */
export function tsbTrace(series: Series, alpha: number): IntermittentTrace {
  const fitted: Array<number | null> = [];
  let size = NaN;
  let probability = 0;
  let position = 0;
  let seenAny = false;
  const level = () => (Number.isNaN(size) ? 0 : probability * size);
  for (const y of series) {
    fitted.push(y === null || !seenAny ? null : level());
    if (y === null) continue;
    seenAny = true;
    position++;
    if (Number.isNaN(size)) {
      if (y > 0) [size, probability] = [y, 1 / position];
      continue;
    }
    probability += alpha * ((y > 0 ? 1 : 0) - probability);
    if (y > 0) size += alpha * (y - size);
  }
  return { forecast: level(), fitted };
}

function traceOf(series: Series, method: IntermittentMethod, alpha: number): IntermittentTrace {
  return method === 'TSB' ? tsbTrace(series, alpha) : crostonTrace(series, alpha, method);
}

function meanSquaredError(series: Series, fitted: ReadonlyArray<number | null>): number {
  let sum = 0;
  let count = 0;
  series.forEach((y, t) => {
    const f = fitted[t];
    if (y === null || f === null || f === undefined) return;
    sum += (y - f) ** 2;
    count++;
  });
  return count === 0 ? Infinity : sum / count;
}

/** The α of ALPHA_GRID with the lowest in-sample MSE; the smaller α on ties (the smoother forecast). */
export function chooseAlpha(series: Series, method: IntermittentMethod): number {
  let best: number = DEFAULT_ALPHA;
  let bestError = Infinity;
  for (const alpha of ALPHA_GRID) {
    const error = meanSquaredError(series, traceOf(series, method, alpha).fitted);
    if (error < bestError) [best, bestError] = [alpha, error];
  }
  return best;
}

/** R's default quantile (type 7) of an ascending array. */
export function quantile(sorted: ReadonlyArray<number>, p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
}

export function fitIntermittent(series: Series, method: IntermittentMethod, options: IntermittentOptions = {}): FittedModel {
  const alpha = options.alpha === 'mse' ? chooseAlpha(series, method) : (options.alpha ?? DEFAULT_ALPHA);
  if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`Smoothing constant must be in (0, 1], got ${alpha}`);
  const trace = traceOf(series, method, alpha);
  const observed = series.filter((v): v is number => v !== null);
  const errors = series.flatMap((y, t) => (y === null || trace.fitted[t] === null ? [] : [y - trace.fitted[t]!])).sort((a, b) => a - b);
  const band = (low: number, high: number): [number, number] =>
    errors.length >= MIN_ERRORS_FOR_INTERVALS
      ? [quantile(errors, low), quantile(errors, high)]
      : [Math.min(...observed, 0) - trace.forecast, Math.max(...observed, 0) - trace.forecast];
  const [low80, high80] = band(0.1, 0.9);
  const [low95, high95] = band(0.025, 0.975);
  const f = trace.forecast;
  return {
    method,
    parameters: { alpha },
    forecast(h: number): Forecast {
      assertHorizon(h);
      const flat = (v: number) => new Array<number>(h).fill(v);
      return {
        mean: flat(f),
        lower80: flat(Math.max(0, f + low80)),
        upper80: flat(Math.max(0, f + high80)),
        lower95: flat(Math.max(0, f + low95)),
        upper95: flat(Math.max(0, f + high95)),
      };
    },
  };
}
