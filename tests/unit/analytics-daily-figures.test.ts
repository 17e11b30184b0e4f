// The analytics.daily-figures producer's pure part: which closed days the hourly job looks at, a day's figures from
// its counters (zeros for a day without sales), the revision that makes a changed day a new event, the contract, and
// the demo seed's daily figures built by the same function from the folded history.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseEvent } from '../../functions/shared/contracts';
import { buildEvent } from '../../functions/shared/events';
import { closedDaysBefore, DAILY_ITEMS_BYTES, dailyFiguresEventId, dailyFiguresOf, MAX_DAILY_ITEMS, PUBLISHED_DAYS, revisionOf } from '../../functions/analytics/daily-figures-rules';
import { foldDeltas } from '../../functions/analytics/fold';
import { salesDelta, type Counters } from '../../functions/analytics/sales-rules';
import type { EventOf } from '../../functions/shared/contracts';
import { forecastHistory } from '../../dev/seed/forecast-history';
import { sampleData, sampleEvent } from './fixtures/events';
import { FORECAST_EVENTS } from '../../functions/forecast/daily-series-store';

const day = { netSales: 184250, grossSales: 190000, orders: 61, covers: 118, refunds: 1450, 'channel#dine-in#orders': 50 };
const hours = new Map<string, Counters>([
  ['19', { netSales: 41200, orders: 12, covers: 27, labourSeconds: 3600 }],
  ['12', { netSales: 70400, orders: 24, covers: 45 }],
  ['07', { labourSeconds: 7200 }],
]);
const items = [
  { itemId: 'item-fries', name: 'Fries', quantity: 52, revenue: 20800 },
  { itemId: 'item-burger', name: 'Bistro burger', quantity: 38, revenue: 60800, categoryId: 'mains' },
];

