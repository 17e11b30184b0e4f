// The analytics domain's pure rules: what each orders event adds to a site's counters (every metric), hours of day
// on DST days, refunds and voids on the order's business day, buckets and comparisons of a range, the read-side
// figures, the query limits and the transaction parts of a large order.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { EventOf } from '../../functions/shared/contracts';
import {
  bucketsOf,
  changeBps,
  comparisonRange,
  figuresOf,
  SALES_EVENTS,
  salesDelta,
  sumCounters,
  weekStartOf,
  yearEarlier,
  type SalesEvent,
} from '../../functions/analytics/sales-rules';
import { ANALYTICS_EVENTS } from '../../functions/analytics/analytics-events';
import { salesQuerySchema } from '../../functions/analytics/schemas';
import { TRANSACTION_LIMIT, transactionParts } from '../../functions/analytics/sales-store';
import { SITE_EVENTS } from '../../functions/analytics/sites-store';
import { hoursOfBusinessDay, hoursThrough } from '../../functions/analytics/sales-rules';
import { sampleData, sampleEvent } from './fixtures/events';

const paid = (changes: Record<string, unknown> = {}): SalesEvent => ({ ...sampleEvent('order.paid'), data: sampleData('order.paid', changes) }) as EventOf<'order.paid'>;

describe('what a paid order books', () => {
  // The sample: a dine-in order of 2 covers, subtotal 2550, 10 % off (255), tax 204, tip 300, paid by card 2499 + 300.
  const delta = salesDelta(paid(), 'America/New_York');

  it('books every sales metric on the order’s business day', () => {
    expect(delta.businessDay).toBe('2026-11-25');
    expect(delta.currency).toBe('USD');
    expect(delta.day).toEqual({
      grossSales: 2550,
      discounts: 255,
      netSales: 2295,
      tax: 204,
      tips: 300,
      orders: 1,
      covers: 2,
      'channel#dine-in#netSales': 2295,
      'channel#dine-in#orders': 1,
      'server#user-staff-1#netSales': 2295,
      'server#user-staff-1#orders': 1,
      'server#user-staff-1#covers': 2,
      'server#user-staff-1#discounts': 255,
      'server#user-staff-1#tips': 300,
      'payment#card': 2799,
      'category#mains#netSales': 1485,
      'category#mains#quantity': 1,
      'category#drinks#netSales': 810,
      'category#drinks#quantity': 2,
      customerOrders: 1,
      customerSales: 2295,
    });
    expect(delta.customer).toEqual({ ref: sampleData('order.paid').customerRef, spend: 2295 });
    expect(delta.bookOrder).toBe(sampleData('order.paid').orderId);
  });

  it('books the site-local hour of placing', () => {
    // 19:30 UTC is 14:30 in New York in November (EST, UTC−5).
    expect(delta.hours).toEqual([{ hour: '14', counters: { netSales: 2295, orders: 1, covers: 2 } }]);
  });

  it('books each menu item’s quantity and revenue after its discount share', () => {
    expect(delta.items).toEqual([
      { itemId: 'burger', name: 'Cheeseburger', categoryId: 'mains', quantity: 1, revenue: 1650 - 165 },
      { itemId: 'lemonade', name: 'Lemonade', categoryId: 'drinks', quantity: 2, revenue: 900 - 90 },
    ]);
  });

  it('adds up two lines of one item into one item entry', () => {
    const lines = sampleData('order.paid').lines;
    const twice = [lines[1]!, { ...lines[1]!, lineId: 'L3', quantity: 1, amount: 450, discount: 0 }];
    expect(salesDelta(paid({ lines: twice }), 'UTC').items).toEqual([{ itemId: 'lemonade', name: 'Lemonade', categoryId: 'drinks', quantity: 3, revenue: 810 + 450 }]);
  });

  it('counts covers only for dine-in, and splits payments by method with their tips', () => {
    const payments = sampleData('order.paid').payments;
    const split = [
      { ...payments[0]!, paymentId: 'p1', method: 'cash', amount: 1000, tip: 0 },
      { ...payments[0]!, paymentId: 'p2', method: 'card', amount: 1499, tip: 300 },
    ];
    const takeaway = salesDelta(paid({ channel: { type: 'takeaway' }, payments: split }), 'UTC');
    expect(takeaway.day.covers).toBeUndefined();
    expect(takeaway.day['channel#takeaway#orders']).toBe(1);
    expect(takeaway.day['payment#cash']).toBe(1000);
    expect(takeaway.day['payment#card']).toBe(1799);
    expect(takeaway.hours[0]?.counters).toEqual({ netSales: 2295, orders: 1 });
  });
});

