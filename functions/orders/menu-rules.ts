// Menu availability, pure: what may be ordered, the 86 countdown, and manual 86 / restore.
import { ConflictError, UnprocessableError } from '#shared/errors';
import type { EventSpec } from './events';
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
 */
export function takeFromMenu(
  items: ReadonlyMap<string, MenuItemRecord>,
  inputs: readonly LineInput[],
  firstLineNumber: number,
  now: string,
): { lines: OrderLine[]; menu: MenuWrite[]; events: EventSpec[] } {
  const lines = inputs.map((input, i) => priceLine(assertOrderable(items.get(input.itemId), input.itemId), input, lineIdFor(firstLineNumber + i)));
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
    if (item.eightySixed) return undefined;
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
