// What staff's, inventory's and IoT's events add to a site's figures (operations-rules.ts): labour seconds and cost
// at the pay rate of the day, spread over the site-local hours worked (exactly, across midnight and DST); waste and
// food cost from ledger movements; food-safety incidents and time out of range. And how one event's writes are laid
// out in transactions (sales-store.ts): the order's booking first, menu items' day and month, customers.
import type { EventOf } from '../../functions/shared/contracts';
import { operationsDelta, rateOn, spreadOverHours, type OperationsEvent, type PayRates } from '../../functions/analytics/operations-rules';
import { figuresOf, salesDelta, sumCounters } from '../../functions/analytics/sales-rules';
import { foldDeltas } from '../../functions/analytics/fold';
import { salesWrites, TRANSACTION_LIMIT } from '../../functions/analytics/sales-store';
import { sampleData, sampleEvent } from './fixtures/events';

const clockOut = (changes: Record<string, unknown> = {}) => ({ ...sampleEvent('staff.clocked-out'), data: sampleData('staff.clocked-out', changes) }) as EventOf<'staff.clocked-out'>;
const movement = (changes: Record<string, unknown>) => ({ ...sampleEvent('inventory.movement-recorded'), data: sampleData('inventory.movement-recorded', changes) }) as OperationsEvent;
const rates: PayRates = {
  userId: 'user-staff-1',
  version: 2,
  currency: 'USD',
  rates: [
    { positionId: 'server', from: '2026-01-01', hourlyRate: 1500 },
    { positionId: 'server', from: '2026-11-20', hourlyRate: 1800 },
    { positionId: 'host', from: '2026-01-01', hourlyRate: 1600 },
  ],
};

describe('pay rates', () => {
  it('takes the latest rate of the position on or before the day', () => {
    expect(rateOn(rates, 'server', '2026-11-19')).toBe(1500);
    expect(rateOn(rates, 'server', '2026-11-20')).toBe(1800);
    expect(rateOn(rates, 'host', '2026-11-25')).toBe(1600);
    expect(rateOn(rates, 'bar', '2026-11-25')).toBeUndefined();
    expect(rateOn(rates, 'server', '2025-12-31')).toBeUndefined();
    expect(rateOn(undefined, 'server', '2026-11-25')).toBeUndefined();
  });
});

