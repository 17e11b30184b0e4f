// Hourly series of a restaurant (issue 16: "per hour for the next 7 days"): zeros at night, a lunch and a dinner
// peak, a weekly rhythm. A series is 24 values per day, oldest first, starting at a day's hour 00; a day that is
// unknown or closed is 24 nulls (never zeros). Three candidates, chosen per series by a rolling-origin backtest (four
// windows of one week, MASE scaled by the seasonal naive at lag 168, as R's accuracy() with m = 168):
// - SNAIVE(168): the same hour last week (snaive.ts at lag 168, R's intervals).
// - DAILY × PROFILE: the daily totals forecast by the daily engine (chooseByBacktest at m = 7: ETS or seasonal
//   naive), each day split over its hours by the weekday × hour profile of the last PROFILE_DAYS observed days of
//   that weekday (the ratio of their summed hours to their summed totals, which a quiet day cannot tip). The hours
//   of a day sum to the daily forecast. Interval: the product of two independent estimates, the day's total T
//   (variance from the daily model's 95 % interval) and the hour's share S (its variance over those days):
//   Var(T·S) = S²·Var(T) + T²·Var(S) + Var(T)·Var(S), normal, floored at 0.
// - MSTL + ETS: a daily and a weekly season removed, ETS on the rest (seasonal-adjusted-ets.ts, after R's stlf).
// Hours the site has never traded in its whole history forecast 0 with a zero interval, whatever the model.
import type { FittedModel, Forecast, Series } from './types';
import { candidatesFor, chooseByBacktest, scoreCandidate, type BacktestPlan, type Candidate, type CandidateScore } from './backtest';
import { fallbackFor } from './fallbacks';
import { Z95, assertHorizon, intervalsFromVariances } from './intervals';
import { meanForecast, snaive } from './snaive';
import { seasonalAdjustedEts } from './seasonal-adjusted-ets';

export const HOURS_PER_DAY = 24;
export const HOURS_PER_WEEK = 7 * HOURS_PER_DAY;
const DAYS_PER_WEEK = 7;
/** Same weekdays a profile averages: six weeks follow a change of rhythm within a month and average out noise. */
export const PROFILE_DAYS = 6;
/** Observed days a daily model needs (two weekly seasons); under it the hourly model is the labelled fallback. */
export const MIN_HOURLY_HISTORY_DAYS = 2 * DAYS_PER_WEEK;

/** Four back-to-back weeks, after two weeks of training. */
export const HOURLY_PLAN: BacktestPlan = { horizon: HOURS_PER_WEEK, origins: 4, step: HOURS_PER_WEEK, minTraining: 2 * HOURS_PER_WEEK };

export interface HourlyModel extends FittedModel {
  /** The daily model under a DAILY × PROFILE forecast: what forecasts the days' totals. */
  daily?: { method: string; parameters: FittedModel['parameters'] };
}

/** The 24 values of each day; a day with any null counts as not observed (null). */
export function dailyTotalsOf(series: Series): Array<number | null> {
  const totals: Array<number | null> = [];
  for (let start = 0; start + HOURS_PER_DAY <= series.length; start += HOURS_PER_DAY) {
    const day = series.slice(start, start + HOURS_PER_DAY);
    totals.push(day.some((v) => v === null) ? null : day.reduce<number>((sum, v) => sum + v!, 0));
  }
  return totals;
}

interface HourProfile {
  share: number[];
  shareVariance: number[];
}

/** The share of each hour in the last `PROFILE_DAYS` observed days (with sales) of the same weekday slot. */
function profileOf(series: Series, totals: ReadonlyArray<number | null>, slot: number): HourProfile | undefined {
  const days: number[] = [];
  for (let d = totals.length - 1; d >= 0 && days.length < PROFILE_DAYS; d--) {
    if (d % DAYS_PER_WEEK === slot && (totals[d] ?? 0) > 0) days.push(d);
  }
  if (days.length === 0) return undefined;
  const sumOfTotals = days.reduce((sum, d) => sum + totals[d]!, 0);
  const share = Array.from({ length: HOURS_PER_DAY }, (_, hour) => days.reduce((sum, d) => sum + series[d * HOURS_PER_DAY + hour]!, 0) / sumOfTotals);
  const shareVariance = share.map((mean, hour) => {
    if (days.length < 2) return 0;
    const squares = days.reduce((sum, d) => sum + (series[d * HOURS_PER_DAY + hour]! / totals[d]! - mean) ** 2, 0);
    return squares / (days.length - 1);
  });
  return { share, shareVariance };
}