describe('the closed days the job publishes', () => {
  it('are the seven days before today, oldest first, across a month end', () => {
    expect(closedDaysBefore('2026-12-03')).toEqual(['2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
    expect(closedDaysBefore('2026-12-03')).toHaveLength(PUBLISHED_DAYS);
    expect(closedDaysBefore('2026-12-03')).not.toContain('2026-12-03');
  });
});

describe("a day's figures from its counters", () => {
  const figures = dailyFiguresOf({ date: '2026-11-25', currency: 'EUR', day, hours, items });

  it('take the headline counters, the hours with sales in hour order and the items by id', () => {
    expect(figures).toEqual({
      date: '2026-11-25',
      currency: 'EUR',
      netSales: 184250,
      orders: 61,
      covers: 118,
      refunds: 1450,
      hours: [
        { hour: '12', netSales: 70400, orders: 24, covers: 45 },
        { hour: '19', netSales: 41200, orders: 12, covers: 27 },
      ],
      items: [
        { itemId: 'item-burger', name: 'Bistro burger', quantity: 38 },
        { itemId: 'item-fries', name: 'Fries', quantity: 52 },
      ],
      closed: true,
    });
  });

  it('are zeros for a day without sales, and meet the contract', () => {
    const empty = dailyFiguresOf({ date: '2026-11-26', day: {}, hours: new Map(), items: [] });
    expect(empty).toEqual({ date: '2026-11-26', netSales: 0, orders: 0, covers: 0, refunds: 0, hours: [], items: [], closed: true });
    const event = buildEvent({ id: dailyFiguresEventId('demo-bistro', empty.date, revisionOf(empty)), type: 'analytics.daily-figures', source: 'analytics', siteId: 'demo-bistro', correlationId: 'test', data: empty });
    expect(parseEvent(JSON.parse(JSON.stringify(event)), FORECAST_EVENTS)).toMatchObject({ success: true });
  });

  it('have the same revision whatever order the counters came in, and a new one after a late refund', () => {
    const reordered = dailyFiguresOf({ date: '2026-11-25', currency: 'EUR', day, hours: new Map([...hours].reverse()), items: [...items].reverse() });
    expect(revisionOf(reordered)).toBe(revisionOf(figures));
    const refunded = dailyFiguresOf({ date: '2026-11-25', currency: 'EUR', day: { ...day, refunds: day.refunds + 500 }, hours, items });
    expect(revisionOf(refunded)).not.toBe(revisionOf(figures));
    expect(revisionOf(figures)).toMatch(/^[0-9a-f]{16}$/);
    expect(dailyFiguresEventId('demo-bistro', '2026-11-25', revisionOf(figures))).toBe(`daily-figures:demo-bistro:2026-11-25:r${revisionOf(figures)}`);
  });

  it('regression: a day of many long-named items keeps its best sellers within SNS’s 256 KiB and counts the rest (it was a refused publish, every hour)', () => {
    // 2,000 items with ids and the longest names (120 characters of a 3-byte script): some 880 KB of items.
    const many = Array.from({ length: 2500 }, (_, i) => ({
      itemId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      name: `${'漢'.repeat(116)}${String(i).padStart(4, '0')}`,
      quantity: 3000 - i,
      revenue: 100,
    }));
    const crowded = dailyFiguresOf({ date: '2026-11-25', currency: 'EUR', day, hours, items: [...many].reverse() });
    expect(Buffer.byteLength(JSON.stringify(crowded.items))).toBeLessThanOrEqual(DAILY_ITEMS_BYTES);
    expect(crowded.items.length).toBeGreaterThan(400);
    expect(crowded.itemsLeftOut).toBe(many.length - crowded.items.length);
    // The best sellers are kept (the first ids sold most), in id order as always.
    expect(crowded.items.map((item) => item.itemId)).toEqual(many.slice(0, crowded.items.length).map((item) => item.itemId));
    const event = buildEvent({ id: dailyFiguresEventId('demo-bistro', crowded.date, revisionOf(crowded)), type: 'analytics.daily-figures', source: 'analytics', siteId: 'demo-bistro', correlationId: 'test', data: crowded });
    // What SNS takes, message and attributes: 256 KiB.
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThan(240 * 1024);
    expect(parseEvent(JSON.parse(JSON.stringify(event)), FORECAST_EVENTS)).toMatchObject({ success: true });
    // Short names: the count bound, not the bytes, leaves the rest out.
    const short = dailyFiguresOf({ date: '2026-11-25', day, hours, items: many.map((item, i) => ({ ...item, itemId: `i${i}`, name: 'x' })) });
    expect(short.items).toHaveLength(MAX_DAILY_ITEMS);
    expect(short.itemsLeftOut).toBe(500);
    // A day that fits says nothing of items left out.
    expect(figures).not.toHaveProperty('itemsLeftOut');
  });

  it('are refused by the contract as another source, or with a negative amount', () => {
    expect(() => buildEvent({ type: 'analytics.daily-figures', source: 'orders', siteId: 's', correlationId: 'c', data: figures })).toThrow(/published by analytics/);
    expect(() => buildEvent({ type: 'analytics.daily-figures', source: 'analytics', siteId: 's', correlationId: 'c', data: { ...figures, netSales: -1 } })).toThrow(/netSales/);
  });
});

describe('the wiring', () => {
  const yml = (path: string) => parse(readFileSync(join(__dirname, '../..', path), 'utf8')) as Record<string, { events?: Array<Record<string, { filterPolicy?: { type: string[] } }>> }>;

  it('learnDailyFigures subscribes to exactly FORECAST_EVENTS', () => {
    expect(yml('functions/forecast/functions.yml').learnDailyFigures?.events?.[0]?.sns?.filterPolicy?.type).toEqual([...FORECAST_EVENTS]);
  });

  it('publishDailyFigures runs every hour', () => {
    expect(yml('functions/analytics/functions.yml').publishDailyFigures?.events).toEqual([{ schedule: 'rate(1 hour)' }]);
  });
});

describe("the demo history's daily figures (dev/seed/forecast-history.ts)", () => {
  const paid = (orderId: string, businessDay: string) =>
    salesDelta({ ...sampleEvent('order.paid'), data: sampleData('order.paid', { orderId, businessDay, placedAt: `${businessDay}T17:30:00.000Z` }) } as EventOf<'order.paid'>, 'America/New_York');
  const folded = foldDeltas('demo-bistro', [paid('o1', '2026-11-24'), paid('o2', '2026-11-24'), paid('o3', '2026-11-26')]);
  const history = forecastHistory({ siteId: 'demo-bistro', timeZone: 'America/New_York', currency: 'USD', from: '2026-11-24', to: '2026-11-26', folded });
  const sample = sampleData('order.paid');
  const net = sample.totals.subtotal - sample.totals.discount;

  it('are what the job builds from the same counters, one event per day, zeros for a day without sales', () => {
    expect(history.events.map((event) => [event.data.date, event.data.orders, event.data.netSales])).toEqual([
      ['2026-11-24', 2, 2 * net],
      ['2026-11-25', 0, 0],
      ['2026-11-26', 1, net],
    ]);
    const day = folded.find((item) => item.sk === 'DAY#2026-11-24')!;
    const hours = new Map(folded.filter((item) => item.sk.startsWith('HOUR#2026-11-24#')).map((item) => [item.sk.slice(-2), item as unknown as Counters]));
    const items = folded.filter((item) => item.sk.startsWith('ITEM#DAY#2026-11-24#')).map((item) => ({ itemId: item.sk.split('#').pop()!, name: item.name as string, quantity: item.quantity as number, revenue: item.revenue as number }));
    expect(history.events[0]!.data).toEqual(dailyFiguresOf({ date: '2026-11-24', currency: 'USD', day: day as unknown as Counters, hours, items }));
    expect(history.events[0]!.data.hours).toEqual([{ hour: '12', netSales: 2 * net, orders: 2, covers: 2 * (sample.channel.type === 'dine-in' ? sample.channel.covers : 0) }]);
  });

  it("are published in the hour after the site's midnight, with the job's ids, markers and the forecast table's items", () => {
    const [first] = history.events;
    expect(first!.occurredAt).toBe('2026-11-25T05:30:00.000Z');
    expect(first!.id).toBe(dailyFiguresEventId('demo-bistro', '2026-11-24', revisionOf(first!.data)));
    expect(history.analyticsItems[0]).toEqual({ pk: 'SITE#demo-bistro#SALES', sk: 'PUBLISHED#2026-11-24', revision: revisionOf(first!.data), publishedAt: first!.occurredAt });
    expect(history.forecastItems[0]).toMatchObject({ pk: 'SITE#demo-bistro#DAILY', sk: 'DAY#2026-11-24', orders: 2, netSales: 2 * net, currency: 'USD', eventId: first!.id });
  });
});
