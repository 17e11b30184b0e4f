// Rolling-origin backtests and the choice of a series' model by them (issue 16: "the model used per series is the
// one that wins its backtest").
//
// A plan puts `origins` forecast origins `step` apart, the last one `horizon` before the end of the series, and
// drops those leaving less than `minTraining` points to learn from. At each origin every candidate is fitted on
// the data before it and forecasts `horizon` steps, scored by MASE (scaled on that training data at period m) and
// sMAPE over the observed points of the window (accuracy.ts); a candidate's score is the mean over the windows
// where MASE is defined. The lowest mean MASE wins, ties going to the simpler method (SIMPLICITY).
//
// ETS at the origins: the model form (error, trend, season) is chosen once, by autoEts on the whole series, then
// each window refits that form with refitEts: a short Nelder–Mead search warm-started from the full fit's estimates. Not fitAt at the full fit's parameters: those were estimated on the windows'
// own future, which flatters ETS against the parameter-free seasonal naive. Not a full autoEts per origin: five
// model selections per series would not fit the budget (300 items × 365 days in under 10 s on one core,
// bench/forecast-accuracy.ts). The form itself is still chosen with the whole series, a small look-ahead that
// the benchmark's outer windows (R's ets refitted from scratch at each origin) keep honest.
import type { FittedModel, Series } from './types';
import { mase, rmsse, smape } from './accuracy';
import { autoEts, etsModel, fitEts, refitEts, type AutoEtsOptions, type EtsFit } from './ets';
import { fitIntermittent, zeroShare } from './intermittent';
import { fallbackFor } from './fallbacks';
import { snaive } from './snaive';

export interface BacktestPlan {
  horizon: number;
  origins: number;
  step: number;
  minTraining: number;
}

/** Share of zeros over which a series counts as intermittent and gets Croston, SBA and TSB as candidates. */
export const INTERMITTENT_ZERO_SHARE = 0.3;

/** Test points per window at least: a quarterly window of one season (4 points) picks seasonal naive by luck. */
const MIN_WINDOW_POINTS = 8;

/**
 * Four windows back to back, each of whole seasons and at least MIN_WINDOW_POINTS (two weeks of daily data,
 * a year of monthly, two of quarterly), after at least two seasons of training (what seasonal ETS needs).
 */
export function defaultPlan(m: number): BacktestPlan {
  const horizon = m * Math.ceil(MIN_WINDOW_POINTS / m);
  return { horizon, origins: 4, step: horizon, minTraining: Math.max(2 * m + 2, 10) };
}

/** The training lengths (origins) of a plan on a series of the given length, oldest first. */
export function originsOf(length: number, plan: BacktestPlan): number[] {
  const out: number[] = [];
  for (let k = plan.origins - 1; k >= 0; k--) {
    const origin = length - plan.horizon - k * plan.step;
    if (origin >= plan.minTraining) out.push(origin);
  }
  return out;
}

/** A candidate fitted on the whole series, and how to refit it on a training window of that series. */
export interface PreparedCandidate {
  model: FittedModel;
  refit(training: Series): FittedModel;
}

export interface Candidate {
  name: string;
  prepare(series: Series, m: number): PreparedCandidate;
}

/** Lower is simpler; ties in MASE go to the simpler method. ETS (any form) is the most complex. */
const SIMPLICITY: Record<string, number> = { SNAIVE: 0, CROSTON: 1, SBA: 2, TSB: 3, ETS: 4 };

export const snaiveCandidate: Candidate = {
  name: 'SNAIVE',
  prepare: (series, m) => ({ model: snaive(series, m), refit: (training) => snaive(training, m) }),
};

export const intermittentCandidates: Candidate[] = (['CROSTON', 'SBA', 'TSB'] as const).map((method) => ({
  name: method,
  prepare: (series) => ({ model: fitIntermittent(series, method), refit: (training) => fitIntermittent(training, method) }),
}));

/**
 * autoEts's screened search (a fraction of the cost) where it was validated, weekly seasons of daily data
 * (bench/forecast-ets.ts), and where the cost matters, long series; R's exact search elsewhere: with 12 seasonal
 * states, 100 screening evaluations barely move the simplex and R's model is often not among the finalists.
 */
const SCREEN_MAX_PERIOD = 7;
const SCREEN_FROM_POINTS = 200;
const etsSearchFor = (series: Series, m: number): AutoEtsOptions['search'] => (m <= SCREEN_MAX_PERIOD && series.length >= SCREEN_FROM_POINTS ? 'screened' : 'exact');

export const etsCandidate: Candidate = {
  name: 'ETS',
  prepare(series, m) {
    const model = autoEts(series, m, { search: etsSearchFor(series, m) });
    const full = 'fit' in model ? (model.fit as EtsFit) : undefined;
    return {
      model,
      refit(training) {
        if (!full) return autoEts(training, m, { search: etsSearchFor(training, m) });
        // Where the full fit's estimates are infeasible on the window (e.g. a multiplicative model's forecast ≤ 0),
        // a search from R's starting values; a window too short for the model, a labelled fallback.
        const fit = refitEts(training, full) ?? fitEts(training, m, full.components);
        return fit ? etsModel(fit) : fallbackFor(training, 'naive', `${model.method} cannot be fitted on ${training.length} points`);
      },
    };
  },
};

