// Nelder–Mead minimisation, a port of R's `nmmin` (src/appl/optim.c), which forecast::ets calls with
// reflection 1, contraction 0.5, expansion 2, relative tolerance √ε and 2000 evaluations. Same start simplex,
// same moves, same stopping rule: the same search path as R's, up to floating-point differences in the objective.
// Infeasible points are reported by the objective as non-finite and count as a huge value, as in R.

export interface NelderMeadOptions {
  /** Stop when the simplex's best and worst values are within reltol × (|f| + reltol) of each other. */
  reltol?: number;
  maxEvaluations?: number;
}

export interface NelderMeadResult {
  point: number[];
  value: number;
  evaluations: number;
  /** False when the evaluation budget ran out or a shrink stopped shrinking. */
  converged: boolean;
}

const BIG = 1e35;
const REFLECT = 1;
const CONTRACT = 0.5;
const EXPAND = 2;

export function nelderMead(objective: (x: ArrayLike<number>) => number, start: ReadonlyArray<number>, options: NelderMeadOptions = {}): NelderMeadResult {
  const reltol = options.reltol ?? Math.sqrt(Number.EPSILON);
  const maxEvaluations = options.maxEvaluations ?? 2000;
  const n = start.length;
  const evaluate = (x: ArrayLike<number>) => {
    const f = objective(x);
    return Number.isFinite(f) ? f : BIG;
  };
  const first = objective(Float64Array.from(start));
  if (!Number.isFinite(first)) return { point: [...start], value: first, evaluations: 1, converged: false };
  let evaluations = 1;
  const convergenceTolerance = reltol * (Math.abs(first) + reltol);

  // Vertex 0 is the start; vertex j moves coordinate j-1 by 10 % of the largest |coordinate| (R's step).
  const vertices: Float64Array[] = [Float64Array.from(start)];
  const values: number[] = [first];
  let step = Math.max(0, ...start.map((v) => 0.1 * Math.abs(v)));
  if (step === 0) step = 0.1;
  let size = 0;
  for (let j = 0; j < n; j++) {
    const vertex = Float64Array.from(start);
    let tryStep = step;
    while (vertex[j] === start[j]) {
      vertex[j] = start[j]! + tryStep;
      tryStep *= 10;
    }
    size += tryStep;
    vertices.push(vertex);
    values.push(NaN);
  }
  let oldSize = size;
  let recomputeVertices = true;
  let best = 0;
  let converged = true;
  // Work points reused every iteration: the objective is cheap enough that allocation would show.
  const centroid = new Float64Array(n);
  const reflected = new Float64Array(n);
  const trial = new Float64Array(n);

  for (;;) {
    if (recomputeVertices) {
      for (let j = 0; j <= n; j++) {
        if (j === best) continue;
        values[j] = evaluate(vertices[j]!);
        evaluations++;
      }
      recomputeVertices = false;
    }
    let low = values[best]!;
    let high = low;
    let worst = best;
    for (let j = 0; j <= n; j++) {
      if (j === best) continue;
      const f = values[j]!;
      if (f < low) {
        best = j;
        low = f;
      }
      if (f > high) {
        worst = j;
        high = f;
      }
    }
    if (high <= low + convergenceTolerance) break;

    const worstVertex = vertices[worst]!;
    for (let i = 0; i < n; i++) {
      let sum = -worstVertex[i]!;
      for (let j = 0; j <= n; j++) sum += vertices[j]![i]!;
      centroid[i] = sum / n;
    }
    for (let i = 0; i < n; i++) reflected[i] = (1 + REFLECT) * centroid[i]! - REFLECT * worstVertex[i]!;
    const reflectedValue = evaluate(reflected);
    evaluations++;

    if (reflectedValue < low) {
      for (let i = 0; i < n; i++) trial[i] = EXPAND * reflected[i]! + (1 - EXPAND) * centroid[i]!;
      const expandedValue = evaluate(trial);
      evaluations++;
      if (expandedValue < reflectedValue) {
        worstVertex.set(trial);
        values[worst] = expandedValue;
      } else {
        worstVertex.set(reflected);
        values[worst] = reflectedValue;
      }
    } else {
      if (reflectedValue < high) {
        worstVertex.set(reflected);
        values[worst] = reflectedValue;
      }
      for (let i = 0; i < n; i++) trial[i] = (1 - CONTRACT) * worstVertex[i]! + CONTRACT * centroid[i]!;
      const contractedValue = evaluate(trial);
      evaluations++;
      if (contractedValue < values[worst]!) {
        worstVertex.set(trial);
        values[worst] = contractedValue;
      } else if (reflectedValue >= high) {
        // Shrink every vertex towards the best one; give up when that no longer makes the simplex smaller.
        recomputeVertices = true;
        size = 0;
        const anchor = vertices[best]!;
        for (let j = 0; j <= n; j++) {
          if (j === best) continue;
          const vertex = vertices[j]!;
          for (let i = 0; i < n; i++) {
            vertex[i] = CONTRACT * (vertex[i]! - anchor[i]!) + anchor[i]!;
            size += Math.abs(vertex[i]! - anchor[i]!);
          }
        }
        if (size < oldSize) {
          oldSize = size;
        } else {
          converged = false;
          break;
        }
      }
    }
    if (evaluations > maxEvaluations) {
      converged = false;
      break;
    }
  }
  return { point: [...vertices[best]!], value: values[best]!, evaluations, converged };
}
