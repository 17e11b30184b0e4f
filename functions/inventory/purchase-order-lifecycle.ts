// Purchase orders from the order to the close, receiving apart (purchase-order-receiving.ts): a manual PO priced
// from the supplier's offers, reading and listing, a draft's edit, and the actions of purchase-rules.ts's state
// machine. Each change is one transaction conditional on the version read (purchase-order-store.ts): a stale
// `expectedVersion`, or a change that lost to a concurrent one, is a 409 to reload; nothing is retried behind the
// manager's back. Sending publishes `inventory.purchase-order-sent` through the outbox: the order reaches the
// supplier through whoever consumes it (notifications, an EDI bridge), not from here.
import { randomUUID } from 'node:crypto';
import { conditionFailedAt, lostRace, VersionConflictError } from '#shared/dynamodb';
import { ConflictError, NotFoundError, UnprocessableError } from '#shared/errors';
import type { EventEnvelope } from '#shared/events';
import type { HttpResult } from '#shared/http';
import { completedRecordWrite, replayOf, replayWinner, type IdempotentRequest } from '#shared/idempotency';
import type { Caller } from '#shared/identity';
import { itemStore, purchaseOrderStore, siteStore, stockStore, supplierStore } from './config';
import { nextDelivery } from './delivery-rules';
import { purchaseOrderReceived, purchaseOrderSent } from './events';
import { editDraft, transition, type Offer, type PoAction, type PoLine } from './purchase-rules';
import { sheetCsv } from './purchase-order-sheet';
import { isClosed, type OpenStatusFilter, type PurchaseOrderReceipt } from './purchase-order-store';
import { csvResponse } from './report-csv';
import type { PurchaseOrderRecord, SupplierRecord } from './schemas';
import { MILLI } from './units';

export interface PurchaseOrderContext {
  siteId: string;
  caller: Caller;
  correlationId: string;
}

type OrderedLine = { itemId: string; packs: number };

export async function loadPurchaseOrder(siteId: string, purchaseOrderId: string): Promise<PurchaseOrderRecord> {
  const po = await purchaseOrderStore.get(siteId, purchaseOrderId);
  if (!po) throw new NotFoundError('Purchase order not found');
  return po;
}

/** A supplier named by a PO or a request body: gone or never there is the request's problem, a 422. */
export async function loadSupplier(siteId: string, supplierId: string): Promise<SupplierRecord> {
  const supplier = await supplierStore.get(siteId, supplierId);
  if (!supplier) throw new UnprocessableError(`Supplier ${supplierId} does not exist at this site`, { supplierId });
  return supplier;
}

/** A new order, a draft's new lines or a send to an archived supplier: a 409 (its open orders can still be received). */
export function assertOrderable(supplier: SupplierRecord): void {
  if (supplier.archived) throw new ConflictError(`Supplier ${supplier.supplierId} is archived: it takes no new orders`, { supplierId: supplier.supplierId });
}

/** What a response shows of a PO: pack sizes in the item's base unit, as items show their pars. */
export function publicPurchaseOrder(po: PurchaseOrderRecord) {
  return { ...po, lines: po.lines.map((line) => ({ ...line, packSize: line.packSize / MILLI })) };
}

export function assertVersion(po: PurchaseOrderRecord, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && expectedVersion !== po.version) {
    throw new VersionConflictError('purchase order', { purchaseOrderId: po.purchaseOrderId, version: po.version, expectedVersion });
  }
}

/**
 * The lines priced from the supplier's offers now (a 422 naming the items it does not offer). An item already on
 * the PO keeps its line id; a new one gets the next `L{n}`.
 */
