// Where the ETS smoothing parameters may go: R forecast's default `bounds = "both"`, i.e. the "usual" box
// (0 < β < α < 1, 0 < γ < 1 − α, 0.8 ≤ φ ≤ 0.98) and the "admissible" region of Hyndman et al. (2008, ch. 10), where the
// model forgets its initial states (for seasonal models: all roots of the characteristic polynomial inside the unit
// circle). Both as R's etsTargetFunction.cpp checks them, plus R's starting values (`initparam`).
import type { EtsComponents, SmoothingParameters } from './ets-recursions';

/** R's defaults: lower = c(rep(1e-4, 3), 0.8), upper = c(rep(0.9999, 3), 0.98) for alpha, beta, gamma, phi. */
export const USUAL_BOUNDS = { lower: { alpha: 1e-4, beta: 1e-4, gamma: 1e-4, phi: 0.8 }, upper: { alpha: 0.9999, beta: 0.9999, gamma: 0.9999, phi: 0.98 } } as const;

/** The optimiser's starting smoothing parameters, R's `initparam` with the usual bounds. */
export function startingParameters(components: EtsComponents, m: number): SmoothingParameters {
  const { lower, upper } = USUAL_BOUNDS;
  const period = components.season === 'N' ? 1 : m;
  const alpha = lower.alpha + (0.2 * (upper.alpha - lower.alpha)) / period;
  const beta = components.trend === 'N' ? 0 : lower.beta + 0.1 * (Math.min(upper.beta, alpha) - lower.beta);
  const gamma = components.season === 'N' ? 0 : lower.gamma + 0.05 * (Math.min(upper.gamma, 1 - alpha) - lower.gamma);
  const phi = components.damped ? lower.phi + 0.99 * (upper.phi - lower.phi) : 1;
  return { alpha, beta, gamma, phi };
}

/** True when R's optimiser would accept these parameters (bounds = "both"). */
export function withinBounds(p: SmoothingParameters, components: EtsComponents, m: number): boolean {
  return withinUsualBounds(p, components) && admissible(p, components, m);
}

function withinUsualBounds(p: SmoothingParameters, components: EtsComponents): boolean {
  const { lower, upper } = USUAL_BOUNDS;
  if (p.alpha < lower.alpha || p.alpha > upper.alpha) return false;
  if (components.trend !== 'N' && (p.beta < lower.beta || p.beta > p.alpha || p.beta > upper.beta)) return false;
  if (components.damped && (p.phi < lower.phi || p.phi > upper.phi)) return false;
  if (components.season !== 'N' && (p.gamma < lower.gamma || p.gamma > 1 - p.alpha || p.gamma > upper.gamma)) return false;
  return true;
}

function admissible({ alpha, beta, gamma, phi }: SmoothingParameters, components: EtsComponents, m: number): boolean {
  if (phi < 0 || phi > 1 + 1e-8) return false;
  if (components.season === 'N') {
    if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) return false;
    return components.trend === 'N' || (beta >= alpha * (phi - 1) && beta <= (1 + phi) * (2 - alpha));
  }
  if (m <= 1) return true;
  if (gamma < Math.max(1 - 1 / phi - alpha, 0) || gamma > 1 + 1 / phi - alpha) return false;
  if (alpha < 1 - 1 / phi - (gamma * (1 - m + phi + phi * m)) / (2 * phi * m)) return false;
  if (beta < -(1 - phi) * (gamma / m + alpha)) return false;
  // The characteristic polynomial, highest power first (R lists it lowest first for polyroot).
  const coefficients = [1, alpha + beta - phi, ...new Array<number>(m - 2).fill(alpha + beta - alpha * phi), alpha + beta - alpha * phi + gamma - 1, phi * (1 - alpha - gamma)];
  return rootsWithin(coefficients, 1 + 1e-10);
}

/**
 * True when every root of the polynomial (coefficients highest power first) has modulus ≤ radius: the Schur–Cohn
 * test on p(radius·z), O(degree²) and exact in its logic, where R finds the roots (polyroot) and compares the
 * largest modulus with 1 + 1e-10. The two agree except for roots within rounding of the circle itself.
 */
export function rootsWithin(coefficients: ReadonlyArray<number>, radius: number): boolean {
  // Ascending powers of p(radius·z), so the question becomes "inside the unit circle". Worked in place: the
  // optimiser asks this thousands of times per fit.
  let n = coefficients.length - 1;
  const c = new Float64Array(n + 1);
  const previous = new Float64Array(n + 1);
  for (let k = 0, power = 1; k <= n; k++, power *= radius) c[k] = coefficients[n - k]! * power;
  while (n > 0) {
    const top = c[n]!;
    for (let k = 0; k <= n; k++) c[k] = c[k]! / top;
    const reflection = c[0]!;
    if (reflection === 0) {
      // A root at zero is inside; divide it out.
      c.copyWithin(0, 1, n + 1);
      n--;
      continue;
    }
    if (Math.abs(reflection) >= 1) return false;
    // Schur transform (p(z) − c_0·p*(z)) / z, divided by 1 − c_0² (Levinson's step-down): it keeps exactly the
    // inside/outside count, one degree lower, and stays monic. Unscaled, the coefficients would shrink like x^(2^k).
    for (let k = 0; k <= n; k++) previous[k] = c[k]!;
    for (let k = 0; k < n; k++) c[k] = (previous[k + 1]! - reflection * previous[n - 1 - k]!) / (1 - reflection * reflection);
    n--;
  }
  return true;
}
