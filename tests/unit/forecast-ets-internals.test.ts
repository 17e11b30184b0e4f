// The pieces under ETS: the Nelder–Mead port (against R's optim on Rosenbrock's function), the admissibility
// root test, the state recursions over missing values, and the season-ring bookkeeping.
import { etsModel, fitAt, fitEts, parseEtsModel } from '../../functions/forecast/models/ets';
import { pointForecasts, traceSeries } from '../../functions/forecast/models/ets-recursions';
import { rootsWithin } from '../../functions/forecast/models/ets-parameter-space';
import { interpolateMissing } from '../../functions/forecast/models/ets-initial-states';
import { nelderMead } from '../../functions/forecast/models/nelder-mead';

describe('Nelder–Mead', () => {
  it('follows R’s optim(c(-1.2, 1), rosenbrock) to the same point, value and evaluation count', () => {
    const rosenbrock = (x: ArrayLike<number>) => 100 * (x[1]! - x[0]! * x[0]!) ** 2 + (1 - x[0]!) ** 2;
    const result = nelderMead(rosenbrock, [-1.2, 1], { maxEvaluations: 500 });
    // R 4.x: optim(c(-1.2, 1), fr) → par 1.000260 1.000506, value 8.825241e-08, counts 195.
    expect(result.point[0]).toBeCloseTo(1.00026, 5);
    expect(result.point[1]).toBeCloseTo(1.000506, 5);
    expect(result.value).toBeCloseTo(8.825241e-8, 12);
    expect(result.evaluations).toBe(195);
    expect(result.converged).toBe(true);
  });

  it('treats non-finite values as huge and stays out of the infeasible region', () => {
    // The optimum (2, −1) lies outside the feasible half-plane y ≥ 0: the search must end on its edge.
    const result = nelderMead((p) => (p[1]! < 0 ? Infinity : (p[0]! - 2) ** 2 + (p[1]! + 1) ** 2), [1, 0.5]);
    expect(result.point[0]).toBeCloseTo(2, 3);
    expect(result.point[1]).toBeGreaterThanOrEqual(0);
    expect(result.point[1]).toBeLessThan(1e-3);
  });
});

describe('the admissibility root test', () => {
  it('accepts roots inside the unit circle and rejects one outside', () => {
    expect(rootsWithin([1, -1.5, 0.56], 1)).toBe(true); // (z − 0.7)(z − 0.8)
    expect(rootsWithin([1, -1.9, 0.88], 1)).toBe(false); // (z − 1.1)(z − 0.8)
    expect(rootsWithin([1, 0.3, -0.9, -0.27], 1)).toBe(true); // (z + 0.3)(z² − 0.9), complex-free but mixed signs
  });

  it('puts roots on the circle inside only with R’s 1e-10 slack', () => {
    expect(rootsWithin([1, 0, 1], 1 + 1e-10)).toBe(true); // ± i
    expect(rootsWithin([1, 0, 1], 1)).toBe(false);
  });

  it('handles roots at zero', () => {
    expect(rootsWithin([1, -0.5, 0, 0], 1)).toBe(true);
    expect(rootsWithin([1, -2, 0], 1)).toBe(false);
  });
});

describe('missing values in ETS', () => {
  const components = parseEtsModel('AAdA');
  const parameters = { alpha: 0.3, beta: 0.05, gamma: 0.1, phi: 0.9 };
  const initialState = [100, 1, 5, -3, 2, -4];
  const y = [106, 98, 104, 99, 110, 101, 108, 103, 114, 105, 112, 107];

  it('propagates the state over a gap: the fitted values there are the forecasts from before it', () => {
    const gapAt = 8;
    const before = traceSeries(y.slice(0, gapAt), 4, components, parameters, initialState);
    const ahead = pointForecasts(before.finalState, 4, components, parameters.phi, 2);
    const gapped = traceSeries([...y.slice(0, gapAt), null, ...y.slice(gapAt + 1)], 4, components, parameters, initialState);
    expect(gapped.fitted[gapAt]).toBeCloseTo(ahead[0]!, 10);
    expect(gapped.fitted[gapAt + 1]).toBeCloseTo(ahead[1]!, 10);
    expect(gapped.residuals[gapAt]).toBeNull();
    expect(gapped.observed).toBe(y.length - 1);
  });

  it('leaves the gap out of the likelihood rather than counting it as an error', () => {
    const gapped = fitAt([...y.slice(0, 5), null, ...y.slice(6)], 4, components, parameters, initialState);
    const sse = gapped.residuals.reduce<number>((a, e) => a + (e ?? 0) ** 2, 0);
    expect(gapped.loglik).toBeCloseTo(-0.5 * (11 * Math.log(sse)), 10);
  });

  it('fits and forecasts a daily series with closed days', () => {
    const daily = Array.from({ length: 120 }, (_, t) => (t % 7 === 0 && t % 21 !== 0 ? null : 200 + 60 * Math.sin((2 * Math.PI * t) / 7) + (t % 5)));
    const fit = fitEts(daily, 7, parseEtsModel('ANA'));
    expect(fit).toBeDefined();
    const forecast = etsModel(fit!).forecast(14);
    expect(forecast.mean.every(Number.isFinite)).toBe(true);
    forecast.mean.forEach((f, i) => expect(forecast.lower95[i]!).toBeLessThan(f));
  });

  it('interpolates gaps only for the search’s starting values, carrying the ends', () => {
    expect(interpolateMissing([null, 2, null, null, 8, null])).toEqual([2, 2, 4, 6, 8, 8]);
  });
});

describe('the season ring', () => {
  it('returns the final state in R’s order: newest seasonal index first', () => {
    // γ = 1 makes each new index exactly y − level, so the order is visible.
    const components = parseEtsModel('ANA');
    const trace = traceSeries([11, 22, 33], 3, components, { alpha: 1e-9, beta: 0, gamma: 1 - 1e-9, phi: 1 }, [10, 0, 0, 0]);
    trace.finalState.slice(1).forEach((s, k) => expect(s).toBeCloseTo([23, 12, 1][k]!, 6));
  });
});
