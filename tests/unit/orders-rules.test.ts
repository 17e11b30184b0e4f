import { ConflictError, NotFoundError, UnprocessableError } from '#shared/errors';
import {
  addLine,
  addPayment,
  assertVersion,
  changeLineStatus,
  changeStatus,
  checksOf,
  completeRefund,
  releaseRefund,
  removeLine,
  reserveRefund,
  setDiscount,
  setSplit,
  voidOrder,
  FLOW,
  MAX_ORDER_CONTENT_BYTES,
} from '../../functions/orders/order-rules';
import { buildEvents, orderSnapshot } from '../../functions/orders/events';
import { priceLine } from '../../functions/orders/pricing';
import type { OrderRecord, OrderStatus, Payment, Refund } from '../../functions/orders/schemas';
import { menuItem, NOW, openOrder } from './fixtures/orders';

const steak = menuItem({ itemId: 'steak', name: 'Steak', price: 2400, taxRate: '10' });
const wine = menuItem({ itemId: 'wine', name: 'Wine', price: 900, taxRate: '10', station: 'bar' });
// Steak 2400 + 240 tax, wine ×2 1800 + 180 tax: due 4620.
const order = () => openOrder([steak, wine], [{ itemId: 'steak' }, { itemId: 'wine', quantity: 2 }]);

function at(o: OrderRecord, status: OrderStatus): OrderRecord {
  let current = o;
  for (const step of FLOW.slice(1, FLOW.indexOf(status) + 1)) current = changeStatus(current, step, 'staff-1', NOW).order;
  return current;
}

const payment = (amount: number, extra: Partial<Payment> = {}): Payment => ({
  paymentId: `p-${amount}-${extra.checkId ?? 'x'}`,
  method: 'card',
  amount,
  tip: 0,
  processor: 'fake-card',
  processorReference: 'fake_ch_1',
  by: 'staff-1',
  at: NOW,
  ...extra,
});

describe('a new order', () => {
  it('is open at version 1 with its totals, and announces itself with order.placed', () => {
    const o = order();
    expect(o).toMatchObject({ status: 'open', version: 1, nextLineNumber: 3 });
    expect(o.totals).toEqual({ subtotal: 4200, discount: 0, tax: 420, tip: 0, total: 4620, paid: 0, refunded: 0, balance: 4620 });
  });
});

describe('the kitchen state machine', () => {
  it('moves one step at a time, bumping the version, with one order.status-changed each', () => {
    let o = order();
    for (const [from, to] of [['open', 'sent'], ['sent', 'preparing'], ['preparing', 'ready'], ['ready', 'served']] as const) {
      const change = changeStatus(o, to, 'staff-1', NOW);
      expect(change.order).toMatchObject({ status: to, version: o.version + 1 });
      expect(change.events).toEqual([{ type: 'order.status-changed', data: expect.objectContaining({ from, to, version: o.version + 1 }) }]);
      o = change.order;
    }
    expect(o.sentAt).toBe(NOW);
  });

  it.each([
    ['open', 'preparing'],
    ['open', 'closed'],
    ['sent', 'sent'],
    ['sent', 'ready'],
    ['ready', 'preparing'],
    ['served', 'ready'],
  ] as const)('%s → %s is a 409', (from, to) => {
    expect(() => changeStatus(at(order(), from), to, 'staff-1', NOW)).toThrow(ConflictError);
  });

  it('a served order with a balance cannot close (409); once paid it closes', () => {
    const served = at(order(), 'served');
    expect(() => changeStatus(served, 'closed', 'staff-1', NOW)).toThrow(/4620 to pay/);
    const paid = addPayment(served, payment(4620), NOW);
    expect(paid.order.status).toBe('closed');
    expect(paid.events.map((e) => e.type)).toEqual(['payment.recorded', 'order.status-changed', 'order.paid']);
  });

  it('an order paid up front closes the moment it is served', () => {
    const paid = addPayment(order(), payment(4620), NOW).order;
    expect(paid.status).toBe('open');
    const served = changeStatus(at(paid, 'ready'), 'served', 'staff-1', NOW);
    expect(served.order.status).toBe('closed');
    expect(served.events.map((e) => e.data)).toEqual([
      expect.objectContaining({ from: 'ready', to: 'served' }),
      expect.objectContaining({ from: 'served', to: 'closed' }),
    ]);
  });

  it('closed and voided orders move nowhere', () => {
    const voided = voidOrder(order(), 'walked out', 'manager-1', NOW).order;
    expect(() => changeStatus(voided, 'sent', 'staff-1', NOW)).toThrow(ConflictError);
    const closed = addPayment(at(order(), 'served'), payment(4620), NOW).order;
    expect(() => changeStatus(closed, 'closed', 'staff-1', NOW)).toThrow(ConflictError);
    expect(() => voidOrder(closed, 'late', 'manager-1', NOW)).toThrow(ConflictError);
  });

  it('a stale expected version is a 409', () => {
    expect(() => assertVersion(order(), 2)).toThrow(ConflictError);
    expect(() => assertVersion(order(), 1)).not.toThrow();
    expect(() => assertVersion(order(), undefined)).not.toThrow();
  });
});

