// Inventory's word on menu items (inventory.item-unavailable / item-available), as orders applies it: newer
// versions only, 86 for `out-of-stock`, restore only what inventory took off; and menu.item-changed, the recipes
// orders tells inventory about.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { applyStockSignal, assertOrderable, changeAvailability, itemChangeEvents, STOCK_AVAILABILITY_EVENTS, takePortions } from '../../functions/orders/menu-rules';
import type { MenuItemRecord } from '../../functions/orders/schemas';
import { menuItem, NOW } from './fixtures/orders';

const burger = menuItem({
  itemId: 'burger',
  name: 'Burger',
  price: 1250,
  version: 4,
  recipe: [{ ingredientId: 'beef-patty', quantity: 1, unit: 'each' }],
  modifiers: [
    { modifierId: 'cheese', name: 'Cheese', priceDelta: 150, recipe: [{ ingredientId: 'cheddar', quantity: 25, unit: 'g' }] },
    { modifierId: 'bacon', name: 'Bacon', priceDelta: 200, recipe: [] },
  ],
});
const unavailable = (version: number) => ({ available: false, version });
const available = (version: number) => ({ available: true, version });

/** Applies each word in turn, as the consumer would, keeping what it writes. */
function apply(item: MenuItemRecord, ...signals: Array<{ available: boolean; version: number }>) {
  let current = item;
  const events = [];
  for (const signal of signals) {
    const change = applyStockSignal(current, signal, NOW);
    if (!change) continue;
    current = change.next;
    events.push(...change.events);
  }
  return { item: current, events };
}

describe("inventory's word on a menu item", () => {
  it("unavailable 86'es an item that is on (out-of-stock) and it cannot be ordered; available restores it", () => {
    const off = applyStockSignal(burger, unavailable(3), NOW)!;
    expect(off.next).toMatchObject({ eightySixed: true, eightySixedReason: 'out-of-stock', stockVersion: 3, version: 5 });
    expect(off.events).toEqual([{ type: 'menu.item-86d', data: { itemId: 'burger', name: 'Burger', reason: 'out-of-stock', version: 5 } }]);
    expect(() => assertOrderable(off.next, 'burger')).toThrow("Burger is 86'd (out of stock)");
    const back = applyStockSignal(off.next, available(4), NOW)!;
    expect(back.next).toMatchObject({ eightySixed: false, stockVersion: 4, version: 6 });
    expect(back.next.eightySixedReason).toBeUndefined();
    expect(back.events).toEqual([{ type: 'menu.item-restored', data: { itemId: 'burger', name: 'Burger', remaining: null, version: 6 } }]);
  });

  it('a replayed or older word changes nothing, whichever order they arrive in', () => {
    const off = applyStockSignal(burger, unavailable(3), NOW)!.next;
    expect(applyStockSignal(off, unavailable(3), NOW)).toBeUndefined();
    expect(applyStockSignal(off, available(2), NOW)).toBeUndefined();
    // Delivered out of order: available v4 before unavailable v3 leaves the item on.
    const reordered = apply(burger, available(4), unavailable(3));
    expect(reordered.item).toMatchObject({ eightySixed: false, stockVersion: 4 });
    expect(reordered.events).toEqual([]);
  });

  it("never restores an item a manager 86'd by hand, or one that sold out on its countdown", () => {
    const manual = changeAvailability(burger, { available: false }, NOW)!.next;
    const afterStock = apply(manual, unavailable(1), available(2));
    expect(afterStock.item).toMatchObject({ eightySixed: true, eightySixedReason: 'manual', stockVersion: 2 });
    expect(afterStock.events).toEqual([]);

    const soldOut = takePortions({ ...burger, remaining: 1 }, 1, NOW)!.next;
    expect(apply(soldOut, unavailable(1), available(2)).item).toMatchObject({ eightySixed: true, eightySixedReason: 'sold-out' });
  });

  it("a manager 86'ing an item inventory took off makes it theirs: stock coming back does not restore it", () => {
    const off = applyStockSignal(burger, unavailable(1), NOW)!.next;
    const byHand = changeAvailability(off, { available: false }, NOW)!;
    expect(byHand.next).toMatchObject({ eightySixedReason: 'manual' });
    expect(byHand.events).toEqual([{ type: 'menu.item-86d', data: { itemId: 'burger', name: 'Burger', reason: 'manual', version: off.version + 1 } }]);
    expect(apply(byHand.next, available(2)).item).toMatchObject({ eightySixed: true, eightySixedReason: 'manual' });
  });

  it('a manager may restore an out-of-stock item by hand; inventory 86es it again only with a newer word', () => {
    const off = applyStockSignal(burger, unavailable(1), NOW)!.next;
    const restored = changeAvailability(off, { available: true }, NOW)!.next;
    expect(restored).toMatchObject({ eightySixed: false });
    expect(apply(restored, unavailable(1)).item.eightySixed).toBe(false);
    expect(apply(restored, unavailable(2)).item).toMatchObject({ eightySixed: true, eightySixedReason: 'out-of-stock' });
  });

  it('an item that is already on, or already off, only records the newer version (so an older word stays ignored)', () => {
    const on = applyStockSignal(burger, available(5), NOW)!;
    expect(on.events).toEqual([]);
    expect(on.next).toMatchObject({ eightySixed: false, stockVersion: 5, version: 5 });
    const manual = changeAvailability(burger, { available: false }, NOW)!.next;
    expect(applyStockSignal(manual, unavailable(1), NOW)).toMatchObject({ events: [], next: { eightySixedReason: 'manual', stockVersion: 1 } });
  });

  it('a counted item keeps its countdown through an out-of-stock 86 and back', () => {
    const counted = { ...burger, remaining: 7 };
    const back = apply(counted, unavailable(1), available(2));
    expect(back.item).toMatchObject({ eightySixed: false, remaining: 7 });
    expect(back.events[1]).toMatchObject({ type: 'menu.item-restored', data: { remaining: 7 } });
  });

  it('the consumer takes exactly the types its filter policy lets through', () => {
    const functions = parse(readFileSync(join(__dirname, '../../functions/orders/functions.yml'), 'utf8'));
    const filter = functions.applyStockAvailability.events[0].sns.filterPolicy.type;
    expect([...filter].sort()).toEqual([...STOCK_AVAILABILITY_EVENTS].sort());
  });
});

