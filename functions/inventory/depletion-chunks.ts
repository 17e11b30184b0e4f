// Splitting one depletion over several transactions, pure. A depletion writes the order's depletion record, per
// stock item and location its on-hand row, per movement its ledger entry and its outbox event, and one counting
// update per issue; DynamoDB takes at most 100 items in a transaction (about 33 stock items). The event is decided
// once (depletion-rules.ts); what does not fit the first transaction is kept on the record as `pending`, and each
// following transaction applies the next chunk and takes it off `pending`, on the record's version (depletion.ts).
import type { DepletionMovement, OrderDepletion, Unresolved } from './depletion-rules';

/** DynamoDB's limit on the items of one transaction. */
export const MAX_TRANSACTION_ITEMS = 100;
/**
 * The depletion record is one DynamoDB item (400 KB at most); what it holds, `pending` included, stays under this
 * estimate (its JSON size), leaving room for the keys and DynamoDB's own per-attribute overhead.
 */
export const MAX_RECORD_BYTES = 350_000;

/** The record with `pending` stays one DynamoDB item (its JSON size stands for DynamoDB's, which it exceeds a little). */
export const fitsOnRecord = (state: OrderDepletion, pending: PendingDepletion) => Buffer.byteLength(JSON.stringify({ ...state, pending })) <= MAX_RECORD_BYTES;

/** A movement still to apply: what the ledger needs (the lines it came from are on the record already). */
export type PendingMovement = Omit<DepletionMovement, 'lineIds'>;

/** What an event still has to write. */
export interface DepletionWork {
  movements: PendingMovement[];
  unresolved: Unresolved;
}

/** The rest of an event decided but not yet written whole, kept on the order's depletion record. */
export interface PendingDepletion extends DepletionWork {
  /** The event (`depletionKey`): the movement ids derive from it. */
  key: string;
  /** When it was decided: every movement of the event carries it, so a retried chunk writes the same ledger keys. */
  at: string;
  correlationId: string;
}

/**
 * One entry per issue record the depletion counts (the last one seen of each, as the store writes it): each is one
 * transaction item, so the count is exact.
 */
export function distinctIssues(unresolved: Unresolved): Unresolved {
  const lastOf = <T>(entries: readonly T[], key: (entry: T) => string) => [...new Map(entries.map((entry) => [key(entry), entry])).values()];
  return {
    missingRecipes: lastOf(unresolved.missingRecipes, (r) => r.menuItemId),
    unknownIngredients: lastOf(unresolved.unknownIngredients, (u) => u.ingredientId),
    unconvertible: lastOf(unresolved.unconvertible, (u) => `${u.ingredientId}#${u.unit}`),
  };
}

const issueCount = (u: Unresolved) => u.missingRecipes.length + u.unknownIngredients.length + u.unconvertible.length;

export const isDone = (work: DepletionWork) => work.movements.length === 0 && issueCount(work.unresolved) === 0;

/**
 * The transaction items `movements` cost at most: one on-hand row per (item, location), a ledger entry and an
 * outbox event per movement. Sales, returns and voided waste never change an average cost, so nothing else.
 */
export function movementWrites(movements: readonly PendingMovement[]): number {
  return new Set(movements.map((m) => `${m.itemId}|${m.location}`)).size + 2 * movements.length;
}

/** Movements of one on-hand row, which must share a transaction (a transaction names an item once). */
function byRow(movements: readonly PendingMovement[]): PendingMovement[][] {
  const rows = new Map<string, PendingMovement[]>();
  for (const move of movements) {
    const key = `${move.itemId}|${move.location}`;
    rows.set(key, [...(rows.get(key) ?? []), move]);
  }
  return [...rows.values()];
}

/**
 * What goes in the next transaction, which also writes the record (one item): issues first (one item each), then
 * whole on-hand rows with their movements, in order, while they fit; and what is left for the ones after it.
 */
export function nextChunk(work: DepletionWork): { now: DepletionWork; later: DepletionWork } {
  let room = MAX_TRANSACTION_ITEMS - 1;
  const issues = distinctIssues(work.unresolved);
  const split = <T>(entries: T[]): [T[], T[]] => {
    const taken = entries.slice(0, room);
    room -= taken.length;
    return [taken, entries.slice(taken.length)];
  };
  const [recipesNow, recipesLater] = split(issues.missingRecipes);
  const [ingredientsNow, ingredientsLater] = split(issues.unknownIngredients);
  const [unitsNow, unitsLater] = split(issues.unconvertible);
  const now: DepletionWork = { movements: [], unresolved: { missingRecipes: recipesNow, unknownIngredients: ingredientsNow, unconvertible: unitsNow } };
  const later: DepletionWork = { movements: [], unresolved: { missingRecipes: recipesLater, unknownIngredients: ingredientsLater, unconvertible: unitsLater } };
  for (const row of byRow(work.movements)) {
    const cost = movementWrites(row);
    // Once one row waits, the rest wait too: the chunks apply in the order decided.
    if (later.movements.length === 0 && cost <= room) {
      now.movements.push(...row);
      room -= cost;
    } else later.movements.push(...row);
  }
  if (isDone(now) && !isDone(later)) throw new Error('a depletion chunk holds nothing: one on-hand row needs more than a transaction');
  return { now, later };
}