describe('kitchen line marks', () => {
  it('pending → fired → done while the kitchen has the order, without events', () => {
    const sent = at(order(), 'sent');
    const fired = changeLineStatus(sent, 'L1', 'fired', NOW);
    expect(fired.events).toEqual([]);
    expect(fired.order.lines[0]).toMatchObject({ status: 'fired', firedAt: NOW });
    const done = changeLineStatus(fired.order, 'L1', 'done', NOW);
    expect(done.order.lines[0]).toMatchObject({ status: 'done', doneAt: NOW });
    expect(done.order.version).toBe(sent.version + 2);
  });

  it('refuses skipping, repeating, marking an open order (409) and unknown lines (404)', () => {
    const sent = at(order(), 'sent');
    expect(() => changeLineStatus(sent, 'L1', 'done', NOW)).toThrow(ConflictError);
    const fired = changeLineStatus(sent, 'L1', 'fired', NOW).order;
    expect(() => changeLineStatus(fired, 'L1', 'fired', NOW)).toThrow(ConflictError);
    expect(() => changeLineStatus(order(), 'L1', 'fired', NOW)).toThrow(ConflictError);
    expect(() => changeLineStatus(sent, 'L9', 'fired', NOW)).toThrow(NotFoundError);
  });
});

describe('lines', () => {
  const extraWine = () => priceLine(wine, { itemId: 'wine', quantity: 1, modifierIds: [] }, 'L3');

  it('are added while open, with order.line-added carrying the priced line and new totals', () => {
    const change = addLine(order(), extraWine(), NOW);
    expect(change.order.lines.map((l) => l.lineId)).toEqual(['L1', 'L2', 'L3']);
    expect(change.order).toMatchObject({ nextLineNumber: 4, version: 2 });
    expect(change.events).toEqual([
      { type: 'order.line-added', data: expect.objectContaining({ line: expect.objectContaining({ lineId: 'L3', amount: 900, tax: 90 }), totals: expect.objectContaining({ subtotal: 5100 }) }) },
    ]);
  });

  it('are removed while open, never the last one, never once sent', () => {
    const change = removeLine(order(), 'L2', 'staff-1', NOW);
    expect(change.order.totals.subtotal).toBe(2400);
    expect(change.events[0]).toMatchObject({ type: 'order.line-removed', data: { line: expect.objectContaining({ lineId: 'L2' }) } });
    expect(() => removeLine(change.order, 'L1', 'staff-1', NOW)).toThrow(/at least one line/);
    expect(() => removeLine(at(order(), 'sent'), 'L2', 'staff-1', NOW)).toThrow(/only while the order is open/);
    expect(() => addLine(at(order(), 'sent'), extraWine(), NOW)).toThrow(ConflictError);
    expect(() => removeLine(order(), 'L7', 'staff-1', NOW)).toThrow(NotFoundError);
  });

  it('cannot be removed when that would leave more paid than owed', () => {
    const paid = addPayment(order(), payment(4000), NOW).order;
    expect(() => removeLine(paid, 'L1', 'staff-1', NOW)).toThrow(/refund first/);
  });
});

