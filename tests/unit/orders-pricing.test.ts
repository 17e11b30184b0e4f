import { UnprocessableError } from '#shared/errors';
import { allocate, evenSplit, mulDivHalfUp, ratePpm } from '../../functions/shared/money';
import { computeBill, consumptionOf, discountAmount, priceLine } from '../../functions/orders/pricing';
import { menuItem } from './fixtures/orders';

const burger = menuItem({
  itemId: 'burger',
  name: 'Burger',
  price: 1250,
  recipe: [
    { ingredientId: 'beef-patty', quantity: 1, unit: 'each' },
    { ingredientId: 'bun', quantity: 1, unit: 'each' },
  ],
  modifiers: [
    { modifierId: 'cheese', name: 'Cheese', priceDelta: 150, recipe: [{ ingredientId: 'cheddar', quantity: 0.025, unit: 'kg' }] },
    { modifierId: 'bacon', name: 'Bacon', priceDelta: 200, recipe: [{ ingredientId: 'bacon', quantity: 2, unit: 'each' }] },
    { modifierId: 'no-bun', name: 'No bun', priceDelta: -100, recipe: [] },
  ],
});
const fries = menuItem({ itemId: 'fries', name: 'Fries', price: 450, recipe: [{ ingredientId: 'potato', quantity: 0.2, unit: 'kg' }] });
const lemonade = menuItem({
  itemId: 'lemonade',
  name: 'Lemonade',
  price: 399,
  taxRate: '6',
  station: 'bar',
  recipe: [{ ingredientId: 'lemon', quantity: 0.5, unit: 'each' }],
  modifiers: [
    { modifierId: 'small', name: 'Small', priceDelta: -50, group: 'size', recipe: [] },
    { modifierId: 'large', name: 'Large', priceDelta: 100, group: 'size', recipe: [{ ingredientId: 'lemon', quantity: 0.25, unit: 'each' }] },
    { modifierId: 'mint', name: 'Mint', priceDelta: 30, recipe: [] },
  ],
});

