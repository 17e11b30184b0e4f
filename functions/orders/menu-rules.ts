// Menu availability, pure: what may be ordered, the 86 countdown, manual 86 / restore, inventory's 86 / restore
// (out of stock), and when a manager's change of an item is news for other domains (menu.item-changed).
import { ConflictError, UnprocessableError } from '#shared/errors';
import { menuItemChangedData, type EventSpec } from './events';
import { lineIdFor } from './order-rules';
import { priceLine } from './pricing';
import type { AvailabilityInput, LineInput, MenuItemRecord, OrderLine } from './schemas';

/** A menu item an order relies on: checked unchanged (same version) or replaced (countdown) in the order's transaction. */
export interface MenuWrite {
  item: MenuItemRecord;
  next?: MenuItemRecord;
}

export const isAvailable = (item: MenuItemRecord) => item.active && !item.eightySixed;

/** An unknown id is the client's mistake (422); an item that exists but cannot be sold now is a 409 with the reason. */
export function assertOrderable(item: MenuItemRecord | undefined, itemId: string): MenuItemRecord {
  if (!item) throw new UnprocessableError(`Unknown menu item ${itemId}`, { itemId });
  if (!item.active) throw new ConflictError(`${item.name} is not on the menu`, { itemId, reason: 'inactive' });
  if (item.eightySixed) {
    const why = item.eightySixedReason === 'sold-out' ? 'sold out' : 'out of stock';
    throw new ConflictError(`${item.name} is 86'd (${why})`, { itemId, reason: '86d', eightySixedReason: item.eightySixedReason });
  }
  return item;
}

/**
 * Prices new lines from the menu as read and works out what the order does to it: every item must be
 * orderable, counted items lose the portions (86'd at zero), and every item is pinned to the version priced.
 * Each line records its item's category with the name it has in `categoryNames`.
 */
export function takeFromMenu(
  items: ReadonlyMap<string, MenuItemRecord>,
  inputs: readonly LineInput[],
  firstLineNumber: number,
  now: string,
  categoryNames: ReadonlyMap<string, string> = new Map(),
): { lines: OrderLine[]; menu: MenuWrite[]; events: EventSpec[] } {
  const lines = inputs.map((input, i) => {
    const item = assertOrderable(items.get(input.itemId), input.itemId);
    return priceLine(item, input, lineIdFor(firstLineNumber + i), categoryNames.get(item.categoryId));
  });
  const quantities = new Map<string, number>();
  for (const line of lines) quantities.set(line.itemId, (quantities.get(line.itemId) ?? 0) + line.quantity);
  const menu: MenuWrite[] = [];
  const events: EventSpec[] = [];
  for (const [itemId, quantity] of quantities) {
    const item = items.get(itemId)!;
    const taken = takePortions(item, quantity, now);
    menu.push({ item, ...(taken ? { next: taken.next } : {}) });
    if (taken) events.push(...taken.events);
  }
  return { lines, menu, events };
}

/**
 * Takes `quantity` portions off a counted item. Undefined for an item without a countdown. The change that
 * takes the count to zero 86's the item and carries its `menu.item-86d` event.
 */
export function takePortions(
  item: MenuItemRecord,
  quantity: number,
  now: string,
): { next: MenuItemRecord; events: EventSpec[] } | undefined {
  if (item.remaining === undefined) return undefined;
  if (quantity > item.remaining) {
    throw new ConflictError(`Only ${item.remaining} ${item.name} left`, { itemId: item.itemId, reason: 'insufficient', remaining: item.remaining });
  }
  const remaining = item.remaining - quantity;
  const soldOut = remaining === 0;
  const next: MenuItemRecord = {
    ...item,
    remaining,
    ...(soldOut ? { eightySixed: true, eightySixedReason: 'sold-out' as const } : {}),
    updatedAt: now,
    version: item.version + 1,
  };
  return {
    next,
    events: soldOut ? [{ type: 'menu.item-86d', data: { itemId: item.itemId, name: item.name, reason: 'sold-out', version: next.version } }] : [],
  };
}