describe('void', () => {
  it('records who, why and from where, and publishes order.voided with the lines', () => {
    const change = voidOrder(at(order(), 'preparing'), 'kitchen fire', 'manager-1', NOW);
    expect(change.order).toMatchObject({ status: 'voided', voided: { reason: 'kitchen fire', by: 'manager-1', from: 'preparing' } });
    expect(change.events[0]).toMatchObject({ type: 'order.voided', data: { from: 'preparing', reason: 'kitchen fire', voidedBy: 'manager-1' } });
  });

  it('is refused while money is held (409), allowed once it is refunded', () => {
    const paid = addPayment(order(), payment(1000), NOW).order;
    expect(() => voidOrder(paid, 'mistake', 'manager-1', NOW)).toThrow(/Refund the payments/);
    const refund: Refund = { refundId: 'r1', paymentId: paid.payments[0]!.paymentId, amount: 1000, reason: 'mistake', status: 'pending', by: 'm', at: NOW };
    const refunded = completeRefund(reserveRefund(paid, refund, NOW).order, 'r1', 'fake_re_1', NOW).order;
    expect(voidOrder(refunded, 'mistake', 'manager-1', NOW).order.status).toBe('voided');
  });
});

describe('discounts', () => {
  it('a percent discount recomputes the totals; 0 removes it', () => {
    const change = setDiscount(order(), { type: 'percent', percentBps: 1500, reason: 'staff meal' }, 'manager-1', NOW);
    expect(change.order.totals).toMatchObject({ subtotal: 4200, discount: 630, tax: 357, balance: 3927 });
    expect(change.events[0]).toMatchObject({ type: 'order.discount-applied', data: { discount: expect.objectContaining({ percentBps: 1500 }) } });
    const removed = setDiscount(change.order, { type: 'percent', percentBps: 0, reason: 'undo' }, 'manager-1', NOW);
    expect(removed.order.discount).toBeUndefined();
    expect(removed.order.totals.balance).toBe(4620);
    expect(removed.events[0]).toMatchObject({ data: { discount: null } });
  });

  it('an amount above the subtotal is a 422; one leaving more paid than owed a 409', () => {
    expect(() => setDiscount(order(), { type: 'amount', amount: 4201, reason: 'x' }, 'manager-1', NOW)).toThrow(UnprocessableError);
    const paid = addPayment(order(), payment(4000), NOW).order;
    expect(() => setDiscount(paid, { type: 'amount', amount: 2000, reason: 'x' }, 'manager-1', NOW)).toThrow(ConflictError);
  });

  it('a discount that settles the balance publishes order.paid', () => {
    const paid = addPayment(order(), payment(3000), NOW).order;
    // 1473 off: shares 842 + 631, tax 156 + 117, so the bill becomes 2727 + 273 = 3000, exactly what was paid.
    const change = setDiscount(paid, { type: 'amount', amount: 1473, reason: 'comp' }, 'manager-1', NOW);
    expect(change.order.totals.balance).toBe(0);
    expect(change.events.map((e) => e.type)).toContain('order.paid');
  });
});

describe('split bills', () => {
  it('evenly: checks add up to what is due, the first takes the odd unit', () => {
    const split = setSplit(order(), { mode: 'even', parts: 3 }, NOW).order;
    expect(checksOf(split)).toEqual([
      { checkId: 'C1', due: 1540, paid: 0, balance: 1540 },
      { checkId: 'C2', due: 1540, paid: 0, balance: 1540 },
      { checkId: 'C3', due: 1540, paid: 0, balance: 1540 },
    ]);
    const odd = setSplit(order(), { mode: 'even', parts: 7 }, NOW).order;
    const dues = checksOf(odd)!.map((c) => c.due);
    expect(dues.reduce((a, b) => a + b, 0)).toBe(4620);
    expect(Math.max(...dues) - Math.min(...dues)).toBeLessThanOrEqual(1);
  });

  it('by line: each check is its lines after discount plus their tax', () => {
    const discounted = setDiscount(order(), { type: 'percent', percentBps: 1000, reason: 'x' }, 'manager-1', NOW).order;
    const split = setSplit(discounted, { mode: 'lines', parts: [['L1'], ['L2']] }, NOW).order;
    const checks = checksOf(split)!;
    expect(checks.map((c) => c.due)).toEqual([2160 + 216, 1620 + 162]);
    expect(checks.reduce((sum, c) => sum + c.due, 0)).toBe(split.totals.balance);
  });

  it('by line: every line exactly once (422)', () => {
    expect(() => setSplit(order(), { mode: 'lines', parts: [['L1'], ['L1']] }, NOW)).toThrow(UnprocessableError);
    expect(() => setSplit(order(), { mode: 'lines', parts: [['L1'], ['L9']] }, NOW)).toThrow(/Unknown lines/);
    expect(() => setSplit(order(), { mode: 'lines', parts: [['L1'], []] }, NOW)).toThrow(UnprocessableError);
  });

  it('payments name their check and cannot exceed it; paid checks freeze the split', () => {
    const split = setSplit(order(), { mode: 'even', parts: 2 }, NOW).order;
    expect(() => addPayment(split, payment(2311, { checkId: 'C1' }), NOW)).toThrow(/check C1/);
    expect(() => addPayment(split, payment(10, { checkId: 'C3' }), NOW)).toThrow(/no check C3/);
    const one = addPayment(split, payment(2310, { checkId: 'C1' }), NOW).order;
    expect(checksOf(one)![0]).toMatchObject({ paid: 2310, balance: 0 });
    expect(() => setSplit(one, { mode: 'none' }, NOW)).toThrow(ConflictError);
    expect(() => addPayment(order(), payment(10, { checkId: 'C1' }), NOW)).toThrow(/no check C1/);
  });
});