describe('menu.item-changed', () => {
  it('a created item publishes its recipes: one portion, and each modifier with its own', () => {
    expect(itemChangeEvents(undefined, burger)).toEqual([
      {
        type: 'menu.item-changed',
        data: {
          itemId: 'burger',
          name: 'Burger',
          active: true,
          recipe: [{ ingredientId: 'beef-patty', quantity: 1, unit: 'each' }],
          modifiers: [
            { modifierId: 'cheese', recipe: [{ ingredientId: 'cheddar', quantity: 25, unit: 'g' }] },
            { modifierId: 'bacon', recipe: [] },
          ],
          version: 4,
        },
      },
    ]);
  });

  it('a change of name, recipe, modifier recipe or active publishes; a price, description or 86 change does not', () => {
    const next = (fields: Partial<MenuItemRecord>) => ({ ...burger, ...fields, version: burger.version + 1 });
    const published = (fields: Partial<MenuItemRecord>) => itemChangeEvents(burger, next(fields)).map((e) => e.data.version);
    expect(published({ active: false })).toEqual([5]);
    expect(published({ name: 'Smash burger' })).toEqual([5]);
    expect(published({ recipe: [{ ingredientId: 'beef-patty', quantity: 2, unit: 'each' }] })).toEqual([5]);
    expect(published({ modifiers: [burger.modifiers[0]!] })).toEqual([5]);
    expect(published({ price: 1350, description: 'Two patties' })).toEqual([]);
    expect(published({ eightySixed: true, eightySixedReason: 'manual' })).toEqual([]);
  });
});
