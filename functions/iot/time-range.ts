import { BadRequestError } from '#shared/errors';

/** A bounded [from, to] of instants (epoch ms) from a query: `to` defaults to now, `from` to `to` − default span. */
export function timeRange(
  query: { from?: number; to?: number },
  bounds: { defaultSpanMs: number; maxSpanMs: number },
  now = Date.now(),
): { from: number; to: number } {
  const to = query.to ?? now;
  const from = query.from ?? to - bounds.defaultSpanMs;
  if (from > to) throw new BadRequestError('from must not be after to');
  if (to - from > bounds.maxSpanMs) throw new BadRequestError(`the range may span at most ${bounds.maxSpanMs / 86_400_000} days`);
  return { from, to };
}