describe('rounding primitives', () => {
  it('reads tax rates as exact decimal percentages', () => {
    expect(ratePpm('8.875')).toBe(88_750);
    expect(ratePpm('8.25')).toBe(82_500);
    expect(ratePpm('20')).toBe(200_000);
    expect(ratePpm('0')).toBe(0);
    expect(ratePpm('100')).toBe(1_000_000);
    expect(ratePpm('0.0001')).toBe(1);
  });

  it('rounds half-up (not to even) at exactly half a minor unit', () => {
    expect(mulDivHalfUp(200, ratePpm('8.25'), 1_000_000)).toBe(17); // 16.5 → 17 (banker's rounding would give 16)
    expect(mulDivHalfUp(600, ratePpm('8.25'), 1_000_000)).toBe(50); // 49.5 → 50
    expect(mulDivHalfUp(150, ratePpm('8.25'), 1_000_000)).toBe(12); // 12.375 → 12
    expect(mulDivHalfUp(1000, ratePpm('8.875'), 1_000_000)).toBe(89); // 88.75 → 89
    expect(mulDivHalfUp(400, ratePpm('8.875'), 1_000_000)).toBe(36); // 35.5 → 36
    expect(mulDivHalfUp(0, ratePpm('8.25'), 1_000_000)).toBe(0);
  });

  it('stays exact far beyond 2^53 intermediate products', () => {
    expect(mulDivHalfUp(99_999_999_999, 9_999, 10_000)).toBe(99_989_999_999); // 99_989_999_999.0001
  });

  it('allocates by largest remainder: shares add up exactly, ties go to the earlier part', () => {
    expect(allocate(505, [3200, 1350, 499])).toEqual([320, 135, 50]);
    expect(allocate(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(allocate(0, [5, 5])).toEqual([0, 0]);
    expect(allocate(7, [0, 0])).toEqual([0, 0]);
    for (const [total, weights] of [[1, [3, 3, 3]], [999, [1, 2, 3, 4, 5]], [100_000_001, [7, 11, 13]]] as const) {
      expect(allocate(total, weights).reduce((a, b) => a + b, 0)).toBe(total);
    }
  });

  it('splits evenly with the remainder on the first checks', () => {
    expect(evenSplit(4909, 3)).toEqual([1637, 1636, 1636]);
    expect(evenSplit(100, 4)).toEqual([25, 25, 25, 25]);
  });

  it('rounds a percent discount half-up and caps an amount discount at the subtotal', () => {
    const at = '2026-11-25T10:00:00.000Z';
    expect(discountAmount({ type: 'percent', percentBps: 1000, reason: 'r', by: 'u', at }, 5049)).toBe(505); // 504.9
    expect(discountAmount({ type: 'percent', percentBps: 1250, reason: 'r', by: 'u', at }, 20)).toBe(3); // 2.5 → 3
    expect(discountAmount({ type: 'amount', amount: 9000, reason: 'r', by: 'u', at }, 5049)).toBe(5049);
    expect(discountAmount(undefined, 5049)).toBe(0);
  });
});

describe('pricing lines from the menu', () => {
  it('adds modifier deltas to the item price and multiplies by the quantity', () => {
    const line = priceLine(burger, { itemId: 'burger', quantity: 2, modifierIds: ['cheese', 'bacon'] }, 'L1');
    expect(line).toMatchObject({ lineId: 'L1', unitPrice: 1600, amount: 3200, taxRate: '8.25', station: 'kitchen', status: 'pending' });
    expect(line.modifiers).toEqual([
      { modifierId: 'cheese', name: 'Cheese', priceDelta: 150 },
      { modifierId: 'bacon', name: 'Bacon', priceDelta: 200 },
    ]);
  });

  it('scales the recipe of item and modifiers by the quantity, merging one ingredient', () => {
    const line = priceLine(lemonade, { itemId: 'lemonade', quantity: 3, modifierIds: ['large'] }, 'L1');
    expect(line.consumption).toEqual([{ ingredientId: 'lemon', quantity: 2.25, unit: 'each' }]);
    expect(consumptionOf([[{ ingredientId: 'potato', quantity: 0.1, unit: 'kg' }]], 3)).toEqual([{ ingredientId: 'potato', quantity: 0.3, unit: 'kg' }]);
    const burgers = priceLine(burger, { itemId: 'burger', quantity: 3, modifierIds: ['cheese'] }, 'L1');
    expect(burgers.consumption).toEqual([
      { ingredientId: 'beef-patty', quantity: 3, unit: 'each' },
      { ingredientId: 'bun', quantity: 3, unit: 'each' },
      { ingredientId: 'cheddar', quantity: 0.075, unit: 'kg' },
    ]);
  });

  it('refuses unknown modifiers, two of one group, and a unit price below zero (422)', () => {
    expect(() => priceLine(burger, { itemId: 'burger', quantity: 1, modifierIds: ['truffle'] }, 'L1')).toThrow(UnprocessableError);
    expect(() => priceLine(lemonade, { itemId: 'lemonade', quantity: 1, modifierIds: ['small', 'large'] }, 'L1')).toThrow(/Choose one size/);
    const cheap = menuItem({ itemId: 'side', name: 'Side', price: 50, modifiers: [{ modifierId: 'none', name: 'None', priceDelta: -100, recipe: [] }] });
    expect(() => priceLine(cheap, { itemId: 'side', quantity: 1, modifierIds: ['none'] }, 'L1')).toThrow(/below zero/);
  });
});

describe('a multi-line order with modifiers, a discount and two tax rates', () => {
  const lines = [
    priceLine(burger, { itemId: 'burger', quantity: 2, modifierIds: ['cheese', 'bacon'] }, 'L1'), // 1600 × 2 = 3200
    priceLine(fries, { itemId: 'fries', quantity: 3, modifierIds: [] }, 'L2'), // 450 × 3 = 1350
    priceLine(lemonade, { itemId: 'lemonade', quantity: 1, modifierIds: ['large'] }, 'L3'), // 499, 6 % tax
  ];
  const tenPercent = { type: 'percent' as const, percentBps: 1000, reason: 'regular', by: 'manager', at: '2026-11-25T10:00:00.000Z' };

  it('spreads the discount over the lines and taxes each line after its share, half-up', () => {
    const bill = computeBill(lines, tenPercent);
    expect(bill.subtotal).toBe(5049);
    expect(bill.discount).toBe(505); // 504.9 → 505
    expect(bill.lines.map((l) => l.discount)).toEqual([320, 135, 50]); // largest remainder: 320.06, 135.03, 49.91
    // (3200−320)×8.25 % = 237.6 → 238; (1350−135)×8.25 % = 100.2375 → 100; (499−50)×6 % = 26.94 → 27
    expect(bill.lines.map((l) => l.tax)).toEqual([238, 100, 27]);
    expect(bill.tax).toBe(365);
    expect(bill.due).toBe(5049 - 505 + 365);
  });

  it('without a discount, taxes each full line', () => {
    const bill = computeBill(lines, undefined);
    expect(bill.lines.map((l) => l.tax)).toEqual([264, 111, 30]); // 264, 111.375 → 111, 29.94 → 30
    expect(bill.due).toBe(5049 + 405);
  });
});
