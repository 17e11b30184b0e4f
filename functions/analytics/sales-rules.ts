// The sales aggregation rules, pure: what one orders event adds to a site's counters, and how counters read back.
//
//   order.paid         books the sale, once per event: gross, discounts, net, tax, tips, orders, covers, by
//                      channel, server, payment method and hour of day, and each menu item's quantity and revenue
//   payment.refunded   books a refund on the ORDER's business day (not the day it was given), by payment method
//   order.voided       books a void (count, and the order's net at the void) on the order's business day
//
// A sale is booked when it is paid: an open order is not revenue yet. A void does not reverse a booked sale: orders
// refuses to void an order until its payments are refunded, so the money of a paid-then-voided order already came
// back as refunds; reversing the sale too would count it twice. Net sales are gross − discounts (tax and tips are
// their own counters); refunds are shown next to them, not netted (a refund holds tax and tip too).
//
// Hours are the site-local wall-clock hour of `placedAt` under the order's business day. On a fall-back day the
// repeated hour (01:00–02:00 twice in Europe) is one bucket holding both; on a spring-forward day the skipped hour
// has no bucket (zero). So a day has 23 or 25 real hours but its hours are always keyed 00–23.
import type { EventData, EventOfAny } from '#shared/contracts';
import { mulDivHalfUp } from '#shared/money';
import { addDays, wallClock } from '#shared/time';

/** What record-sales.ts subscribes to (its filter policy in functions.yml; tests/unit/analytics-sales-rules.test.ts). */
export const SALES_EVENTS = ['order.paid', 'payment.refunded', 'order.voided'] as const;
export type SalesEvent = EventOfAny<(typeof SALES_EVENTS)[number]>;

/** Counter name → amount to ADD. Names are the item's attributes: `netSales`, `channel#dine-in#orders`… */
export type Counters = Record<string, number>;

export interface ItemSale {
  itemId: string;
  name: string;
  /** The menu category it was ordered under, when orders said. */
  categoryId?: string;
  quantity: number;
  /** Line amounts after their share of the order discount, before tax. */
  revenue: number;
}

/** What one event adds to a site's figures (sales-store.ts writes it; operations-rules.ts builds the non-sales ones). */
export interface Delta {
  /** The day the figures belong to: the order's business day, the shift's local date, the movement's local date. */
  businessDay: string;
  currency?: string;
  /** Added to the day and its week, month and year rollups. */
  day: Counters;
  /** Names shown for ids in counters (`label#category#{id}`), set on the same items as `day`. */
  labels?: Record<string, string>;
  /** Added to hours of the day (site-local 00–23). */
  hours: Array<{ hour: string; counters: Counters }>;
  /** Added to each menu item's day and month. */
  items: ItemSale[];
  /** A known customer's visit: their item gets the visit, the spend and the day. */
  customer?: { ref: string; spend: number };
  /** Book only if this order's sale is not booked yet (a refunded order paid again is one sale). */
  bookOrder?: string;
}

/** The base counters every day, rollup and hour item may hold. */
export const METRICS = ['grossSales', 'discounts', 'netSales', 'tax', 'tips', 'orders', 'covers', 'refunds', 'refundCount', 'voids', 'voidAmount'] as const;
export type Metric = (typeof METRICS)[number];

export const add = (counters: Counters, name: string, amount: number) => {
  if (amount !== 0) counters[name] = (counters[name] ?? 0) + amount;
};

type Order = EventData<'order.paid'>;

function saleDelta(order: Order, timeZone: string): Delta {
  const netSales = order.totals.subtotal - order.totals.discount;
  const covers = order.channel.type === 'dine-in' ? order.channel.covers : 0;
  const day: Counters = {};
  const labels: Record<string, string> = {};
  add(day, 'grossSales', order.totals.subtotal);
  add(day, 'discounts', order.totals.discount);
  add(day, 'netSales', netSales);
  add(day, 'tax', order.totals.tax);
  add(day, 'tips', order.totals.tip);
  add(day, 'orders', 1);
  add(day, 'covers', covers);
  add(day, `channel#${order.channel.type}#netSales`, netSales);
  add(day, `channel#${order.channel.type}#orders`, 1);
  add(day, `server#${order.serverId}#netSales`, netSales);
  add(day, `server#${order.serverId}#orders`, 1);
  add(day, `server#${order.serverId}#covers`, covers);
  add(day, `server#${order.serverId}#discounts`, order.totals.discount);
  add(day, `server#${order.serverId}#tips`, order.totals.tip);
  for (const payment of order.payments) add(day, `payment#${payment.method}`, payment.amount + payment.tip);
  for (const line of order.lines) {
    if (!line.categoryId) continue;
    add(day, `category#${line.categoryId}#netSales`, line.amount - line.discount);
    add(day, `category#${line.categoryId}#quantity`, line.quantity);
    if (line.categoryName) labels[`label#category#${line.categoryId}`] = line.categoryName;
  }
  if (order.customerRef) {
    add(day, 'customerOrders', 1);
    add(day, 'customerSales', netSales);
  }
  const hourCounters: Counters = {};
  add(hourCounters, 'netSales', netSales);
  add(hourCounters, 'orders', 1);
  add(hourCounters, 'covers', covers);
  return {
    businessDay: order.businessDay,
    currency: order.currency,
    day,
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
    hours: [{ hour: wallClock(Date.parse(order.placedAt), timeZone).time.slice(0, 2), counters: hourCounters }],
    items: itemSales(order.lines),
    ...(order.customerRef ? { customer: { ref: order.customerRef, spend: netSales } } : {}),
    bookOrder: order.orderId,
  };
}