/** The profile of the whole history, for a weekday with no observed day of its own in the recent weeks. */
function overallProfile(series: Series, totals: ReadonlyArray<number | null>): HourProfile {
  const byDay = Array.from({ length: DAYS_PER_WEEK }, (_, slot) => profileOf(series, totals, slot)).filter((p): p is HourProfile => p !== undefined);
  if (byDay.length === 0) return { share: new Array<number>(HOURS_PER_DAY).fill(0), shareVariance: new Array<number>(HOURS_PER_DAY).fill(0) };
  const mean = (pick: (p: HourProfile) => number[], hour: number) => byDay.reduce((sum, p) => sum + pick(p)[hour]!, 0) / byDay.length;
  return {
    share: Array.from({ length: HOURS_PER_DAY }, (_, hour) => mean((p) => p.share, hour)),
    shareVariance: Array.from({ length: HOURS_PER_DAY }, (_, hour) => mean((p) => p.shareVariance, hour)),
  };
}

interface DailyModel {
  model: FittedModel;
  /** The same model on a prefix of the totals: a backtest window's daily model. */
  refit(totals: Series): FittedModel;
}

/**
 * The daily model of a DAILY × PROFILE forecast: the daily engine's backtest winner, or the labelled mean under two
 * weeks. A backtest window fits the winner's kind (ETS by AICc, or seasonal naive) afresh on the window's days, not
 * the whole daily backtest again (five daily backtests per hourly series would cost several times as much), and not
 * a refit warm-started from the full fit, whose estimates saw the window's future and would flatter this candidate
 * against the others.
 */
function dailyModelOf(totals: Series): DailyModel {
  const observed = totals.filter((v) => v !== null).length;
  if (observed < MIN_HOURLY_HISTORY_DAYS) {
    return { model: fallbackFor(totals, 'mean', `${observed} days of history: a weekly model needs ${MIN_HOURLY_HISTORY_DAYS}`), refit: (training) => dailyModelOf(training).model };
  }
  const candidates = candidatesFor(totals);
  const choice = chooseByBacktest(totals, DAYS_PER_WEEK, candidates);
  const winner = candidates.find((candidate) => candidate.name === choice.scores.find((score) => score.method === choice.method)?.candidate);
  return {
    model: choice.model,
    refit: (training) =>
      !winner || training.filter((v) => v !== null).length < MIN_HOURLY_HISTORY_DAYS ? dailyModelOf(training).model : winner.prepare(training, DAYS_PER_WEEK).model,
  };
}

/** DAILY × PROFILE fitted on an hourly series that ends at the end of a day (the daily model fitted on its totals, or given). */
export function dailyProfile(series: Series, daily: FittedModel = dailyModelOf(dailyTotalsOf(series)).model): HourlyModel {
  const totals = dailyTotalsOf(series);
  const fallbackProfile = overallProfile(series, totals);
  const profiles = Array.from({ length: DAYS_PER_WEEK }, (_, slot) => profileOf(series, totals, slot) ?? fallbackProfile);
  return {
    method: `DAILY ${daily.method} × PROFILE`,
    parameters: { ...daily.parameters, profileDays: PROFILE_DAYS },
    daily: { method: daily.method, parameters: daily.parameters },
    forecast(h: number): Forecast {
      assertHorizon(h);
      const days = Math.ceil(h / HOURS_PER_DAY);
      const dayForecast = daily.forecast(days);
      const mean: number[] = [];
      const variance: number[] = [];
      for (let i = 0; i < h; i++) {
        const k = Math.floor(i / HOURS_PER_DAY);
        const profile = profiles[(totals.length + k) % DAYS_PER_WEEK]!;
        const [share, shareVariance] = [profile.share[i % HOURS_PER_DAY]!, profile.shareVariance[i % HOURS_PER_DAY]!];
        const total = Math.max(0, dayForecast.mean[k]!);
        const totalVariance = ((dayForecast.upper95[k]! - dayForecast.lower95[k]!) / (2 * Z95)) ** 2;
        mean.push(total * share);
        variance.push(share ** 2 * totalVariance + total ** 2 * shareVariance + totalVariance * shareVariance);
      }
      return intervalsFromVariances(mean, variance);
    },
  };
}

export const weekAgoCandidate: Candidate = {
  // Named as the daily engine's seasonal naive, so a tie goes to it (the simpler method).
  name: 'SNAIVE',
  prepare: (series) => ({ model: snaive(series, HOURS_PER_WEEK), refit: (training) => snaive(training, HOURS_PER_WEEK) }),
};

export const dailyProfileCandidate: Candidate = {
  name: 'DAILY × PROFILE',
  prepare(series) {
    const daily = dailyModelOf(dailyTotalsOf(series));
    return { model: dailyProfile(series, daily.model), refit: (training) => dailyProfile(training, daily.refit(dailyTotalsOf(training))) };
  },
};

