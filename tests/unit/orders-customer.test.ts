// The customer reference of an order (functions/orders/customer-ref.ts): a keyed hash that recognises a repeat
// customer without keeping who they are; the request schema that normalises phone numbers; the rule for naming a
// customer after the order was placed; and the category each line keeps.
import { createHmac } from 'node:crypto';
import { ConflictError } from '#shared/errors';
import { customerRefKeySchema, customerRefOf, newCustomerRefKey, type CustomerRefKey } from '../../functions/orders/customer-ref';
import { takeFromMenu } from '../../functions/orders/menu-rules';
import { addPayment, changeStatus, setCustomer, voidOrder } from '../../functions/orders/order-rules';
import { orderSnapshot } from '../../functions/orders/events';
import { createOrderSchema, setCustomerSchema, type CustomerInput } from '../../functions/orders/schemas';
import { ordersContract } from '../../functions/shared/contracts/orders';
import { menuItem, NOW, openOrder } from './fixtures/orders';

const keyA: CustomerRefKey = { key: Buffer.alloc(32, 1).toString('base64url') };
const keyB: CustomerRefKey = { key: Buffer.alloc(32, 2).toString('base64url') };
const lines = [{ itemId: 'burger', quantity: 1 }];

/** The customer as the API normalises it, or the issues it answers with. */
function parseCustomer(customer: unknown) {
  const parsed = createOrderSchema.safeParse({ channel: { type: 'takeaway' }, lines, customer });
  return parsed.success ? { customer: parsed.data.customer } : { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
}
const refOf = (customer: unknown, key = keyA) => customerRefOf(parseCustomer(customer).customer as CustomerInput, key);

describe('customer reference', () => {
  it('is the HMAC-SHA-256 of kind and value under the key, base64url, prefixed by its kind', () => {
    const expected = createHmac('sha256', Buffer.alloc(32, 1)).update('phone:+33612345678').digest('base64url');
    expect(refOf({ phone: '+33612345678' })).toBe(`phone:${expected}`);
    expect(refOf({ loyaltyId: 'CARD-0042' })).toMatch(/^loyalty:[A-Za-z0-9_-]{43}$/);
  });

  it('is the same for the same customer and key, whichever site or order asks', () => {
    expect(refOf({ phone: '+33612345678' })).toBe(refOf({ phone: '+33612345678' }));
    expect(refOf({ loyaltyId: 'CARD-0042' })).toBe(refOf({ loyaltyId: ' CARD-0042 ' }));
  });

  it('differs under another key (a rotated key starts new refs), for another customer, and between kinds', () => {
    expect(refOf({ phone: '+33612345678' }, keyB)).not.toBe(refOf({ phone: '+33612345678' }, keyA));
    expect(refOf({ phone: '+33612345679' })).not.toBe(refOf({ phone: '+33612345678' }));
    // A loyalty id made of the same digits is not the same customer.
    expect(refOf({ loyaltyId: '33612345678' }).slice('loyalty:'.length)).not.toBe(refOf({ phone: '33612345678' }).slice('phone:'.length));
  });

  it('holds nothing of the phone number', () => {
    expect(refOf({ phone: '+33612345678' })).not.toMatch(/612345678/);
  });

  it('takes keys of at least 256 bits, and makes new ones of that size, each different', () => {
    expect(customerRefKeySchema.safeParse(newCustomerRefKey()).success).toBe(true);
    expect(newCustomerRefKey().key).not.toBe(newCustomerRefKey().key);
    expect(customerRefKeySchema.safeParse({ key: Buffer.alloc(16).toString('base64url') }).success).toBe(false);
    expect(customerRefKeySchema.safeParse({ key: 'not base64url!' }).success).toBe(false);
  });
});

describe('customer in a request', () => {
  it('normalises a phone number to its digits and a leading +', () => {
    expect(parseCustomer({ phone: '+33 6 12-34-56-78' })).toEqual({ customer: { phone: '+33612345678' } });
    expect(parseCustomer({ phone: '+1 (212) 555.0123' })).toEqual({ customer: { phone: '+12125550123' } });
    expect(parseCustomer({ phone: '06 12 34 56 78' })).toEqual({ customer: { phone: '0612345678' } });
    expect(refOf({ phone: '+33 6 12 34 56 78' })).toBe(refOf({ phone: '+33612345678' }));
  });

  it('refuses nonsense, naming the field and never echoing the value', () => {
    for (const phone of ['call me', '+33 6 12 34 56 78 ext. 9', '++33612345678', '12345', '+0612345678', '1'.repeat(16), '']) {
      const { issues } = parseCustomer({ phone });
      expect({ phone, issues }).toEqual({ phone, issues: [{ path: 'customer.phone', message: expect.stringContaining('phone number') }] });
      expect(JSON.stringify(issues)).not.toContain(phone || '""');
    }
    expect(parseCustomer({ loyaltyId: 'has spaces inside' }).issues).toEqual([{ path: 'customer.loyaltyId', message: expect.any(String) }]);
    expect(parseCustomer({ loyaltyId: 'x'.repeat(65) }).issues?.[0]?.path).toBe('customer.loyaltyId');
    expect(parseCustomer({ phone: 33612345678 }).issues?.[0]?.path).toBe('customer'); // a number is neither form
  });

  it('takes exactly one of phone and loyaltyId, and nothing else', () => {
    for (const customer of [{}, { phone: '+33612345678', loyaltyId: 'CARD-1' }, { email: 'a@b.c' }, 'CARD-1']) {
      expect({ customer, issues: parseCustomer(customer).issues }).toEqual({ customer, issues: [{ path: 'customer', message: 'must be either { phone } or { loyaltyId }' }] });
    }
    expect(parseCustomer(undefined)).toEqual({ customer: undefined });
    expect(setCustomerSchema.safeParse({ customer: { loyaltyId: 'CARD-1' }, expectedVersion: 2 }).success).toBe(true);
    expect(setCustomerSchema.safeParse({}).success).toBe(false);
  });
});

describe('naming the customer of a placed order', () => {
  const burger = menuItem({ itemId: 'burger', name: 'Burger', price: 1000, taxRate: '0' });
  const order = () => openOrder([burger], [{ itemId: 'burger' }]);
  const ref = refOf({ loyaltyId: 'CARD-0042' });
  const cash = (amount: number) => ({ paymentId: `p-${amount}`, method: 'cash' as const, amount, tip: 0, processor: 'cash', by: 'staff-1', at: NOW });

  it('sets or replaces the ref until the order is paid, and order.paid then carries it', () => {
    const named = setCustomer(order(), ref, NOW);
    expect(named.order).toMatchObject({ customerRef: ref, version: 2 });
    expect(named.events).toEqual([]);
    const corrected = setCustomer(addPayment(named.order, cash(400), NOW).order, refOf({ loyaltyId: 'CARD-0043' }), NOW).order;
    expect(corrected.customerRef).toBe(refOf({ loyaltyId: 'CARD-0043' }));
    const paid = addPayment(corrected, cash(600), NOW);
    const event = paid.events.find((e) => e.type === 'order.paid')!;
    expect(event.data).toMatchObject({ customerRef: refOf({ loyaltyId: 'CARD-0043' }) });
    expect(() => setCustomer(paid.order, ref, NOW)).toThrow(ConflictError);
  });

  it('refuses a closed or voided order', () => {
    let served = order();
    for (const step of ['sent', 'preparing', 'ready', 'served'] as const) served = changeStatus(served, step, 'staff-1', NOW).order;
    expect(() => setCustomer(addPayment(served, cash(1000), NOW).order, ref, NOW)).toThrow(ConflictError);
    expect(() => setCustomer(voidOrder(order(), 'mistake', 'manager-1', NOW).order, ref, NOW)).toThrow(ConflictError);
  });

  it('leaves an order without a customer without the field, on the wire too', () => {
    const snapshot = orderSnapshot(order());
    expect(snapshot).not.toHaveProperty('customerRef');
    expect(ordersContract.events['order.placed'].data.safeParse(snapshot).success).toBe(true);
    expect(ordersContract.events['order.placed'].data.safeParse({ ...snapshot, customerRef: '+33612345678' }).success).toBe(false);
  });
});

describe('line categories', () => {
  const soup = menuItem({ itemId: 'soup', name: 'Soup', price: 700, categoryId: 'starters' });
  const cake = menuItem({ itemId: 'cake', name: 'Cake', price: 500, categoryId: 'gone' });
  const items = new Map([soup, cake].map((item) => [item.itemId, item]));

  it('each line keeps its item category and that category name as it is when ordered', () => {
    const taken = takeFromMenu(items, [{ itemId: 'soup', quantity: 1, modifierIds: [] }], 1, NOW, new Map([['starters', 'Starters']]));
    expect(taken.lines[0]).toMatchObject({ itemId: 'soup', categoryId: 'starters', categoryName: 'Starters' });
  });

  it('a category that cannot be read leaves the name out, not the id', () => {
    const taken = takeFromMenu(items, [{ itemId: 'cake', quantity: 1, modifierIds: [] }], 1, NOW, new Map([['starters', 'Starters']]));
    expect(taken.lines[0]).toMatchObject({ categoryId: 'gone' });
    expect(taken.lines[0]).not.toHaveProperty('categoryName');
  });

  it('old events without categories still parse', () => {
    const snapshot = orderSnapshot(openOrder([soup], [{ itemId: 'soup' }]));
    const { categoryId: _id, categoryName: _name, ...oldLine } = snapshot.lines[0]!;
    expect(ordersContract.events['order.paid'].data.safeParse({ ...snapshot, lines: [oldLine] }).success).toBe(true);
  });
});
