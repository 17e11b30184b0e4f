import { BadRequestError, ConflictError, UnprocessableError } from '#shared/errors';
import {
  applyMovement,
  applyMovements,
  ArchivedItemError,
  averageAfterReceipt,
  COST_UNIT_QUANTITY,
  NegativeStockError,
  totalOnHand,
  valueAt,
  type ItemStock,
  type Movement,
} from '../../functions/inventory/ledger-rules';
import { MAX_QUANTITY } from '../../functions/inventory/units';

const KG = 1_000_000; // milli-grams in a kilogram
const stock = (onHand: Record<string, number> = {}, averageCost = 0, archived = false): ItemStock => ({
  itemId: 'flour',
  baseUnit: 'g',
  archived,
  averageCost,
  onHand,
});

describe('receive', () => {
  it('adds to the location and sets the average cost from an empty stock: minor units per 1 000 base units', () => {
    const applied = applyMovement(stock(), { kind: 'receive', location: 'dry-store', quantity: 6 * KG, cost: 1140 });
    expect(applied.stock.onHand).toEqual({ 'dry-store': 6 * KG });
    expect(applied.stock.averageCost).toBe(190); // 11.40 for 6 kg = 1.90 per kg
    expect(applied.changes).toEqual([{ location: 'dry-store', before: 0, after: 6 * KG }]);
    expect(applied.value).toBe(1140);
    expect(applied).toMatchObject({ variance: 0, oversold: false });
  });

  it('weights the average by quantity over every location', () => {
    const applied = applyMovement(stock({ 'dry-store': 4 * KG, bar: 2 * KG }, 190), { kind: 'receive', location: 'bar', quantity: 4 * KG, cost: 1000 });
    expect(applied.stock.averageCost).toBe(214); // (6 kg × 1.90 + 10.00) / 10 kg
    expect(applied.stock.onHand).toEqual({ 'dry-store': 4 * KG, bar: 6 * KG });
  });

  it('rounds the average half-up', () => {
    expect(averageAfterReceipt(stock(), 3 * KG, 1)).toBe(0); // 0.333…
    expect(averageAfterReceipt(stock(), 3 * KG, 2)).toBe(1); // 0.666…
    expect(averageAfterReceipt(stock({ a: KG }, 1), KG, 0)).toBe(1); // 0.5
    expect(averageAfterReceipt(stock({ a: 3 * KG }, 1), KG, 0)).toBe(1); // 0.75
    expect(averageAfterReceipt(stock({ a: KG }, 1), 2 * KG, 0)).toBe(0); // 0.333…
  });

  it('takes the receipt cost when nothing is on hand, or the item was oversold', () => {
    expect(averageAfterReceipt(stock({ a: 0 }, 500), KG, 300)).toBe(300);
    const applied = applyMovement(stock({ a: -2 * KG }, 500), { kind: 'receive', location: 'a', quantity: KG, cost: 300 });
    expect(applied.stock.averageCost).toBe(300);
    expect(applied.stock.onHand).toEqual({ a: -KG }); // raising stock is always taken, even if it stays below zero
  });

  it('is exact for large quantities and prices', () => {
    expect(averageAfterReceipt(stock({ a: MAX_QUANTITY / 2 }, 99_999), MAX_QUANTITY / 2, 100_000_000)).toBe(Math.round((99_999 + 100_000_000 * COST_UNIT_QUANTITY / (MAX_QUANTITY / 2)) / 2));
  });

  it('refuses an archived item (409), and a negative or fractional cost (400)', () => {
    expect(() => applyMovement(stock({}, 0, true), { kind: 'receive', location: 'a', quantity: KG, cost: 1 })).toThrow(ArchivedItemError);
    expect(() => applyMovement(stock(), { kind: 'receive', location: 'a', quantity: KG, cost: -1 })).toThrow(BadRequestError);
    expect(() => applyMovement(stock(), { kind: 'receive', location: 'a', quantity: KG, cost: 1.5 })).toThrow(BadRequestError);
  });
});

