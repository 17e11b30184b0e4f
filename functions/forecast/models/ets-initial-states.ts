// Starting values of the initial states for the likelihood search, by R forecast's heuristic (`initstate` in
// R/ets.R): a classical decomposition of the series (or, under three seasons, a linear trend plus one Fourier pair)
// for the seasonal indices, then a regression on the first few seasonally adjusted points for level and slope.
// These are only the optimiser's starting point, but matching R's makes our search start where R's does.
import { leastSquares } from './least-squares';
import type { SeasonType, TrendType } from './ets-recursions';

/**
 * [level, slope?, s0 … s(m-2)]: the states the optimiser moves. The last seasonal index is implied (the indices sum
 * to 0, or to m when multiplicative), as in R. `y` has no missing values (the caller interpolates).
 */
export function initialStates(y: ReadonlyArray<number>, m: number, trend: TrendType, season: SeasonType): number[] {
  const seasonalPeriod = season === 'N' ? 1 : m;
  const { adjusted, seasonIndices } = season === 'N' ? { adjusted: [...y], seasonIndices: [] } : seasonalStart(y, m, season);
  const head = adjusted.slice(0, Math.min(Math.max(10, 2 * seasonalPeriod), adjusted.length));
  if (trend === 'N') return [mean(head), ...seasonIndices];
  const [intercept, slope] = leastSquares(head.map((_, i) => [1, i + 1]), head) as [number, number];
  // A multiplicative error divides by the first forecast, l0 + b0: keep it off zero as R does.
  if (Math.abs(intercept + slope) < 1e-8) return [intercept * (1 + 1e-3), slope * (1 - 1e-3), ...seasonIndices];
  return [intercept, slope, ...seasonIndices];
}

function seasonalStart(y: ReadonlyArray<number>, m: number, season: 'A' | 'M') {
  const seasonalComponent = y.length < 3 * m ? fourierSeasonal(y, m, season) : decompose(y, m, season);
  let indices = seasonalComponent.slice(1, m).reverse();
  if (season === 'A') return { adjusted: y.map((v, i) => v - seasonalComponent[i]!), seasonIndices: indices };
  // Negative multiplicative indices are meaningless and would be rejected by the likelihood anyway.
  indices = indices.map((s) => Math.max(s, 1e-2));
  const sum = indices.reduce((a, b) => a + b, 0);
  if (sum > m) indices = indices.map((s) => s / (sum + 1e-2 * indices.length));
  return { adjusted: y.map((v, i) => v / Math.max(seasonalComponent[i]!, 1e-2)), seasonIndices: indices };
}

/** R's `decompose`: centred moving average trend, mean detrended value per position in the cycle, normalised. */
export function decompose(y: ReadonlyArray<number>, m: number, season: 'A' | 'M'): number[] {
  const trend = centredMovingAverage(y, m);
  const sums = new Array<number>(m).fill(0);
  const counts = new Array<number>(m).fill(0);
  y.forEach((v, i) => {
    const t = trend[i];
    if (t === undefined || t === null) return;
    sums[i % m]! += season === 'A' ? v - t : v / t;
    counts[i % m]!++;
  });
  const figure = sums.map((s, k) => s / counts[k]!);
  const centre = mean(figure);
  const normalised = figure.map((f) => (season === 'A' ? f - centre : f / centre));
  return y.map((_, i) => normalised[i % m]!);
}

function centredMovingAverage(y: ReadonlyArray<number>, m: number): Array<number | null> {
  // Even m: a 2×m average (half weights at both ends) so it is centred on an observation.
  const weights = m % 2 === 0 ? [0.5, ...new Array<number>(m - 1).fill(1), 0.5].map((w) => w / m) : new Array<number>(m).fill(1 / m);
  const half = Math.floor(weights.length / 2);
  return y.map((_, i) => {
    if (i - half < 0 || i + half >= y.length) return null;
    let sum = 0;
    for (let k = 0; k < weights.length; k++) sum += weights[k]! * y[i + half - k]!;
    return sum;
  });
}

/** Under three seasons R fits y ~ trend + one Fourier pair; the "seasonal" part is what the linear trend leaves. */
function fourierSeasonal(y: ReadonlyArray<number>, m: number, season: 'A' | 'M'): number[] {
  const time = y.map((_, i) => i + 1);
  // For m = 2 the sine column is identically zero; R's fourier() drops it.
  const rows = time.map((t) => (m === 2 ? [1, t, Math.cos(Math.PI * t)] : [1, t, Math.sin((2 * Math.PI * t) / m), Math.cos((2 * Math.PI * t) / m)]));
  const [intercept, slope] = leastSquares(rows, y) as [number, number];
  return y.map((v, i) => (season === 'A' ? v - intercept - slope * time[i]! : v / (intercept + slope * time[i]!)));
}

function mean(values: ReadonlyArray<number>): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Linear interpolation over missing values (ends carry the nearest observation): only for the starting values. */
export function interpolateMissing(y: ReadonlyArray<number | null>): number[] {
  const known = y.flatMap((v, i) => (v === null ? [] : [i]));
  if (known.length === 0) return y.map(() => 0);
  let next = 0;
  return y.map((v, i) => {
    if (v !== null) return v;
    while (next < known.length - 1 && known[next]! < i) next++;
    const right = known[next]!;
    const left = known[next - 1];
    if (right < i || left === undefined) return y[right]!;
    const [a, b] = [y[left]!, y[right]!];
    return a + ((b - a) * (i - left)) / (right - left);
  });
}
