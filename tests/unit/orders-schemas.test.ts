import {
  availabilitySchema,
  createItemSchema,
  createOrderSchema,
  discountSchema,
  menuSettingsSchema,
  paymentSchema,
  splitSchema,
  taxRateSchema,
} from '../../functions/orders/schemas';

const line = { itemId: 'burger', quantity: 1 };

describe('request schemas', () => {
  it('an order body has no place for a price: any price field is refused', () => {
    expect(createOrderSchema.safeParse({ channel: { type: 'takeaway' }, lines: [line] }).success).toBe(true);
    for (const extra of [{ price: 1 }, { unitPrice: 1 }, { amount: 1 }, { taxRate: '0' }]) {
      expect(createOrderSchema.safeParse({ channel: { type: 'takeaway' }, lines: [{ ...line, ...extra }] }).success).toBe(false);
    }
    expect(createOrderSchema.safeParse({ channel: { type: 'takeaway' }, lines: [line], totals: { total: 1 } }).success).toBe(false);
  });

  it('channels carry what they need: dine-in a table and covers', () => {
    const order = (channel: object) => createOrderSchema.safeParse({ channel, lines: [line] }).success;
    expect(order({ type: 'dine-in', table: '4', covers: 2 })).toBe(true);
    expect(order({ type: 'dine-in', table: '4' })).toBe(false);
    expect(order({ type: 'delivery', address: '1 Main St' })).toBe(true);
    expect(order({ type: 'drive-through' })).toBe(false);
  });

  it('money is integer minor units; tax rates are decimal strings with at most 4 decimals', () => {
    const item = { categoryId: 'c', name: 'Tart', price: 700, taxRate: '8.875', station: 'kitchen' };
    expect(createItemSchema.parse(item)).toMatchObject({ active: true, modifiers: [], recipe: [] });
    expect(createItemSchema.safeParse({ ...item, price: 7.5 }).success).toBe(false);
    expect(createItemSchema.safeParse({ ...item, price: -1 }).success).toBe(false);
    for (const good of ['0', '5.5', '8.875', '19.6', '100', '0.0001']) expect({ good, ok: taxRateSchema.safeParse(good).success }).toEqual({ good, ok: true });
    for (const bad of ['8.12345', '101', '-1', '8,5', '', '.5', '1e2']) expect({ bad, ok: taxRateSchema.safeParse(bad).success }).toEqual({ bad, ok: false });
  });

  it('recipe quantities carry a unit and at most 3 decimals; modifier ids are unique', () => {
    const item = { categoryId: 'c', name: 'Tart', price: 700, taxRate: '10', station: 'kitchen' };
    expect(createItemSchema.safeParse({ ...item, recipe: [{ ingredientId: 'flour', quantity: 0.125, unit: 'kg' }] }).success).toBe(true);
    expect(createItemSchema.safeParse({ ...item, recipe: [{ ingredientId: 'flour', quantity: 0.1255, unit: 'kg' }] }).success).toBe(false);
    expect(createItemSchema.safeParse({ ...item, recipe: [{ ingredientId: 'flour', quantity: 1, unit: 'cups' }] }).success).toBe(false);
    const modifier = { modifierId: 'm', name: 'M', priceDelta: 10 };
    expect(createItemSchema.safeParse({ ...item, modifiers: [modifier, modifier] }).success).toBe(false);
  });

  it('settings need an IANA time zone and an ISO currency; the business day starts at 04:00 unless told', () => {
    expect(menuSettingsSchema.parse({ timeZone: 'Europe/Paris', currency: 'EUR' })).toEqual({ timeZone: 'Europe/Paris', currency: 'EUR', businessDayStartsAt: '04:00' });
    expect(menuSettingsSchema.safeParse({ timeZone: 'Mars/Olympus', currency: 'EUR' }).success).toBe(false);
    expect(menuSettingsSchema.safeParse({ timeZone: 'UTC', currency: 'eur' }).success).toBe(false);
    expect(menuSettingsSchema.safeParse({ timeZone: 'UTC', currency: 'EUR', businessDayStartsAt: '24:00' }).success).toBe(false);
  });

  it('availability: a countdown only with available: true, and never zero', () => {
    expect(availabilitySchema.safeParse({ available: true, remaining: 5 }).success).toBe(true);
    expect(availabilitySchema.safeParse({ available: true, remaining: null }).success).toBe(true);
    expect(availabilitySchema.safeParse({ available: false, remaining: 5 }).success).toBe(false);
    expect(availabilitySchema.safeParse({ available: true, remaining: 0 }).success).toBe(false);
  });

  it('payments: cash may say what was tendered, cards need a reference, neither mixes', () => {
    expect(paymentSchema.parse({ method: 'cash', amount: 500, tendered: 1000 })).toEqual({ method: 'cash', amount: 500, tip: 0, tendered: 1000 });
    expect(paymentSchema.safeParse({ method: 'cash', amount: 500, tendered: 400 }).success).toBe(false);
    expect(paymentSchema.safeParse({ method: 'card', amount: 500 }).success).toBe(false);
    expect(paymentSchema.safeParse({ method: 'card', amount: 500, cardReference: 'tok', tendered: 600 }).success).toBe(false);
    expect(paymentSchema.safeParse({ method: 'cash', amount: 500, cardReference: 'tok' }).success).toBe(false);
    expect(paymentSchema.safeParse({ method: 'cash', amount: 0 }).success).toBe(false);
  });

  it('discounts are an amount or a percent in basis points; splits are even, by line or none', () => {
    expect(discountSchema.safeParse({ type: 'percent', percentBps: 1000, reason: 'r' }).success).toBe(true);
    expect(discountSchema.safeParse({ type: 'percent', percentBps: 10_001, reason: 'r' }).success).toBe(false);
    expect(discountSchema.safeParse({ type: 'amount', amount: 100 }).success).toBe(false);
    expect(splitSchema.safeParse({ mode: 'even', parts: 1 }).success).toBe(false);
    expect(splitSchema.safeParse({ mode: 'lines', parts: [['L1'], ['L2']] }).success).toBe(true);
    expect(splitSchema.safeParse({ mode: 'none' }).success).toBe(true);
  });
});
