// The order's rules, pure: the kitchen state machine, lines, discounts, split bills, payments and refunds.
// Each change takes the order as read and returns the next version with the events it causes; the service
// writes both in one transaction (conditional on the version read), so a concurrent change makes it a 409.
//
//   open ──▶ sent ──▶ preparing ──▶ ready ──▶ served ──▶ closed        one step at a time; anything else is 409
//     └────────┴──────────┴───────────┴─────────┴──▶ voided          (manager, with a reason, nothing paid)
//
// An order closes when it is served and its balance is zero, whichever comes last.
import { ConflictError, NotFoundError, UnprocessableError } from '#shared/errors';
import { eventLine, eventPayment, eventRefund, orderRefOf, orderSnapshot, type EventSpec } from './events';
import { evenSplit } from '#shared/money';
import { lineDue, withTotals } from './pricing';
import {
  MAX_LINES_PER_ORDER,
  MAX_PAYMENTS_PER_ORDER,
  type DiscountInput,
  type LineStatus,
  type OrderLine,
  type OrderRecord,
  type OrderStatus,
  type Payment,
  type Refund,
  type SplitInput,
} from './schemas';

export interface Change {
  order: OrderRecord;
  events: EventSpec[];
}

export const FLOW: readonly OrderStatus[] = ['open', 'sent', 'preparing', 'ready', 'served', 'closed'];
export const ACTIVE_STATUSES: readonly OrderStatus[] = ['open', 'sent', 'preparing', 'ready', 'served'];
/** Statuses in which the kitchen works on the lines. */
export const KITCHEN_STATUSES: readonly OrderStatus[] = ['sent', 'preparing', 'ready'];

const isActive = (order: OrderRecord) => ACTIVE_STATUSES.includes(order.status);

function assertActive(order: OrderRecord): void {
  if (!isActive(order)) throw new ConflictError(`The order is ${order.status}`, { status: order.status });
}

/** A client that names the version it saw gets a 409 when the order has moved on since. */
export function assertVersion(order: OrderRecord, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && expectedVersion !== order.version) {
    throw new ConflictError('The order was changed by someone else; reload and retry', { version: order.version });
  }
}

const bump = (order: OrderRecord, now: string): OrderRecord => ({ ...order, version: order.version + 1, updatedAt: now });

/**
 * What an order holds before its payments (lines with their recipe quantities, channel, customer, discount), as
 * `order.paid` publishes it, stays within this many bytes of JSON. With at most 100 payments and 100 refunds on top
 * (~135 KB at their largest), the order item stays under DynamoDB's 400 KB and `order.paid` under SNS's 256 KB, so
 * a payment taken can always be recorded. 100 lines of long multi-byte names, notes and modifiers, or of items with
 * large recipes, reached 400 KB and made the payment that settled such an order fail after the charge.
 */
export const MAX_ORDER_CONTENT_BYTES = 96 * 1024;

function assertFits(order: OrderRecord): void {
  const bytes = Buffer.byteLength(JSON.stringify(orderSnapshot({ ...order, payments: [], refunds: [] })));
  if (bytes > MAX_ORDER_CONTENT_BYTES) {
    const kb = (n: number) => Math.ceil(n / 1024);
    throw new UnprocessableError(`This order would be too large to record (${kb(bytes)} KB of ${kb(MAX_ORDER_CONTENT_BYTES)} KB): start another order for the rest`, {
      bytes,
      maxBytes: MAX_ORDER_CONTENT_BYTES,
    });
  }
}

export function newOrder(
  input: Pick<OrderRecord, 'siteId' | 'orderId' | 'ticketNumber' | 'businessDay' | 'currency' | 'channel' | 'serverId' | 'customerRef' | 'lines'> & { now: string },
): Change {
  const { now, ...fields } = input;
  const order = withTotals({
    ...fields,
    status: 'open',
    nextLineNumber: input.lines.length + 1,
    payments: [],
    refunds: [],
    totals: { subtotal: 0, discount: 0, tax: 0, tip: 0, total: 0, paid: 0, refunded: 0, balance: 0 },
    placedAt: now,
    updatedAt: now,
    version: 1,
  });
  assertFits(order);
  return { order, events: [{ type: 'order.placed', data: orderSnapshot(order) }] };
}

export const lineIdFor = (lineNumber: number) => `L${lineNumber}`;