describe('labour from a clock-out', () => {
  it('counts the seconds worked and their cost at the day’s rate, by position and person', () => {
    // 27 448 s at $18.00/h = $137.24.
    const delta = operationsDelta(clockOut(), 'America/New_York', { rates, currency: 'USD' })!;
    expect(delta.businessDay).toBe('2026-11-25');
    expect(delta.currency).toBeUndefined();
    expect(delta.day).toEqual({
      labourSeconds: 27_448,
      shifts: 1,
      'position#server#labourSeconds': 27_448,
      'server#user-staff-1#labourSeconds': 27_448,
      labourCost: 13_724,
      'position#server#labourCost': 13_724,
    });
  });

  it('does not cost hours at a rate in another currency than the site’s', () => {
    const delta = operationsDelta(clockOut(), 'Europe/Paris', { rates, currency: 'EUR' })!;
    expect(delta.day.labourCost).toBeUndefined();
    expect(delta.day.labourSecondsUncosted).toBe(27_448);
  });

  it('keeps the hours of a person without a known rate apart, uncosted', () => {
    const delta = operationsDelta(clockOut({ autoClosed: true }), 'UTC')!;
    expect(delta.day.labourCost).toBeUndefined();
    expect(delta.day.labourSecondsUncosted).toBe(27_448);
    expect(delta.day.autoClosedShifts).toBe(1);
    expect(figuresOf(delta.day).labour).toEqual({ seconds: 27_448, cost: 0, uncostedSeconds: 27_448, percentOfSalesBps: null, salesPerLabourHour: 0 });
  });

  it('spreads the seconds worked over the site-local hours, summing exactly', () => {
    // 09:58:12–18:05:40 in New York; 27 448 s worked of a 29 248 s span.
    const delta = operationsDelta(clockOut(), 'America/New_York', { rates })!;
    expect(delta.hours.map((h) => h.hour)).toEqual(['09', '10', '11', '12', '13', '14', '15', '16', '17', '18']);
    expect(delta.hours.reduce((sum, h) => sum + h.counters.labourSeconds!, 0)).toBe(27_448);
    // A full hour carries 3600 × 27 448 / 29 248 ≈ 3378.4 seconds.
    expect(delta.hours.find((h) => h.hour === '12')!.counters.labourSeconds).toBeGreaterThanOrEqual(3378);
    expect(delta.hours.find((h) => h.hour === '12')!.counters.labourSeconds).toBeLessThanOrEqual(3379);
  });

  it('files the hours of a shift across midnight under the day it began', () => {
    const shares = spreadOverHours(Date.parse('2026-11-25T22:00:00Z'), Date.parse('2026-11-26T02:00:00Z'), 4 * 3600, 'UTC');
    expect([...shares]).toEqual([
      ['22', 3600],
      ['23', 3600],
      ['00', 3600],
      ['01', 3600],
    ]);
  });

  it('puts both passes of the repeated hour in one bucket when clocks go back, and skips the lost one', () => {
    // Paris, 2026-10-25: 00:00–04:00 UTC is 02:00 CEST to 05:00 CET, 4 real hours in 3 wall-clock hours.
    const back = spreadOverHours(Date.parse('2026-10-25T00:00:00Z'), Date.parse('2026-10-25T04:00:00Z'), 4 * 3600, 'Europe/Paris');
    expect([...back]).toEqual([
      ['02', 7200],
      ['03', 3600],
      ['04', 3600],
    ]);
    // 2026-03-29: 00:00–03:00 UTC is 01:00 CET to 05:00 CEST; 02 never happens.
    const forward = spreadOverHours(Date.parse('2026-03-29T00:00:00Z'), Date.parse('2026-03-29T03:00:00Z'), 3 * 3600, 'Europe/Paris');
    expect([...forward.keys()]).toEqual(['01', '03', '04']);
  });

  it('follows half-hour zones at their own hour boundaries', () => {
    // Kolkata is UTC+05:30: 04:00–05:00 UTC is 09:30–10:30 local, half in 09 and half in 10.
    const shares = spreadOverHours(Date.parse('2026-11-25T04:00:00Z'), Date.parse('2026-11-25T05:00:00Z'), 3000, 'Asia/Kolkata');
    expect([...shares]).toEqual([
      ['09', 1500],
      ['10', 1500],
    ]);
  });
});

describe('inventory movements', () => {
  it('books waste by reason on the movement’s site-local date', () => {
    const delta = operationsDelta(movement({ at: '2026-11-26T03:30:00.000Z' }), 'America/New_York')!;
    expect(delta.businessDay).toBe('2026-11-25'); // 22:30 the evening before in New York
    expect(delta.day).toEqual({ wasteValue: 512, wasteCount: 1, 'waste#spoiled#value': 512 });
  });

  it('books depletion by orders as food cost, and returns against it', () => {
    const sale = operationsDelta(movement({ kind: 'sale', reason: undefined, value: 640, orderId: 'o1' }), 'UTC')!;
    const back = operationsDelta(movement({ kind: 'sale-return', reason: undefined, value: 140, orderId: 'o1' }), 'UTC')!;
    expect(figuresOf(sumCounters([sale.day, back.day, salesDelta({ ...sampleEvent('order.paid') } as EventOf<'order.paid'>, 'UTC').day])).foodCost).toEqual({
      amount: 500,
      percentOfSalesBps: 2179, // 500 / 2295
    });
  });

  it('adds nothing for receipts, counts, transfers and adjustments', () => {
    for (const kind of ['receive', 'count', 'transfer', 'adjustment']) expect(operationsDelta(movement({ kind }), 'UTC')).toBeUndefined();
  });
});

describe('food safety', () => {
  it('counts an excursion on the local date it started, critical apart, and its time out of range when it ends', () => {
    const started = operationsDelta(sampleEvent('iot.excursion-started') as OperationsEvent, 'UTC')!;
    const ended = operationsDelta(sampleEvent('iot.excursion-ended') as OperationsEvent, 'UTC')!;
    expect(ended.businessDay).toBe(started.businessDay);
    expect(figuresOf(sumCounters([started.day, ended.day])).foodSafety).toEqual({ incidents: 1, critical: sampleEvent('iot.excursion-started').data.severity === 'critical' ? 1 : 0, minutesOutOfRange: 18 });
  });
});