/** MSTL-style decomposition + ETS, or last week's hours where the level cannot be fitted (too few observed hours). */
export function mstlEts(series: Series): FittedModel {
  return seasonalAdjustedEts(series) ?? snaive(series, HOURS_PER_WEEK);
}

export const mstlEtsCandidate: Candidate = {
  name: 'MSTL + ETS',
  prepare: (series) => ({ model: mstlEts(series), refit: (training) => mstlEts(training) }),
};

export const HOURLY_CANDIDATES: Candidate[] = [weekAgoCandidate, dailyProfileCandidate, mstlEtsCandidate];

export interface HourlyChoice {
  model: HourlyModel;
  method: string;
  scores: CandidateScore[];
  /** Why no backtest decided (too little history: the labelled fallback, or no window for the plan). */
  reason?: string;
  fallbackReason?: string;
}

/** The mean of each hour of the day over the observed days, for a site with under two weeks of history. */
export function hourlyMeanFallback(series: Series): HourlyModel {
  const byHour = Array.from({ length: HOURS_PER_DAY }, (_, hour) => meanForecast(series.filter((_, i) => i % HOURS_PER_DAY === hour)));
  return {
    method: 'HOURLY MEAN (fallback)',
    parameters: { mean: byHour.map((m) => m.parameters.mean as number) },
    forecast(h: number): Forecast {
      assertHorizon(h);
      const perHour = byHour.map((m) => m.forecast(1));
      const pick = (key: keyof Forecast) => Array.from({ length: h }, (_, i) => perHour[i % HOURS_PER_DAY]![key][0]!);
      return { mean: pick('mean'), lower80: pick('lower80'), upper80: pick('upper80'), lower95: pick('lower95'), upper95: pick('upper95') };
    },
  };
}

/** Hour-of-day slots with a non-zero value anywhere in the history. */
function tradingHours(series: Series): boolean[] {
  const trades = new Array<boolean>(HOURS_PER_DAY).fill(false);
  series.forEach((v, i) => {
    if (v !== null && v !== 0) trades[i % HOURS_PER_DAY] = true;
  });
  return trades;
}

/** The model's forecast with the never-traded hours at 0 and no bound below 0 (there is no negative demand). */
function withoutImpossibleHours(model: HourlyModel, trades: readonly boolean[]): HourlyModel {
  return {
    ...model,
    forecast(h: number): Forecast {
      const raw = model.forecast(h);
      const clean = (values: number[]) => values.map((v, i) => (trades[i % HOURS_PER_DAY] ? Math.max(0, v) : 0));
      return { mean: clean(raw.mean), lower80: clean(raw.lower80), upper80: clean(raw.upper80), lower95: clean(raw.lower95), upper95: clean(raw.upper95) };
    },
  };
}

/** The hourly model of a series ending at the end of a day: backtest winner, or the labelled fallback under two weeks. */
export function chooseHourlyModel(series: Series, candidates: Candidate[] = HOURLY_CANDIDATES): HourlyChoice {
  if (series.length % HOURS_PER_DAY !== 0) throw new RangeError(`An hourly series holds whole days (24 values each), got ${series.length} values`);
  const trades = tradingHours(series);
  const observedDays = dailyTotalsOf(series).filter((v) => v !== null).length;
  if (observedDays < MIN_HOURLY_HISTORY_DAYS) {
    const fallbackReason = `${observedDays} days of history: the hourly models need ${MIN_HOURLY_HISTORY_DAYS}; the mean of each hour so far`;
    const model = withoutImpossibleHours(hourlyMeanFallback(series), trades);
    return { model, method: model.method, scores: [], reason: 'not run: too little history', fallbackReason };
  }
  const prepared = candidates.map((candidate) => candidate.prepare(series, HOURS_PER_WEEK));
  const scores = candidates.map((candidate, i) => scoreCandidate(series, HOURS_PER_WEEK, candidate, HOURLY_PLAN, prepared[i]));
  const ranked = scores.map((score, i) => ({ score, i })).filter(({ score }) => Number.isFinite(score.mase));
  ranked.sort((a, b) => a.score.mase - b.score.mase || a.i - b.i);
  // No window (under three weeks) or no defined score: the profile model, which needs the least history.
  const winner = ranked[0]?.i ?? candidates.indexOf(dailyProfileCandidate);
  const chosen = prepared[winner >= 0 ? winner : prepared.length - 1]!;
  const model = withoutImpossibleHours(chosen.model as HourlyModel, trades);
  return {
    model,
    method: model.method,
    scores,
    ...(ranked.length === 0 ? { reason: `no backtest window scored (${series.length / HOURS_PER_DAY} days; a window needs ${HOURLY_PLAN.minTraining / HOURS_PER_DAY} to train and ${HOURLY_PLAN.horizon / HOURS_PER_DAY} to test)` } : {}),
  };
}
