// What one answer may hold. Lambda refuses a synchronous answer past 6 MB (API Gateway then answers 500), so a list
// whose length grows with the data (a menu, a person's requests over the years) is answered in pages: as many items
// as fit ANSWER_PAGE_BYTES, or the caller's `limit`, then a `nextCursor` for the rest (#shared/dynamodb queryWhile).
// An ordinary list is one page, as before.
import * as z from 'zod';

/** Items per page, in bytes of Lambda's answer: room to spare under its 6 MB for what surrounds them. */
export const ANSWER_PAGE_BYTES = 5 * 1024 * 1024;

/**
 * A `fits` for queryWhile: takes items while their JSON, as it counts in Lambda's answer (the body is a string of
 * JSON, so each quote is escaped), stays within `bytes`, and at most `limit` of them. `shown` is the item as answered.
 */
export function answerBudget<T>(options: { limit?: number; bytes?: number; shown?: (item: T) => unknown } = {}): (item: T) => boolean {
  const { limit = Infinity, bytes = ANSWER_PAGE_BYTES, shown = (item: T) => item } = options;
  let used = 0;
  let taken = 0;
  return (item) => {
    used += Buffer.byteLength(JSON.stringify(JSON.stringify(shown(item))));
    taken += 1;
    return used <= bytes && taken <= limit;
  };
}

/** `?limit` (1..max, none: as many as fit) and `?cursor` of a list answered in pages. */
export function pageQueryFields(max: number) {
  return {
    limit: z.coerce.number().int().min(1).max(max).optional().describe(`at most this many (1–${max}); without it, as many as fit one answer`),
    cursor: z.string().max(2048).optional().describe('nextCursor of the page before'),
  };
}
