// Depleting a batch of orders events (depleteFromOrders: up to 25 from the depletion queue) in as few transactions
// as they allow, instead of reads and a transaction per event. A round takes the first event still to do of each
// order, reads every order's depletion record and the stock items named in one BatchGetItem, decides each with the
// same rules as depletion.ts, reads the on-hand rows they move, and applies the events one after the other to that
// stock in memory: every sale sees the one before it, as if they had committed one by one, and an on-hand row sold
// from by ten orders is written once, with the ten movements. One transaction commits the round: records, rows,
// movements, their events, and one counting update per issue for all of them (depletion-store.ts issueWrites).
// A transaction commits all of its events or none. One that fails (a race lost to another batch or a manual
// movement on a row, an event a redelivery applied meanwhile) wrote nothing: its events are read and decided again
// in the next round, after a short back-off, and after 3 such failures each goes through depleteFromEvent alone.
// Also alone: an event whose record holds `pending`, or that needs more than one transaction. What does not fit
// the round's transaction (100 items) waits for the next round, as does an order's next event.
import { backOff } from '#shared/dynamodb';
import type { EventEnvelope } from '#shared/events';
import { logger } from '#shared/logger';
import type { TransactItem } from '#shared/outbox';
import { depletionStore, itemStore, siteStore, stockStore } from './config';
import { isDone, MAX_TRANSACTION_ITEMS, nextChunk, type PendingMovement } from './depletion-chunks';
import { depletable, depleteFromEvent, ingredientsOf, ledgerMovement, type DepletionOutcome } from './depletion';
import { deplete, movementIdOf, type DepletingEvent, type Unresolved } from './depletion-rules';
import { movementRecorded } from './events';
import { applyMovements, type ItemStock } from './ledger-rules';
import type { ItemRecord, MovementRecord } from './schemas';
import { stockOf, type OnHandRow, type StockRead } from './stock-store';

/** Combined transactions an event may see fail before it is depleted alone. */
const COMBINED_ATTEMPTS = 3;
/** DynamoDB's limit on a transaction's request is 4 MB; the items' JSON stands for their size, with room to spare. */
const MAX_TRANSACTION_BYTES = 3_000_000;

/** An event decided in a round: what it writes of its own, and the movements it applies to the shared stock. */
interface Decided {
  index: number;
  event: DepletingEvent;
  record: TransactItem;
  at: string;
  key: string;
  moves: PendingMovement[];
  unresolved: Unresolved;
  movements: number;
}

type RoundOutcome = { done: DepletionOutcome } | { alone: true } | { next: true } | { lost: true };

/** Each event's outcome, in the order given: what it did, or why it failed (its message comes back from SQS). */
export async function depleteBatch(events: readonly DepletingEvent[]): Promise<Array<PromiseSettledResult<DepletionOutcome>>> {
  const outcomes = new Map<number, PromiseSettledResult<DepletionOutcome>>();
  const lost = new Map<number, number>();
  let todo = events.map((_, index) => index);
  while (todo.length > 0) {
    const orders = new Set<string>();
    const round = todo.filter((index) => {
      const order = `${events[index]!.siteId}#${events[index]!.data.orderId}`;
      return !orders.has(order) && Boolean(orders.add(order));
    });
    const combined = round.filter((index) => (lost.get(index) ?? 0) < COMBINED_ATTEMPTS);
    const results = await combinedRound(combined.map((index) => ({ index, event: events[index]! }))).catch((error: unknown) => {
      // The round's reads failed (throttled, say): each event alone, with its own retries.
      logger.warn('combined depletion round failed; each event alone', { events: combined.length, error: error as Error });
      return new Map<number, RoundOutcome>(combined.map((index) => [index, { alone: true }]));
    });
    const alone = round.filter((index) => !combined.includes(index) || 'alone' in results.get(index)!);
    let lostRace = 0;
    for (const index of combined) {
      const result = results.get(index)!;
      if ('done' in result) outcomes.set(index, { status: 'fulfilled', value: result.done });
      if ('lost' in result) lost.set(index, (lostRace = (lost.get(index) ?? 0) + 1));
    }
    // Distinct orders: alone, they run at once, as separate deliveries would.
    const settled = await Promise.allSettled(alone.map((index) => depleteFromEvent(events[index]!)));
    for (const [i, index] of alone.entries()) outcomes.set(index, settled[i]!);
    todo = todo.filter((index) => !outcomes.has(index));
    if (lostRace > 0) await backOff(lostRace, 10);
  }
  return events.map((_, index) => outcomes.get(index)!);
}

