// Exponential smoothing in state-space form (ETS), after Hyndman, Koehler, Ord & Snyder, "Forecasting with
// Exponential Smoothing" (2008) and R's forecast::ets, which is the reference the tests hold us to
// (tests/unit/fixtures/forecast/, made by make-fixtures.R): error A|M, trend N|A|Ad, season N|A|M.
//
// Fitting is R's: starting values from `initstate` (ets-initial-states.ts) and `initparam`, then Nelder–Mead
// (a port of R's nmmin) over the smoothing parameters and the initial states together, minimising R's criterion
//   lik = n·log(Σe²)              (additive errors)
//   lik = n·log(Σe²) + 2·Σlog|ŷ|  (multiplicative errors, e relative)
// inside R's default bounds ("both": usual box and admissible region). loglik = −lik/2, AICc on that, like R.
//
// Our choices where R's ets differs or has nothing to say:
// - Missing values (null, e.g. a closed day): the state propagates over them (see ets-recursions.ts), n counts the
//   observed points only, and the starting values come from a linearly interpolated copy. R's ets() instead keeps
//   only the longest stretch without NAs (na.contiguous, with a warning), which would throw away most of a
//   restaurant's history at its first closure; its C recursions propagate the state the same way we do.
// - Seasonal models need two full seasons of data (R needs one more point than a season); series under
//   MIN_OBSERVATIONS, or constant ones, get a labelled fallback (fallbacks.ts) instead of R's HoltWinters special
//   case or an error.
// - Multiplicative trends are not offered (R's default leaves them out too: allow.multiplicative.trend = FALSE).
import type { FittedModel, Forecast, Series } from './types';
import { filterSeries, nonSeasonalStates, toValues, traceSeries, type EtsComponents, type FilterResult, type SmoothingParameters } from './ets-recursions';
import { initialStates, interpolateMissing } from './ets-initial-states';
import { startingParameters, withinBounds } from './ets-parameter-space';
import { forecastDistribution } from './ets-intervals';
import { nelderMead } from './nelder-mead';
import { fallbackFor, type FallbackModel } from './fallbacks';
import { assertHorizon, intervalsFromVariances } from './intervals';

export type { EtsComponents, SmoothingParameters } from './ets-recursions';

/** Fewer observed points than this and autoEts falls back to a simple labelled method. */
export const MIN_OBSERVATIONS = 8;
/** Seasonal ETS is only fitted for periods up to this (R's limit too: its C code keeps 24 seasonal states). */
export const MAX_SEASONAL_PERIOD = 24;

export interface EtsFit {
  components: EtsComponents;
  /** The seasonal period the model uses (1 for non-seasonal models). */
  m: number;
  parameters: SmoothingParameters;
  /** Initial state in R's layout: [level, slope?, s1 … sm]. */
  initialState: number[];
  /** R's loglik: −lik/2. */
  loglik: number;
  aic: number;
  aicc: number;
  bic: number;
  sigma2: number;
  fitted: number[];
  residuals: Array<number | null>;
  /** State after the last observation, what forecasts start from. */
  finalState: number[];
  observed: number;
  /** Likelihood evaluations the search used (0 when fitted at given parameters). */
  evaluations: number;
}

/** "AAdM" → components, the way R writes model strings (with d for damped). */
export function parseEtsModel(model: string): EtsComponents {
  const match = /^([AM])([NA])(d?)([NAM])$/.exec(model);
  if (!match) throw new RangeError(`Unsupported ETS model "${model}": error A|M, trend N|A|Ad, season N|A|M`);
  return { error: match[1] as 'A' | 'M', trend: match[2] as 'N' | 'A', damped: match[3] === 'd', season: match[4] as 'N' | 'A' | 'M' };
}

export const etsMethodName = (c: EtsComponents): string => `ETS(${c.error},${c.trend}${c.damped ? 'd' : ''},${c.season})`;

/** R's lik criterion for given parameters and full initial state; −lik/2 is the loglik R reports. */
export function etsCriterion(y: Series, m: number, components: EtsComponents, parameters: SmoothingParameters, initialState: ArrayLike<number>): number {
  return criterionOf(filterSeries(toValues(y), m, components, parameters, initialState, new Float64Array(Math.max(m, 1))), components);
}

function criterionOf(run: FilterResult, components: EtsComponents): number {
  if (!run.finite) return Infinity;
  const lik = run.observed * Math.log(run.sumSquaredErrors) + (components.error === 'M' ? 2 * run.sumLogAbsForecast : 0);
  // R's guard against perfect fits (log 0).
  return Number.isNaN(lik) ? Infinity : Math.max(lik, -1e10);
}

/** R's evaluation budget for one model's search (etsmodel's maxit). */
export const FULL_SEARCH_EVALUATIONS = 2000;

