// Receiving a delivery against a sent PO: purchase-rules.ts `receive` decides (partial deliveries, substitutions,
// invoice prices, over-receiving) and one receive movement per line is booked exactly as a receipt by hand is
// (ledger-rules.ts: on-hand, weighted average cost), with the PO's id on the ledger entry. The movements, on-hand
// rows, items' average costs, the PO (conditional on the version read), the receipt, the events and the
// Idempotency-Key's response are ONE transaction.
//
// Concurrency: a receipt is made against the version the clerk saw (`expectedVersion`, else the version this
// request first read). A line received by someone else since then is a 409 naming it: of concurrent receipts of
// one line exactly one wins. A receipt that lost only to a movement of the same items (a sale, a receipt of other
// lines) re-reads and tries again, as movements by hand do.
import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import { conditionFailedAt, retryOnConflict } from '#shared/dynamodb';
import { BadRequestError, ConflictError, UnprocessableError } from '#shared/errors';
import type { EventEnvelope } from '#shared/events';
import type { HttpResult } from '#shared/http';
import { completedRecordWrite, IdempotencyKeyTakenError, replayOf, replayWinner, type IdempotentRequest } from '#shared/idempotency';
import { itemStore, purchaseOrderStore, siteStore, stockStore } from './config';
import { movementRecorded, purchaseOrderReceived } from './events';
import { applyMovements } from './ledger-rules';
import { loadPurchaseOrder, loadSupplier, publicPurchaseOrder, type PurchaseOrderContext } from './purchase-order-lifecycle';
import type { PurchaseOrderReceipt } from './purchase-order-store';
import { receive, type ReceiptFlag, type ReceiptLine } from './purchase-rules';
import type { ItemRecord, MovementRecord, PurchaseOrderLineRecord, PurchaseOrderRecord, receiptSchema } from './schemas';
import { stockOf, type StockChange } from './stock-store';
import { unitSize } from './units';

type ReceiptInput = z.infer<typeof receiptSchema>;

/** DynamoDB's limit on the items of one transaction. */
export const MAX_TRANSACTION_ITEMS = 100;
/** Receipts one PO takes: its receipts are read whole with it. */
export const MAX_RECEIPTS = 50;
const RECEIPT_ATTEMPTS = 10;

/** A line received by someone else after `baseline` (the version the clerk saw): a 409 naming it. */
export function assertLinesUnchangedSince(po: Pick<PurchaseOrderRecord, 'version' | 'lines'>, lineIds: readonly string[], baseline: number): void {
  if (baseline > po.version) throw new ConflictError(`The purchase order is at version ${po.version}, not ${baseline}; reload it`, { version: po.version, expectedVersion: baseline });
  const changed = po.lines.filter((l) => lineIds.includes(l.lineId) && (l.receivedAtVersion ?? 0) > baseline).map((l) => l.lineId);
  if (changed.length > 0) {
    throw new ConflictError(`Line ${changed.join(', ')} was received by someone else since version ${baseline}; reload the purchase order`, { lineIds: changed, version: po.version });
  }
}

/** The line's flags, each kind once, after a receipt's. */
function flagsOf(line: PurchaseOrderLineRecord, flags: readonly ReceiptFlag[]): Pick<PurchaseOrderLineRecord, 'flags'> {
  const kinds = [...new Set([...(line.flags ?? []), ...flags.filter((f) => f.lineId === line.lineId).map((f) => f.kind)])];
  return kinds.length > 0 ? { flags: kinds } : {};
}

function assertLocation(item: ItemRecord, location: string): void {
  if (!item.locations.includes(location)) throw new UnprocessableError(`${item.itemId} is not kept at ${location}`, { itemId: item.itemId, location, locations: item.locations });
}

/** The receipt's lines in the rules' terms: a substitute comes in the line's pack unit, which must convert for it. */
function receiptLines(po: PurchaseOrderRecord, input: ReceiptInput, items: ReadonlyMap<string, ItemRecord>): ReceiptLine[] {
  return input.lines.map((r) => {
    const line = po.lines.find((l) => l.lineId === r.lineId)!;
    const delivered = items.get(r.substituteItemId ?? line.itemId);
    if (!delivered) throw new UnprocessableError(`${r.substituteItemId ?? line.itemId} is not a stock item of this site`, { lineId: r.lineId, itemId: r.substituteItemId ?? line.itemId });
    assertLocation(delivered, r.location);
    const substituted = r.substituteItemId !== undefined && r.substituteItemId !== line.itemId;
    return {
      lineId: r.lineId,
      packs: r.packs,
      packPrice: r.packPrice,
      location: r.location,
      ...(substituted ? { substitute: { itemId: delivered.itemId, packUnit: line.packUnit, packSize: unitSize(delivered, line.packUnit) } } : {}),
    };
  });
}

function respond(po: PurchaseOrderRecord, receipt: PurchaseOrderReceipt, movements: MovementRecord[]): HttpResult {
  return {
    status: 201,
    body: { purchaseOrder: publicPurchaseOrder(po), receipt, movements },
    headers: { location: `/sites/${po.siteId}/inventory/purchase-orders/${po.purchaseOrderId}` },
  };
}