describe('refunds and voids', () => {
  it('books a refund on the order’s business day, even days after', () => {
    const refunded = sampleEvent('payment.refunded');
    const late = { ...refunded, occurredAt: '2026-12-02T10:00:00.000Z', data: { ...refunded.data, refund: { ...refunded.data.refund, at: '2026-12-02T10:00:00.000Z' } } };
    const delta = salesDelta(late, 'Europe/Paris');
    expect(delta).toEqual({ businessDay: '2026-11-25', day: { refunds: 300, refundCount: 1, 'refund#card': 300 }, hours: [], items: [] });
  });

  it('books a void as a count and the order’s net at the void, for the site and the order’s server, and no sale', () => {
    const voided = sampleEvent('order.voided');
    expect(salesDelta(voided, 'UTC')).toEqual({
      businessDay: '2026-11-25',
      day: { voids: 1, voidAmount: 450, 'server#user-staff-1#voids': 1, 'server#user-staff-1#voidAmount': 450 },
      hours: [],
      items: [],
    });
    // A void published before the event carried the server counts for the site only.
    const { serverId: _server, ...withoutServer } = voided.data;
    expect(salesDelta({ ...voided, data: withoutServer }, 'UTC').day).toEqual({ voids: 1, voidAmount: 450 });
    const discounted = { ...voided, data: { ...voided.data, totals: { ...voided.data.totals, discount: 50 } } };
    expect(salesDelta(discounted, 'UTC').day.voidAmount).toBe(400);
  });

  it('subscribes to exactly the events the rules handle', () => {
    const functions = parse(readFileSync(join(__dirname, '../../functions/analytics/functions.yml'), 'utf8'));
    const subscribed = functions.recordAnalytics.events.flatMap((event: { sns: { filterPolicy: { type: string[] } } }) => event.sns.filterPolicy.type);
    expect(subscribed.sort()).toEqual([...ANALYTICS_EVENTS].sort());
    expect(SALES_EVENTS.every((type) => subscribed.includes(type))).toBe(true);
    expect([...functions.learnAnalyticsSites.events[0].sns.filterPolicy.type].sort()).toEqual([...SITE_EVENTS].sort());
    for (const event of functions.recordAnalytics.events) expect(event.sns.redrivePolicy).toEqual({ deadLetterTargetRef: 'AnalyticsDeadLetterQueue' });
  });
});

