// Reads: one order, a business day's orders page by page, and the open orders for the floor and kitchen.
import { ConflictError } from '#shared/errors';
import { businessDayOf } from '#shared/time';
import { store } from './config';
import { checksOf, KITCHEN_STATUSES } from './order-rules';
import { loadOrder } from './orders';
import type { OrderRecord, Station } from './schemas';

/** What a response shows of an order: the record without bookkeeping, and the checks when the bill is split. */
export function publicOrder(order: OrderRecord) {
  const { nextLineNumber: _next, ...shown } = order;
  const checks = checksOf(order);
  return { ...shown, ...(checks ? { checks } : {}) };
}

export async function getOrder(siteId: string, orderId: string) {
  return publicOrder(await loadOrder(siteId, orderId));
}

/** Without `businessDay`, the site's current one (in its time zone). */
export async function listOrders(siteId: string, query: { businessDay?: string; limit: number; cursor?: string }) {
  let businessDay = query.businessDay;
  if (!businessDay) {
    const settings = await store.getSettings(siteId);
    if (!settings) throw new ConflictError('This site does not take orders yet: a manager must set its menu settings first');
    businessDay = businessDayOf(new Date(), settings.timeZone, settings.businessDayStartsAt);
  }
  const page = await store.listOrdersByDay(siteId, businessDay, query.limit, query.cursor);
  return { businessDay, orders: page.orders.map(publicOrder), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

/**
 * Orders not closed or voided, oldest first, with their age. With a station, the kitchen display's view:
 * orders the kitchen has (sent, preparing, ready) with only that station's lines.
 */
export async function listOpenOrders(siteId: string, station: Station | undefined, now = new Date()) {
  const orders = await store.listActiveOrders(siteId);
  return orders
    .filter((order) => !station || KITCHEN_STATUSES.includes(order.status))
    .map((order) => ({
      orderId: order.orderId,
      ticketNumber: order.ticketNumber,
      status: order.status,
      channel: order.channel,
      serverId: order.serverId,
      placedAt: order.placedAt,
      ...(order.sentAt ? { sentAt: order.sentAt } : {}),
      ageSeconds: Math.max(0, Math.floor((now.getTime() - Date.parse(order.placedAt)) / 1000)),
      version: order.version,
      lines: station ? order.lines.filter((line) => line.station === station) : order.lines,
    }))
    .filter((order) => order.lines.length > 0);
}
