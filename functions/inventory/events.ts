// Events of the inventory domain, built from its records and checked against their contract in
// #shared/contracts/inventory (docs/events.md) before they go into the outbox. This slice publishes the ledger:
// one `inventory.movement-recorded` per movement, its id `movement:{movementId}`, so a retried decision publishes
// the same id; and auto-86's word, `availability:{menuItemId}:v{version}` (availability.ts). Quantities leave as decimals of the base unit (milli-base units / 1000, exact to 3 decimals).
import { inventoryAlertsContract, inventoryContract } from '#shared/contracts/inventory';
import { buildEvent, type EventEnvelope } from '#shared/events';
import type { MenuRecipe, Shortage } from './auto-86-rules';
import type { HoldRecord } from './hold-schemas';
import type { ItemAssessment } from './low-stock-rules';
import type { ItemRecord, MovementRecord, PurchaseOrderRecord } from './schemas';
import { MILLI, type BaseUnit } from './units';

const decimal = (milli: number) => milli / MILLI;

export function movementRecorded(movement: MovementRecord, item: Pick<ItemRecord, 'name' | 'baseUnit'>, averageCost: number, correlationId: string): EventEnvelope {
  return buildEvent({
    id: `movement:${movement.movementId}`,
    type: 'inventory.movement-recorded',
    source: inventoryContract.source,
    siteId: movement.siteId,
    correlationId,
    occurredAt: new Date(movement.at),
    data: {
      movementId: movement.movementId,
      kind: movement.kind,
      itemId: movement.itemId,
      itemName: item.name,
      unit: item.baseUnit,
      changes: movement.changes.map((c) => ({ location: c.location, before: decimal(c.before), after: decimal(c.after) })),
      value: movement.value,
      averageCost,
      ...(movement.reason === undefined ? {} : { reason: movement.reason }),
      ...(movement.orderId === undefined ? {} : { orderId: movement.orderId }),
      ...(movement.purchaseOrderId === undefined ? {} : { purchaseOrderId: movement.purchaseOrderId }),
      by: movement.by,
      at: movement.at,
    },
  });
}

const availabilityId = (menuItemId: string, version: number) => `availability:${menuItemId}:v${version}`;

/** Stock can no longer make one portion of `menu`: orders 86es it with reason out-of-stock. */
export function itemUnavailable(siteId: string, shortage: Shortage, units: ReadonlyMap<string, BaseUnit>, version: number, correlationId: string): EventEnvelope {
  return buildEvent({
    id: availabilityId(shortage.menuItemId, version),
    type: 'inventory.item-unavailable',
    source: inventoryContract.source,
    siteId,
    correlationId,
    data: {
      menuItemId: shortage.menuItemId,
      name: shortage.name,
      version,
      reason: 'out-of-stock',
      short: shortage.short.map((s) => ({ ingredientId: s.ingredientId, unit: units.get(s.ingredientId)!, perPortion: decimal(s.perPortion), onHand: decimal(s.onHand) })),
    },
  });
}

/** A menu item inventory took off can be made again. */
export function itemAvailable(siteId: string, menu: Pick<MenuRecipe, 'menuItemId' | 'name'>, version: number, correlationId: string): EventEnvelope {
  return buildEvent({
    id: availabilityId(menu.menuItemId, version),
    type: 'inventory.item-available',
    source: inventoryContract.source,
    siteId,
    correlationId,
    data: { menuItemId: menu.menuItemId, name: menu.name, version },
  });
}

/** A location's stock is held for food safety (hold-rules.ts); id `stock-held:{holdId}`. */
export function stockHeld(hold: HoldRecord, correlationId: string): EventEnvelope {
  return buildEvent({
    id: `stock-held:${hold.holdId}`,
    type: 'inventory.stock-held',
    source: inventoryAlertsContract.source,
    siteId: hold.siteId,
    correlationId,
    occurredAt: new Date(hold.heldAt),
    data: {
      severity: 'warning',
      holdId: hold.holdId,
      location: hold.location,
      ...(hold.locationName === undefined ? {} : { locationName: hold.locationName }),
      cause: hold.cause,
      reason: hold.reason,
      ...(hold.incidentId === undefined ? {} : { incidentId: hold.incidentId }),
      ...(hold.deviceId === undefined ? {} : { deviceId: hold.deviceId }),
      items: hold.items.map((i) => ({ itemId: i.itemId, itemName: i.itemName, unit: i.unit, quantity: decimal(i.quantity) })),
      value: hold.value,
      heldBy: hold.heldBy,
      heldAt: hold.heldAt,
    },
  });
}

// --- purchase orders: `purchase-order:{purchaseOrderId}:v{version}`, one per version, so a retry publishes the same id.