/** Lines change only while the order is open; a split bill is dropped, unless payments were taken against it. */
function assertLinesEditable(order: OrderRecord): void {
  if (order.status !== 'open') throw new ConflictError(`Lines change only while the order is open; it is ${order.status}`, { status: order.status });
  if (order.payments.some((p) => p.checkId)) throw new ConflictError('The bill is split and partly paid; its lines cannot change');
}

export function addLine(order: OrderRecord, line: OrderLine, now: string): Change {
  assertLinesEditable(order);
  if (order.lines.length >= MAX_LINES_PER_ORDER) throw new UnprocessableError(`An order holds at most ${MAX_LINES_PER_ORDER} lines`);
  const { split: _split, ...rest } = bump(order, now);
  const next = withTotals({ ...rest, lines: [...order.lines, line], nextLineNumber: order.nextLineNumber + 1 });
  assertFits(next);
  const added = next.lines.at(-1)!;
  return { order: next, events: [{ type: 'order.line-added', data: { ...orderRefOf(next), line: eventLine(added), totals: next.totals } }] };
}

export function removeLine(order: OrderRecord, lineId: string, actor: string, now: string): Change {
  const line = order.lines.find((l) => l.lineId === lineId);
  if (!line) throw new NotFoundError('Line not found');
  assertLinesEditable(order);
  if (order.lines.length === 1) throw new ConflictError('An order keeps at least one line; void it instead');
  const { split: _split, ...rest } = bump(order, now);
  const next = withTotals({ ...rest, lines: order.lines.filter((l) => l.lineId !== lineId) });
  assertNotOverpaid(next);
  return settle(order, next, actor, now, [{ type: 'order.line-removed', data: { ...orderRefOf(next), line: eventLine(line), totals: next.totals } }]);
}

function assertNotOverpaid(order: OrderRecord): void {
  if (order.totals.balance < 0) {
    throw new ConflictError('This would leave more paid than owed; refund first', { balance: order.totals.balance });
  }
}

/**
 * After a change that lowers the balance: reaching zero publishes `order.paid` (with the final order), and a
 * served order then closes.
 */
function settle(before: OrderRecord, next: OrderRecord, actor: string, now: string, events: EventSpec[]): Change {
  let order = next;
  const all = [...events];
  if (order.status === 'served' && order.totals.balance <= 0) {
    order = { ...order, status: 'closed', closedAt: now };
    all.push(statusEvent(order, 'served', 'closed', actor, now));
  }
  if (before.totals.balance > 0 && order.totals.balance <= 0) all.push({ type: 'order.paid', data: orderSnapshot(order) });
  return { order, events: all };
}

function statusEvent(order: OrderRecord, from: OrderStatus, to: OrderStatus, actor: string, now: string): EventSpec {
  return { type: 'order.status-changed', data: { ...orderRefOf(order), serverId: order.serverId, from, to, changedBy: actor, changedAt: now } };
}

export function changeStatus(order: OrderRecord, to: OrderStatus, actor: string, now: string): Change {
  const from = order.status;
  const allowed = isActive(order) ? FLOW[FLOW.indexOf(from) + 1] : undefined;
  if (to !== allowed) {
    throw new ConflictError(`An order cannot move from ${from} to ${to}`, { from, to, allowed: allowed ? [allowed] : [] });
  }
  if (to === 'closed' && order.totals.balance > 0) {
    throw new ConflictError(`The order still has ${order.totals.balance} to pay`, { balance: order.totals.balance });
  }
  const next: OrderRecord = {
    ...bump(order, now),
    status: to,
    ...(to === 'sent' ? { sentAt: now } : {}),
    ...(to === 'closed' ? { closedAt: now } : {}),
  };
  const events = [statusEvent(next, from, to, actor, now)];
  if (to === 'served' && next.totals.balance <= 0) {
    events.push(statusEvent(next, 'served', 'closed', actor, now));
    return { order: { ...next, status: 'closed', closedAt: now }, events };
  }
  return { order: next, events };
}

/** The kitchen display's marks: pending → fired → done, while the kitchen has the order. No event. */
export function changeLineStatus(order: OrderRecord, lineId: string, to: Exclude<LineStatus, 'pending'>, now: string): Change {
  const line = order.lines.find((l) => l.lineId === lineId);
  if (!line) throw new NotFoundError('Line not found');
  if (!['sent', 'preparing'].includes(order.status)) {
    throw new ConflictError(`Lines are fired and done while the order is sent or preparing; it is ${order.status}`, { status: order.status });
  }
  const from: LineStatus = to === 'fired' ? 'pending' : 'fired';
  if (line.status !== from) throw new ConflictError(`A ${line.status} line cannot be marked ${to}`, { from: line.status, to });
  const marked: OrderLine = { ...line, status: to, ...(to === 'fired' ? { firedAt: now } : { doneAt: now }) };
  return { order: { ...bump(order, now), lines: order.lines.map((l) => (l.lineId === lineId ? marked : l)) }, events: [] };
}

