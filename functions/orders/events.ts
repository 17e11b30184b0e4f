// The event catalog of the orders domain: every event it publishes, with the exact schema of its `data`.
// The publisher validates each event against these schemas before it goes into the outbox, and the contract
// test validates what subscribers receive against them, so this file is the documentation that cannot drift.
//
// Every event is the shared envelope { id, type, source: 'orders', siteId, occurredAt, correlationId, data },
// published to the events topic with the message attributes `type`, `siteId` and `source`. Order events carry
// the order `version` after the change (two events from one change share it); menu events the item `version`.
// Delivery is at least once and unordered: deduplicate by `id`, order by `version`.
import { z } from 'zod';
import { buildEvent, eventEnvelopeSchema, type EventEnvelope } from '#shared/events';
import { channelSchema, stationSchema, unitSchema, type OrderLine, type OrderRecord, type Payment, type Refund } from './schemas';

export const EVENT_SOURCE = 'orders';

const money = z.number().int().min(0);
const at = z.iso.datetime();
const statusSchema = z.enum(['open', 'sent', 'preparing', 'ready', 'served', 'closed', 'voided']);

const totalsSchema = z.strictObject({
  subtotal: money,
  discount: money,
  tax: money,
  tip: money,
  total: money,
  paid: money,
  refunded: money,
  balance: z.number().int(),
});

const lineSchema = z.strictObject({
  lineId: z.string(),
  itemId: z.string(),
  name: z.string(),
  station: stationSchema,
  quantity: z.number().int().min(1),
  modifiers: z.array(z.strictObject({ modifierId: z.string(), name: z.string(), priceDelta: z.number().int() })),
  unitPrice: money,
  amount: money,
  taxRate: z.string().regex(/^\d{1,3}(\.\d{1,4})?$/),
  discount: money,
  tax: money,
  notes: z.string().optional(),
  status: z.enum(['pending', 'fired', 'done']),
  /** Recipe quantities for the whole line: what inventory depletes. */
  consumption: z.array(z.strictObject({ ingredientId: z.string(), quantity: z.number().positive(), unit: unitSchema })),
});

const discountSchema = z.union([
  z.strictObject({ type: z.literal('amount'), amount: money, reason: z.string(), by: z.string(), at }),
  z.strictObject({ type: z.literal('percent'), percentBps: z.number().int().min(0).max(10_000), reason: z.string(), by: z.string(), at }),
]);

const paymentSchema = z.strictObject({
  paymentId: z.string(),
  method: z.enum(['cash', 'card']),
  amount: money,
  tip: money,
  processor: z.string(),
  processorReference: z.string().optional(),
  checkId: z.string().optional(),
  by: z.string(),
  at,
});

const refundSchema = z.strictObject({
  refundId: z.string(),
  paymentId: z.string(),
  amount: money,
  reason: z.string(),
  processorReference: z.string().optional(),
  by: z.string(),
  at,
});

const orderRef = {
  orderId: z.string(),
  ticketNumber: z.number().int().min(1),
  businessDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  version: z.number().int().min(1),
};

/** The whole order: what inventory and analytics need without asking for anything else. */
const orderSnapshotSchema = z.strictObject({
  ...orderRef,
  currency: z.string().length(3),
  channel: channelSchema,
  serverId: z.string(),
  status: statusSchema,
  lines: z.array(lineSchema).min(1),
  discount: discountSchema.nullable(),
  payments: z.array(paymentSchema),
  refunds: z.array(refundSchema),
  totals: totalsSchema,
  placedAt: at,
});