describe('business days (orders’ rule, from menu.settings-changed)', () => {
  // New York, business day from 04:00: 05:30 UTC on the 26th is 00:30 there, still the 25th's service.
  const lateNight = { timeZone: 'America/New_York', startsAt: '04:00' };
  const midnight = { timeZone: 'America/New_York', startsAt: '00:00' };

  it('files a shift clocked in after midnight on the day before, with the orders of that hour', () => {
    const shift = clockOut({ clockedInAt: '2026-11-26T05:30:00.000Z', localDate: '2026-11-26', clockedOutAt: '2026-11-26T08:30:00.000Z', workedSeconds: 10_800, breakSeconds: 0 });
    const delta = operationsDelta(shift, 'America/New_York', { rates, currency: 'USD', businessDay: lateNight })!;
    expect(delta.businessDay).toBe('2026-11-25');
    // Its hours stay wall-clock hours under that day; its rate is the one of its calendar date.
    expect(delta.hours.map((h) => [h.hour, h.counters.labourSeconds])).toEqual([['00', 1_800], ['01', 3_600], ['02', 3_600], ['03', 1_800]]);
    expect(delta.day.labourCost).toBe(5_400);
    const order = { ...sampleEvent('order.paid'), data: sampleData('order.paid', { businessDay: '2026-11-25', placedAt: '2026-11-26T05:40:00.000Z' }) } as EventOf<'order.paid'>;
    expect(salesDelta(order, 'America/New_York').businessDay).toBe(delta.businessDay);
    // The same shift under a day starting at midnight is the 26th's (what staff's localDate says).
    expect(operationsDelta(shift, 'America/New_York', { businessDay: midnight })!.businessDay).toBe('2026-11-26');
  });

  it('files movements and excursions by the same rule, in the rule’s time zone', () => {
    expect(operationsDelta(movement({ at: '2026-11-26T08:59:00.000Z' }), 'America/New_York', { businessDay: lateNight })!.businessDay).toBe('2026-11-25'); // 03:59
    expect(operationsDelta(movement({ at: '2026-11-26T09:00:00.000Z' }), 'America/New_York', { businessDay: lateNight })!.businessDay).toBe('2026-11-26'); // 04:00
    const started = sampleEvent('iot.excursion-started') as EventOf<'iot.excursion-started'>;
    const atHalfPastOne = { ...started, data: { ...started.data, startedAt: '2026-11-26T06:30:00.000Z' } } as OperationsEvent;
    expect(operationsDelta(atHalfPastOne, 'America/New_York', { businessDay: lateNight })!.businessDay).toBe('2026-11-25');
    // Without a rule: the calendar date in the site's zone (how a site is filed until its settings arrive).
    expect(operationsDelta(atHalfPastOne, 'America/New_York')!.businessDay).toBe('2026-11-26');
  });
});

describe('one event’s transactions', () => {
  const paid = sampleEvent('order.paid') as EventOf<'order.paid'>;

  it('puts the order’s booking first, then the day and its rollups, the hour, the customer and each item’s day and month', () => {
    const [part, ...more] = salesWrites('t', 'site-1', salesDelta(paid, 'UTC'));
    expect(more).toEqual([]);
    expect(part![0]!.Put?.Item).toMatchObject({ pk: `BOOKED#site-1#${paid.data.orderId}#e0`, sk: 'ORDER' });
    expect(part!.slice(1, 5).map((write) => write.Update?.Key?.sk)).toEqual(['DAY#2026-11-25', 'WEEK#2026-11-23', 'MONTH#2026-11', 'YEAR#2026']);
    const keys = part!.slice(1).map((write) => write.Update!.Key!.sk as string);
    expect(keys).toContain(`CUSTOMER#${paid.data.customerRef}`);
    expect(keys).toContain('ITEM#DAY#2026-11-25#burger');
    expect(keys).toContain('ITEM#MONTH#2026-11#burger');
    expect(part![1]!.Update?.ExpressionAttributeValues).toMatchObject({ ':s0': 'Mains' });
  });

  it('leaves room for the receipt and the epoch check in every part', () => {
    const lines = Array.from({ length: 100 }, (_, i) => ({ ...paid.data.lines[0]!, lineId: `L${i + 1}`, itemId: `item-${i}` }));
    const parts = salesWrites('t', 'site-1', salesDelta({ ...paid, data: { ...paid.data, lines } }, 'UTC'));
    expect(parts.every((p) => p.length <= TRANSACTION_LIMIT - 2)).toBe(true);
    expect(parts.flat().length).toBe(1 + 4 + 1 + 1 + 200);
  });
});

