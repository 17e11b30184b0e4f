// Seasonal naive, naive and mean against R's snaive(), naive() and meanf() on the fixture series (made by
// tests/unit/fixtures/forecast/make-fixtures.R), their handling of missing values, and the labelled fallbacks
// autoEts answers with when ETS cannot be fitted. Tolerance 1e-9 relative: the same closed formulas as R.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { autoEts } from '../../functions/forecast/models/ets';
import { meanForecast, naive, snaive } from '../../functions/forecast/models/snaive';
import type { Forecast } from '../../functions/forecast/models/types';
import { Z80 } from '../../functions/forecast/models/intervals';

interface Fixture {
  name: string;
  m: number;
  h: number;
  y: number[];
  snaive: Forecast;
  naive: Forecast;
  meanf: Forecast;
  meanf_short: Forecast;
}

const NAMES = ['airpassengers', 'ukgas', 'nottem', 'ldeaths', 'restaurant', 'nile', 'airpassengers_short'];
const fixtures: Fixture[] = NAMES.map((name) => JSON.parse(readFileSync(join(__dirname, 'fixtures/forecast', `${name}.json`), 'utf8')) as Fixture);
const KEYS = ['mean', 'lower80', 'upper80', 'lower95', 'upper95'] as const;

function expectForecast(actual: Forecast, expected: Forecast): void {
  for (const key of KEYS) {
    expect(actual[key]).toHaveLength(expected[key].length);
    actual[key].forEach((a, i) => expect(Math.abs(a - expected[key][i]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected[key][i]!))));
  }
}

describe.each(fixtures)('simple methods on $name against R', (fixture) => {
  it('seasonal naive: last season repeated, σ·√(k+1) intervals', () => expectForecast(snaive(fixture.y, fixture.m).forecast(fixture.h), fixture.snaive));
  it('naive: last value, σ·√h intervals', () => expectForecast(naive(fixture.y).forecast(fixture.h), fixture.naive));
  it('mean: Student-t intervals', () => expectForecast(meanForecast(fixture.y).forecast(fixture.h), fixture.meanf));
  it('mean on 5 points: the t quantile with 4 degrees of freedom', () => expectForecast(meanForecast(fixture.y.slice(0, 5)).forecast(3), fixture.meanf_short));
});

describe('missing values in the simple methods', () => {
  it('seasonal naive forecasts a missing last-season value from one season earlier, as R fills it', () => {
    const y = [1, 2, 3, 4, 5, 6, 7, 8, 10, null, 12, 13];
    expect(snaive(y, 4).forecast(4).mean).toEqual([10, 6, 12, 13]);
  });

  it('seasonal naive takes σ from the residuals it has: none at the gap, the filled value one season later', () => {
    // Lag-4 residuals of 1…12 with 6 missing: 4, –, 4, 4, 4, 10 − 2 = 8 (6 was filled with 2), 4, 4.
    const forecast = snaive([1, 2, 3, 4, 5, null, 7, 8, 9, 10, 11, 12], 4).forecast(1);
    expect(forecast.mean).toEqual([9]);
    expect(forecast.upper80[0]! - forecast.mean[0]!).toBeCloseTo(Z80 * Math.sqrt((6 * 16 + 64) / 7), 12);
  });

  it('rejects horizons that are not positive integers', () => {
    expect(() => snaive([1, 2, 3, 4], 2).forecast(0)).toThrow(RangeError);
    expect(() => meanForecast([1, 2, 3]).forecast(1.5)).toThrow(RangeError);
  });
});

describe('autoEts fallbacks', () => {
  it('answers a series under 8 observations with the labelled mean method', () => {
    const model = autoEts([12, 15, null, 11, 14, 13], 7);
    expect(model.method).toBe('MEAN (fallback)');
    expect('fallbackReason' in model && model.fallbackReason).toMatch(/only 5 observations/);
    expect(model.forecast(2).mean).toEqual([13, 13]);
  });

  it('answers a constant series with the labelled naive method and zero-width intervals', () => {
    const model = autoEts(new Array<number>(30).fill(40), 7);
    expect(model.method).toBe('NAIVE (fallback)');
    const forecast = model.forecast(3);
    expect(forecast.mean).toEqual([40, 40, 40]);
    expect(forecast.upper95).toEqual([40, 40, 40]);
  });

  it('fits only non-seasonal ETS models under two full seasons', () => {
    const y = [30, 42, 38, 51, 60, 33, 29, 31, 45, 40, 50, 63];
    const model = autoEts(y, 7);
    expect(model.method).toMatch(/^ETS\([AM],(N|Ad?),N\)$/);
  });
});