/** The candidates issue 16 asks for: ETS and seasonal naive, plus Croston, SBA and TSB for intermittent series. */
export function candidatesFor(series: Series): Candidate[] {
  return [snaiveCandidate, ...(zeroShare(series) > INTERMITTENT_ZERO_SHARE ? intermittentCandidates : []), etsCandidate];
}

export interface CandidateScore {
  /** The candidate's method on the whole series (e.g. ETS(M,N,M), SNAIVE). */
  method: string;
  candidate: string;
  /** Mean over the windows with a defined MASE; NaN when none has one. */
  mase: number;
  smape: number;
  /** Mean RMSSE over the same windows: what an intermittent series is judged by. */
  rmsse: number;
  windows: number;
}

/** What the winner is chosen by: MASE, or RMSSE for an intermittent series (accuracy.ts says why). */
export type BacktestCriterion = 'mase' | 'rmsse';

export const criterionFor = (series: Series): BacktestCriterion => (zeroShare(series) > INTERMITTENT_ZERO_SHARE ? 'rmsse' : 'mase');

export interface BacktestChoice {
  /** The winner fitted on the whole series: what forecasts the series. */
  model: FittedModel;
  /** The winner refitted on another window of the series as its backtest did (ETS: the same parameters, states re-run). */
  refit(training: Series): FittedModel;
  method: string;
  criterion: BacktestCriterion;
  plan: BacktestPlan;
  /** Training lengths of the windows. */
  origins: number[];
  scores: CandidateScore[];
  /** Why the backtest could not decide: no window fits the plan (ETS's AICc choice, or its fallback, is kept), or no score is defined. */
  reason?: string;
}

export function scoreCandidate(series: Series, m: number, candidate: Candidate, plan: BacktestPlan, prepared = candidate.prepare(series, m)): CandidateScore {
  const masePerWindow: number[] = [];
  const smapePerWindow: number[] = [];
  const rmssePerWindow: number[] = [];
  for (const origin of originsOf(series.length, plan)) {
    const training = series.slice(0, origin);
    const actual = series.slice(origin, origin + plan.horizon);
    const forecast = prepared.refit(training).forecast(plan.horizon).mean;
    const scaled = mase(actual, forecast, training, m);
    if (!Number.isFinite(scaled)) continue;
    masePerWindow.push(scaled);
    smapePerWindow.push(smape(actual, forecast));
    rmssePerWindow.push(rmsse(actual, forecast, training, m));
  }
  const mean = (values: number[]) => (values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length);
  return { method: prepared.model.method, candidate: candidate.name, mase: mean(masePerWindow), smape: mean(smapePerWindow), rmsse: mean(rmssePerWindow), windows: masePerWindow.length };
}

export function chooseByBacktest(series: Series, m: number, candidates: Candidate[] = candidatesFor(series), plan: BacktestPlan = defaultPlan(m)): BacktestChoice {
  const origins = originsOf(series.length, plan);
  const criterion = criterionFor(series);
  if (origins.length === 0) {
    const prepared = etsCandidate.prepare(series, m);
    const model = prepared.model;
    return { model, refit: prepared.refit, method: model.method, criterion, plan, origins, scores: [], reason: `${series.length} points leave no backtest window (${plan.minTraining} to train, ${plan.horizon} to test)` };
  }
  const prepared = candidates.map((candidate) => candidate.prepare(series, m));
  const scores = candidates.map((candidate, i) => scoreCandidate(series, m, candidate, plan, prepared[i]));
  let winner = 0;
  scores.forEach((score, i) => {
    if (isBetter(score, scores[winner]!, criterion)) winner = i;
  });
  const undefinedEverywhere = scores.every((score) => !Number.isFinite(score[criterion]));
  return {
    model: prepared[winner]!.model,
    refit: prepared[winner]!.refit,
    method: prepared[winner]!.model.method,
    criterion,
    plan,
    origins,
    scores,
    ...(undefinedEverywhere ? { reason: `${criterion.toUpperCase()} is undefined in every window (the training data never changes at lag ${m}): the simplest candidate is kept` } : {}),
  };
}

/** Lower mean score wins, a defined score beats an undefined one, and equal (or both undefined) go to the simpler. */
function isBetter(a: CandidateScore, b: CandidateScore, criterion: BacktestCriterion): boolean {
  const [aDefined, bDefined] = [Number.isFinite(a[criterion]), Number.isFinite(b[criterion])];
  if (aDefined !== bDefined) return aDefined;
  if (aDefined && a[criterion] !== b[criterion]) return a[criterion] < b[criterion];
  return (SIMPLICITY[a.candidate] ?? Infinity) < (SIMPLICITY[b.candidate] ?? Infinity);
}
