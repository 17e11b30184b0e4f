// Thirteen weeks of the demo site's trading before `npm start`, as the domains would have published it: paid orders
// (weekly rhythm, lunch and dinner, a slow upward trend, regulars known by a loyalty id), a few refunds and voids,
// the staff's clock-outs (the same shifts the staff seed punches), depletion and waste at the stock's costs, two
// freezer excursions, and the menu's recipes and the staff's pay rates they are priced with. So the dashboard,
// every report and the forecasts have history from the first minute.
//
// The events are generated deterministically (a PRNG seeded per day), validated against their contracts, kept in
// the event archive as if it had received them (so `npm run analytics:rebuild` reproduces the figures), and
// counted into analytics by the same pure rules as the consumer, summed in memory and put (fold.ts): replaying
// them one transaction each would take minutes. Depletion is one movement per ingredient and day, not per order.
// The orders, staff and inventory tables do not get these orders, punches or movements: it is history for the
// reports, not records to edit.
import { createHash } from 'node:crypto';
import type { EventData, EventOf, EventType } from '../../functions/shared/contracts';
import { buildEvent, type EventEnvelope } from '../../functions/shared/events';
import { allocate, mulDivHalfUp, ratePpm } from '../../functions/shared/money';
import { addDays, zonedTimeToInstant } from '../../functions/shared/time';

export const HISTORY_DAYS = 91;

/** A menu item as the demo menu has it (menu.ts). */
export interface HistoryMenuItem {
  itemId: string;
  categoryId: string;
  name: string;
  price: number;
  taxRate: string;
  station: 'kitchen' | 'bar';
  recipe: Array<{ ingredientId: string; quantity: number; unit: 'g' | 'kg' | 'ml' | 'l' | 'each' }>;
}

export interface HistoryStockItem {
  itemId: string;
  name: string;
  unit: 'g' | 'ml' | 'each';
  /** Minor units per 1 000 base units. */
  averageCost: number;
  location: string;
}

export interface HistoryInput {
  siteId: string;
  timeZone: string;
  currency: string;
  /** The first day of the live demo: history ends the day before. */
  today: string;
  menu: readonly HistoryMenuItem[];
  categories: ReadonlyArray<{ categoryId: string; name: string }>;
  stock: readonly HistoryStockItem[];
  /** Who takes orders (the front of house). */
  servers: readonly string[];
  /** The staff's closed shifts of a day, as staff.clocked-out would tell them. */
  clockOuts: (date: string) => Array<EventData<'staff.clocked-out'>>;
  /** The staff's pay rates, as staff.pay-rates-changed tells them. */
  payRates: ReadonlyArray<EventData<'staff.pay-rates-changed'>>;
  /** The menu items as menu.item-changed tells them. */
  menuEvents: ReadonlyArray<EventData<'menu.item-changed'>>;
  /** The keyed hash orders keeps of a loyalty id. */
  customerRef: (loyaltyId: string) => string;
  freezer: { deviceId: string; deviceName: string; location?: string };
}

