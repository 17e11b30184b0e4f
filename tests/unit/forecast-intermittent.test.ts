// Croston against R's forecast::croston (tests/unit/fixtures/forecast/croston.json, made by
// make-backtest-fixtures.R), SBA as Croston's correction, TSB against values worked out by hand, α chosen by
// in-sample MSE, and the empirical intervals.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chooseAlpha, crostonTrace, fitIntermittent, quantile, tsbTrace, zeroShare } from '../../functions/forecast/models/intermittent';

interface CrostonCase {
  name: string;
  y: number[];
  fits: Array<{ alpha: number; mean: number[]; fitted: Array<number | null> }>;
}

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures/forecast/croston.json'), 'utf8')) as { cases: CrostonCase[] };
const cases = fixture.cases.flatMap((c) => c.fits.map((fit) => ({ name: c.name, y: c.y, ...fit })));
const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));

describe.each(cases)('Croston on $name at α = $alpha against R', ({ y, alpha, mean, fitted }) => {
  it('forecasts R’s flat ratio of smoothed size over smoothed interval', () => {
    const model = fitIntermittent(y, 'CROSTON', { alpha });
    model.forecast(5).mean.forEach((f, i) => close(f, mean[i]!));
  });

  it('has R’s one-step fitted values (R’s first is NA, or 0 for a series of zeros; ours is null)', () => {
    const trace = crostonTrace(y, alpha);
    expect(trace.fitted[0]).toBeNull();
    fitted.slice(1).forEach((f, i) => close(trace.fitted[i + 1]!, f!));
  });
});

describe('SBA', () => {
  it('is Croston × (1 − α/2), fitted values included', () => {
    const y = fixture.cases[0]!.y;
    const croston = crostonTrace(y, 0.2);
    const sba = crostonTrace(y, 0.2, 'SBA');
    close(sba.forecast, croston.forecast * 0.9);
    sba.fitted.forEach((f, t) => (f === null ? expect(croston.fitted[t]).toBeNull() : close(f, croston.fitted[t]! * 0.9)));
  });
});

describe('TSB, worked by hand', () => {
  // y = 0, 3, 0, 0, 5 at α = β = 0.5. First demand at position 2: z = 3, d = 1/2.
  // t3 (0): d = 0.5 + 0.5(0 − 0.5) = 0.25.  t4 (0): d = 0.125.  t5 (5): d = 0.125 + 0.5(1 − 0.125) = 0.5625,
  // z = 3 + 0.5(5 − 3) = 4. Forecast d·z = 2.25. Fitted before each point: –, 0, 1.5, 0.75, 0.375.
  it('updates the probability every period and the size on demand', () => {
    const trace = tsbTrace([0, 3, 0, 0, 5], 0.5);
    close(trace.forecast, 2.25);
    expect(trace.fitted).toEqual([null, 0, 1.5, 0.75, 0.375]);
  });

  it('decays towards zero when demand stops, where Croston stays flat', () => {
    const y = [2, 0, 2, 0, 2, 0, ...new Array<number>(30).fill(0)];
    expect(tsbTrace(y, 0.1).forecast).toBeLessThan(0.1 * tsbTrace(y.slice(0, 6), 0.1).forecast);
    close(crostonTrace(y, 0.1).forecast, crostonTrace(y.slice(0, 6), 0.1).forecast);
  });

  it('skips closed days (null): neither a sale nor a day without one', () => {
    expect(tsbTrace([0, 3, null, 0, null, 0, 5], 0.5)).toEqual({ ...tsbTrace([0, 3, 0, 0, 5], 0.5), fitted: [null, 0, null, 1.5, null, 0.75, 0.375] });
    expect(crostonTrace([0, null, 2, 0, null, 4], 0.1).forecast).toBe(crostonTrace([0, 2, 0, 4], 0.1).forecast);
  });
});

describe('α by in-sample MSE', () => {
  it('picks the grid value with the lowest one-step MSE', () => {
    const y = fixture.cases[0]!.y;
    const mse = (alpha: number) => {
      const { fitted } = crostonTrace(y, alpha);
      const errors = y.flatMap((v, t) => (fitted[t] === null ? [] : [(v - fitted[t]!) ** 2]));
      return errors.reduce((a, b) => a + b, 0) / errors.length;
    };
    const chosen = chooseAlpha(y, 'CROSTON');
    for (const alpha of [0.05, 0.1, 0.15, 0.2, 0.3]) expect(mse(chosen)).toBeLessThanOrEqual(mse(alpha));
    expect(fitIntermittent(y, 'CROSTON', { alpha: 'mse' }).parameters).toEqual({ alpha: chosen });
  });

  it('rejects a smoothing constant outside (0, 1]', () => {
    expect(() => fitIntermittent([0, 1, 0, 2], 'TSB', { alpha: 0 })).toThrow(RangeError);
  });
});

describe('empirical intervals', () => {
  it('adds the in-sample error quantiles to the flat forecast, floored at zero, the same at every horizon', () => {
    const y = fixture.cases[0]!.y;
    const model = fitIntermittent(y, 'SBA');
    const trace = crostonTrace(y, 0.1, 'SBA');
    const errors = y.flatMap((v, t) => (trace.fitted[t] === null ? [] : [v - trace.fitted[t]!])).sort((a, b) => a - b);
    const f = model.forecast(3);
    expect(f.upper95).toEqual(new Array(3).fill(trace.forecast + quantile(errors, 0.975)));
    expect(f.upper80).toEqual(new Array(3).fill(trace.forecast + quantile(errors, 0.9)));
    expect(f.lower95).toEqual(new Array(3).fill(Math.max(0, trace.forecast + quantile(errors, 0.025))));
    expect(f.lower80[0]).toBeGreaterThanOrEqual(0);
    expect(f.upper95[0]).toBeGreaterThan(f.upper80[0]!);
  });

  it('quantile is R’s type 7', () => {
    // R: quantile(c(1, 2, 4, 8), c(0.1, 0.9)) = 1.3, 6.8
    close(quantile([1, 2, 4, 8], 0.1), 1.3);
    close(quantile([1, 2, 4, 8], 0.9), 6.8);
  });

  it('with too few errors, spans what was observed', () => {
    const f = fitIntermittent([0, 0, 4, 0, 1], 'CROSTON').forecast(2);
    expect(f.lower95).toEqual([0, 0]);
    expect(f.upper95).toEqual([4, 4]);
  });
});

it('zeroShare counts zeros among observed values', () => {
  expect(zeroShare([0, null, 1, 0, 3])).toBe(0.5);
  expect(zeroShare([])).toBe(0);
});
