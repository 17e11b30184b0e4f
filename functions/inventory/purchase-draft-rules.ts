// Automatic purchase-order drafts, pure: what is already on order, the stock positions a draft starts from, and the
// draft as a PO record. purchase-rules.ts has the fill-to-par arithmetic (draftPurchaseOrder).
//
// A supplier gets a draft when an item whose preferred supplier it is has an open low-stock episode. The draft
// fills those low items to their level (below), less what open purchase orders of any supplier still have to
// deliver (a PO approved yesterday at another supplier counts), in whole packs, raised to the supplier's minimum
// order value with packs of the same low items. Items of the supplier that are not low wait for their own episode:
// a draft says what is short, not a weekly order.
//
// The level: the forecast's target (reorder-rules.ts: demand over lead and review days plus safety stock) when the
// item has a fresh forecast, otherwise its par (an item with neither is not drafted: there is no level to fill
// to). Par is not a floor under the forecast: the forecast is there so that a quiet week orders less than par; the
// reorder point still says when an item is low, and par stays the level whenever the forecast is missing or stale.
//
// One open draft per supplier at most: the supplier's draft slot names the open draft, and a new one is written
// only if that draft has left `draft` (approved, sent, cancelled…), in one transaction conditional on the slot as
// read. While a draft is open, it stands as the manager left it (edits are theirs): nothing is drafted on top.
import { createHash } from 'node:crypto';
import { draftPurchaseOrder, type Draft, type Offer, type StockPosition } from './purchase-rules';
import type { ItemRecord, PurchaseOrderRecord } from './schemas';

/** Statuses whose unreceived packs are still to come. */
const OPEN_STATUSES: ReadonlySet<string> = new Set(['draft', 'approved', 'sent', 'partially-received']);

/** Milli-base units still to come per item from the open purchase orders. */
export function onOrderByItem(openOrders: ReadonlyArray<Pick<PurchaseOrderRecord, 'status' | 'lines'>>): Map<string, number> {
  const onOrder = new Map<string, number>();
  for (const po of openOrders) {
    if (!OPEN_STATUSES.has(po.status)) continue;
    for (const line of po.lines) {
      const toCome = Math.max(line.packs - line.receivedPacks, 0) * line.packSize;
      if (toCome > 0) onOrder.set(line.itemId, (onOrder.get(line.itemId) ?? 0) + toCome);
    }
  }
  return onOrder;
}

/**
 * The supplier's draft for its low items, or undefined when open orders already cover them. `levels` holds the
 * forecast's target of the items that have a fresh forecast; the others fill to par.
 */
export function draftFor(
  minimumOrderValue: number,
  offers: readonly Offer[],
  lowItems: ReadonlyArray<Pick<ItemRecord, 'itemId' | 'par'>>,
  onHand: ReadonlyMap<string, number>,
  onOrder: ReadonlyMap<string, number>,
  levels: ReadonlyMap<string, number> = new Map(),
): Draft | undefined {
  const positions = new Map<string, StockPosition>(
    lowItems.map((item) => [
      item.itemId,
      { itemId: item.itemId, onHand: Math.max(onHand.get(item.itemId) ?? 0, 0), onOrder: onOrder.get(item.itemId) ?? 0, par: levels.get(item.itemId) ?? item.par },
    ]),
  );
  return draftPurchaseOrder(
    minimumOrderValue,
    offers.filter((offer) => positions.has(offer.itemId)),
    positions,
  );
}

/** The n-th draft of a supplier: `{supplier}-d{n}`, within the 64 characters of an id (a long supplier id is cut and hashed). */
export function draftId(supplierId: string, n: number): string {
  const suffix = `-d${n}`;
  if (supplierId.length + suffix.length <= 64) return `${supplierId}${suffix}`;
  const hash = createHash('sha256').update(supplierId).digest('hex').slice(0, 8);
  return `${supplierId.slice(0, 64 - suffix.length - hash.length - 1)}-${hash}${suffix}`;
}

export function draftRecord(input: { siteId: string; supplierId: string; purchaseOrderId: string; draft: Draft; now: string }): PurchaseOrderRecord {
  const { siteId, supplierId, purchaseOrderId, draft, now } = input;
  return {
    siteId,
    purchaseOrderId,
    supplierId,
    status: 'draft',
    lines: draft.lines.map((line, i) => ({
      lineId: `L${i + 1}`,
      itemId: line.itemId,
      packUnit: line.packUnit,
      packSize: line.packSize,
      packPrice: line.packPrice,
      packs: line.packs,
      receivedPacks: 0,
      receivedCost: 0,
    })),
    total: draft.total,
    belowMinimum: draft.belowMinimum,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}