/**
 * Fits one ETS model by maximum likelihood; undefined when the series is too short for its parameters. A smaller
 * `maxEvaluations` stops the search early (the screening round of autoEts's "screened" search).
 */
export function fitEts(y: Series, period: number, components: EtsComponents, maxEvaluations = FULL_SEARCH_EVALUATIONS): EtsFit | undefined {
  const m = components.season === 'N' ? 1 : period;
  const start = startingParameters(components, m);
  const states = initialStates(interpolateMissing(y), m, components.trend, components.season);
  const layout = parameterLayout(components);
  return searchFrom(y, period, components, [...layout.map((name) => start[name]), ...states], maxEvaluations);
}

/** Evaluations of a warm-started refit (refitEts): a backtest window's re-estimate, not a search from scratch. */
export const REFIT_EVALUATIONS = 150;

/**
 * Refits `from`'s model on `y` by a search that starts at `from`'s estimates instead of R's starting values, with
 * a small budget. For rolling-origin backtests: the training windows are prefixes of the series `from` was fitted
 * on, so its initial state (at time 0) is a meaningful start, and a few evaluations re-estimate the parameters on
 * the window alone for a fraction of a full fit's cost.
 */
export function refitEts(y: Series, from: EtsFit, maxEvaluations = REFIT_EVALUATIONS): EtsFit | undefined {
  const layout = parameterLayout(from.components);
  // The optimiser's vector leaves out the last seasonal state (implied by the others).
  const states = from.components.season === 'N' ? from.initialState : from.initialState.slice(0, -1);
  return searchFrom(y, from.m, from.components, [...layout.map((name) => from.parameters[name]), ...states], maxEvaluations);
}

function searchFrom(y: Series, period: number, components: EtsComponents, x0: number[], maxEvaluations: number): EtsFit | undefined {
  const m = components.season === 'N' ? 1 : period;
  const layout = parameterLayout(components);
  // R's rule (np ≥ n − 1: not enough data), with n the observed points so gaps cannot leave AICc undefined.
  if (x0.length >= y.filter((v) => v !== null).length - 1) return undefined;

  // The optimiser calls this thousands of times: decode into buffers reused across calls.
  const values = toValues(y);
  const ring = new Float64Array(Math.max(m, 1));
  const parameters: SmoothingParameters = { alpha: 0, beta: 0, gamma: 0, phi: 1 };
  const state = new Float64Array(x0.length - layout.length + (components.season === 'N' ? 0 : 1));
  const firstSeason = nonSeasonalStates(components);
  const objective = (x: ArrayLike<number>): number => {
    decodeInto(x, layout, components, m, parameters, state);
    if (!withinBounds(parameters, components, m)) return Infinity;
    if (components.season === 'M') for (let i = firstSeason; i < state.length; i++) if (state[i]! < 0) return Infinity;
    return criterionOf(filterSeries(values, m, components, parameters, state, ring), components);
  };
  const optimum = nelderMead(objective, x0, { maxEvaluations });
  if (!Number.isFinite(optimum.value)) return undefined;
  decodeInto(optimum.point, layout, components, m, parameters, state);
  return { ...summarise(y, m, components, { ...parameters }, [...state], x0.length), evaluations: optimum.evaluations };
}

/**
 * A model at given parameters and full initial state, no search: to reuse stored parameters on new data, and for
 * checking our recursions at R's estimates.
 */
export function fitAt(y: Series, period: number, components: EtsComponents, parameters: SmoothingParameters, initialState: number[]): EtsFit {
  const m = components.season === 'N' ? 1 : period;
  const estimated = parameterLayout(components).length + initialState.length - (components.season === 'N' ? 0 : 1);
  return { ...summarise(y, m, components, parameters, initialState, estimated), evaluations: 0 };
}

/** Fit statistics and the trace of a model at given parameters (R's pegelsresid.C and the lines after it). */
function summarise(y: Series, m: number, components: EtsComponents, parameters: SmoothingParameters, initialState: number[], estimated: number): Omit<EtsFit, 'evaluations'> {
  const trace = traceSeries(y, m, components, parameters, initialState);
  const lik = etsCriterion(y, m, components, parameters, initialState);
  const n = trace.observed;
  const np = estimated + 1;
  const aic = lik + 2 * np;
  return {
    components,
    m,
    parameters,
    initialState,
    loglik: -0.5 * lik,
    aic,
    aicc: aic + (2 * np * (np + 1)) / (n - np - 1),
    bic: lik + Math.log(n) * np,
    sigma2: trace.sumSquaredErrors / (n - estimated),
    fitted: trace.fitted,
    residuals: trace.residuals,
    finalState: trace.finalState,
    observed: n,
  };
}

type SmoothingName = keyof SmoothingParameters;

function parameterLayout(c: EtsComponents): SmoothingName[] {
  const names: SmoothingName[] = ['alpha'];
  if (c.trend === 'A') names.push('beta');
  if (c.season !== 'N') names.push('gamma');
  if (c.damped) names.push('phi');
  return names;
}

