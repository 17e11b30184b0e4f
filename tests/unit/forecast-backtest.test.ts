// Rolling-origin backtests and the choice of a model by them (functions/forecast/models/backtest.ts), and the
// warm-started ETS refit they use at each origin.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chooseByBacktest, candidatesFor, defaultPlan, originsOf, scoreCandidate, snaiveCandidate, type Candidate } from '../../functions/forecast/models/backtest';
import { mase, rmsse, smape } from '../../functions/forecast/models/accuracy';
import { etsCriterion, fitEts, parseEtsModel, REFIT_EVALUATIONS, refitEts } from '../../functions/forecast/models/ets';
import type { FittedModel, Series } from '../../functions/forecast/models/types';
import { intervalsFromHalfWidths } from '../../functions/forecast/models/intervals';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, 'fixtures/forecast', `${name}.json`), 'utf8')) as { y: number[]; m: number };

/** A candidate forecasting a constant, fitted or not: for scores worked out by hand. */
function constantCandidate(name: string, value: (training: Series) => number): Candidate {
  const model = (training: Series): FittedModel => ({
    method: `${name}-model`,
    parameters: {},
    forecast: (h) => intervalsFromHalfWidths(new Array<number>(h).fill(value(training)), new Array<number>(h).fill(0), new Array<number>(h).fill(0)),
  });
  return { name, prepare: (series) => ({ model: model(series), refit: model }) };
}

describe('plans', () => {
  it('default: four back-to-back windows of whole seasons and at least 8 points', () => {
    expect(defaultPlan(7)).toEqual({ horizon: 14, origins: 4, step: 14, minTraining: 16 });
    expect(defaultPlan(12)).toEqual({ horizon: 12, origins: 4, step: 12, minTraining: 26 });
    expect(defaultPlan(4)).toMatchObject({ horizon: 8, step: 8 });
    expect(defaultPlan(1)).toMatchObject({ horizon: 8, minTraining: 10 });
  });

  it('origins end one horizon before the end, step apart, and drop those with too little training', () => {
    expect(originsOf(100, { horizon: 10, origins: 4, step: 5, minTraining: 20 })).toEqual([75, 80, 85, 90]);
    expect(originsOf(40, { horizon: 10, origins: 4, step: 5, minTraining: 20 })).toEqual([20, 25, 30]);
    expect(originsOf(25, { horizon: 10, origins: 4, step: 5, minTraining: 20 })).toEqual([]);
  });
});

describe('scoreCandidate', () => {
  it('averages MASE and sMAPE over the windows, each scaled on its own training data', () => {
    const y = [1, 3, 2, 4, 3, 5, 4, 6, 5, 7];
    const plan = { horizon: 2, origins: 2, step: 2, minTraining: 4 };
    const lastValue = constantCandidate('LAST', (training) => training.at(-1)!);
    // Origin 6: training 1 3 2 4 3 5, forecast 5, 5 for 4, 6; origin 8: forecast 6, 6 for 5, 7.
    const expected = [
      [mase([4, 6], [5, 5], y.slice(0, 6), 1), smape([4, 6], [5, 5])],
      [mase([5, 7], [6, 6], y.slice(0, 8), 1), smape([5, 7], [6, 6])],
    ];
    const score = scoreCandidate(y, 1, lastValue, plan);
    const rmsses = [rmsse([4, 6], [5, 5], y.slice(0, 6), 1), rmsse([5, 7], [6, 6], y.slice(0, 8), 1)];
    expect(score).toEqual({
      method: 'LAST-model',
      candidate: 'LAST',
      mase: (expected[0]![0]! + expected[1]![0]!) / 2,
      smape: (expected[0]![1]! + expected[1]![1]!) / 2,
      rmsse: (rmsses[0]! + rmsses[1]!) / 2,
      windows: 2,
    });
    // |4−5| + |6−5| over 2, scaled by mean |Δ| of 1 3 2 4 3 5 = (2+1+2+1+2)/5.
    expect(expected[0]![0]).toBeCloseTo(1 / 1.6, 12);
    // RMSSE: √(mean of 1², 1² over the mean squared Δ (4+1+4+1+4)/5).
    expect(rmsses[0]).toBeCloseTo(Math.sqrt(1 / 2.8), 12);
  });

  it('skips a window whose MASE is undefined (a training series that never changes)', () => {
    const y = [5, 5, 5, 5, 5, 5, 6, 7];
    // Origins 5, 6 and 7: only the last has a change in its training data.
    const score = scoreCandidate(y, 1, constantCandidate('FIVE', () => 5), { horizon: 1, origins: 3, step: 1, minTraining: 5 });
    expect(score).toMatchObject({ windows: 1, mase: 2 / (1 / 6) });
  });
});

