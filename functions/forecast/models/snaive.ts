// The benchmark and fallback methods, with R forecast's intervals:
// - seasonal naive (snaive): the value one season back; naive: the last value (R's rw_model "lag walk" with lag m
//   or 1). Residual σ² = mean of squared one-lag residuals; the h-step error variance is σ²·(k + 1), k = ⌊(h−1)/lag⌋
//   (the number of whole seasons, or steps, the forecast is carried). A missing value takes the value one lag
//   further back, as R fills it.
// - mean (meanf): the mean of the observations, intervals from Student's t with n − 1 degrees of freedom.
import type { FittedModel, Forecast, Series } from './types';
import { assertHorizon, intervalsFromHalfWidths, intervalsFromVariances } from './intervals';
import { studentTQuantile } from './student-t';

export function snaive(series: Series, m: number): FittedModel {
  return lagWalk(series, m, 'SNAIVE');
}

export function naive(series: Series): FittedModel {
  return lagWalk(series, 1, 'NAIVE');
}

function lagWalk(series: Series, lag: number, method: string): FittedModel {
  // R fills a missing value from one lag back (itself possibly filled) before using it as a forecast.
  const filled: Array<number | null> = [];
  series.forEach((v, i) => filled.push(v ?? (i >= lag ? filled[i - lag]! : null)));
  let sumSquares = 0;
  let count = 0;
  series.forEach((v, i) => {
    const previous = i >= lag ? filled[i - lag] : null;
    if (v === null || previous === null || previous === undefined) return;
    sumSquares += (v - previous) ** 2;
    count++;
  });
  const sigma2 = count > 0 ? sumSquares / count : NaN;
  const lastCycle = filled.slice(-lag);
  return {
    method,
    parameters: { lag, sigma2 },
    forecast(h: number): Forecast {
      assertHorizon(h);
      const steps = Array.from({ length: h }, (_, i) => Math.floor(i / lag) + 1);
      const mean = steps.map((_, i) => lastCycle[i % lag] ?? NaN);
      return intervalsFromVariances(mean, steps.map((k) => sigma2 * k));
    },
  };
}

export function meanForecast(series: Series): FittedModel {
  const observed = series.filter((v): v is number => v !== null);
  const n = observed.length;
  const mu = observed.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(observed.reduce((a, v) => a + (v - mu) ** 2, 0) / (n - 1));
  // One observation says nothing about the spread: R's meanf gives infinite intervals too.
  const halfWidth = (level: number) => (n > 1 ? studentTQuantile(0.5 + level / 2, n - 1) * sd * Math.sqrt(1 + 1 / n) : Infinity);
  const [w80, w95] = [halfWidth(0.8), halfWidth(0.95)];
  return {
    method: 'MEAN',
    parameters: { mean: mu, sd },
    forecast(h: number): Forecast {
      assertHorizon(h);
      return intervalsFromHalfWidths(new Array<number>(h).fill(mu), new Array<number>(h).fill(w80), new Array<number>(h).fill(w95));
    },
  };
}
