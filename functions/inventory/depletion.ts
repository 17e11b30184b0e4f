// Depleting stock from one orders event: read the order's depletion record and the stock items its recipes name,
// decide with depletion-rules.ts, apply the resulting sale / sale-return / waste movements to on-hand with the
// ledger rules, and write the record, the on-hand rows, the movements, the issues found and the movement events in
// ONE transaction conditional on what was read. A lost race (another event of the order, or a sale of the same
// item on another order) re-reads and recomputes; a replayed event finds its key applied and writes nothing.
// An event whose writes do not fit one transaction (depletion-chunks.ts) is still decided once: the first
// transaction records the decision with the rest as `pending`, and the following ones apply it chunk by chunk.
// Whoever reads the record next (this delivery, its retry, the order's next event) finishes `pending` first.
import { retryOnConflict } from '#shared/dynamodb';
import type { EventEnvelope } from '#shared/events';
import { logger } from '#shared/logger';
import type { TransactItem } from '#shared/outbox';
import { depletionStore, itemStore, siteStore, stockStore } from './config';
import { fitsOnRecord, isDone, nextChunk, type DepletionWork, type PendingDepletion, type PendingMovement } from './depletion-chunks';
import { deplete, movementIdOf, type DepletableItem, type DepletingEvent } from './depletion-rules';
import type { DepletionRecord } from './depletion-store';
import { movementRecorded } from './events';
import { applyMovements, type Movement } from './ledger-rules';
import type { ItemRecord, MovementRecord } from './schemas';
import { stockOf, type OnHandRow, type StockChange } from './stock-store';

/**
 * A burst of sales of one item (50 orders of one dish at once) is a queue on its on-hand row: each depletion that
 * loses re-reads and tries again, with a short jittered back-off, until it wins.
 */
const DEPLETION_ATTEMPTS = 80;

/** What depleting one event did: nothing (a replay), or how many movements it decided. */
export interface DepletionOutcome {
  replay: boolean;
  movements: number;
}

/** The ingredients an event's lines consume: the stock items to read. */
export function ingredientsOf(event: DepletingEvent): string[] {
  const lines = event.type === 'order.line-added' || event.type === 'order.line-removed' ? [event.data.line] : event.data.lines;
  return [...new Set(lines.flatMap((line) => line.consumption.map((c) => c.ingredientId)))];
}

export const depletable = (item: ItemRecord): DepletableItem => ({ itemId: item.itemId, baseUnit: item.baseUnit, units: item.units, depleteFrom: item.depleteFrom });

export function ledgerMovement(move: PendingMovement): Movement {
  return move.kind === 'waste' ? { kind: 'waste', location: move.location, quantity: move.quantity, reason: 'voided' } : { kind: move.kind, location: move.location, quantity: move.quantity };
}

/** Which event a chunk belongs to: its movements' ids, time and correlation. */
type Decision = Pick<PendingDepletion, 'key' | 'at' | 'correlationId'>;

/**
 * The writes and events of one chunk of a decided event, on the on-hand read now: per item its on-hand rows and
 * movements. Not the issues' counting updates, which the caller adds.
 * `known` are stock items already read (others are read here).
 */