async function combinedRound(round: ReadonlyArray<{ index: number; event: DepletingEvent }>): Promise<Map<number, RoundOutcome>> {
  const results = new Map<number, RoundOutcome>();
  if (round.length === 0) return results;
  const reads = await depletionStore.readMany(round.map(({ event }) => ({ siteId: event.siteId, orderId: event.data.orderId, itemIds: ingredientsOf(event) })));
  const sites = [...new Set(round.map(({ event }) => event.siteId))];
  const timeZones = new Map(await Promise.all(sites.map(async (siteId) => [siteId, await siteStore.timeZoneOf(siteId)] as const)));

  // Decide each event on its own record (the orders differ).
  const decided: Decided[] = [];
  const known = new Map<string, ItemRecord>();
  for (const [i, { index, event }] of round.entries()) {
    const { record, items } = reads[i]!;
    for (const item of items.values()) known.set(`${event.siteId}|${item.itemId}`, item);
    if (record?.pending) {
      results.set(index, { alone: true });
      continue;
    }
    const result = deplete(record?.state, event, new Map([...items.values()].map((item) => [item.itemId, depletable(item)])));
    if (result.replay) {
      results.set(index, { done: { replay: true, movements: 0 } });
      continue;
    }
    const { now, later } = nextChunk({ movements: result.movements.map(({ lineIds: _lineIds, ...move }) => move), unresolved: result.unresolved });
    if (!isDone(later)) {
      results.set(index, { alone: true });
      continue;
    }
    const at = new Date().toISOString();
    const recordWrite = depletionStore.recordWrite(event.siteId, result.state, record?.version, at);
    decided.push({ index, event, record: recordWrite, at, key: result.key, moves: now.movements, unresolved: now.unresolved, movements: result.movements.length });
  }
  if (decided.length === 0) return results;

  // The stock they move, read once: items a line named but the record did not (stock given back), and every on-hand row.
  const stock = await readStock(decided, known);

  // Applied one after the other, while the transaction has room: rows once each, a movement and its event per move.
  const taken: Decided[] = [];
  const changes = new Map<string, { read: StockRead; after: ItemStock; movements: MovementRecord[]; siteId: string }>();
  const published: EventEnvelope[] = [];
  let bytes = 0;
  for (const plan of decided) {
    const { siteId } = plan.event;
    const { orderId } = plan.event.data;
    const trial = new Map(changes);
    const events: EventEnvelope[] = [];
    for (const itemId of [...new Set(plan.moves.map((m) => m.itemId))]) {
      const key = `${siteId}|${itemId}`;
      const read = stock.get(key);
      if (!read) throw new Error(`stock item ${itemId} of order ${orderId} is gone`);
      const before = trial.get(key) ?? { read, after: stockOf(read), movements: [], siteId };
      const moves = plan.moves.filter((m) => m.itemId === itemId);
      const { stock: after, applied } = applyMovements(before.after, moves.map(ledgerMovement));
      const movements = moves.map(
        (move, i): MovementRecord => ({
          siteId,
          itemId,
          movementId: movementIdOf(plan.key, move),
          kind: move.kind,
          at: plan.at,
          by: 'orders',
          changes: applied[i]!.changes,
          value: applied[i]!.value,
          ...(move.reason ? { reason: move.reason } : {}),
          orderId,
        }),
      );
      if (applied.some((a) => a.oversold)) logger.warn('stock sold below zero', { siteId, itemId, orderId });
      events.push(...movements.map((movement) => movementRecorded(movement, read.item, after.averageCost, plan.event.correlationId)));
      trial.set(key, { ...before, after, movements: [...before.movements, ...movements] });
    }
    const rows = [...trial.values()].reduce((n, change) => n + Object.keys(change.after.onHand).length, 0);
    const count = taken.length + 1 + rows + 2 * (published.length + events.length) + depletionStore.issueWrites([...taken, plan].map(issuesOf), '').length;
    const size = Buffer.byteLength(JSON.stringify([plan.record, events]));
    if (taken.length > 0 && (count > MAX_TRANSACTION_ITEMS || bytes + size > MAX_TRANSACTION_BYTES)) {
      results.set(plan.index, { next: true });
      continue;
    }
    taken.push(plan);
    for (const [key, change] of trial) changes.set(key, change);
    published.push(...events);
    bytes += size;
  }

  const now = new Date().toISOString();
  const writes = [
    ...taken.map((plan) => plan.record),
    ...[...changes.values()].flatMap((change) => stockStore.changeWrites({ read: change.read, after: change.after, movements: change.movements, requireActive: false }, now, timeZones.get(change.siteId)!)),
    ...depletionStore.issueWrites(taken.map(issuesOf), now),
  ];
  try {
    await stockStore.commit(writes, published);
    for (const plan of taken) results.set(plan.index, { done: { replay: false, movements: plan.movements } });
  } catch (error) {
    // Nothing was written: read and decided again next round (or alone, after COMBINED_ATTEMPTS).
    logger.info('combined depletion not committed; read again', { events: taken.length, error: (error as Error).name });
    for (const plan of taken) results.set(plan.index, { lost: true });
  }
  return results;
}

const issuesOf = (plan: Decided) => ({ siteId: plan.event.siteId, orderId: plan.event.data.orderId, unresolved: plan.unresolved });

/** The stock items the decided events move (those not read with the records) and their on-hand rows, by `site|item`. */
async function readStock(decided: readonly Decided[], known: Map<string, ItemRecord>): Promise<Map<string, StockRead>> {
  const bySite = new Map<string, PendingMovement[]>();
  for (const plan of decided) bySite.set(plan.event.siteId, [...(bySite.get(plan.event.siteId) ?? []), ...plan.moves]);
  const stock = new Map<string, StockRead>();
  await Promise.all(
    [...bySite].map(async ([siteId, moves]) => {
      const itemIds = [...new Set(moves.map((m) => m.itemId))];
      const [more, rows] = await Promise.all([
        itemStore.getMany(
          siteId,
          itemIds.filter((itemId) => !known.has(`${siteId}|${itemId}`)),
        ),
        stockStore.onHandAt(siteId, [...new Map(moves.map(({ itemId, location }) => [`${itemId}|${location}`, { itemId, location }])).values()]),
      ]);
      for (const itemId of itemIds) {
        const item = known.get(`${siteId}|${itemId}`) ?? more.get(itemId);
        if (!item) continue; // reported by the event that moves it
        stock.set(`${siteId}|${itemId}`, { item, rows: new Map([...rows.values()].filter((row: OnHandRow) => row.itemId === itemId).map((row) => [row.location, row])) });
      }
    }),
  );
  return stock;
}