describe('payments and refunds', () => {
  it('partial payments bring the balance down; tips add to total and paid, not to the balance', () => {
    const first = addPayment(order(), payment(2000, { tip: 300 }), NOW);
    expect(first.order.totals).toMatchObject({ tip: 300, total: 4920, paid: 2300, balance: 2620 });
    expect(first.events.map((e) => e.type)).toEqual(['payment.recorded']);
    const second = addPayment(first.order, payment(2620), NOW);
    expect(second.order.totals.balance).toBe(0);
    expect(second.events.map((e) => e.type)).toEqual(['payment.recorded', 'order.paid']);
  });

  it('a payment above the balance is a 422, on a voided order a 409', () => {
    expect(() => addPayment(order(), payment(4621), NOW)).toThrow(UnprocessableError);
    const voided = voidOrder(order(), 'x', 'manager-1', NOW).order;
    expect(() => addPayment(voided, payment(1), NOW)).toThrow(ConflictError);
  });

  it('a refund above what its payment took is a 422, pending refunds included', () => {
    const paid = addPayment(order(), payment(1000, { tip: 200 }), NOW).order;
    const paymentId = paid.payments[0]!.paymentId;
    const refund = (refundId: string, amount: number): Refund => ({ refundId, paymentId, amount, reason: 'cold', status: 'pending', by: 'm', at: NOW });
    expect(() => reserveRefund(paid, refund('r0', 1201), NOW)).toThrow(UnprocessableError);
    const held = reserveRefund(paid, refund('r1', 1000), NOW).order;
    expect(held.totals.refunded).toBe(0);
    expect(() => reserveRefund(held, refund('r2', 201), NOW)).toThrow(/200 left to refund/);
    const done = completeRefund(held, 'r1', 'fake_re_1', NOW);
    // total 4620 + 200 tip, paid 1200, 1000 of it given back: 4620 owed again.
    expect(done.order.totals).toMatchObject({ total: 4820, paid: 1200, refunded: 1000, balance: 4620 });
    expect(done.events).toEqual([{ type: 'payment.refunded', data: expect.objectContaining({ method: 'card', refund: expect.objectContaining({ amount: 1000 }) }) }]);
    expect(() => reserveRefund(paid, { ...refund('r3', 5), paymentId: 'nope' }, NOW)).toThrow(NotFoundError);
  });

  it('an order takes at most 100 payments and 100 refunds (422), so it always fits in one item', () => {
    let paid = order();
    for (let i = 0; i < 100; i++) paid = addPayment(paid, payment(1, { paymentId: `p${i}` }), NOW).order;
    expect(() => addPayment(paid, payment(1, { paymentId: 'p100' }), NOW)).toThrow(/at most 100 payments/);
    let refunded = paid;
    for (let i = 0; i < 100; i++) {
      refunded = reserveRefund(refunded, { refundId: `r${i}`, paymentId: `p${i}`, amount: 1, reason: 'x', status: 'pending', by: 'm', at: NOW }, NOW).order;
    }
    expect(() => reserveRefund(refunded, { refundId: 'r100', paymentId: 'p0', amount: 1, reason: 'x', status: 'pending', by: 'm', at: NOW }, NOW)).toThrow(
      /at most 100 refunds/,
    );
  });

  it('a refused refund releases its hold', () => {
    const paid = addPayment(order(), payment(1000), NOW).order;
    const held = reserveRefund(paid, { refundId: 'r1', paymentId: paid.payments[0]!.paymentId, amount: 1000, reason: 'x', status: 'pending', by: 'm', at: NOW }, NOW).order;
    const released = releaseRefund(held, 'r1', NOW).order;
    expect(released.refunds).toEqual([]);
    expect(() => releaseRefund(released, 'r1', NOW)).toThrow(ConflictError);
  });
});

