// The model of one daily series (a site's figure, a menu item's portions): the winner of the engine's backtest at a
// weekly period, or the mean as a labelled fallback below two weeks of observed days; with the backtest as answered.
import { chooseByBacktest, type BacktestCriterion, type CandidateScore } from './models/backtest';
import { fallbackFor } from './models/fallbacks';
import type { FittedModel, Series } from './models/types';

/** A week: the season of daily restaurant figures. */
export const WEEKLY_PERIOD = 7;
/** Two weeks (two seasons) of observed days at least before a weekly model is fitted; fewer get a labelled fallback. */
export const MIN_HISTORY_DAYS = 2 * WEEKLY_PERIOD;

const score = (value: number) => (Number.isFinite(value) ? Math.round(value * 10_000) / 10_000 : null);
/** A candidate's backtest scores, JSON-ready (4 decimals; an undefined score is null). */
export const scoreOf = (s: CandidateScore) => ({ candidate: s.candidate, method: s.method, mase: score(s.mase), smape: score(s.smape), rmsse: score(s.rmsse), windows: s.windows });

export interface Backtest {
  chosen: string;
  /** What the winner was chosen by: MASE, or RMSSE for an intermittent series. */
  criterion?: BacktestCriterion;
  note?: string;
  candidates: Array<ReturnType<typeof scoreOf>>;
}

export interface DailyModel {
  model: FittedModel;
  /** Present when the model is not a backtest winner: why. */
  fallback?: { reason: string };
  backtest: Backtest;
}

export function dailyModelOf(values: Series): DailyModel {
  const observedDays = values.filter((value) => value !== null).length;
  if (observedDays < MIN_HISTORY_DAYS) {
    const reason = `${observedDays} days of history: a weekly model needs ${MIN_HISTORY_DAYS}; the mean of the days so far`;
    const model = fallbackFor(values, 'mean', reason);
    return { model, fallback: { reason }, backtest: { chosen: model.method, note: 'not run: too little history', candidates: [] } };
  }
  const choice = chooseByBacktest(values, WEEKLY_PERIOD);
  const engineFallback = 'fallbackReason' in choice.model ? String(choice.model.fallbackReason) : undefined;
  return {
    model: choice.model,
    ...(engineFallback ? { fallback: { reason: engineFallback } } : {}),
    backtest: { chosen: choice.method, criterion: choice.criterion, ...(choice.reason ? { note: choice.reason } : {}), candidates: choice.scores.map(scoreOf) },
  };
}
