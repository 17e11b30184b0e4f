// 80 % and 95 % prediction intervals from a forecast's mean and error variance (normal errors, as R's forecast
// package assumes for ETS and the naive methods).
import type { Forecast } from './types';

/** Standard normal quantiles for the two-sided 80 % and 95 % levels (R: qnorm(0.9), qnorm(0.975)). */
export const Z80 = 1.2815515655446004;
export const Z95 = 1.959963984540054;

export function intervalsFromVariances(mean: number[], variances: number[]): Forecast {
  return intervalsFromHalfWidths(
    mean,
    variances.map((v) => Z80 * Math.sqrt(v)),
    variances.map((v) => Z95 * Math.sqrt(v)),
  );
}

export function intervalsFromHalfWidths(mean: number[], halfWidth80: number[], halfWidth95: number[]): Forecast {
  return {
    mean,
    lower80: mean.map((f, i) => f - halfWidth80[i]!),
    upper80: mean.map((f, i) => f + halfWidth80[i]!),
    lower95: mean.map((f, i) => f - halfWidth95[i]!),
    upper95: mean.map((f, i) => f + halfWidth95[i]!),
  };
}

export function assertHorizon(h: number): void {
  if (!Number.isInteger(h) || h < 1) throw new RangeError(`Forecast horizon must be a positive integer, got ${h}`);
}