export function voidOrder(order: OrderRecord, reason: string, actor: string, now: string): Change {
  assertActive(order);
  if (order.totals.paid - order.totals.refunded > 0) {
    throw new ConflictError('Refund the payments before voiding the order', { paid: order.totals.paid, refunded: order.totals.refunded });
  }
  const next: OrderRecord = { ...bump(order, now), status: 'voided', voided: { reason, by: actor, at: now, from: order.status } };
  return {
    order: next,
    events: [
      {
        type: 'order.voided',
        data: { ...orderRefOf(next), from: order.status, reason, voidedBy: actor, serverId: order.serverId, lines: next.lines.map(eventLine), totals: next.totals },
      },
    ],
  };
}

export function setDiscount(order: OrderRecord, input: DiscountInput, actor: string, now: string): Change {
  assertActive(order);
  if (input.type === 'amount' && input.amount > order.totals.subtotal) {
    throw new UnprocessableError(`The discount exceeds the subtotal of ${order.totals.subtotal}`, { subtotal: order.totals.subtotal });
  }
  const none = input.type === 'amount' ? input.amount === 0 : input.percentBps === 0;
  const { discount: _previous, ...rest } = bump(order, now);
  const discount =
    input.type === 'amount'
      ? { type: 'amount' as const, amount: input.amount, reason: input.reason, by: actor, at: now }
      : { type: 'percent' as const, percentBps: input.percentBps, reason: input.reason, by: actor, at: now };
  const next = withTotals(none ? rest : { ...rest, discount });
  assertNotOverpaid(next);
  return settle(order, next, actor, now, [
    { type: 'order.discount-applied', data: { ...orderRefOf(next), discount: next.discount ?? null, totals: next.totals } },
  ]);
}

/**
 * Names (or corrects) the order's customer, as its keyed hash. Only until the order is paid: `order.paid` carries the
 * customer to analytics, and a customer set after it would never reach them. No event of its own for that reason.
 */
export function setCustomer(order: OrderRecord, customerRef: string, now: string): Change {
  assertActive(order);
  if (order.totals.paid > 0 && order.totals.balance <= 0) {
    throw new ConflictError('The order is paid: its customer can no longer change', { balance: order.totals.balance });
  }
  return { order: { ...bump(order, now), customerRef }, events: [] };
}

export function setSplit(order: OrderRecord, input: SplitInput, now: string): Change {
  assertActive(order);
  if (order.payments.some((p) => p.checkId)) throw new ConflictError('Payments were taken against the current checks');
  const { split: _previous, ...rest } = bump(order, now);
  if (input.mode === 'none') return { order: rest, events: [] };
  if (input.mode === 'even') return { order: { ...rest, split: { mode: 'even', parts: input.parts } }, events: [] };
  const named = input.parts.flat();
  const known = new Set(order.lines.map((l) => l.lineId));
  const unknown = named.filter((lineId) => !known.has(lineId));
  if (unknown.length > 0) throw new UnprocessableError(`Unknown lines: ${unknown.join(', ')}`, { lineIds: unknown });
  const missing = [...known].filter((lineId) => !named.includes(lineId));
  if (missing.length > 0 || new Set(named).size !== named.length) {
    throw new UnprocessableError('Each line must be on exactly one check', { missing });
  }
  return { order: { ...rest, split: { mode: 'lines', parts: input.parts } }, events: [] };
}

export interface Check {
  checkId: string;
  lineIds?: string[];
  due: number;
  paid: number;
  balance: number;
}

/** The checks of a split bill, from the current lines and discount; payments name the check they pay. */
export function checksOf(order: OrderRecord): Check[] | undefined {
  const split = order.split;
  if (!split) return undefined;
  const due = order.totals.subtotal - order.totals.discount + order.totals.tax;
  const parts =
    split.mode === 'even'
      ? evenSplit(due, split.parts).map((partDue) => ({ due: partDue }))
      : split.parts.map((lineIds) => ({
          lineIds,
          due: order.lines.filter((l) => lineIds.includes(l.lineId)).reduce((sum, l) => sum + lineDue(l), 0),
        }));
  return parts.map((part, i) => {
    const checkId = `C${i + 1}`;
    const paid = order.payments.filter((p) => p.checkId === checkId).reduce((sum, p) => sum + p.amount, 0);
    return { checkId, ...part, paid, balance: part.due - paid };
  });
}