describe('the fold of many events (demo history, benchmark)', () => {
  /** Applies a transaction's writes as DynamoDB would (ADD of numbers and sets, SET, put) to an in-memory table. */
  function apply(table: Map<string, Record<string, unknown>>, writes: ReturnType<typeof salesWrites>[number]) {
    for (const write of writes) {
      if (write.Put) {
        const item = write.Put.Item as Record<string, unknown>;
        const id = `${item.pk as string}|${item.sk as string}`;
        if (table.has(id)) return; // the booking's condition: the whole transaction fails
        table.set(id, { ...item });
        continue;
      }
      const update = write.Update!;
      const key = update.Key as { pk: string; sk: string };
      const id = `${key.pk}|${key.sk}`;
      const item = table.get(id) ?? { ...key };
      const names = update.ExpressionAttributeNames ?? {};
      const values = update.ExpressionAttributeValues ?? {};
      const [addPart, setPart] = update.UpdateExpression!.split(' SET ') as [string, string | undefined];
      for (const clause of addPart.replace(/^ADD /, '').split(', ').filter((c) => c.startsWith('#'))) {
        const [name, value] = clause.split(' ') as [string, string];
        const current = item[names[name]!];
        const amount = values[value];
        item[names[name]!] = amount instanceof Set ? new Set([...((current as Set<string> | undefined) ?? []), ...amount]) : ((current as number | undefined) ?? 0) + (amount as number);
      }
      for (const clause of (setPart ?? (addPart.startsWith('SET ') ? addPart.slice(4) : '')).split(', ').filter(Boolean)) {
        const [name, value] = clause.split(' = ') as [string, string];
        item[names[name]!] = values[value];
      }
      table.set(id, item);
    }
  }

  it('builds the same items as the consumer’s transactions applied one event at a time, a second payment of an order booked once', () => {
    const paid = sampleEvent('order.paid') as EventOf<'order.paid'>;
    const other = { ...paid, id: 'paid-2', data: { ...paid.data, orderId: 'order-2', serverId: 'user-staff-2', placedAt: '2026-11-25T21:10:00.000Z', customerRef: undefined } } as EventOf<'order.paid'>;
    const repaid = { ...paid, id: 'paid-again' } as EventOf<'order.paid'>;
    const deltas = [
      salesDelta(paid, 'America/New_York'),
      salesDelta(other, 'America/New_York'),
      salesDelta(repaid, 'America/New_York'),
      salesDelta(sampleEvent('payment.refunded'), 'America/New_York'),
      operationsDelta(clockOut(), 'America/New_York', { rates })!,
      operationsDelta(movement({ kind: 'sale', reason: undefined, value: 640 }), 'America/New_York')!,
    ];
    const table = new Map<string, Record<string, unknown>>();
    for (const delta of deltas) for (const part of salesWrites('t', 'site-1', delta)) apply(table, part);
    const folded = new Map(foldDeltas('site-1', deltas).map((item) => [`${item.pk}|${item.sk}`, item]));
    // Bookings expire a fixed time after they are written: the two clocks may be a second apart.
    const withoutExpiry = (items: Map<string, Record<string, unknown>>) => new Map([...items].map(([id, { expiresAt: _expiry, ...item }]) => [id, item]));
    expect(withoutExpiry(folded)).toEqual(withoutExpiry(table));
    expect([...table.keys()].filter((id) => id.startsWith('BOOKED#'))).toHaveLength(2);
    expect(table.get('SITE#site-1#SALES|DAY#2026-11-25')).toMatchObject({ orders: 2, labourSeconds: 27_448, labourCost: 13_724, foodCost: 640, currency: 'USD' });
  });
});
