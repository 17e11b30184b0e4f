// Events of the orders domain, built from its records. What each event carries is its contract in
// #shared/contracts/orders (docs/events.md): every event is checked against it when it is built, before it goes
// into the outbox, so an event breaking it is a bug that fails the change instead of being sent.
import type * as z from 'zod';
import type { EventData } from '#shared/contracts';
import { ordersContract } from '#shared/contracts/orders';
import { buildEvent, type EventEnvelope } from '#shared/events';
import type { MenuItemRecord, MenuSettingsRecord, OrderLine, OrderRecord, Payment, Refund } from './schemas';

type OrdersEvents = typeof ordersContract.events;
type OrdersEventType = keyof OrdersEvents;
type Input<T extends OrdersEventType> = z.input<OrdersEvents[T]['data']>;

/** An event about to be published: its type and data, before the envelope. */
export type EventSpec = { [T in OrdersEventType]: { type: T; data: Input<T> } }[OrdersEventType];

/** Envelopes for `specs`, each checked against its contract. */
export function buildEvents(specs: EventSpec[], context: { siteId: string; correlationId: string; at: Date }): EventEnvelope[] {
  return specs.map((spec) =>
    buildEvent({
      type: spec.type,
      source: ordersContract.source,
      siteId: context.siteId,
      correlationId: context.correlationId,
      occurredAt: context.at,
      data: spec.data,
    }),
  );
}

// --- mapping records to event data ----------------------------------------------------------------------------

export function eventLine(line: OrderLine): EventData<'order.line-added'>['line'] {
  return {
    lineId: line.lineId,
    itemId: line.itemId,
    name: line.name,
    ...(line.categoryId ? { categoryId: line.categoryId } : {}),
    ...(line.categoryName !== undefined ? { categoryName: line.categoryName } : {}),
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

export const eventPayment = (payment: Payment): EventData<'payment.recorded'>['payment'] => ({ ...payment });
export const eventRefund = ({ status: _status, ...refund }: Refund): EventData<'payment.refunded'>['refund'] => refund;

export function orderSnapshot(order: OrderRecord): Input<'order.placed'> {
  return {
    ...orderRefOf(order),
    currency: order.currency,
    channel: order.channel,
    serverId: order.serverId,
    ...(order.customerRef ? { customerRef: order.customerRef } : {}),
    status: order.status,
    lines: order.lines.map(eventLine),
    discount: order.discount ?? null,
    payments: order.payments.map(eventPayment),
    refunds: order.refunds.filter((r) => r.status === 'completed').map(eventRefund),
    totals: order.totals,
    placedAt: order.placedAt,
  };
}

/**
 * menu.settings-changed for a version of the settings: the business-day rule and the currency. Its id is per site
 * and version, so a republished version (the demo seed, `npm run menu-settings:republish`) keeps its id.
 */
export function menuSettingsEvent(settings: MenuSettingsRecord, context: { correlationId: string }): EventEnvelope {
  const { siteId, timeZone, currency, businessDayStartsAt, version } = settings;
  return buildEvent({
    id: `menu-settings:${siteId}:v${version}`,
    type: 'menu.settings-changed',
    source: ordersContract.source,
    siteId,
    correlationId: context.correlationId,
    occurredAt: new Date(settings.updatedAt),
    data: { timeZone, currency, businessDayStartsAt, version },
  });
}

/** A menu item as menu.item-changed tells it: its recipes per portion, the modifiers' own, and its version. */
export function menuItemChangedData(item: MenuItemRecord): Input<'menu.item-changed'> {
  const recipe = (consumption: MenuItemRecord['recipe']) => consumption.map(({ ingredientId, quantity, unit }) => ({ ingredientId, quantity, unit }));
  return {
    itemId: item.itemId,
    name: item.name,
    active: item.active,
    recipe: recipe(item.recipe),
    modifiers: item.modifiers.map((m) => ({ modifierId: m.modifierId, recipe: recipe(m.recipe) })),
    version: item.version,
  };
}