async function chunkWrites(siteId: string, orderId: string, decision: Decision, work: DepletionWork, known: ReadonlyMap<string, ItemRecord>, timeZone: string) {
  // Stock given back may belong to items this event does not name (a line removed by a later snapshot).
  const moved = [...new Set(work.movements.map((m) => m.itemId))];
  const more = await itemStore.getMany(siteId, moved.filter((itemId) => !known.has(itemId)));
  const rows = await stockStore.onHandAt(siteId, work.movements.map(({ itemId, location }) => ({ itemId, location })));
  const changes: StockChange[] = [];
  const events: EventEnvelope[] = [];
  for (const itemId of moved) {
    const item = known.get(itemId) ?? more.get(itemId);
    if (!item) throw new Error(`stock item ${itemId} of order ${orderId} is gone`);
    const read = { item, rows: new Map([...rows.values()].filter((row: OnHandRow) => row.itemId === itemId).map((row) => [row.location, row])) };
    const moves = work.movements.filter((m) => m.itemId === itemId);
    const { stock, applied } = applyMovements(stockOf(read), moves.map(ledgerMovement));
    const movements = moves.map(
      (move, i): MovementRecord => ({
        siteId,
        itemId,
        movementId: movementIdOf(decision.key, move),
        kind: move.kind,
        at: decision.at,
        by: 'orders',
        changes: applied[i]!.changes,
        value: applied[i]!.value,
        ...(move.reason ? { reason: move.reason } : {}),
        orderId,
      }),
    );
    changes.push({ read, after: stock, movements, requireActive: false });
    events.push(...movements.map((movement) => movementRecorded(movement, item, stock.averageCost, decision.correlationId)));
    if (applied.some((a) => a.oversold)) logger.warn('stock sold below zero', { siteId, itemId, orderId });
  }
  const writes: TransactItem[] = changes.flatMap((change) => stockStore.changeWrites(change, decision.at, timeZone));
  return { writes, events };
}

/** Applies what the record has pending, one transaction per chunk, each taking its chunk off on the version read. */
async function finishPending(siteId: string, record: DepletionRecord, timeZone: string): Promise<DepletionRecord> {
  let { version, pending } = record;
  const { orderId } = record.state;
  while (pending) {
    const { now, later } = nextChunk(pending);
    const rest = isDone(later) ? undefined : { ...pending, ...later };
    const { writes, events } = await chunkWrites(siteId, orderId, pending, now, new Map(), timeZone);
    const issues = depletionStore.issueWrites([{ siteId, orderId, unresolved: now.unresolved }], pending.at);
    await stockStore.commit([depletionStore.pendingWrite(siteId, orderId, version, rest, new Date().toISOString()), ...writes, ...issues], events);
    logger.info('pending depletion chunk applied', { orderId, event: pending.key, movements: now.movements.length, left: later.movements.length });
    version += 1;
    pending = rest;
  }
  return { state: record.state, version };
}

export async function depleteFromEvent(event: DepletingEvent): Promise<DepletionOutcome> {
  const { siteId } = event;
  const { orderId } = event.data;
  const timeZone = await siteStore.timeZoneOf(siteId);
  // Set once this delivery's decision has committed: a later attempt (finishing its chunks) reports it, not a replay.
  let decided: number | undefined;
  return retryOnConflict(
    async () => {
      const read = await depletionStore.read(siteId, orderId, ingredientsOf(event));
      // Every decision is made on the order's whole depletion: an event left half-written is finished first.
      const record = read.record?.pending ? await finishPending(siteId, read.record, timeZone) : read.record;
      const { items } = read;
      const result = deplete(record?.state, event, new Map([...items.values()].map((item) => [item.itemId, depletable(item)])));
      if (result.replay) return { replay: decided === undefined, movements: decided ?? 0 };

      const decision: Decision = { key: result.key, at: new Date().toISOString(), correlationId: event.correlationId };
      const { now, later } = nextChunk({ movements: result.movements.map(({ lineIds: _lineIds, ...move }) => move), unresolved: result.unresolved });
      const pending = isDone(later) ? undefined : { ...decision, ...later };
      if (pending && !fitsOnRecord(result.state, pending)) {
        throw new Error(`order ${orderId}: ${event.type} leaves more pending movements than the depletion record holds`);
      }
      const { writes, events } = await chunkWrites(siteId, orderId, decision, now, items, timeZone);
      const issues = depletionStore.issueWrites([{ siteId, orderId, unresolved: now.unresolved }], decision.at);
      await stockStore.commit([depletionStore.recordWrite(siteId, result.state, record?.version, decision.at, pending), ...writes, ...issues], events);
      decided = result.movements.length;
      if (pending) {
        logger.info('depletion split over transactions', { orderId, movements: decided, pending: pending.movements.length });
        await finishPending(siteId, { state: result.state, version: (record?.version ?? 0) + 1, pending }, timeZone);
      }
      return { replay: false, movements: decided };
    },
    { attempts: DEPLETION_ATTEMPTS, baseDelayMs: 10 },
  );
}
