// The ETS state-space recursions (Hyndman et al. 2008, ch. 2; R forecast's src/etscalc.c, line for line where it
// matters): one-step forecasts, errors and state updates over a series, and point forecasts from a state.
// Only the trends ETS selection uses here exist: none, additive and additive damped (no multiplicative trend).
//
// A state is laid out as R lays it (`model$states` rows): [level, slope?, s1 … sm], s1 the most recent seasonal
// index and sm the one the next observation uses. Inside the loop the seasons sit in a ring so a step costs O(1).
//
// Missing observations (null): the update step is skipped (the state propagates: level and slope move as the
// forecast does, the season comes round unchanged) and they add nothing to the likelihood. R's etscalc.c does the
// same state propagation (though R's ets() never passes it a gap); the likelihood counts only the observed points.

export type ErrorType = 'A' | 'M';
export type TrendType = 'N' | 'A';
export type SeasonType = 'N' | 'A' | 'M';

export interface EtsComponents {
  error: ErrorType;
  trend: TrendType;
  damped: boolean;
  season: SeasonType;
}

/** Smoothing parameters; beta = 0 without a trend, gamma = 0 without a season, phi = 1 without damping. */
export interface SmoothingParameters {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

export interface FilterResult {
  /** Σe² over observed points (e relative for multiplicative errors). */
  sumSquaredErrors: number;
  /** Σ log|ŷ| over observed points (the multiplicative-error likelihood's Jacobian term; 0 for additive errors). */
  sumLogAbsForecast: number;
  observed: number;
  /** False when a one-step forecast stopped being a finite number. */
  finite: boolean;
}

export interface FilterTrace extends FilterResult {
  fitted: number[];
  /** null where the observation is missing. */
  residuals: Array<number | null>;
  /** The state after the last observation, in R's layout. */
  finalState: number[];
}

// The same guards as etscalc.c: a seasonal index or level at zero would divide by zero.
const TOL = 1e-10;
const HUGE = 1e10;

/** The series as the recursions read it: a typed array, NaN where an observation is missing. */
export function toValues(y: ReadonlyArray<number | null>): Float64Array {
  return Float64Array.from(y, (v) => (v === null ? NaN : v));
}

/** Number of leading non-seasonal states (level, and slope when trended). */
export const nonSeasonalStates = (components: EtsComponents): number => (components.trend === 'N' ? 1 : 2);

/**
 * Runs the recursions over `y` from `initialState` (R's layout, all m seasonal indices). The work arrays are the
 * caller's so the optimiser's thousands of calls allocate nothing; pass `trace` to keep fitted values and residuals.
 */
export function filterSeries(
  y: Float64Array,
  m: number,
  components: EtsComponents,
  parameters: SmoothingParameters,
  initialState: ArrayLike<number>,
  seasonRing: Float64Array,
  trace?: { fitted: number[]; residuals: Array<number | null> },
): FilterResult & { level: number; slope: number; ringStart: number } {
  const { alpha, beta, gamma, phi } = parameters;
  const trended = components.trend === 'A';
  const additiveSeason = components.season === 'A';
  const seasonal = components.season !== 'N';
  const multiplicativeError = components.error === 'M';
  const offset = trended ? 2 : 1;
  let level = initialState[0]!;
  let slope = trended ? initialState[1]! : 0;
  // Ring position `start` holds the index the next observation uses (sm); the newest (s1) sits just before it.
  if (seasonal) for (let k = 0; k < m; k++) seasonRing[k] = initialState[offset + m - 1 - k]!;
  let start = 0;
  let sse = 0;
  let sumLog = 0;
  // Σ log|ŷ| as the log of running products: one log per ~hundred steps instead of one per step (a third of a
  // multiplicative model's time). Renormalised long before the product could overflow or underflow.
  let product = 1;
  let observed = 0;
  const betaOverAlpha = beta / alpha;

  for (let i = 0; i < y.length; i++) {
    const dampedSlope = trended ? phi * slope : 0;
    const base = level + dampedSlope;
    const oldSeason = seasonal ? seasonRing[start]! : 0;
    const fit = additiveSeason ? base + oldSeason : seasonal ? base * oldSeason : base;
    if (!Number.isFinite(fit)) return { sumSquaredErrors: NaN, sumLogAbsForecast: NaN, observed, finite: false, level, slope, ringStart: start };
    const value = y[i]!;
    if (trace) trace.fitted.push(fit);

    if (Number.isNaN(value)) {
      if (trace) trace.residuals.push(null);
      level = base;
      slope = dampedSlope;
      if (seasonal) start = start + 1 === m ? 0 : start + 1;
      continue;
    }

    const error = multiplicativeError ? (value - fit) / fit : value - fit;
    if (trace) trace.residuals.push(error);
    sse += error * error;
    if (multiplicativeError) {
      product *= Math.abs(fit);
      if (product > 1e250 || product < 1e-250) {
        sumLog += Math.log(product);
        product = 1;
      }
    }
    observed++;

    const deseasonalised = !seasonal ? value : additiveSeason ? value - oldSeason : Math.abs(oldSeason) < TOL ? HUGE : value / oldSeason;
    const previousLevel = level;
    level = base + alpha * (deseasonalised - base);
    if (trended) slope = dampedSlope + betaOverAlpha * (level - previousLevel - dampedSlope);
    if (seasonal) {
      const target = additiveSeason ? value - base : Math.abs(base) < TOL ? HUGE : value / base;
      seasonRing[start] = oldSeason + gamma * (target - oldSeason);
      start = start + 1 === m ? 0 : start + 1;
    }
  }
  return { sumSquaredErrors: sse, sumLogAbsForecast: sumLog + Math.log(product), observed, finite: true, level, slope, ringStart: start };
}

/** The full trace of a fit: fitted values, residuals and the final state in R's layout. */
export function traceSeries(
  y: ReadonlyArray<number | null>,
  m: number,
  components: EtsComponents,
  parameters: SmoothingParameters,
  initialState: ArrayLike<number>,
): FilterTrace {
  const ring = new Float64Array(Math.max(m, 1));
  const trace = { fitted: [] as number[], residuals: [] as Array<number | null> };
  const run = filterSeries(toValues(y), m, components, parameters, initialState, ring, trace);
  const finalState = [run.level];
  if (components.trend === 'A') finalState.push(run.slope);
  if (components.season !== 'N') {
    // R's order: s1 (newest, just written) … sm (the one the next step uses, at ringStart).
    for (let k = 1; k <= m; k++) finalState.push(ring[(run.ringStart - k + m * 2) % m]!);
  }
  return { ...run, ...trace, finalState };
}

/** Point forecasts 1..h ahead from a state in R's layout (etscalc.c `forecast`). */
export function pointForecasts(state: ReadonlyArray<number>, m: number, components: EtsComponents, phi: number, h: number): number[] {
  const offset = nonSeasonalStates(components);
  const level = state[0]!;
  const slope = components.trend === 'A' ? state[1]! : 0;
  const out: number[] = [];
  let phiSum = phi;
  let phiPower = phi;
  for (let i = 0; i < h; i++) {
    const base = components.trend === 'A' ? level + phiSum * slope : level;
    // Step i uses sm, s(m-1), … cycling: the oldest index first.
    const season = components.season === 'N' ? 0 : state[offset + m - 1 - (i % m)]!;
    out.push(components.season === 'A' ? base + season : components.season === 'M' ? base * season : base);
    phiPower *= phi;
    phiSum += phiPower;
  }
  return out;
}