describe('chooseByBacktest', () => {
  it('keeps the lowest mean MASE and reports every candidate’s scores', () => {
    const y = Array.from({ length: 60 }, (_, t) => 10 + (t % 2));
    const choice = chooseByBacktest(y, 1, [constantCandidate('LOW', () => 0), constantCandidate('MID', () => 10.5)]);
    expect(choice.method).toBe('MID-model');
    expect(choice.scores.map((s) => s.candidate)).toEqual(['LOW', 'MID']);
    expect(choice.scores[0]!.mase).toBeGreaterThan(choice.scores[1]!.mase);
    expect(choice.origins).toEqual([28, 36, 44, 52]);
  });

  it('gives ties to the simpler method, in whichever order the candidates come', () => {
    const y = Array.from({ length: 70 }, (_, t) => [3, 5, 9, 4, 6, 8, 2][t % 7]! + 0.1 * t);
    // Seasonal naive's forecasts under ETS's name: the same scores, the more complex method.
    const sameAsSnaive: Candidate = {
      name: 'ETS',
      prepare(series, m) {
        const prepared = snaiveCandidate.prepare(series, m);
        return { model: { ...prepared.model, method: 'ETS-like' }, refit: prepared.refit };
      },
    };
    const forward = chooseByBacktest(y, 7, [sameAsSnaive, snaiveCandidate]);
    expect(forward.scores[0]!.mase).toBe(forward.scores[1]!.mase);
    expect(forward.method).toBe('SNAIVE');
    expect(chooseByBacktest(y, 7, [snaiveCandidate, sameAsSnaive]).method).toBe('SNAIVE');
  });

  it('picks ETS over seasonal naive on the restaurant fixture, and forecasts with the fit on the whole series', () => {
    const { y, m } = fixture('restaurant');
    const choice = chooseByBacktest(y, m);
    expect(choice.scores.map((s) => s.candidate)).toEqual(['SNAIVE', 'ETS']);
    expect(choice.method).toMatch(/^ETS\(/);
    expect(choice.scores[1]!.mase).toBeLessThan(choice.scores[0]!.mase);
    expect(choice.scores.every((s) => s.windows === 4)).toBe(true);
    expect(choice.model.forecast(14).mean).toHaveLength(14);
  });

  it('adds Croston, SBA and TSB for an intermittent series (over 30 % zeros), closures included, and judges it by RMSSE', () => {
    const y = Array.from({ length: 120 }, (_, t) => (t % 13 === 6 ? null : [0, 0, 2, 0, 1, 0, 3, 0, 0, 1, 4][(t * 5) % 11]!));
    expect(candidatesFor(y).map((c) => c.name)).toEqual(['SNAIVE', 'CROSTON', 'SBA', 'TSB', 'ETS']);
    expect(candidatesFor([1, 2, 0, 3, 4]).map((c) => c.name)).toEqual(['SNAIVE', 'ETS']);
    const choice = chooseByBacktest(y, 7);
    expect(choice.scores).toHaveLength(5);
    expect(choice.scores.every((s) => s.windows === 4)).toBe(true);
    expect(choice.criterion).toBe('rmsse');
    const best = Math.min(...choice.scores.map((s) => s.rmsse));
    expect(choice.scores.find((s) => s.rmsse === best)!.method).toBe(choice.method);
    // MASE would keep a forecast near the median, 0, for a series that sells: not what ordering needs.
    expect(choice.method).not.toBe('SNAIVE');
  });

  it('judges a series with few zeros by MASE', () => {
    expect(chooseByBacktest(Array.from({ length: 60 }, (_, t) => 10 + (t % 7) + (t % 3)), 7).criterion).toBe('mase');
  });

  it('keeps the simplest candidate, and says why, when no window has a defined MASE', () => {
    const choice = chooseByBacktest(new Array<number>(40).fill(0), 7, [constantCandidate('ETS', () => 1), snaiveCandidate]);
    expect(choice.method).toBe('SNAIVE');
    expect(choice.reason).toMatch(/undefined in every window/);
  });

  it('answers a series too short for any window with ETS’s own choice or fallback, and says why', () => {
    const choice = chooseByBacktest([3, 4, 5, 4, 3], 7);
    expect(choice.scores).toEqual([]);
    expect(choice.reason).toMatch(/no backtest window/);
    expect(choice.method).toBe('MEAN (fallback)');
  });
});

describe('refitEts: a warm-started search on a prefix', () => {
  const { y, m } = fixture('airpassengers');
  const components = parseEtsModel('MAM');
  const full = fitEts(y, m, components)!;
  const prefix = y.slice(0, 120);

  it('starts at the full fit’s estimates and only improves on them for the prefix', () => {
    const refit = refitEts(prefix, full)!;
    // nmmin checks its budget between moves: the last move may take one evaluation more.
    expect(refit.evaluations).toBeLessThanOrEqual(REFIT_EVALUATIONS + 1);
    const atFullEstimates = etsCriterion(prefix, m, components, full.parameters, full.initialState);
    expect(-2 * refit.loglik).toBeLessThanOrEqual(atFullEstimates);
    expect(refit.observed).toBe(120);
  });

  it('is undefined when the prefix is too short for the model’s parameters', () => {
    expect(refitEts(y.slice(0, 14), full)).toBeUndefined();
  });
});
