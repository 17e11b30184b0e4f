// Money arithmetic, pure. Every amount is an integer number of minor units (cents, won); products are taken in
// BigInt so no float ever touches an amount. Orders (discounts, tax, split bills), staff (wages, payroll) and
// inventory (costing) all round the same way: half-up for non-negative amounts, largest remainder for shares.
import * as z from 'zod';

/** An amount in minor units. */
export const moneySchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** round(a × b ÷ d), half-up, for non-negative integers. */
export function mulDivHalfUp(a: number, b: number, d: number): number {
  const numerator = BigInt(a) * BigInt(b);
  const denominator = BigInt(d);
  const quotient = numerator / denominator;
  const remainder = numerator - quotient * denominator;
  return Number(2n * remainder >= denominator ? quotient + 1n : quotient);
}

/** "8.875" (percent) → 88 750 parts per million, exactly. */
export function ratePpm(percent: string): number {
  const [whole = '0', fraction = ''] = percent.split('.');
  return Number(whole) * 10_000 + Number(fraction.padEnd(4, '0'));
}

/** Splits `total` over `weights` proportionally; the parts add up to `total` exactly (largest remainder, ties to the earlier). */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + BigInt(w), 0n);
  if (sum === 0n) return weights.map(() => 0);
  const exact = weights.map((w) => BigInt(total) * BigInt(w));
  const shares = exact.map((e) => e / sum);
  let left = BigInt(total) - shares.reduce((s, x) => s + x, 0n);
  const byRemainder = exact
    .map((e, index) => ({ index, remainder: e % sum }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of byRemainder) {
    if (left === 0n) break;
    shares[index]! += 1n;
    left -= 1n;
  }
  return shares.map(Number);
}

/** `total` in `parts` as even as can be: the first (total mod parts) parts get one unit more. */
export function evenSplit(total: number, parts: number): number[] {
  return allocate(total, Array.from({ length: parts }, () => 1));
}
