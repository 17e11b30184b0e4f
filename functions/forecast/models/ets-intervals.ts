// Forecast variances of the ETS models, analytically, as R forecast's `forecast.ets` computes them
// (Hyndman et al. 2008, ch. 6): class 1 (additive error, linear: ANN, AAN, AAdN, ANA, AAA, AAdA), class 2
// (multiplicative error, additive season or none: MNN, MAN, MAdN, MNA, MAA, MAdA) and class 3 (multiplicative error
// and season: MNM, MAM, MAdM). These three classes are every model the default selection fits (no multiplicative
// trend), so R never simulates for them and neither do we: the intervals are R's, not a Monte-Carlo estimate of them.
// Class 1 follows R's class1 after the upstream fix 84689588 (2026-06: gamma enters the newest seasonal state; older
// releases such as Debian's 8.20 put it on the second state for models without a trend).
import { pointForecasts, type EtsComponents, type SmoothingParameters } from './ets-recursions';

export interface ForecastDistribution {
  mean: number[];
  variance: number[];
}

/**
 * Mean and variance of the forecasts 1..h ahead. The mean is the point forecast except for class 3, where, as in
 * R, it is the expectation of the product of level and season, which drifts from the point forecast by O(σ²)
 * after one season.
 */
export function forecastDistribution(
  components: EtsComponents,
  lastState: ReadonlyArray<number>,
  m: number,
  parameters: SmoothingParameters,
  sigma2: number,
  h: number,
): ForecastDistribution {
  if (components.error === 'M' && components.season === 'M') return class3Distribution(components, lastState, m, parameters, sigma2, h);
  const mean = pointForecasts(lastState, m, components, components.damped ? parameters.phi : 1, h);
  const c = disturbanceWeights(components, lastState, m, parameters, h);
  if (components.error === 'A') {
    let cumulative = 0;
    return { mean, variance: [sigma2, ...c.map((cj) => sigma2 * (1 + (cumulative += cj * cj)))] };
  }
  return { mean, variance: class2Variances(mean, c, sigma2) };
}

/**
 * c_j = H F^(j−1) G for j = 1..h−1 (R's `class1`): how much of today's error reaches the forecast j steps on. Class 1's
 * variance is σ²(1 + Σ_{j<h} c_j²); class 2 builds on the same weights. F is applied as the transition it is
 * (level, damped slope, rotating seasons) rather than as a matrix.
 */
function disturbanceWeights(components: EtsComponents, lastState: ReadonlyArray<number>, m: number, p: SmoothingParameters, h: number): number[] {
  const trended = components.trend === 'A';
  const seasonal = components.season !== 'N';
  const phi = components.damped ? p.phi : 1;
  const offset = trended ? 2 : 1;
  const transition = (x: number[]): number[] => {
    const next = [...x];
    next[0] = x[0]! + (trended ? phi * x[1]! : 0);
    if (trended) next[1] = phi * x[1]!;
    if (seasonal) {
      next[offset] = x[offset + m - 1]!;
      for (let k = 1; k < m; k++) next[offset + k] = x[offset + k - 1]!;
    }
    return next;
  };
  const observe = (x: number[]): number => x[0]! + (trended ? phi * x[1]! : 0) + (seasonal ? x[offset + m - 1]! : 0);
  let g = new Array<number>(lastState.length).fill(0);
  g[0] = p.alpha;
  if (trended) g[1] = p.beta;
  if (seasonal) g[offset] = p.gamma;
  const c: number[] = [];
  for (let j = 1; j < h; j++) {
    c.push(observe(g));
    g = transition(g);
  }
  return c;
}

/** Class 2 (R's `class2`): θ_j = μ_j² + σ² Σ_{i<j} c_i² θ_(j−i); Var = (1 + σ²) θ − μ². */
function class2Variances(means: number[], c: number[], sigma2: number): number[] {
  const theta: number[] = [];
  for (let j = 0; j < means.length; j++) {
    let sum = 0;
    for (let i = 0; i < j; i++) sum += c[i]! ** 2 * theta[j - 1 - i]!;
    theta.push(means[j]! ** 2 + sigma2 * sum);
  }
  return theta.map((t, j) => (1 + sigma2) * t - means[j]! ** 2);
}

/**
 * Class 3 (R's `class3`): the mean and variance of the product of the level part and the seasonal part, through the
 * moments of their Kronecker products. Matrices are small: (1 or 2)·m square at most.
 */
