import { BadRequestError } from '#shared/errors';

export interface TimeRange {
  from: number;
  to: number;
}

/** A bounded [from, to] of instants (epoch ms) from a query: `to` defaults to now, `from` to `to` − default span. */
export function timeRange(
  query: { from?: number; to?: number },
  bounds: { defaultSpanMs: number; maxSpanMs: number },
  now = Date.now(),
): TimeRange {
  const to = query.to ?? now;
  const from = query.from ?? to - bounds.defaultSpanMs;
  if (from > to) throw new BadRequestError('from must not be after to');
  if (to - from > bounds.maxSpanMs) throw new BadRequestError(`the range may span at most ${bounds.maxSpanMs / 86_400_000} days`);
  return { from, to };
}

// A paged time range's cursor is `{from}.{to}.{page cursor}`: the window it pages travels with it, because a
// default window moves with the clock and a page cursor is valid only for the window it was issued for. The
// store's page cursor is bound to that window, so a cursor sent with another window, or with its window edited,
// is refused by the query itself (400). Up to 15 digits: any such instant has an ISO form.
const WINDOW_CURSOR = /^(\d{1,15})\.(\d{1,15})\.(.*)$/;

/** The range of a paged query (from and to as given, else the cursor's window, else the default) and its page cursor. */
export function pagedTimeRange(
  query: { from?: number; to?: number; cursor?: string },
  bounds: { defaultSpanMs: number; maxSpanMs: number },
  now = Date.now(),
): { range: TimeRange; pageCursor?: string } {
  const match = query.cursor === undefined ? null : WINDOW_CURSOR.exec(query.cursor);
  // Not a windowed cursor at all: the store refuses it as it refuses any cursor it did not issue.
  if (!match) return { range: timeRange(query, bounds, now), ...(query.cursor !== undefined && { pageCursor: query.cursor }) };
  const window = { from: query.from ?? Number(match[1]), to: query.to ?? Number(match[2]) };
  return { range: timeRange(window, bounds, now), pageCursor: match[3] };
}

/** The cursor a client sends for the next page of `range`. */
export function windowCursor(range: TimeRange, pageCursor: string | undefined): string | undefined {
  return pageCursor === undefined ? undefined : `${range.from}.${range.to}.${pageCursor}`;
}
