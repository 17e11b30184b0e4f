// Depleting stock from one orders event: read the order's depletion record and the stock items its recipes name,
// decide with depletion-rules.ts, apply the resulting sale / sale-return / waste movements to on-hand with the
// ledger rules, and write the record, the on-hand rows, the movements, the issues found and the movement events in
// ONE transaction conditional on what was read. A lost race (another event of the order, or a sale of the same
// item on another order) re-reads and recomputes; a replayed event finds its key applied and writes nothing.
import { retryOnConflict } from '#shared/dynamodb';
import type { EventEnvelope } from '#shared/events';
import { logger } from '#shared/logger';
import { depletionStore, itemStore, siteStore, stockStore } from './config';
import { deplete, depletionKey, type DepletableItem, type DepletingEvent, type DepletionMovement } from './depletion-rules';
import { movementRecorded } from './events';
import { applyMovements, type Movement } from './ledger-rules';
import type { ItemRecord, MovementRecord } from './schemas';
import { stockOf, type OnHandRow, type StockChange } from './stock-store';

/**
 * A burst of sales of one item (50 orders of one dish at once) is a queue on its on-hand row: each depletion that
 * loses re-reads and tries again, with a short jittered back-off, until it wins.
 */
const DEPLETION_ATTEMPTS = 80;
/** DynamoDB's limit on the items of one transaction. */
const MAX_TRANSACTION_ITEMS = 100;

/** The ingredients an event's lines consume: the stock items to read. */
function ingredientsOf(event: DepletingEvent): string[] {
  const lines = event.type === 'order.line-added' || event.type === 'order.line-removed' ? [event.data.line] : event.data.lines;
  return [...new Set(lines.flatMap((line) => line.consumption.map((c) => c.ingredientId)))];
}

const depletable = (item: ItemRecord): DepletableItem => ({ itemId: item.itemId, baseUnit: item.baseUnit, units: item.units, depleteFrom: item.depleteFrom });

function ledgerMovement(move: DepletionMovement): Movement {
  return move.kind === 'waste' ? { kind: 'waste', location: move.location, quantity: move.quantity, reason: 'voided' } : { kind: move.kind, location: move.location, quantity: move.quantity };
}

export async function depleteFromEvent(event: DepletingEvent): Promise<{ replay: boolean; movements: number }> {
  const { siteId } = event;
  const { orderId } = event.data;
  const timeZone = await siteStore.timeZoneOf(siteId);
  return retryOnConflict(
    async () => {
      const { record, items } = await depletionStore.read(siteId, orderId, ingredientsOf(event));
      const result = deplete(record?.state, event, new Map([...items.values()].map((item) => [item.itemId, depletable(item)])));
      if (result.replay) return { replay: true, movements: 0 };

      // Stock given back may belong to items this event does not name (a line removed by a later snapshot).
      const moved = [...new Set(result.movements.map((m) => m.itemId))];
      const more = await itemStore.getMany(siteId, moved.filter((itemId) => !items.has(itemId)));
      const rows = await stockStore.onHandAt(siteId, result.movements.map(({ itemId, location }) => ({ itemId, location })));
      const at = new Date().toISOString();
      const changes: StockChange[] = [];
      const events: EventEnvelope[] = [];
      for (const itemId of moved) {
        const item = items.get(itemId) ?? more.get(itemId);
        if (!item) throw new Error(`stock item ${itemId} of order ${orderId} is gone`);
        const read = { item, rows: new Map([...rows.values()].filter((row: OnHandRow) => row.itemId === itemId).map((row) => [row.location, row])) };
        const moves = result.movements.filter((m) => m.itemId === itemId);
        const { stock, applied } = applyMovements(stockOf(read), moves.map(ledgerMovement));
        const movements = moves.map((move, i): MovementRecord => ({
          siteId,
          itemId,
          // Deterministic: the same decision names the same movements (and events) however often it is retried.
          movementId: `${depletionKey(orderId, event.type, event.data.version).replaceAll('#', '.')}.${move.kind}.${itemId}.${move.location}`,
          kind: move.kind,
          at,
          by: 'orders',
          changes: applied[i]!.changes,
          value: applied[i]!.value,
          ...(move.reason ? { reason: move.reason } : {}),
          orderId,
        }));
        changes.push({ read, after: stock, movements, requireActive: false });
        events.push(...movements.map((movement) => movementRecorded(movement, item, stock.averageCost, event.correlationId)));
        if (applied.some((a) => a.oversold)) logger.warn('stock sold below zero', { siteId, itemId, orderId });
      }
      const writes = [
        depletionStore.recordWrite(siteId, result.state, record?.version, at),
        ...changes.flatMap((change) => stockStore.changeWrites(change, at, timeZone)),
        ...depletionStore.issueWrites(siteId, orderId, result.unresolved, at),
      ];
      if (writes.length + events.length > MAX_TRANSACTION_ITEMS) {
        throw new Error(`order ${orderId}: ${event.type} moves ${moved.length} stock items, more than one transaction holds`);
      }
      await stockStore.commit(writes, events);
      return { replay: false, movements: events.length };
    },
    { attempts: DEPLETION_ATTEMPTS, baseDelayMs: 10 },
  );
}
