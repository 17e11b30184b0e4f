// Ordinary least squares for the few small regressions the models need (a line, a line plus one Fourier pair):
// normal equations solved by Gaussian elimination with partial pivoting; a handful of columns, so no QR needed.

/** Coefficients β minimising ‖Xβ − y‖² (rows of X given as arrays). */
export function leastSquares(rows: ReadonlyArray<ReadonlyArray<number>>, y: ReadonlyArray<number>): number[] {
  const p = rows[0]?.length ?? 0;
  const a = Array.from({ length: p }, () => new Array<number>(p + 1).fill(0));
  rows.forEach((row, r) => {
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) a[i]![j]! += row[i]! * row[j]!;
      a[i]![p]! += row[i]! * y[r]!;
    }
  });
  return solveAugmented(a);
}

function solveAugmented(a: number[][]): number[] {
  const p = a.length;
  for (let col = 0; col < p; col++) {
    let pivot = col;
    for (let r = col + 1; r < p; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let r = col + 1; r < p; r++) {
      const factor = a[r]![col]! / a[col]![col]!;
      for (let c = col; c <= p; c++) a[r]![c]! -= factor * a[col]![c]!;
    }
  }
  const beta = new Array<number>(p).fill(0);
  for (let r = p - 1; r >= 0; r--) {
    let sum = a[r]![p]!;
    for (let c = r + 1; c < p; c++) sum -= a[r]![c]! * beta[c]!;
    beta[r] = sum / a[r]![r]!;
  }
  return beta;
}