async function pricedLines(siteId: string, supplierId: string, ordered: readonly OrderedLine[], existing: readonly PoLine[] = []): Promise<Array<Offer & { lineId: string; packs: number }>> {
  const offers = await supplierStore.offersAt(siteId, ordered.map((l) => ({ supplierId, itemId: l.itemId })));
  const offerOf = (itemId: string) => offers.get(`${supplierId}|${itemId}`);
  const missing = ordered.filter((l) => !offerOf(l.itemId)).map((l) => l.itemId);
  if (missing.length > 0) throw new UnprocessableError(`Supplier ${supplierId} does not offer ${missing.join(', ')}`, { supplierId, itemIds: missing });
  const kept = new Map(existing.map((l) => [l.itemId, l.lineId]));
  const taken = new Set(existing.map((l) => l.lineId));
  let n = 0;
  const nextLineId = () => {
    do n++;
    while (taken.has(`L${n}`));
    return `L${n}`;
  };
  return ordered.map((l) => {
    const offer = offerOf(l.itemId)!;
    return { lineId: kept.get(l.itemId) ?? nextLineId(), itemId: l.itemId, packUnit: offer.packUnit, packSize: offer.packSize, packPrice: offer.packPrice, packs: l.packs };
  });
}

/**
 * The PO after a change, written on condition nobody changed it since `readVersion`; a lost race (the condition, or
 * a concurrent transaction on the PO) is a 409.
 */
async function commitChange(next: PurchaseOrderRecord, readVersion: number, events: EventEnvelope[]): Promise<void> {
  try {
    await purchaseOrderStore.commit(purchaseOrderStore.changeWrites(next, readVersion), events);
  } catch (error) {
    if (lostRace(error)) throw new VersionConflictError('purchase order', { purchaseOrderId: next.purchaseOrderId });
    throw error;
  }
}

/**
 * A manual PO: a draft priced from the supplier's offers, flagged when under its minimum order value. The
 * Idempotency-Key's record is written in the PO's own transaction: a double submit answers the first response byte
 * for byte and makes one draft; of two concurrent first submits one commits, the other answers the winner's.
 */
export async function createPurchaseOrder(siteId: string, input: { supplierId: string; lines: OrderedLine[] }, idempotency: IdempotentRequest): Promise<HttpResult> {
  const replayed = replayOf(idempotency, await stockStore.rawItem(idempotency.itemKey));
  if (replayed) return replayed;
  const [supplier, lines] = await Promise.all([loadSupplier(siteId, input.supplierId), pricedLines(siteId, input.supplierId, input.lines)]);
  assertOrderable(supplier);
  const now = new Date().toISOString();
  // An empty draft edited once: the total is the rules' own.
  const drafted = editDraft({ purchaseOrderId: randomUUID(), supplierId: supplier.supplierId, status: 'draft', lines: [], total: 0, version: 0 }, lines);
  const po: PurchaseOrderRecord = { siteId, ...drafted, belowMinimum: drafted.total < supplier.minimumOrderValue, createdAt: now, updatedAt: now };
  const created = { status: 201, body: publicPurchaseOrder(po), headers: { location: `/sites/${siteId}/inventory/purchase-orders/${po.purchaseOrderId}` } };
  const { response, write } = completedRecordWrite(idempotency, created);
  try {
    await purchaseOrderStore.commit([purchaseOrderStore.createWrite(po), write], []);
  } catch (error) {
    if (conditionFailedAt(error, 1)) return replayWinner(idempotency);
    throw error;
  }
  return response;
}

export async function getPurchaseOrder(siteId: string, purchaseOrderId: string): Promise<ReturnType<typeof publicPurchaseOrder> & { receipts: PurchaseOrderReceipt[] }> {
  const [po, receipts] = await Promise.all([loadPurchaseOrder(siteId, purchaseOrderId), purchaseOrderStore.receipts(siteId, purchaseOrderId)]);
  return { ...publicPurchaseOrder(po), receipts };
}