/** One entry per menu item, however many lines it has. */
export function itemSales(lines: Order['lines']): ItemSale[] {
  const byItem = new Map<string, ItemSale>();
  for (const line of lines) {
    const sale = byItem.get(line.itemId) ?? { itemId: line.itemId, name: line.name, ...(line.categoryId ? { categoryId: line.categoryId } : {}), quantity: 0, revenue: 0 };
    sale.quantity += line.quantity;
    sale.revenue += line.amount - line.discount;
    byItem.set(line.itemId, sale);
  }
  return [...byItem.values()];
}

/** What `event` adds to the site's counters; `timeZone` is the site's, for the hour of day. */
export function salesDelta(event: SalesEvent, timeZone: string): Delta {
  switch (event.type) {
    case 'order.paid':
      return saleDelta(event.data, timeZone);
    case 'payment.refunded': {
      const day: Counters = {};
      add(day, 'refunds', event.data.refund.amount);
      add(day, 'refundCount', 1);
      add(day, `refund#${event.data.method}`, event.data.refund.amount);
      return { businessDay: event.data.businessDay, day, hours: [], items: [] };
    }
    case 'order.voided': {
      const day: Counters = {};
      const amount = event.data.totals.subtotal - event.data.totals.discount;
      add(day, 'voids', 1);
      add(day, 'voidAmount', amount);
      // Whose order it was: voids per server are a loss-prevention figure (the manager who voided is `voidedBy`).
      if (event.data.serverId) {
        add(day, `server#${event.data.serverId}#voids`, 1);
        add(day, `server#${event.data.serverId}#voidAmount`, amount);
      }
      return { businessDay: event.data.businessDay, day, hours: [], items: [] };
    }
  }
}

// ------------------------------------------------------------------------------------------------ hours of a day

const HOURS = Array.from({ length: 24 }, (_, hour) => String(hour).padStart(2, '0'));

/** The hours of a business day in the order they pass: from the hour it starts in (04, 05 … 23, 00 … 03). */
export function hoursOfBusinessDay(startsAt: string): string[] {
  const first = HOURS.indexOf(startsAt.slice(0, 2));
  return [...HOURS.slice(first), ...HOURS.slice(0, first)];
}

/** The hours of the current business day up to and including the one the wall clock (HH:MM) is in. */
export function hoursThrough(startsAt: string, clock: string): string[] {
  const hours = hoursOfBusinessDay(startsAt);
  // A day starting at 04:30 is in its last hour from 04:00 to 04:29: every hour is behind it.
  if (clock.slice(0, 2) === hours[0] && clock < startsAt) return hours;
  return hours.slice(0, hours.indexOf(clock.slice(0, 2)) + 1);
}

// ------------------------------------------------------------------------------------------------ buckets

export type Grain = 'day' | 'week' | 'month';

/** The Monday of `date`'s ISO week. */
export function weekStartOf(date: string): string {
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}

const monthEnd = (month: string) => addDays(`${nextMonth(month)}-01`, -1);
function nextMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

/** The rollup keys a day's counters are added to, besides the day itself. */
export const rollupsOf = (date: string) => ({ week: weekStartOf(date), month: date.slice(0, 7), year: date.slice(0, 4) });

/** A period of a report: `[from, to]` (whole days), read from `rollup` when it lies wholly inside, else its days. */
export interface Bucket {
  period: string;
  from: string;
  to: string;
  /** The rollup item holding exactly these days, or undefined: read the days one by one (a partial edge period). */
  rollup?: { grain: Grain; key: string };
}