export const eventDataSchemas = {
  /** A new order, priced by the server. */
  'order.placed': orderSnapshotSchema,
  /** A line added to an open order. */
  'order.line-added': z.strictObject({ ...orderRef, line: lineSchema, totals: totalsSchema }),
  /** A line removed from an open order (as it was before removal). */
  'order.line-removed': z.strictObject({ ...orderRef, line: lineSchema, totals: totalsSchema }),
  /** One step of the kitchen flow; `closed` comes from the last payment or an explicit close. `serverId` placed the
   * order: notifications tell them when it is ready. */
  'order.status-changed': z.strictObject({ ...orderRef, serverId: z.string(), from: statusSchema, to: statusSchema, changedBy: z.string(), changedAt: at }),
  /** Voided by a manager; the lines say what may have been prepared already. */
  'order.voided': z.strictObject({
    ...orderRef,
    from: statusSchema,
    reason: z.string(),
    voidedBy: z.string(),
    lines: z.array(lineSchema),
    totals: totalsSchema,
  }),
  /** A discount set, replaced or removed (null) by a manager. */
  'order.discount-applied': z.strictObject({ ...orderRef, discount: discountSchema.nullable(), totals: totalsSchema }),
  /** The balance reached zero: the full order with lines, recipe quantities, payments and totals. */
  'order.paid': orderSnapshotSchema,
  /** A payment (part or whole) against an order. */
  'payment.recorded': z.strictObject({ ...orderRef, payment: paymentSchema, totals: totalsSchema }),
  /** Money given back on a payment, by a manager. */
  'payment.refunded': z.strictObject({ ...orderRef, refund: refundSchema, method: z.enum(['cash', 'card']), totals: totalsSchema }),
  /** An item went off the menu: by hand, or its countdown reached zero. */
  'menu.item-86d': z.strictObject({
    itemId: z.string(),
    name: z.string(),
    reason: z.enum(['manual', 'sold-out']),
    version: z.number().int().min(1),
  }),
  /** An 86'd item is back, with its new countdown or none (null). */
  'menu.item-restored': z.strictObject({
    itemId: z.string(),
    name: z.string(),
    remaining: z.number().int().min(1).nullable(),
    version: z.number().int().min(1),
  }),
} as const;

export type OrdersEventType = keyof typeof eventDataSchemas;
export const EVENT_TYPES = Object.keys(eventDataSchemas) as OrdersEventType[];

/** The full envelope of an event type, for consumers and the contract test. */
export function envelopeSchemaOf(type: OrdersEventType) {
  return eventEnvelopeSchema.extend({ type: z.literal(type), source: z.literal(EVENT_SOURCE), data: eventDataSchemas[type] });
}

/** An event about to be published: its type and data, before the envelope. */
export type EventSpec = { [T in OrdersEventType]: { type: T; data: z.input<(typeof eventDataSchemas)[T]> } }[OrdersEventType];

/** Envelopes for `specs`, each validated against the catalog: an event that does not match it is a bug, not sent. */
export function buildEvents(specs: EventSpec[], context: { siteId: string; correlationId: string; at: Date }): EventEnvelope[] {
  return specs.map((spec) =>
    buildEvent({
      type: spec.type,
      source: EVENT_SOURCE,
      siteId: context.siteId,
      correlationId: context.correlationId,
      occurredAt: context.at,
      data: eventDataSchemas[spec.type].parse(spec.data) as Record<string, unknown>,
    }),
  );
}

// --- mapping records to event data ----------------------------------------------------------------------------

export function eventLine(line: OrderLine): z.input<typeof lineSchema> {
  return {
    lineId: line.lineId,
    itemId: line.itemId,
    name: line.name,
    station: line.station,
    quantity: line.quantity,
    modifiers: line.modifiers,
    unitPrice: line.unitPrice,
    amount: line.amount,
    taxRate: line.taxRate,
    discount: line.discount,
    tax: line.tax,
    ...(line.notes ? { notes: line.notes } : {}),
    status: line.status,
    consumption: line.consumption,
  };
}

export const orderRefOf = (order: OrderRecord) => ({
  orderId: order.orderId,
  ticketNumber: order.ticketNumber,
  businessDay: order.businessDay,
  version: order.version,
});

export const eventPayment = (payment: Payment): z.input<typeof paymentSchema> => ({ ...payment });
export const eventRefund = ({ status: _status, ...refund }: Refund): z.input<typeof refundSchema> => refund;

export function orderSnapshot(order: OrderRecord): z.input<typeof orderSnapshotSchema> {
  return {
    ...orderRefOf(order),
    currency: order.currency,
    channel: order.channel,
    serverId: order.serverId,
    status: order.status,
    lines: order.lines.map(eventLine),
    discount: order.discount ?? null,
    payments: order.payments.map(eventPayment),
    refunds: order.refunds.filter((r) => r.status === 'completed').map(eventRefund),
    totals: order.totals,
    placedAt: order.placedAt,
  };
}