function purchaseOrderData(po: PurchaseOrderRecord, supplierName: string) {
  return {
    purchaseOrderId: po.purchaseOrderId,
    supplierId: po.supplierId,
    supplierName,
    lines: po.lines.map((l) => ({ lineId: l.lineId, itemId: l.itemId, packUnit: l.packUnit, packSize: decimal(l.packSize), packs: l.packs, packPrice: l.packPrice, receivedPacks: l.receivedPacks })),
    total: po.total,
    version: po.version,
  };
}

/** The envelope of a PO's event at its version, with the PO's lines and whatever the event type adds. */
function purchaseOrderEvent(type: string, po: PurchaseOrderRecord, supplierName: string, more: Record<string, unknown>, correlationId: string): EventEnvelope {
  const data = { ...purchaseOrderData(po, supplierName), ...more };
  return buildEvent({ id: `purchase-order:${po.purchaseOrderId}:v${po.version}`, type, source: inventoryContract.source, siteId: po.siteId, correlationId, data });
}

/** Sent to the supplier: the order itself goes out through notifications, which consume this event. */
export function purchaseOrderSent(po: PurchaseOrderRecord, supplierName: string, deliveryDate: string, sentBy: string, correlationId: string): EventEnvelope {
  return purchaseOrderEvent('inventory.purchase-order-sent', po, supplierName, { deliveryDate, sentBy }, correlationId);
}

/** What a receipt (or closing short: nothing received, no flags) did to the PO. */
export interface ReceivedSummary {
  receivedCost: number;
  priceDifference: number;
  substitutions: number;
  overReceived: string[];
  receivedBy: string;
}

export function purchaseOrderReceived(po: PurchaseOrderRecord, supplierName: string, summary: ReceivedSummary, correlationId: string): EventEnvelope {
  if (po.status !== 'received' && po.status !== 'partially-received') throw new Error(`purchase order ${po.purchaseOrderId} is ${po.status}, not received`);
  return purchaseOrderEvent('inventory.purchase-order-received', po, supplierName, { status: po.status, ...summary }, correlationId);
}

/** A draft made from low stock (purchase-drafts.ts), for a manager to review. */
export function purchaseOrderDrafted(po: PurchaseOrderRecord, supplierName: string, minimumOrderValue: number, correlationId: string): EventEnvelope {
  return buildEvent({
    id: `purchase-order:${po.purchaseOrderId}:v${po.version}`,
    type: 'inventory.purchase-order-drafted',
    source: inventoryContract.source,
    siteId: po.siteId,
    correlationId,
    occurredAt: new Date(po.createdAt),
    data: { ...purchaseOrderData(po, supplierName), belowMinimum: po.belowMinimum, minimumOrderValue },
  });
}

// --- low stock, on the alerts topic (low-stock-publishing.ts): `low-stock:{itemId}:{episode}` once per episode,
// `stock-restored:{itemId}:{episode}` when it ends.

type StockItem = Pick<ItemRecord, 'siteId' | 'itemId' | 'name' | 'baseUnit'>;

export function lowStock(item: StockItem, episode: number, assessment: ItemAssessment, correlationId: string, at: number): EventEnvelope {
  const { delivery } = assessment;
  return buildEvent({
    id: `low-stock:${item.itemId}:${episode}`,
    type: 'inventory.low-stock',
    source: inventoryAlertsContract.source,
    siteId: item.siteId,
    correlationId,
    occurredAt: new Date(at),
    data: {
      severity: 'warning',
      itemId: item.itemId,
      itemName: item.name,
      unit: item.baseUnit,
      episode,
      onHand: decimal(assessment.onHand),
      reorderPoint: decimal(assessment.reorderPoint),
      neededUntilDelivery: decimal(assessment.neededUntilDelivery),
      runsOutAt: assessment.runsOutAt === undefined ? null : new Date(assessment.runsOutAt).toISOString(),
      nextDelivery: delivery
        ? { supplierId: delivery.supplierId, supplierName: delivery.supplierName, orderBy: new Date(delivery.orderBy).toISOString(), deliveryDate: delivery.deliveryDate }
        : null,
    },
  });
}

export function stockRestored(item: StockItem, episode: number, onHand: number, lowSince: number, correlationId: string, at: number): EventEnvelope {
  return buildEvent({
    id: `stock-restored:${item.itemId}:${episode}`,
    type: 'inventory.stock-restored',
    source: inventoryAlertsContract.source,
    siteId: item.siteId,
    correlationId,
    occurredAt: new Date(at),
    data: { severity: 'info', itemId: item.itemId, itemName: item.name, unit: item.baseUnit, episode, onHand: decimal(onHand), lowSince: new Date(lowSince).toISOString() },
  });
}