/** Checked before charging a card and again, on the latest version, before recording the payment. */
export function assertPaymentAllowed(order: OrderRecord, payment: { amount: number; checkId?: string }): void {
  if (!isActive(order)) throw new ConflictError(`The order is ${order.status}; it takes no payment`, { status: order.status });
  if (payment.amount > order.totals.balance) {
    throw new UnprocessableError(`The payment exceeds the balance of ${order.totals.balance}`, { balance: order.totals.balance });
  }
  if (order.payments.length >= MAX_PAYMENTS_PER_ORDER) throw new UnprocessableError(`An order takes at most ${MAX_PAYMENTS_PER_ORDER} payments`);
  if (payment.checkId === undefined) return;
  const check = checksOf(order)?.find((c) => c.checkId === payment.checkId);
  if (!check) throw new UnprocessableError(`The bill has no check ${payment.checkId}`, { checkId: payment.checkId });
  if (payment.amount > check.balance) {
    throw new UnprocessableError(`The payment exceeds the balance of check ${check.checkId} (${check.balance})`, { balance: check.balance });
  }
}

export function addPayment(order: OrderRecord, payment: Payment, now: string): Change {
  assertPaymentAllowed(order, payment);
  const next = withTotals({ ...bump(order, now), payments: [...order.payments, payment] });
  return settle(order, next, payment.by, now, [
    { type: 'payment.recorded', data: { ...orderRefOf(next), payment: eventPayment(payment), totals: next.totals } },
  ]);
}

/** A refund never exceeds what is left of its payment (amount and tip, less earlier refunds, pending ones too). */
export function assertRefundAllowed(order: OrderRecord, refund: { paymentId: string; amount: number }): Payment {
  const payment = order.payments.find((p) => p.paymentId === refund.paymentId);
  if (!payment) throw new NotFoundError('Payment not found');
  if (order.refunds.length >= MAX_PAYMENTS_PER_ORDER) throw new UnprocessableError(`An order takes at most ${MAX_PAYMENTS_PER_ORDER} refunds`);
  const refunded = order.refunds.filter((r) => r.paymentId === payment.paymentId).reduce((sum, r) => sum + r.amount, 0);
  const refundable = payment.amount + payment.tip - refunded;
  if (refund.amount > refundable) {
    throw new UnprocessableError(`A refund of ${refund.amount} exceeds the ${refundable} left to refund on this payment`, { refundable });
  }
  return payment;
}

/** Step 1 of a refund: hold the amount against the payment before the processor is asked. */
export function reserveRefund(order: OrderRecord, refund: Refund, now: string): Change {
  assertRefundAllowed(order, refund);
  return { order: withTotals({ ...bump(order, now), refunds: [...order.refunds, { ...refund, status: 'pending' }] }), events: [] };
}

function pendingRefund(order: OrderRecord, refundId: string): Refund {
  const refund = order.refunds.find((r) => r.refundId === refundId && r.status === 'pending');
  if (!refund) throw new ConflictError('The refund is no longer pending');
  return refund;
}

/** Step 2, the processor agreed: the refund counts, and is announced. */
export function completeRefund(order: OrderRecord, refundId: string, processorReference: string | undefined, now: string): Change {
  const pending = pendingRefund(order, refundId);
  const refund: Refund = { ...pending, status: 'completed', ...(processorReference ? { processorReference } : {}) };
  const next = withTotals({ ...bump(order, now), refunds: order.refunds.map((r) => (r.refundId === refundId ? refund : r)) });
  const method = order.payments.find((p) => p.paymentId === refund.paymentId)!.method;
  return {
    order: next,
    events: [{ type: 'payment.refunded', data: { ...orderRefOf(next), refund: eventRefund(refund), method, totals: next.totals } }],
  };
}

/** Step 2, the processor refused: the hold goes. */
export function releaseRefund(order: OrderRecord, refundId: string, now: string): Change {
  pendingRefund(order, refundId);
  return { order: withTotals({ ...bump(order, now), refunds: order.refunds.filter((r) => r.refundId !== refundId) }), events: [] };
}