describe('hours of a business day', () => {
  it('runs from the hour the day starts in, through midnight', () => {
    expect(hoursOfBusinessDay('00:00')).toEqual(Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')));
    const late = hoursOfBusinessDay('04:00');
    expect(late.slice(0, 2)).toEqual(['04', '05']);
    expect(late.slice(-5)).toEqual(['23', '00', '01', '02', '03']);
  });

  it('counts "so far" in the day’s order: at 01:15 a day from 04:00 has had 04 … 23, 00 and 01', () => {
    expect(hoursThrough('04:00', '01:15')).toEqual([...hoursOfBusinessDay('04:00').slice(0, 20), '00', '01']);
    expect(hoursThrough('04:00', '04:00')).toEqual(['04']);
    expect(hoursThrough('00:00', '13:59')).toHaveLength(14);
    // A day starting at 04:30 is still yesterday's at 04:10: all of it is behind; at 04:40 its first hour.
    expect(hoursThrough('04:30', '04:10')).toHaveLength(24);
    expect(hoursThrough('04:30', '04:40')).toEqual(['04']);
  });
});

describe('hours of day on DST days', () => {
  const hourAt = (placedAt: string) => salesDelta(paid({ placedAt }), 'Europe/Paris').hours[0]?.hour;

  it('counts both passes of a repeated hour in one bucket (fall back, a 25-hour day)', () => {
    // 2026-10-25: 02:30 CEST (00:30 UTC) and, an hour later, 02:30 CET (01:30 UTC).
    expect(hourAt('2026-10-25T00:30:00.000Z')).toBe('02');
    expect(hourAt('2026-10-25T01:30:00.000Z')).toBe('02');
    expect(hourAt('2026-10-25T02:30:00.000Z')).toBe('03');
  });

  it('has no bucket for the skipped hour (spring forward, a 23-hour day)', () => {
    // 2026-03-29: 01:59 CET (00:59 UTC), then 03:00 CEST (01:00 UTC).
    expect(hourAt('2026-03-29T00:59:00.000Z')).toBe('01');
    expect(hourAt('2026-03-29T01:00:00.000Z')).toBe('03');
  });
});

describe('reading counters back', () => {
  it('is zeros where nothing was booked', () => {
    expect(figuresOf({})).toEqual({
      grossSales: 0,
      discounts: 0,
      netSales: 0,
      tax: 0,
      tips: 0,
      orders: 0,
      covers: 0,
      averageTicket: 0,
      refunds: { count: 0, amount: 0 },
      voids: { count: 0, amount: 0 },
      byChannel: {},
      byServer: {},
      byPaymentMethod: {},
      byCategory: {},
      labour: { seconds: 0, cost: 0, uncostedSeconds: 0, percentOfSalesBps: null, salesPerLabourHour: null },
      byPosition: {},
      foodCost: { amount: 0, percentOfSalesBps: null },
      waste: { count: 0, value: 0, byReason: {} },
      foodSafety: { incidents: 0, critical: 0, minutesOutOfRange: 0 },
      knownCustomers: { orders: 0, netSales: 0 },
    });
  });

  it('sums sales, refunds and voids and derives the average ticket half up', () => {
    const sale = salesDelta(paid(), 'UTC').day;
    const takeaway = salesDelta(paid({ channel: { type: 'takeaway' }, serverId: 'user-staff-2', totals: { ...sampleData('order.paid').totals, subtotal: 1000, discount: 0 } }), 'UTC').day;
    const refund = salesDelta(sampleEvent('payment.refunded'), 'UTC').day;
    const voided = salesDelta(sampleEvent('order.voided'), 'UTC').day;
    const figures = figuresOf(sumCounters([sale, takeaway, refund, voided]));
    expect(figures.netSales).toBe(3295);
    expect(figures.orders).toBe(2);
    expect(figures.averageTicket).toBe(1648); // 3295 / 2 = 1647.5, half up
    expect(figures.covers).toBe(2);
    expect(figures.refunds).toEqual({ count: 1, amount: 300 });
    expect(figures.voids).toEqual({ count: 1, amount: 450 });
    expect(figures.byChannel).toEqual({ 'dine-in': { netSales: 2295, orders: 1 }, takeaway: { netSales: 1000, orders: 1 } });
    expect(figures.byServer).toEqual({
      'user-staff-1': { netSales: 2295, orders: 1, covers: 2, discounts: 255, tips: 300, labourSeconds: 0, voids: 1, voidAmount: 450 },
      'user-staff-2': { netSales: 1000, orders: 1, covers: 0, discounts: 0, tips: 300, labourSeconds: 0, voids: 0, voidAmount: 0 },
    });
    expect(figures.byPaymentMethod).toEqual({ card: { taken: 2799 * 2, refunded: 300 } });
  });

  it('gives changes in basis points, none against nothing', () => {
    expect(changeBps(1125, 1000)).toBe(1250);
    expect(changeBps(875, 1000)).toBe(-1250);
    expect(changeBps(5, 0)).toBeNull();
  });
});

describe('buckets and comparisons of a range', () => {
  it('starts weeks on Monday', () => {
    expect(weekStartOf('2026-12-03')).toBe('2026-11-30'); // a Thursday
    expect(weekStartOf('2026-12-06')).toBe('2026-11-30'); // a Sunday
    expect(weekStartOf('2026-11-30')).toBe('2026-11-30');
  });

  it('reads whole weeks from their rollup and cut ones day by day', () => {
    expect(bucketsOf('2026-11-25', '2026-12-08', 'week')).toEqual([
      { period: '2026-11-23', from: '2026-11-25', to: '2026-11-29' },
      { period: '2026-11-30', from: '2026-11-30', to: '2026-12-06', rollup: { grain: 'week', key: '2026-11-30' } },
      { period: '2026-12-07', from: '2026-12-07', to: '2026-12-08' },
    ]);
  });

  it('reads whole months from their rollup, across a year end', () => {
    expect(bucketsOf('2026-11-01', '2027-02-14', 'month').map((b) => [b.period, b.from, b.to, b.rollup?.key])).toEqual([
      ['2026-11', '2026-11-01', '2026-11-30', '2026-11'],
      ['2026-12', '2026-12-01', '2026-12-31', '2026-12'],
      ['2027-01', '2027-01-01', '2027-01-31', '2027-01'],
      ['2027-02', '2027-02-01', '2027-02-14', undefined],
    ]);
  });

  it('has one bucket per day at day grain', () => {
    const days = bucketsOf('2026-02-27', '2026-03-02', 'day');
    expect(days.map((b) => b.period)).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(days.every((b) => b.rollup?.grain === 'day' && b.rollup.key === b.from)).toBe(true);
  });

  it('compares with the days just before, or the same dates a year earlier', () => {
    expect(comparisonRange('2026-12-01', '2026-12-07', 'previous')).toEqual({ from: '2026-11-24', to: '2026-11-30' });
    expect(comparisonRange('2026-12-01', '2026-12-07', 'last-year')).toEqual({ from: '2025-12-01', to: '2025-12-07' });
    expect(yearEarlier('2028-02-29')).toBe('2027-02-28');
  });
});

describe('the sales query', () => {
  const query = (q: Record<string, string>) => salesQuerySchema.safeParse(q);

  it('allows 400 days at day grain and refuses 401, naming the limit', () => {
    expect(query({ from: '2025-01-01', to: '2026-02-04' }).success).toBe(true); // 400 days
    const tooLong = query({ from: '2025-01-01', to: '2026-02-05' });
    expect(tooLong.success).toBe(false);
    expect(tooLong.error?.issues[0]?.message).toContain('400 days');
    expect(query({ from: '2025-01-01', to: '2026-02-05', grain: 'week' }).success).toBe(true);
  });

  it('takes known metrics and refuses an unknown one, naming it', () => {
    expect(query({ from: '2026-01-01', to: '2026-01-31', metrics: 'netSales, labour,foodCost' }).data?.metrics).toEqual(['netSales', 'labour', 'foodCost']);
    const unknown = query({ from: '2026-01-01', to: '2026-01-31', metrics: 'netSales,margin' });
    expect(unknown.success).toBe(false);
    expect(unknown.error?.issues[0]?.message).toContain('unknown metric "margin"');
    expect(query({ from: '2026-01-01', to: '2026-01-31', metrics: '' }).success).toBe(false);
  });

  it('refuses unknown parameters, a reversed range and unknown grains', () => {
    expect(query({ from: '2026-01-01', to: '2026-01-31', metric: 'margin' }).success).toBe(false);
    expect(query({ from: '2026-02-01', to: '2026-01-31' }).success).toBe(false);
    expect(query({ from: '2026-01-01', to: '2026-01-31', grain: 'year' }).success).toBe(false);
  });
});

describe('transaction parts', () => {
  it('keeps an ordinary order in one transaction with its receipt', () => {
    expect(transactionParts([1, 2, 3, 4, 5], [6, 7])).toEqual([[1, 2, 3, 4, 5, 6, 7]]);
  });

  it('splits an order of many menu items so that no part passes the limit beside its receipt', () => {
    const summary = Array.from({ length: 5 }, (_, i) => `s${i}`);
    const items = Array.from({ length: 200 }, (_, i) => `i${i}`);
    const parts = transactionParts(summary, items);
    expect(parts.map((p) => p.length)).toEqual([TRANSACTION_LIMIT - 1, TRANSACTION_LIMIT - 1, 205 - 2 * (TRANSACTION_LIMIT - 1)]);
    expect(parts.flat()).toEqual([...summary, ...items]);
  });
});