describe('count', () => {
  it('replaces on-hand and books the difference as unexplained loss, valued at the average cost', () => {
    const applied = applyMovement(stock({ a: 5 * KG, b: KG }, 200), { kind: 'count', location: 'a', counted: 4_500_000 });
    expect(applied.stock.onHand).toEqual({ a: 4_500_000, b: KG });
    expect(applied.variance).toBe(-500_000);
    expect(applied.value).toBe(100); // 0.5 kg at 2.00 per kg
  });

  it('books a gain the same way, and takes zero', () => {
    expect(applyMovement(stock({ a: KG }, 200), { kind: 'count', location: 'a', counted: 3 * KG })).toMatchObject({ variance: 2 * KG, value: 400 });
    expect(applyMovement(stock({ a: KG }, 200), { kind: 'count', location: 'a', counted: 0 }).stock.onHand).toEqual({ a: 0 });
    expect(applyMovement(stock({ a: -KG }, 200), { kind: 'count', location: 'a', counted: 0 })).toMatchObject({ variance: KG, value: 200 });
  });

  it('refuses an archived item with a 409 naming it', () => {
    const run = () => applyMovement(stock({ a: KG }, 0, true), { kind: 'count', location: 'a', counted: 0 });
    expect(run).toThrow(ArchivedItemError);
    expect(run).toThrow('flour is archived; it takes no count');
    expect(run).toThrow(ConflictError);
  });
});

describe('waste', () => {
  it('takes stock off with its reason, valued at the average cost', () => {
    const applied = applyMovement(stock({ a: 2 * KG }, 300), { kind: 'waste', location: 'a', quantity: 500_000, reason: 'spoiled' });
    expect(applied.stock.onHand).toEqual({ a: 1_500_000 });
    expect(applied.value).toBe(150);
  });

  it('never takes stock below zero (409 saying what is there)', () => {
    const run = () => applyMovement(stock({ a: 500_000 }, 300), { kind: 'waste', location: 'a', quantity: 600_000, reason: 'dropped' });
    expect(run).toThrow(NegativeStockError);
    expect(run).toThrow('Only 500 g of flour at a');
  });

  it('may go below zero when it is the waste of a prepared void (the sale it replaces already took the stock)', () => {
    expect(applyMovement(stock({ a: 0 }), { kind: 'waste', location: 'a', quantity: KG, reason: 'voided' }).stock.onHand).toEqual({ a: -KG });
  });

  it('is taken for an archived item: discarding what is left', () => {
    expect(applyMovement(stock({ a: KG }, 0, true), { kind: 'waste', location: 'a', quantity: KG, reason: 'expired' }).stock.onHand).toEqual({ a: 0 });
  });
});

describe('transfer', () => {
  it('moves stock between two locations, valued at the average cost', () => {
    const applied = applyMovement(stock({ a: 3 * KG }, 100), { kind: 'transfer', from: 'a', to: 'b', quantity: KG });
    expect(applied.changes).toEqual([
      { location: 'a', before: 3 * KG, after: 2 * KG },
      { location: 'b', before: 0, after: KG },
    ]);
    expect(applied.value).toBe(100);
    expect(totalOnHand(applied.stock)).toBe(3 * KG);
  });

  it('never takes the source below zero, and refuses a transfer to the same location (422)', () => {
    expect(() => applyMovement(stock({ a: KG }), { kind: 'transfer', from: 'a', to: 'b', quantity: KG + 1 })).toThrow(NegativeStockError);
    expect(() => applyMovement(stock({ a: KG }), { kind: 'transfer', from: 'a', to: 'a', quantity: 1 })).toThrow(UnprocessableError);
  });
});

