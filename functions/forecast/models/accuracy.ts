// Forecast accuracy measures, defined as R's forecast::accuracy and the M4 competition define them:
// - MASE: mean |y − f| over the test points, scaled by the in-sample MAE of the seasonal naive method at period m
//   (m = 1, the naive method, when the series is not seasonal): mean over t > m of |y_t − y_{t−m}| on the training
//   data. A scale of 0 (a training series that never changes at that lag) leaves MASE undefined: NaN.
// - sMAPE: mean of 200·|y − f| / (|y| + |f|), with 0/0 counted as 0 (a forecast of 0 for an actual 0 is perfect).
// - RMSSE (the M5 competition's measure): √(mean (y − f)² over the test points ÷ the in-sample mean squared
//   difference at lag m). For an intermittent series MASE rewards a forecast near the median, which is 0 for a dish
//   sold twice a week, so seasonal naive's zeros win; a squared error is minimised by the mean, what ordering needs.
// Missing values (null: a closed day) are left out: of the test points, and of the lag pairs of the scale.
import type { Series } from './types';

/** In-sample MAE of the seasonal naive method at lag m over the pairs where both values are observed. */
export function seasonalNaiveScale(training: Series, m: number, error: (difference: number) => number = Math.abs): number {
  let sum = 0;
  let count = 0;
  for (let t = m; t < training.length; t++) {
    const [now, before] = [training[t], training[t - m]];
    if (now === null || now === undefined || before === null || before === undefined) continue;
    sum += error(now - before);
    count++;
  }
  return count === 0 ? NaN : sum / count;
}

function meanOverObserved(actual: Series, forecast: ReadonlyArray<number>, error: (y: number, f: number) => number): number {
  let sum = 0;
  let count = 0;
  actual.forEach((y, i) => {
    if (y === null || i >= forecast.length) return;
    sum += error(y, forecast[i]!);
    count++;
  });
  return count === 0 ? NaN : sum / count;
}

export function mase(actual: Series, forecast: ReadonlyArray<number>, training: Series, m: number): number {
  const scale = seasonalNaiveScale(training, m);
  const mae = meanOverObserved(actual, forecast, (y, f) => Math.abs(y - f));
  return scale > 0 ? mae / scale : NaN;
}

export function smape(actual: Series, forecast: ReadonlyArray<number>): number {
  return meanOverObserved(actual, forecast, (y, f) => {
    const denominator = Math.abs(y) + Math.abs(f);
    return denominator === 0 ? 0 : (200 * Math.abs(y - f)) / denominator;
  });
}

export function rmsse(actual: Series, forecast: ReadonlyArray<number>, training: Series, m: number): number {
  const scale = seasonalNaiveScale(training, m, (difference) => difference * difference);
  const mse = meanOverObserved(actual, forecast, (y, f) => (y - f) * (y - f));
  return scale > 0 ? Math.sqrt(mse / scale) : NaN;
}