/** The periods of `[from, to]` at `grain`; the first and last may be cut by the range. */
export function bucketsOf(from: string, to: string, grain: Grain): Bucket[] {
  const buckets: Bucket[] = [];
  for (let start = from; start <= to; ) {
    const fullStart = grain === 'day' ? start : grain === 'week' ? weekStartOf(start) : `${start.slice(0, 7)}-01`;
    const fullEnd = grain === 'day' ? start : grain === 'week' ? addDays(fullStart, 6) : monthEnd(start.slice(0, 7));
    const end = fullEnd < to ? fullEnd : to;
    const whole = start === fullStart && end === fullEnd;
    const key = grain === 'month' ? fullStart.slice(0, 7) : fullStart;
    buckets.push({ period: key, from: start, to: end, ...(whole ? { rollup: { grain, key } } : {}) });
    start = addDays(end, 1);
  }
  return buckets;
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The range a report compares with: the same number of days just before, or the same dates a year earlier. */
export function comparisonRange(from: string, to: string, compare: 'previous' | 'last-year'): { from: string; to: string } {
  if (compare === 'previous') return { from: addDays(from, -daysBetween(from, to)), to: addDays(from, -1) };
  return { from: yearEarlier(from), to: yearEarlier(to) };
}

/** The same date a year earlier; 29 February becomes the 28th. */
export function yearEarlier(date: string): string {
  const candidate = `${Number(date.slice(0, 4)) - 1}${date.slice(4)}`;
  // Date rolls a 29 February that does not exist over to 1 March.
  return new Date(`${candidate}T12:00:00Z`).toISOString().slice(0, 10) === candidate ? candidate : `${candidate.slice(0, 8)}28`;
}

// ------------------------------------------------------------------------------------------------ reading

export interface ServerFigures {
  netSales: number;
  orders: number;
  covers: number;
  discounts: number;
  tips: number;
  /** Seconds on the clock (staff's clock-outs of the same user id). */
  labourSeconds: number;
  /** Their orders voided, and those orders' net at the void. */
  voids: number;
  voidAmount: number;
}

export interface Figures {
  grossSales: number;
  discounts: number;
  netSales: number;
  tax: number;
  tips: number;
  orders: number;
  covers: number;
  /** netSales ÷ orders, half up; 0 without orders. Derived at read, never stored. */
  averageTicket: number;
  refunds: { count: number; amount: number };
  voids: { count: number; amount: number };
  byChannel: Record<string, { netSales: number; orders: number }>;
  byServer: Record<string, ServerFigures>;
  /** Taken by method (amounts with tips), and refunded by method. */
  byPaymentMethod: Record<string, { taken: number; refunded: number }>;
  /** By menu category as ordered: net sales (line amounts after discount) and portions. */
  byCategory: Record<string, { name: string | null; netSales: number; quantity: number }>;
  /** Hours on the clock and their cost at base pay rates; `uncostedSeconds` had no known rate. */
  labour: { seconds: number; cost: number; uncostedSeconds: number; percentOfSalesBps: number | null; salesPerLabourHour: number | null };
  byPosition: Record<string, { labourSeconds: number; labourCost: number }>;
  /** Theoretical food cost: recipe quantities depleted by orders at the average cost, less returns. */
  foodCost: { amount: number; percentOfSalesBps: number | null };
  waste: { count: number; value: number; byReason: Record<string, number> };
  foodSafety: { incidents: number; critical: number; minutesOutOfRange: number };
  /** Orders that named a customer (a loyalty id or a phone, kept as a keyed hash) and their net sales. */
  knownCustomers: { orders: number; netSales: number };
}

/** Every figure a report can show, by name (`?metrics=` picks some). */
export const FIGURE_NAMES = [
  'grossSales', 'discounts', 'netSales', 'tax', 'tips', 'orders', 'covers', 'averageTicket', 'refunds', 'voids', 'byChannel', 'byServer',
  'byPaymentMethod', 'byCategory', 'labour', 'byPosition', 'foodCost', 'waste', 'foodSafety', 'knownCustomers',
] as const satisfies ReadonlyArray<keyof Figures>;
export type FigureName = (typeof FIGURE_NAMES)[number];

/** Only the figures named. */
export const pickFigures = (figures: Figures, names: readonly FigureName[]): Partial<Figures> => Object.fromEntries(names.map((name) => [name, figures[name]]));

/** Sums counter items (days, rollups or hours); none is all zeros. */
export function sumCounters(items: readonly Counters[]): Counters {
  const total: Counters = {};
  for (const item of items) for (const [name, value] of Object.entries(item)) add(total, name, value);
  return total;
}

export const averageTicket = (netSales: number, orders: number) => (orders > 0 ? mulDivHalfUp(netSales, 1, orders) : 0);

/** `part` of `whole` in basis points, half up; null when the whole is zero. */
export const shareBps = (part: number, whole: number) => (whole > 0 ? mulDivHalfUp(part, 10_000, whole) : null);

/** Money per hour on the clock, half up; null without hours. */
export const perLabourHour = (amount: number, seconds: number) => (seconds > 0 ? mulDivHalfUp(amount, 3600, seconds) : null);

const emptyServer = (): ServerFigures => ({ netSales: 0, orders: 0, covers: 0, discounts: 0, tips: 0, labourSeconds: 0, voids: 0, voidAmount: 0 });
const SERVER_METRICS = new Set(Object.keys(emptyServer()));

/** The figures a set of counters stands for: every metric present, zero where nothing was booked. `labels` name ids. */
export function figuresOf(counters: Counters, labels: Record<string, string> = {}): Figures {
  const value = (name: string) => counters[name] ?? 0;
  const byChannel: Figures['byChannel'] = {};
  const byServer: Figures['byServer'] = {};
  const byPaymentMethod: Figures['byPaymentMethod'] = {};
  const byCategory: Figures['byCategory'] = {};
  const byPosition: Figures['byPosition'] = {};
  const wasteByReason: Record<string, number> = {};
  for (const [name, amount] of Object.entries(counters)) {
    const [kind, key, metric] = name.split('#') as [string, string | undefined, string | undefined];
    if (key === undefined) continue;
    if (kind === 'channel' && (metric === 'netSales' || metric === 'orders')) byChannel[key] = { ...(byChannel[key] ?? { netSales: 0, orders: 0 }), [metric]: amount };
    else if (kind === 'server' && metric && SERVER_METRICS.has(metric)) byServer[key] = { ...(byServer[key] ?? emptyServer()), [metric]: amount };
    else if (kind === 'category' && (metric === 'netSales' || metric === 'quantity'))
      byCategory[key] = { ...(byCategory[key] ?? { name: labels[`category#${key}`] ?? null, netSales: 0, quantity: 0 }), [metric]: amount };
    else if (kind === 'position' && (metric === 'labourSeconds' || metric === 'labourCost')) byPosition[key] = { ...(byPosition[key] ?? { labourSeconds: 0, labourCost: 0 }), [metric]: amount };
    else if (kind === 'waste' && metric === 'value') wasteByReason[key] = amount;
    else if (kind === 'payment' || kind === 'refund') {
      const entry = byPaymentMethod[key] ?? { taken: 0, refunded: 0 };
      byPaymentMethod[key] = kind === 'payment' ? { ...entry, taken: amount } : { ...entry, refunded: amount };
    }
  }
  const netSales = value('netSales');
  return {
    grossSales: value('grossSales'),
    discounts: value('discounts'),
    netSales,
    tax: value('tax'),
    tips: value('tips'),
    orders: value('orders'),
    covers: value('covers'),
    averageTicket: averageTicket(netSales, value('orders')),
    refunds: { count: value('refundCount'), amount: value('refunds') },
    voids: { count: value('voids'), amount: value('voidAmount') },
    byChannel,
    byServer,
    byPaymentMethod,
    byCategory,
    labour: {
      seconds: value('labourSeconds'),
      cost: value('labourCost'),
      uncostedSeconds: value('labourSecondsUncosted'),
      percentOfSalesBps: shareBps(value('labourCost'), netSales),
      salesPerLabourHour: perLabourHour(netSales, value('labourSeconds')),
    },
    byPosition,
    foodCost: { amount: value('foodCost'), percentOfSalesBps: shareBps(value('foodCost'), netSales) },
    waste: { count: value('wasteCount'), value: value('wasteValue'), byReason: wasteByReason },
    foodSafety: { incidents: value('incidents'), critical: value('criticalIncidents'), minutesOutOfRange: Math.round(value('secondsOutOfRange') / 6) / 10 },
    knownCustomers: { orders: value('customerOrders'), netSales: value('customerSales') },
  };
}

/** Relative change from `before` to `now` in basis points (1250 = +12.5 %); null when there was nothing before. */
export function changeBps(now: number, before: number): number | null {
  if (before === 0) return null;
  const change = mulDivHalfUp(Math.abs(now - before), 10_000, before);
  return now < before ? -change : change;
}