/** A PRNG in [0, 1) seeded by a string (mulberry32 over the seed's hash): the same history on every machine. */
function random(seed: string): () => number {
  let state = createHash('sha256').update(seed).digest().readUInt32BE(0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const pick = <T>(rand: () => number, options: ReadonlyArray<readonly [T, number]>): T => {
  const total = options.reduce((sum, [, weight]) => sum + weight, 0);
  let at = rand() * total;
  for (const [value, weight] of options) if ((at -= weight) < 0) return value;
  return options.at(-1)![0];
};

/** Orders on a usual day of the week (Sunday first): busy weekends, a quiet Monday. */
const ORDERS_BY_WEEKDAY = [54, 27, 31, 34, 40, 60, 66];
const ITEM_WEIGHTS: Record<string, number> = { 'soup-of-the-day': 10, 'caesar-salad': 12, 'bistro-burger': 26, 'steak-frites': 14, lemonade: 20, espresso: 18 };
const REGULARS = 120;

const BASE_UNIT_FACTOR = { g: 1, kg: 1000, ml: 1, l: 1000, each: 1 } as const;

/** Every event of the history, in the order they happened. */
export function demoHistoryEvents(input: HistoryInput): EventEnvelope[] {
  const first = addDays(input.today, -HISTORY_DAYS);
  const correlationId = 'demo-history';
  const events: EventEnvelope[] = [];
  const emit = <T extends EventType>(type: T, source: string, at: number, data: EventData<T>, id: string) =>
    events.push(buildEvent({ type, source, siteId: input.siteId, correlationId, data: data as Record<string, unknown>, id, occurredAt: new Date(at) }) as EventOf<T> as EventEnvelope);
  const startAt = zonedTimeToInstant(first, '06:00', input.timeZone);
  for (const item of input.menuEvents) emit('menu.item-changed', 'orders', startAt, item, `menu-item:${item.itemId}:v${item.version}`);
  for (const rates of input.payRates) emit('staff.pay-rates-changed', 'staff', startAt, rates, `pay-rates:${rates.userId}:v${rates.version}:history`);

  const stock = new Map(input.stock.map((item) => [item.itemId, item]));
  const categoryName = new Map(input.categories.map((c) => [c.categoryId, c.name]));
  const regulars = Array.from({ length: REGULARS }, (_, i) => ({
    ref: input.customerRef(`DEMO-${String(i + 1).padStart(4, '0')}`),
    weight: 1 / (i + 1) ** 0.8,
    // A fifth of the regulars stopped coming six weeks ago: the lapsed regulars of the customer report.
    lastDay: i % 5 === 4 ? addDays(input.today, -42) : input.today,
  }));

  for (let offset = 0; offset < HISTORY_DAYS; offset++) {
    const date = addDays(first, offset);
    const rand = random(`${input.siteId}#${date}`);
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    const trend = 1 + 0.002 * offset;
    const orders = Math.round(ORDERS_BY_WEEKDAY[weekday]! * trend * (0.85 + rand() * 0.3));
    const used = new Map<string, number>();
    for (let n = 1; n <= orders; n++) {
      const orderId = `history-${date}-${String(n).padStart(3, '0')}`;
      const dinner = rand() < 0.6;
      const hour = dinner ? 17 + Math.floor(rand() * 5) : 11 + Math.floor(rand() * 3);
      const placedAt = zonedTimeToInstant(date, `${String(hour).padStart(2, '0')}:${String(Math.floor(rand() * 60)).padStart(2, '0')}`, input.timeZone);
      const channel = pick(rand, [
        [{ type: 'dine-in' as const, table: `T${1 + Math.floor(rand() * 12)}`, covers: 1 + Math.floor(rand() * 4) }, 65],
        [{ type: 'takeaway' as const }, 25],
        [{ type: 'delivery' as const }, 10],
      ]);
      const lineCount = 1 + Math.floor(rand() * (channel.type === 'dine-in' ? channel.covers + 1 : 2));
      const chosen = new Map<string, number>();
      for (let l = 0; l < lineCount; l++) {
        const itemId = pick(rand, Object.entries(ITEM_WEIGHTS).map(([id, weight]) => [id, weight] as const));
        chosen.set(itemId, (chosen.get(itemId) ?? 0) + 1);
      }
      const discountRate = rand() < 0.05 ? 10 : 0;
      const items = [...chosen].map(([itemId, quantity]) => ({ item: input.menu.find((m) => m.itemId === itemId)!, quantity }));
      const amounts = items.map(({ item, quantity }) => item.price * quantity);
      const subtotal = amounts.reduce((sum, a) => sum + a, 0);
      const discount = Math.round((subtotal * discountRate) / 100);
      const shares = discount > 0 ? allocate(discount, amounts) : amounts.map(() => 0);
      const lines = items.map(({ item, quantity }, i) => {
        const consumption = item.recipe.map((r) => ({ ingredientId: r.ingredientId, quantity: Math.round(r.quantity * quantity * 1000) / 1000, unit: r.unit }));
        for (const r of item.recipe) used.set(r.ingredientId, (used.get(r.ingredientId) ?? 0) + r.quantity * BASE_UNIT_FACTOR[r.unit] * quantity);
        return {
          lineId: `L${i + 1}`,
          itemId: item.itemId,
          name: item.name,
          categoryId: item.categoryId,
          categoryName: categoryName.get(item.categoryId) ?? item.categoryId,
          station: item.station,
          quantity,
          modifiers: [],
          unitPrice: item.price,
          amount: amounts[i]!,
          taxRate: item.taxRate,
          discount: shares[i]!,
          tax: mulDivHalfUp(amounts[i]! - shares[i]!, ratePpm(item.taxRate), 1_000_000),
          status: 'done' as const,
          consumption,
        };
      });
      const tax = lines.reduce((sum, line) => sum + line.tax, 0);
      const beforeTip = subtotal - discount + tax;
      const card = rand() < 0.8;
      const tip = card ? Math.round((beforeTip * (channel.type === 'dine-in' ? 15 + Math.floor(rand() * 6) : Math.floor(rand() * 10))) / 100) : 0;
      const serverId = input.servers[Math.floor(rand() * input.servers.length)]!;
      const regular = rand() < 0.35 ? pick(rand, regulars.filter((r) => r.lastDay > date).map((r) => [r, r.weight] as const)) : undefined;
      const paidAt = placedAt + (30 + Math.floor(rand() * 60)) * 60_000;
      const ticketNumber = n;
      const base = { orderId, ticketNumber, businessDay: date, version: 6 };
      const totals = { subtotal, discount, tax, tip, total: beforeTip + tip, paid: beforeTip + tip, refunded: 0, balance: 0 };
      if (rand() < 0.015) {
        // Voided before payment: nothing was taken.
        emit('order.voided', 'orders', placedAt + 10 * 60_000, { ...base, version: 3, from: 'sent', reason: 'guest left', voidedBy: input.servers[0]!, serverId, lines, totals: { ...totals, tip: 0, total: beforeTip, paid: 0, balance: beforeTip } }, `void:${orderId}`);
        continue;
      }
      const payment = {
        paymentId: `${orderId}-p1`,
        method: card ? ('card' as const) : ('cash' as const),
        amount: beforeTip,
        tip,
        processor: card ? 'demo-processor' : 'cash',
        by: serverId,
        at: new Date(paidAt).toISOString(),
      };
      emit(
        'order.paid',
        'orders',
        paidAt,
        {
          ...base,
          currency: input.currency,
          channel,
          serverId,
          status: 'closed',
          lines,
          discount: discount > 0 ? { type: 'percent', percentBps: discountRate * 100, reason: 'regular', by: input.servers[0]!, at: new Date(placedAt).toISOString() } : null,
          payments: [payment],
          refunds: [],
          totals,
          placedAt: new Date(placedAt).toISOString(),
          ...(regular ? { customerRef: regular.ref } : {}),
        },
        `paid:${orderId}`,
      );
      if (rand() < 0.008) {
        const amount = Math.max(1, Math.round(beforeTip * (0.2 + rand() * 0.8)));
        const at = paidAt + 20 * 60_000;
        const refund = { refundId: `${orderId}-r1`, paymentId: payment.paymentId, amount, reason: 'cold food', by: input.servers[0]!, at: new Date(at).toISOString() };
        emit('payment.refunded', 'orders', at, { ...base, version: 7, refund, method: payment.method, totals: { ...totals, refunded: amount, balance: amount } }, `refund:${refund.refundId}`);
      }
    }
    const closeAt = zonedTimeToInstant(date, '23:30', input.timeZone);
    for (const [ingredientId, quantity] of used) {
      const item = stock.get(ingredientId);
      if (!item) continue;
      const exact = Math.round(quantity * 1000) / 1000;
      emit('inventory.movement-recorded', 'inventory', closeAt, movement(item, `history-sale-${date}-${ingredientId}`, 'sale', exact, closeAt), `movement:history-sale-${date}-${ingredientId}`);
    }
    if (rand() < 0.3) {
      const item = input.stock[Math.floor(rand() * input.stock.length)]!;
      const quantity = item.unit === 'each' ? 1 + Math.floor(rand() * 4) : 100 + Math.floor(rand() * 400);
      const at = zonedTimeToInstant(date, '22:00', input.timeZone);
      const reason = pick(rand, [['spoiled', 3], ['dropped', 2], ['expired', 2]] as const);
      emit('inventory.movement-recorded', 'inventory', at, { ...movement(item, `history-waste-${date}`, 'waste', quantity, at), reason }, `movement:history-waste-${date}`);
    }
    for (const shift of input.clockOuts(date)) emit('staff.clocked-out', 'staff', Date.parse(shift.clockedOutAt), shift, `clock-out:${shift.shiftId}`);
    if (offset % 23 === 11) {
      // The freezer's door left ajar: 40 minutes out of range, critical.
      const startedAt = zonedTimeToInstant(date, '15:10', input.timeZone);
      const device = { deviceId: input.freezer.deviceId, deviceName: input.freezer.deviceName, deviceType: 'freezer' as const, ...(input.freezer.location ? { location: input.freezer.location } : {}) };
      const incidentId = `history-${date}-${input.freezer.deviceId}`;
      const limits = { maxC: -18 };
      const iso = (ms: number) => new Date(ms).toISOString();
      emit(
        'iot.excursion-started',
        'iot',
        startedAt + 15 * 60_000,
        { severity: 'critical', ...device, incidentId, startedAt: iso(startedAt), detectedAt: iso(startedAt + 15 * 60_000), temperatureC: -9, peakC: -9, limits, gracePeriodMinutes: 15 },
        `${incidentId}:started`,
      );
      emit(
        'iot.excursion-ended',
        'iot',
        startedAt + 40 * 60_000,
        { severity: 'info', ...device, incidentId, startedAt: iso(startedAt), endedAt: iso(startedAt + 40 * 60_000), durationMinutes: 40, peakC: -9, limits, endedBy: 'reading', excursionSeverity: 'critical' },
        `${incidentId}:ended`,
      );
    }
  }
  return events.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.id.localeCompare(b.id));

  function movement(item: HistoryStockItem, movementId: string, kind: 'sale' | 'waste', quantity: number, at: number): EventData<'inventory.movement-recorded'> {
    return {
      movementId,
      kind,
      itemId: item.itemId,
      itemName: item.name,
      unit: item.unit,
      // On-hand is not what the history is about: the change shown is the quantity moved from the item's location.
      changes: [{ location: item.location, before: quantity, after: 0 }],
      value: mulDivHalfUp(Math.round(quantity * 1000), item.averageCost, 1_000_000),
      averageCost: item.averageCost,
      by: kind === 'sale' ? 'orders' : input.servers[0]!,
      at: new Date(at).toISOString(),
    };
  }
}