/** The PO as the order sheet its supplier reads (CSV): names and SKUs as known now, money in the site's currency. */
export async function purchaseOrderSheet(siteId: string, purchaseOrderId: string): Promise<HttpResult> {
  const po = await loadPurchaseOrder(siteId, purchaseOrderId);
  const itemIds = po.lines.map((l) => l.itemId);
  const [items, offers, currency] = await Promise.all([
    itemStore.getMany(siteId, itemIds),
    supplierStore.offersAt(siteId, itemIds.map((itemId) => ({ supplierId: po.supplierId, itemId }))),
    siteStore.currencyOf(siteId),
  ]);
  const names = new Map([...items.values()].map((item) => [item.itemId, item.name]));
  const skus = new Map([...offers.values()].flatMap((offer) => (offer.supplierSku ? [[offer.itemId, offer.supplierSku] as const] : [])));
  return csvResponse(sheetCsv(po, names, skus, currency), `purchase-order-${po.supplierId}-${po.purchaseOrderId}.csv`);
}

/** Open POs from the openPos index (by supplier); received and cancelled ones from their closed copies, latest first. */
export async function listPurchaseOrders(siteId: string, query: { status: OpenStatusFilter | 'received' | 'cancelled'; limit: number; cursor?: string }) {
  const page =
    query.status === 'received' || query.status === 'cancelled'
      ? await purchaseOrderStore.listClosed(siteId, query.status, query.limit, query.cursor)
      : await purchaseOrderStore.listOpen(siteId, query.status, query.limit, query.cursor);
  return { ...page, purchaseOrders: page.purchaseOrders.map(publicPurchaseOrder) };
}

/** A draft's new lines, priced from the offers now; the minimum order value is checked again. */
export async function editPurchaseOrder(siteId: string, purchaseOrderId: string, input: { lines: OrderedLine[]; expectedVersion?: number }): Promise<PurchaseOrderRecord> {
  const po = await loadPurchaseOrder(siteId, purchaseOrderId);
  assertVersion(po, input.expectedVersion);
  const [supplier, lines] = await Promise.all([loadSupplier(siteId, po.supplierId), pricedLines(siteId, po.supplierId, input.lines, po.lines)]);
  assertOrderable(supplier);
  const edited = editDraft(po, lines);
  const next: PurchaseOrderRecord = { ...po, lines: edited.lines, total: edited.total, version: edited.version, belowMinimum: edited.total < supplier.minimumOrderValue, updatedAt: new Date().toISOString() };
  await commitChange(next, po.version, []);
  return next;
}

/**
 * approve, send, cancel or close short (purchase-rules.ts; an illegal one is a 409 naming from → to). Sending
 * dates the delivery from the supplier's schedule in the site's time zone; closing short publishes the PO as
 * received, with nothing more received.
 */
export async function actOnPurchaseOrder({ siteId, caller, correlationId }: PurchaseOrderContext, purchaseOrderId: string, input: { action: PoAction; expectedVersion?: number }): Promise<PurchaseOrderRecord> {
  const po = await loadPurchaseOrder(siteId, purchaseOrderId);
  assertVersion(po, input.expectedVersion);
  const moved = transition(po, input.action);
  const now = new Date().toISOString();
  let next: PurchaseOrderRecord = { ...po, ...moved, updatedAt: now, ...(isClosed(moved.status) ? { closedAt: now } : {}) };
  const events: EventEnvelope[] = [];
  if (input.action === 'send') {
    const [supplier, timeZone] = await Promise.all([loadSupplier(siteId, po.supplierId), siteStore.timeZoneOf(siteId)]);
    assertOrderable(supplier);
    const { deliveryDate } = nextDelivery(Date.parse(now), supplier, timeZone);
    next = { ...next, sentAt: now, deliveryDate };
    events.push(purchaseOrderSent(next, supplier.name, deliveryDate, caller.userId, correlationId));
  } else if (input.action === 'close-short') {
    const supplier = await loadSupplier(siteId, po.supplierId);
    events.push(purchaseOrderReceived(next, supplier.name, { receivedCost: 0, priceDifference: 0, substitutions: 0, overReceived: [], receivedBy: caller.userId }, correlationId));
  }
  await commitChange(next, po.version, events);
  return next;
}