export async function receiveAgainstPurchaseOrder(ctx: PurchaseOrderContext, purchaseOrderId: string, input: ReceiptInput, idempotency: IdempotentRequest): Promise<HttpResult> {
  const { siteId, caller, correlationId } = ctx;
  const receiptId = randomUUID();
  let baseline = input.expectedVersion;
  const timeZone = await siteStore.timeZoneOf(siteId);
  try {
    return await retryOnConflict(
      async () => {
        const [po, keyRecord] = await Promise.all([loadPurchaseOrder(siteId, purchaseOrderId), stockStore.rawItem(idempotency.itemKey)]);
        const replayed = replayOf(idempotency, keyRecord);
        if (replayed) return replayed;
        // The rules first, on the lines as ordered: a PO that takes no receipt, or an unknown line, reads no stock.
        receive(po, input.lines.map((r) => ({ lineId: r.lineId, packs: r.packs, packPrice: r.packPrice, location: r.location })));
        baseline ??= po.version;
        assertLinesUnchangedSince(po, input.lines.map((r) => r.lineId), baseline);
        if ((po.receiptCount ?? 0) >= MAX_RECEIPTS) throw new ConflictError(`A purchase order takes at most ${MAX_RECEIPTS} receipts; close it short and order the rest anew`);

        const deliveredIds = input.lines.map((r) => r.substituteItemId ?? po.lines.find((l) => l.lineId === r.lineId)!.itemId);
        const itemIds = [...new Set(deliveredIds)];
        const [items, rows, supplier] = await Promise.all([
          itemStore.getMany(siteId, itemIds),
          Promise.all(itemIds.map((itemId) => stockStore.onHandOf(siteId, itemId))),
          loadSupplier(siteId, po.supplierId),
        ]);
        const decided = receive(po, receiptLines(po, input, items));
        const at = new Date().toISOString();
        const version = decided.po.version;
        const movementIdOf = (lineId: string) => `${receiptId}.${lineId}`;

        const changes: StockChange[] = [];
        const events: EventEnvelope[] = [];
        const movements: MovementRecord[] = [];
        itemIds.forEach((itemId, i) => {
          const item = items.get(itemId)!;
          const read = { item, rows: rows[i]! };
          const moves = decided.movements.filter((m) => m.itemId === itemId);
          const { stock, applied } = applyMovements(stockOf(read), moves.map((m) => ({ kind: 'receive' as const, location: m.location, quantity: m.quantity, cost: m.cost })));
          const records = moves.map((m, j): MovementRecord => ({
            siteId,
            itemId,
            movementId: movementIdOf(m.lineId),
            kind: 'receive',
            at,
            by: caller.userId,
            changes: applied[j]!.changes,
            value: applied[j]!.value,
            purchaseOrderId,
          }));
          changes.push({ read, after: stock, movements: records, requireActive: true });
          movements.push(...records);
          events.push(...records.map((record) => movementRecorded(record, item, stock.averageCost, correlationId)));
        });

        const received = new Set(input.lines.map((r) => r.lineId));
        const next: PurchaseOrderRecord = {
          ...po,
          ...decided.po,
          lines: decided.po.lines.map((line) => (received.has(line.lineId) ? { ...line, ...flagsOf(line, decided.flags), receivedAtVersion: version } : line)),
          receiptCount: (po.receiptCount ?? 0) + 1,
          updatedAt: at,
          ...(decided.po.status === 'received' ? { closedAt: at } : {}),
        };
        const receipt: PurchaseOrderReceipt = {
          siteId,
          purchaseOrderId,
          receiptId,
          at,
          by: caller.userId,
          lines: input.lines.map((r, i) => ({ lineId: r.lineId, itemId: deliveredIds[i]!, packs: r.packs, packPrice: r.packPrice, location: r.location, movementId: movementIdOf(r.lineId) })),
          flags: decided.flags,
          receivedCost: decided.movements.reduce((sum, m) => sum + m.cost, 0),
          version,
        };
        events.push(
          purchaseOrderReceived(
            next,
            supplier.name,
            {
              receivedCost: receipt.receivedCost,
              priceDifference: decided.flags.reduce((sum, f) => sum + (f.kind === 'price-difference' ? f.difference : 0), 0),
              substitutions: decided.flags.filter((f) => f.kind === 'substituted').length,
              overReceived: decided.flags.filter((f) => f.kind === 'over-received').map((f) => f.lineId),
              receivedBy: caller.userId,
            },
            correlationId,
          ),
        );

        const completed = completedRecordWrite(idempotency, respond(next, receipt, movements));
        const writes = [
          ...purchaseOrderStore.changeWrites(next, po.version),
          purchaseOrderStore.receiptWrite(receipt),
          ...changes.flatMap((change) => stockStore.changeWrites(change, at, timeZone)),
        ];
        const size = writes.length + 1 + events.length;
        if (size > MAX_TRANSACTION_ITEMS) {
          throw new BadRequestError(
            `This receipt needs ${size} writes in one transaction and DynamoDB takes at most ${MAX_TRANSACTION_ITEMS} (about 4 per line): receive the lines in several receipts`,
            { writes: size, limit: MAX_TRANSACTION_ITEMS, lines: input.lines.length },
          );
        }
        try {
          await purchaseOrderStore.commit([...writes, completed.write], events);
        } catch (error) {
          if (conditionFailedAt(error, writes.length)) throw new IdempotencyKeyTakenError();
          throw error;
        }
        return completed.response;
      },
      { attempts: RECEIPT_ATTEMPTS, baseDelayMs: 5, exhausted: () => new ConflictError('The purchase order or its items are changing too fast; retry') },
    );
  } catch (error) {
    if (error instanceof IdempotencyKeyTakenError) return replayWinner(idempotency);
    throw error;
  }
}