/** Optimiser vector → parameters and full initial state (the last seasonal index is implied by the others). */
function decodeInto(x: ArrayLike<number>, layout: SmoothingName[], c: EtsComponents, m: number, parameters: SmoothingParameters, state: Float64Array): void {
  for (let i = 0; i < layout.length; i++) parameters[layout[i]!] = x[i]!;
  let seasonSum = 0;
  for (let i = layout.length; i < x.length; i++) {
    state[i - layout.length] = x[i]!;
    if (i - layout.length >= nonSeasonalStates(c)) seasonSum += x[i]!;
  }
  if (c.season !== 'N') state[state.length - 1] = (c.season === 'M' ? m : 0) - seasonSum;
}

/** The forecasting model of a fit: point forecasts from the last state, R's analytical 80/95 % intervals. */
export function etsModel(fit: EtsFit): FittedModel & { fit: EtsFit } {
  const { components, m, parameters } = fit;
  return {
    method: etsMethodName(components),
    parameters: {
      alpha: parameters.alpha,
      ...(components.trend === 'A' ? { beta: parameters.beta } : {}),
      ...(components.season !== 'N' ? { gamma: parameters.gamma } : {}),
      ...(components.damped ? { phi: parameters.phi } : {}),
      initialState: fit.initialState,
    },
    aicc: fit.aicc,
    fit,
    forecast(h: number): Forecast {
      assertHorizon(h);
      const { mean, variance } = forecastDistribution(components, fit.finalState, m, parameters, fit.sigma2, h);
      return intervalsFromVariances(mean, variance);
    },
  };
}

/** R's default candidate set for ets(y) (model "ZZZ"), in R's order, given what the data allows. */
export function candidateModels(y: Series, period: number): EtsComponents[] {
  const observed = y.filter((v): v is number => v !== null);
  const positive = observed.length > 0 && observed.every((v) => v > 0);
  const seasonal = period > 1 && period <= MAX_SEASONAL_PERIOD && y.length >= 2 * period;
  const out: EtsComponents[] = [];
  for (const error of ['A', 'M'] as const) {
    if (error === 'M' && !positive) continue;
    for (const trend of ['N', 'A'] as const) {
      for (const season of seasonal ? (['N', 'A', 'M'] as const) : (['N'] as const)) {
        // Additive errors with a multiplicative season are numerically unstable: R's restrict = TRUE forbids them.
        if (error === 'A' && season === 'M') continue;
        for (const damped of [true, false]) {
          if (trend === 'N' && damped) continue;
          out.push({ error, trend, damped, season });
        }
      }
    }
  }
  return out;
}

export interface AutoEtsOptions {
  /**
   * "exact" (default): every candidate gets R's full search, so the choice is R's. "screened": every candidate
   * first gets SCREENING_EVALUATIONS, then only the FINALISTS best by AICc get the full search: about 40 % of the
   * evaluations, and the same choice whenever R's model is among the finalists after screening (23 of the 24
   * series of bench/forecast-ets.ts, every fixture series; the constants were chosen on that bench).
   */
  search?: 'exact' | 'screened';
}

export const SCREENING_EVALUATIONS = 100;
export const FINALISTS = 3;

/**
 * Fits the candidates and keeps the lowest AICc (R's ets(y) with its defaults). Too little data, a constant
 * series, or no candidate fitting gives a fallback model whose method and `fallbackReason` say so.
 */
export function autoEts(series: Series, period: number, options: AutoEtsOptions = {}): FittedModel | FallbackModel {
  const observed = series.filter((v): v is number => v !== null);
  if (observed.length < MIN_OBSERVATIONS) return fallbackFor(series, 'mean', `only ${observed.length} observations (ETS needs ${MIN_OBSERVATIONS})`);
  if (observed.every((v) => v === observed[0])) return fallbackFor(series, 'naive', 'constant series');
  let candidates = candidateModels(series, period);
  if (options.search === 'screened') {
    const screened = candidates.flatMap((components) => fitEts(series, period, components, SCREENING_EVALUATIONS) ?? []).filter((fit) => Number.isFinite(fit.aicc));
    candidates = screened.sort((a, b) => a.aicc - b.aicc).slice(0, FINALISTS).map((fit) => fit.components);
  }
  const best = lowestAicc(candidates.flatMap((components) => fitEts(series, period, components) ?? []));
  return best ? etsModel(best) : fallbackFor(series, 'naive', 'no ETS model could be fitted');
}

/** The first fit with the lowest AICc, as R keeps the first on ties. */
function lowestAicc(fits: EtsFit[]): EtsFit | undefined {
  let best: EtsFit | undefined;
  for (const fit of fits) if (Number.isFinite(fit.aicc) && (!best || fit.aicc < best.aicc)) best = fit;
  return best;
}