function class3Distribution(components: EtsComponents, lastState: ReadonlyArray<number>, m: number, p: SmoothingParameters, sigma2: number, h: number): ForecastDistribution {
  const k = components.trend === 'N' ? 1 : 2;
  const phi = components.damped ? p.phi : 1;
  const H1 = Matrix.from([new Array<number>(k).fill(1)]);
  const H2 = Matrix.from([[...new Array<number>(m - 1).fill(0), 1]]);
  const F1 = k === 1 ? Matrix.from([[1]]) : Matrix.from([[1, 1], [0, phi]]);
  const G1 = k === 1 ? Matrix.from([[p.alpha]]) : Matrix.from([[p.alpha, p.alpha], [p.beta, p.beta]]);
  const F2 = Matrix.zeros(m, m);
  F2.set(0, m - 1, 1);
  for (let i = 1; i < m; i++) F2.set(i, i - 1, 1);
  const G2 = Matrix.zeros(m, m);
  G2.set(0, m - 1, p.gamma);

  let Mh = Matrix.from(lastState.slice(0, k).map((v) => [v])).times(Matrix.from([lastState.slice(k, k + m)]));
  let Vh = Matrix.zeros(k * m, k * m);
  const H21 = H2.kron(H1);
  const F21 = F2.kron(F1);
  const G21 = G2.kron(G1);
  const K = G2.kron(F1).plus(F2.kron(G1));
  const [F21t, G21t, Kt, H21t, H2t, F2t, G2t] = [F21.t(), G21.t(), K.t(), H21.t(), H2.t(), F2.t(), G2.t()];

  const mean: number[] = [];
  const variance: number[] = [];
  for (let i = 0; i < h; i++) {
    const mu = H1.times(Mh).times(H2t).get(0, 0);
    mean.push(mu);
    variance.push((1 + sigma2) * H21.times(Vh).times(H21t).get(0, 0) + sigma2 * mu * mu);
    const vecMh = Mh.vec();
    const outer = vecMh.times(vecMh.t());
    const correction = F21.times(Vh).times(G21t)
      .plus(G21.times(Vh).times(F21t))
      .plus(K.times(Vh.plus(outer)).times(Kt))
      .plus(G21.times(Vh.scale(3).plus(outer.scale(2))).times(G21t).scale(sigma2));
    Vh = F21.times(Vh).times(F21t).plus(correction.scale(sigma2));
    Mh = F1.times(Mh).times(F2t).plus(G1.times(Mh).times(G2t).scale(sigma2));
  }
  return { mean, variance };
}

/** A small dense row-major matrix: just what class 3 needs. */
class Matrix {
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly data: Float64Array,
  ) {}

  static zeros(rows: number, cols: number): Matrix {
    return new Matrix(rows, cols, new Float64Array(rows * cols));
  }

  static from(values: ReadonlyArray<ReadonlyArray<number>>): Matrix {
    const out = Matrix.zeros(values.length, values[0]!.length);
    values.forEach((row, i) => row.forEach((v, j) => out.set(i, j, v)));
    return out;
  }

  get(i: number, j: number): number {
    return this.data[i * this.cols + j]!;
  }

  set(i: number, j: number, v: number): void {
    this.data[i * this.cols + j] = v;
  }

  times(other: Matrix): Matrix {
    const out = Matrix.zeros(this.rows, other.cols);
    for (let i = 0; i < this.rows; i++) {
      for (let k = 0; k < this.cols; k++) {
        const a = this.data[i * this.cols + k]!;
        if (a === 0) continue;
        for (let j = 0; j < other.cols; j++) out.data[i * other.cols + j]! += a * other.data[k * other.cols + j]!;
      }
    }
    return out;
  }

  plus(other: Matrix): Matrix {
    return new Matrix(this.rows, this.cols, this.data.map((v, i) => v + other.data[i]!));
  }

  scale(factor: number): Matrix {
    return new Matrix(this.rows, this.cols, this.data.map((v) => v * factor));
  }

  t(): Matrix {
    const out = Matrix.zeros(this.cols, this.rows);
    for (let i = 0; i < this.rows; i++) for (let j = 0; j < this.cols; j++) out.set(j, i, this.get(i, j));
    return out;
  }

  kron(other: Matrix): Matrix {
    const out = Matrix.zeros(this.rows * other.rows, this.cols * other.cols);
    for (let i = 0; i < this.rows; i++)
      for (let j = 0; j < this.cols; j++)
        for (let k = 0; k < other.rows; k++) for (let l = 0; l < other.cols; l++) out.set(i * other.rows + k, j * other.cols + l, this.get(i, j) * other.get(k, l));
    return out;
  }

  /** Column-major vectorisation as a column, like R's c(M). */
  vec(): Matrix {
    const out = Matrix.zeros(this.rows * this.cols, 1);
    for (let j = 0; j < this.cols; j++) for (let i = 0; i < this.rows; i++) out.data[j * this.rows + i] = this.get(i, j);
    return out;
  }
}