/** Manual 86 or restore (with or without a new countdown). Undefined when nothing changes. */
export function changeAvailability(
  item: MenuItemRecord,
  input: AvailabilityInput,
  now: string,
): { next: MenuItemRecord; events: EventSpec[] } | undefined {
  const version = item.version + 1;
  if (!input.available) {
    // A manager 86'ing an item inventory took off makes it theirs: stock coming back no longer restores it.
    if (item.eightySixed && item.eightySixedReason !== 'out-of-stock') return undefined;
    const next: MenuItemRecord = { ...item, eightySixed: true, eightySixedReason: 'manual', updatedAt: now, version };
    return { next, events: [{ type: 'menu.item-86d', data: { itemId: item.itemId, name: item.name, reason: 'manual', version } }] };
  }
  // A sold-out count of zero is not carried back: restoring without a new count means "no countdown".
  const keptCount = item.remaining !== undefined && item.remaining > 0 ? item.remaining : undefined;
  const remaining = input.remaining === undefined ? keptCount : (input.remaining ?? undefined);
  if (!item.eightySixed && remaining === item.remaining) return undefined;
  const { eightySixedReason: _reason, remaining: _count, ...rest } = item;
  const next: MenuItemRecord = { ...rest, eightySixed: false, ...(remaining === undefined ? {} : { remaining }), updatedAt: now, version };
  const events: EventSpec[] = item.eightySixed
    ? [{ type: 'menu.item-restored', data: { itemId: item.itemId, name: item.name, remaining: remaining ?? null, version } }]
    : [];
  return { next, events };
}

/** Inventory's events orders applies; mirrors the filter policy of applyStockAvailability in functions.yml. */
export const STOCK_AVAILABILITY_EVENTS = ['inventory.item-unavailable', 'inventory.item-available'] as const;

/** What inventory says of a menu item: it can no longer make a portion, or it can again; with its version there. */
export interface StockSignal {
  available: boolean;
  version: number;
}

/**
 * Inventory's word on an item (inventory.item-unavailable / item-available), applied only if newer than the last
 * one applied: delivery is unordered, and an older word would undo a newer one. Unavailable 86'es an item that is
 * on ('out-of-stock'); available restores only an item still off for 'out-of-stock', never one a manager 86'd or
 * that sold out on its countdown. A newer word that changes nothing is still recorded (`stockVersion`), so an
 * older one arriving after it is ignored. Undefined for a stale or repeated word: nothing to write.
 */
export function applyStockSignal(item: MenuItemRecord, signal: StockSignal, now: string): { next: MenuItemRecord; events: EventSpec[] } | undefined {
  if (item.stockVersion !== undefined && signal.version <= item.stockVersion) return undefined;
  const version = item.version + 1;
  const recorded: MenuItemRecord = { ...item, stockVersion: signal.version, updatedAt: now, version };
  if (!signal.available && !item.eightySixed) {
    const next: MenuItemRecord = { ...recorded, eightySixed: true, eightySixedReason: 'out-of-stock' };
    return { next, events: [{ type: 'menu.item-86d', data: { itemId: item.itemId, name: item.name, reason: 'out-of-stock', version } }] };
  }
  if (signal.available && item.eightySixed && item.eightySixedReason === 'out-of-stock') {
    // The countdown it had (portions left when stock ran out) comes back with it.
    const { eightySixedReason: _reason, ...rest } = recorded;
    const next: MenuItemRecord = { ...rest, eightySixed: false };
    return { next, events: [{ type: 'menu.item-restored', data: { itemId: item.itemId, name: item.name, remaining: item.remaining ?? null, version } }] };
  }
  return { next: recorded, events: [] };
}

/**
 * menu.item-changed for a manager's change of an item (`before` undefined: created), when what it says changed:
 * the name, `active`, or a recipe. A price or description change is nobody else's news.
 */
export function itemChangeEvents(before: MenuItemRecord | undefined, after: MenuItemRecord): EventSpec[] {
  const said = (item: MenuItemRecord) => JSON.stringify({ ...menuItemChangedData(item), version: 0 });
  if (before && said(before) === said(after)) return [];
  return [{ type: 'menu.item-changed', data: menuItemChangedData(after) }];
}
