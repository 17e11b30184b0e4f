// MASE against R's forecast::accuracy on R's own forecasts (tests/unit/fixtures/forecast/accuracy.json, made by
// make-backtest-fixtures.R), sMAPE by its M4 definition worked by hand, and missing values.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mase, seasonalNaiveScale, smape } from '../../functions/forecast/models/accuracy';

interface AccuracyCase {
  name: string;
  m: number;
  train: number[];
  test: number[];
  forecast: number[];
  mase: number;
  mae: number;
}

const { cases } = JSON.parse(readFileSync(join(__dirname, 'fixtures/forecast/accuracy.json'), 'utf8')) as { cases: AccuracyCase[] };

describe.each(cases)('MASE on $name against R accuracy()', (c) => {
  it('scales the test MAE by the in-sample seasonal naive MAE at the series period', () => {
    expect(mase(c.test, c.forecast, c.train, c.m)).toBeCloseTo(c.mase, 12);
    expect(seasonalNaiveScale(c.train, c.m)).toBeCloseTo(c.mae / c.mase, 9);
  });
});

describe('MASE with missing values and degenerate scales', () => {
  it('leaves closed days out of the test points and of the scale’s lag pairs', () => {
    // Lag-2 pairs of 1, 2, null, 5, 4: (1, null) and (null, 4) drop, |5 − 2| = 3 is the only one: scale 3.
    expect(seasonalNaiveScale([1, 2, null, 5, 4], 2)).toBe(3);
    expect(mase([10, null, 7], [9, 100, 9], [1, 2, null, 5, 4], 2)).toBe((1 + 2) / 2 / 3);
  });

  it('is NaN when the training data never changes at that lag, or when the window is all closed', () => {
    expect(mase([1], [2], [3, 3, 3], 1)).toBeNaN();
    expect(mase([null, null], [1, 2], [1, 2, 3], 1)).toBeNaN();
  });
});

describe('sMAPE (M4): 200·|y − f| / (|y| + |f|)', () => {
  it('averages the terms', () => {
    // 200·2/(10 + 12) = 18.18…, 200·1/(4 + 3) = 28.57…
    expect(smape([10, 4], [12, 3])).toBeCloseTo((400 / 22 + 200 / 7) / 2, 12);
  });

  it('counts 0/0 as a perfect forecast and caps a zero actual at 200', () => {
    expect(smape([0, 0], [0, 5])).toBe(100);
  });

  it('skips missing actuals', () => {
    expect(smape([null, 4], [1, 4])).toBe(0);
  });
});
