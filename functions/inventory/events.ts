// Events of the inventory domain, built from its records and checked against their contract in
// #shared/contracts/inventory (docs/events.md) before they go into the outbox. This slice publishes the ledger:
// one `inventory.movement-recorded` per movement, its id `movement:{movementId}`, so a retried decision publishes
// the same id; and auto-86's word, `availability:{menuItemId}:v{version}` (availability.ts). Quantities leave as decimals of the base unit (milli-base units / 1000, exact to 3 decimals).
import { inventoryContract } from '#shared/contracts/inventory';
import { buildEvent, type EventEnvelope } from '#shared/events';
import type { MenuRecipe, Shortage } from './auto-86-rules';
import type { ItemRecord, MovementRecord } from './schemas';
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