describe('an order too large to record', () => {
  // The longest names, notes and modifiers the schemas take, in a script of 3 bytes a character.
  const wide = (n: number) => '漢'.repeat(n);
  const modifiers = Array.from({ length: 10 }, (_, i) => ({ modifierId: `m${i}`, name: wide(80), priceDelta: 0, group: `${wide(39)}${i}`, recipe: [] }));
  const big = menuItem({ itemId: 'big', name: wide(120), price: 1000, taxRate: '10', modifiers });
  const bigLine = (n: number) => priceLine(big, { itemId: 'big', quantity: 99, modifierIds: modifiers.map((m) => m.modifierId), notes: wide(200) }, `L${n}`);

  it('takes lines until its content would pass MAX_ORDER_CONTENT_BYTES (422), well before 100 of the largest', () => {
    let o = openOrder([big], [{ itemId: 'big', quantity: 99, modifierIds: modifiers.map((m) => m.modifierId), notes: wide(200) }]);
    let refused: unknown;
    for (let n = 2; n <= 100 && !refused; n++) {
      try {
        o = addLine(o, bigLine(n), NOW).order;
      } catch (error) {
        refused = error;
      }
    }
    expect(refused).toBeInstanceOf(UnprocessableError);
    expect((refused as Error).message).toMatch(/too large to record .* start another order/);
    expect(o.lines.length).toBeGreaterThan(10);
    expect(o.lines.length).toBeLessThan(100);
    expect(Buffer.byteLength(JSON.stringify(orderSnapshot(o)))).toBeLessThanOrEqual(MAX_ORDER_CONTENT_BYTES);
  });

  it('an order at the limit still records 100 payments and 100 refunds of the largest kind: its item and its order.paid fit', () => {
    let o = openOrder([big], [{ itemId: 'big', quantity: 99, modifierIds: modifiers.map((m) => m.modifierId), notes: wide(200) }]);
    for (let n = 2; ; n++) {
      try {
        o = addLine(o, bigLine(n), NOW).order;
      } catch {
        break;
      }
    }
    const id = (prefix: string, i: number) => `${prefix}${i}`.padEnd(64, 'x');
    for (let i = 0; i < 99; i++) o = addPayment(o, payment(2, { paymentId: id('p', i), processorReference: id('ch_', i).repeat(2), by: id('u', i) }), NOW).order;
    for (let i = 0; i < 100; i++) {
      o = reserveRefund(o, { refundId: id('r', i), paymentId: id('p', i % 99), amount: 1, reason: wide(200), status: 'pending', by: id('m', i), at: NOW }, NOW).order;
      o = completeRefund(o, id('r', i), id('re_', i), NOW).order;
    }
    // The settling payment: order.paid with every line, payment and refund.
    const settled = addPayment(o, payment(o.totals.balance, { paymentId: id('p', 99), processorReference: id('ch_', 99), by: id('u', 99) }), NOW);
    const paid = settled.events.find((e) => e.type === 'order.paid');
    expect(paid).toBeDefined();
    const [envelope] = buildEvents([paid!], { siteId: 'site-1', correlationId: 'c'.repeat(64), at: new Date(NOW) });
    expect(Buffer.byteLength(JSON.stringify(envelope))).toBeLessThan(250 * 1024); // SNS: 256 KiB with the attributes
    expect(Buffer.byteLength(JSON.stringify(settled.order))).toBeLessThan(380 * 1000); // DynamoDB: 400 KB an item
  });
});
