import { ConflictError, UnprocessableError } from '#shared/errors';
import { assertOrderable, changeAvailability, takeFromMenu, takePortions } from '../../functions/orders/menu-rules';
import { menuItem, NOW } from './fixtures/orders';

const soup = menuItem({ itemId: 'soup', name: 'Soup of the day', price: 700, remaining: 5 });
const bread = menuItem({ itemId: 'bread', name: 'Bread', price: 300 });

describe('what may be ordered', () => {
  it('an unknown item is the client’s mistake (422); an inactive or 86’d one a 409 saying why', () => {
    expect(() => assertOrderable(undefined, 'ghost')).toThrow(UnprocessableError);
    expect(() => assertOrderable({ ...bread, active: false }, 'bread')).toThrow(/not on the menu/);
    const manual = { ...bread, eightySixed: true, eightySixedReason: 'manual' as const };
    expect(() => assertOrderable(manual, 'bread')).toThrow(ConflictError);
    try {
      assertOrderable({ ...soup, eightySixed: true, eightySixedReason: 'sold-out', remaining: 0 }, 'soup');
    } catch (error) {
      expect(error).toMatchObject({ statusCode: 409, message: "Soup of the day is 86'd (sold out)", details: { itemId: 'soup', reason: '86d' } });
    }
    expect.assertions(4);
  });
});

describe('the countdown', () => {
  it('takes portions and bumps the version, with no event while some are left', () => {
    const taken = takePortions(soup, 2, NOW)!;
    expect(taken.next).toMatchObject({ remaining: 3, eightySixed: false, version: 2 });
    expect(taken.events).toEqual([]);
  });

  it('86’s the item at exactly zero, with menu.item-86d (sold-out)', () => {
    const taken = takePortions(soup, 5, NOW)!;
    expect(taken.next).toMatchObject({ remaining: 0, eightySixed: true, eightySixedReason: 'sold-out' });
    expect(taken.events).toEqual([{ type: 'menu.item-86d', data: { itemId: 'soup', name: 'Soup of the day', reason: 'sold-out', version: 2 } }]);
  });

  it('refuses more than is left (409) and ignores items without a countdown', () => {
    expect(() => takePortions(soup, 6, NOW)).toThrow(/Only 5 Soup of the day left/);
    expect(takePortions(bread, 50, NOW)).toBeUndefined();
  });

  it('prices an order’s lines and pins every item it relies on, counting one item over several lines', () => {
    const items = new Map([['soup', soup], ['bread', bread]]);
    const taken = takeFromMenu(items, [
      { itemId: 'soup', quantity: 2, modifierIds: [] },
      { itemId: 'bread', quantity: 1, modifierIds: [] },
      { itemId: 'soup', quantity: 3, modifierIds: [] },
    ], 4, NOW);
    expect(taken.lines.map((l) => [l.lineId, l.itemId, l.amount])).toEqual([['L4', 'soup', 1400], ['L5', 'bread', 300], ['L6', 'soup', 2100]]);
    expect(taken.menu).toEqual([{ item: soup, next: expect.objectContaining({ remaining: 0, eightySixed: true }) }, { item: bread }]);
    expect(taken.events.map((e) => e.type)).toEqual(['menu.item-86d']);
    expect(() => takeFromMenu(items, [{ itemId: 'soup', quantity: 4, modifierIds: [] }, { itemId: 'soup', quantity: 2, modifierIds: [] }], 1, NOW)).toThrow(ConflictError);
  });
});

describe('86 and restore by hand', () => {
  it('86’ing publishes menu.item-86d (manual); doing it again changes nothing', () => {
    const change = changeAvailability(bread, { available: false }, NOW)!;
    expect(change.next).toMatchObject({ eightySixed: true, eightySixedReason: 'manual', version: 2 });
    expect(change.events).toEqual([{ type: 'menu.item-86d', data: { itemId: 'bread', name: 'Bread', reason: 'manual', version: 2 } }]);
    expect(changeAvailability(change.next, { available: false }, NOW)).toBeUndefined();
  });

  it('restoring publishes menu.item-restored with the new countdown, or none', () => {
    const soldOut = takePortions(soup, 5, NOW)!.next;
    const restocked = changeAvailability(soldOut, { available: true, remaining: 8 }, NOW)!;
    expect(restocked.next).toMatchObject({ eightySixed: false, remaining: 8 });
    expect(restocked.next.eightySixedReason).toBeUndefined();
    expect(restocked.events).toEqual([{ type: 'menu.item-restored', data: { itemId: 'soup', name: 'Soup of the day', remaining: 8, version: 3 } }]);
    // A sold-out zero is not carried back: restoring without a count means no countdown.
    const uncounted = changeAvailability(soldOut, { available: true }, NOW)!;
    expect(uncounted.next.remaining).toBeUndefined();
    expect(uncounted.events[0]).toMatchObject({ data: { remaining: null } });
  });

  it('a manual 86 keeps the count for when it comes back', () => {
    const off = changeAvailability(soup, { available: false }, NOW)!.next;
    expect(changeAvailability(off, { available: true }, NOW)!.next.remaining).toBe(5);
  });

  it('on an available item, setting or dropping the countdown publishes nothing', () => {
    const counted = changeAvailability(bread, { available: true, remaining: 12 }, NOW)!;
    expect(counted.next).toMatchObject({ remaining: 12, version: 2 });
    expect(counted.events).toEqual([]);
    const dropped = changeAvailability(soup, { available: true, remaining: null }, NOW)!;
    expect(dropped.next.remaining).toBeUndefined();
    expect(changeAvailability(bread, { available: true }, NOW)).toBeUndefined();
  });
});