describe('sale depletion', () => {
  it('takes stock off and is not flagged while some is left', () => {
    const applied = applyMovement(stock({ a: KG }, 100), { kind: 'sale', location: 'a', quantity: KG });
    expect(applied).toMatchObject({ oversold: false, value: 100 });
    expect(applied.stock.onHand).toEqual({ a: 0 });
  });

  it('may go below zero (the food was sold) and flags the item', () => {
    const applied = applyMovement(stock({ a: 100 }), { kind: 'sale', location: 'a', quantity: 300 });
    expect(applied.stock.onHand).toEqual({ a: -200 });
    expect(applied.oversold).toBe(true);
  });

  it('is taken for an archived item, and a sale-return gives it back', () => {
    const sold = applyMovement(stock({ a: 100 }, 0, true), { kind: 'sale', location: 'a', quantity: 300 });
    expect(applyMovement(sold.stock, { kind: 'sale-return', location: 'a', quantity: 300 }).stock.onHand).toEqual({ a: 100 });
  });
});

describe('adjustment', () => {
  it('adds or removes with a reason, never below zero', () => {
    expect(applyMovement(stock({ a: KG }), { kind: 'adjustment', location: 'a', delta: -KG, reason: 'found mislabelled' }).stock.onHand).toEqual({ a: 0 });
    expect(applyMovement(stock({ a: KG }, 200), { kind: 'adjustment', location: 'a', delta: KG, reason: 'a late delivery note' })).toMatchObject({ value: 200 });
    expect(() => applyMovement(stock({ a: KG }), { kind: 'adjustment', location: 'a', delta: -KG - 1, reason: 'x' })).toThrow(NegativeStockError);
  });

  it('may raise a negative on-hand without reaching zero', () => {
    expect(applyMovement(stock({ a: -3 * KG }), { kind: 'adjustment', location: 'a', delta: KG, reason: 'partial fix' }).stock.onHand).toEqual({ a: -2 * KG });
  });
});

describe('bad quantities are a 400', () => {
  const cases: Movement[] = [
    { kind: 'receive', location: 'a', quantity: 0, cost: 0 },
    { kind: 'waste', location: 'a', quantity: -5, reason: 'spoiled' },
    { kind: 'sale', location: 'a', quantity: 1.5 },
    { kind: 'transfer', from: 'a', to: 'b', quantity: MAX_QUANTITY + 1 },
    { kind: 'count', location: 'a', counted: -1 },
    { kind: 'adjustment', location: 'a', delta: 0, reason: 'nothing' },
    { kind: 'adjustment', location: 'a', delta: 0.5, reason: 'half' },
    { kind: 'sale-return', location: 'a', quantity: Number.NaN },
  ];
  it.each(cases)('%p', (movement) => {
    expect(() => applyMovement(stock({ a: KG }), movement)).toThrow(BadRequestError);
  });

  it('and an on-hand beyond the largest quantity kept is refused', () => {
    expect(() => applyMovement(stock({ a: MAX_QUANTITY }), { kind: 'receive', location: 'a', quantity: 1, cost: 0 })).toThrow(UnprocessableError);
  });
});

describe('applyMovements', () => {
  it('applies in order and returns each result: a prepared void on oversold stock nets to nothing', () => {
    const { stock: after, applied } = applyMovements(stock({ a: -KG }, 100), [
      { kind: 'sale-return', location: 'a', quantity: 2 * KG },
      { kind: 'waste', location: 'a', quantity: 2 * KG, reason: 'voided' },
    ]);
    expect(after.onHand).toEqual({ a: -KG });
    expect(applied.map((a) => a.value)).toEqual([200, 200]);
  });

  it('throws on the first that cannot happen, leaving the stock given untouched', () => {
    const before = stock({ a: KG });
    expect(() =>
      applyMovements(before, [
        { kind: 'waste', location: 'a', quantity: KG, reason: 'spoiled' },
        { kind: 'waste', location: 'a', quantity: 1, reason: 'spoiled' },
      ]),
    ).toThrow(NegativeStockError);
    expect(before.onHand).toEqual({ a: KG });
  });
});

describe('valueAt', () => {
  it('rounds half-up to the minor unit, and values a negative quantity by its size', () => {
    expect(valueAt(500_000, 3)).toBe(2); // 1.5
    expect(valueAt(400_000, 3)).toBe(1); // 1.2
    expect(valueAt(-500_000, 3)).toBe(2);
  });
});
