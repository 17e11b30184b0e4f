// The reports' arithmetic without AWS: one day of flour with a receipt, a transfer, sales and a return, waste, a
// count and an adjustment, computed by hand (docs/inventory.md has the same worked example); on-hand value with an
// oversold and an archived item; waste by reason; the CSV's quoting and money columns; the range's limits.
import { csvOf, decimalAmount, onHandValueCsv, usageCsv, wasteCsv } from '../../functions/inventory/report-csv';
import { addUsage, addWaste, datesOf, daysIn, MAX_REPORT_DAYS, onHandValue, usageReport, wasteReport, type UsageTally, type WasteTally } from '../../functions/inventory/report-rules';
import { reportRangeQuerySchema } from '../../functions/inventory/report-schemas';
import type { MovementRecord } from '../../functions/inventory/schemas';
import type { OnHandRow } from '../../functions/inventory/stock-store';
import { stockItemRecord } from './fixtures/stock-item-record';

const AT = '2026-11-25T10:00:00.000Z';
const kg = (n: number) => Math.round(n * 1_000_000);

const item = stockItemRecord;

let sequence = 0;
function movement(kind: MovementRecord['kind'], changes: Array<[string, number, number]>, value: number, extra: Partial<MovementRecord> = {}): MovementRecord {
  sequence += 1;
  return {
    siteId: 'bistro',
    itemId: 'flour',
    movementId: `m${sequence}`,
    kind,
    at: AT,
    by: 'u1',
    changes: changes.map(([location, before, after]) => ({ location, before, after })),
    value,
    ...extra,
  };
}

// Flour at 20.00 a kg (2000 minor units per 1 000 g): 10 kg in the dry store, nothing on the line, before the day.
const day: MovementRecord[] = [
  movement('receive', [['dry', kg(10), kg(15)]], 10_000),
  movement('transfer', [['dry', kg(15), kg(12)], ['line', 0, kg(3)]], 6000),
  movement('sale', [['line', kg(3), kg(1.8)]], 2400, { orderId: 'o1' }),
  movement('sale-return', [['line', kg(1.8), kg(2)]], 400, { orderId: 'o1' }),
  movement('waste', [['line', kg(2), kg(1.5)]], 1000, { reason: 'spoiled' }),
  movement('count', [['dry', kg(12), kg(11.6)]], 800, { variance: -kg(0.4) }),
  movement('adjustment', [['line', kg(1.5), kg(1.4)]], 200, { reason: 'spilt on delivery' }),
];
const flour = item('flour', { name: 'Flour T55' });

describe('usage: theoretical vs actual', () => {
  const tallies = new Map<string, UsageTally>();
  for (const m of day) addUsage(tallies, m);
  const report = usageReport(tallies, new Map([['flour', flour]]));

  it('theoretical is sales less returns; actual is opening + received − closing (10 + 5 − 13 kg)', () => {
    expect(report.items).toEqual([
      expect.objectContaining({
        itemId: 'flour',
        name: 'Flour T55',
        counted: true,
        counts: 1,
        sold: 1200,
        returned: 200,
        theoretical: 1000,
        received: 5000,
        stockChange: 3000,
        actual: 2000,
        variance: 1000,
        wasted: 500,
        adjusted: -100,
        countVariance: -400,
        unexplained: 500,
      }),
    ]);
  });

  it('prices each part at the ledger’s own values: variance 20.00 of which 10.00 wasted, 10.00 unexplained', () => {
    expect(report.items[0]).toMatchObject({ theoreticalValue: 2000, actualValue: 4000, varianceValue: 2000, wastedValue: 1000, unexplainedValue: 1000 });
    expect(report.totals).toEqual({ theoreticalValue: 2000, actualValue: 4000, varianceValue: 2000, wastedValue: 1000, unexplainedValue: 1000 });
    expect(report.uncounted).toEqual([]);
  });

  it('adds up the same whatever order the movements come in', () => {
    const reversed = new Map<string, UsageTally>();
    for (const m of [...day].reverse()) addUsage(reversed, m);
    expect(usageReport(reversed, new Map([['flour', flour]]))).toEqual(report);
  });

  it('marks an item that moved without a count: its actual is only the book', () => {
    const uncounted = new Map<string, UsageTally>();
    for (const m of day.filter((m) => m.kind !== 'count')) addUsage(uncounted, m);
    const result = usageReport(uncounted, new Map([['flour', flour]]));
    expect(result.items[0]).toMatchObject({ counted: false, counts: 0, actual: 1600, variance: 600, unexplained: 100 });
    expect(result.uncounted).toEqual(['flour']);
  });

  it('a range with no movements is an empty report with zero totals', () => {
    expect(usageReport(new Map(), new Map())).toEqual({ items: [], totals: { theoreticalValue: 0, actualValue: 0, varianceValue: 0, wastedValue: 0, unexplainedValue: 0 }, uncounted: [] });
  });
});

describe('on-hand value', () => {
  const items = [
    item('flour', { name: 'Flour T55', averageCost: 2000 }),
    item('salt', { name: 'Salt', averageCost: 333 }),
    item('cream', { name: 'Cream', category: 'dairy', baseUnit: 'ml', averageCost: 4500 }),
    item('old-yeast', { name: 'Old yeast', archived: true }),
    item('old-sugar', { name: 'Old sugar', archived: true, averageCost: 1500 }),
  ];
  const row = (itemId: string, location: string, quantity: number): OnHandRow => ({ siteId: 'bistro', itemId, location, quantity, version: 1, updatedAt: AT });
  const rows = [row('flour', 'dry', kg(11.6)), row('flour', 'line', kg(1.4)), row('salt', 'dry', kg(1.5)), row('cream', 'line', -kg(0.25)), row('old-sugar', 'dry', kg(2))];
  const report = onHandValue(items, rows);

  it('values each item’s on-hand over its locations at its average cost, half-up; an oversold item counts against', () => {
    expect(report.items.map((i) => [i.itemId, i.onHand, i.value])).toEqual([
      ['cream', -250, -1125],
      ['flour', 13_000, 26_000],
      ['old-sugar', 2000, 3000],
      // 1.5 kg at 3.33 a kg: 499.5 → 500.
      ['salt', 1500, 500],
    ]);
  });

  it('sums per category and for the site; an archived item with nothing left is not listed', () => {
    expect(report.categories).toEqual([
      { category: 'dairy', items: 1, value: -1125 },
      { category: 'dry goods', items: 3, value: 29_500 },
    ]);
    expect(report.totalValue).toBe(28_375);
  });
});

describe('waste by reason', () => {
  const wasted = [
    movement('waste', [['line', kg(2), kg(1.5)]], 1000, { reason: 'spoiled' }),
    movement('waste', [['line', kg(1.5), kg(1.25)]], 500, { reason: 'dropped' }),
    movement('waste', [['dry', kg(5), kg(4)]], 2000, { reason: 'spoiled' }),
    { ...movement('waste', [['line', 800, 0]], 36, { reason: 'voided', orderId: 'o2' }), itemId: 'cream' },
    movement('sale', [['line', kg(1), 0]], 2000),
  ];
  const tally: WasteTally = new Map();
  for (const m of wasted) addWaste(tally, m);
  const report = wasteReport(tally, new Map([['flour', flour], ['cream', item('cream', { name: 'Cream', category: 'dairy', baseUnit: 'ml' })]]));

  it('sums quantity and value per item and reason, and value per reason, largest first', () => {
    expect(report.byReason).toEqual([
      { reason: 'spoiled', value: 3000, movements: 2 },
      { reason: 'dropped', value: 500, movements: 1 },
      { reason: 'voided', value: 36, movements: 1 },
    ]);
    expect(report.byItem).toEqual([
      expect.objectContaining({ itemId: 'cream', quantity: 0.8, value: 36, byReason: [{ reason: 'voided', quantity: 0.8, value: 36 }] }),
      expect.objectContaining({
        itemId: 'flour',
        quantity: 1750,
        value: 3500,
        byReason: [
          { reason: 'spoiled', quantity: 1500, value: 3000 },
          { reason: 'dropped', quantity: 250, value: 500 },
        ],
      }),
    ]);
    expect(report.totalValue).toBe(3536);
  });
});

describe('CSV', () => {
  it('quotes per RFC 4180, defuses formulas in text, writes money as minor units and as a decimal of the currency', () => {
    const csv = csvOf(
      [
        { header: 'name', value: (r: { name: string; value: number }) => r.name },
        { header: 'value', value: (r: { name: string; value: number }) => r.value, money: true },
      ],
      [
        { name: 'Flour, "00"', value: 123_456 },
        { name: '=HYPERLINK("x")', value: -5 },
        { name: 'two\nlines', value: 0 },
      ],
      'EUR',
    );
    expect(csv).toBe(['name,value_minor,value,currency', '"Flour, ""00""",123456,1234.56,EUR', `"'=HYPERLINK(""x"")",-5,-0.05,EUR`, '"two\nlines",0,0.00,EUR', ''].join('\r\n'));
  });

  it('knows each currency’s minor unit, and leaves the decimal empty while the currency is unknown', () => {
    expect(decimalAmount(150_000, 'KRW')).toBe('150000');
    expect(decimalAmount(1_234_567, 'BHD')).toBe('1234.567');
    expect(decimalAmount(7, 'USD')).toBe('0.07');
    expect(csvOf([{ header: 'value', value: (r: number) => r, money: true }], [1250], undefined)).toBe('value_minor,value,currency\r\n1250,,\r\n');
  });

  it('has a row per item, then the subtotals and the total, in each report', () => {
    const tallies = new Map<string, UsageTally>();
    for (const m of day) addUsage(tallies, m);
    const usage = usageCsv(usageReport(tallies, new Map([['flour', flour]])), 'EUR').split('\r\n');
    expect(usage[0]).toBe(
      'row,category,item_id,item_name,base_unit,counted,counts,sold,returned,theoretical,received,stock_change,actual,variance,wasted,adjusted,count_variance,unexplained,' +
        'theoretical_value_minor,theoretical_value,actual_value_minor,actual_value,variance_value_minor,variance_value,wasted_value_minor,wasted_value,unexplained_value_minor,unexplained_value,currency',
    );
    expect(usage[1]).toBe('item,dry goods,flour,Flour T55,g,true,1,1200,200,1000,5000,3000,2000,1000,500,-100,-400,500,2000,20.00,4000,40.00,2000,20.00,1000,10.00,1000,10.00,EUR');
    expect(usage[2]).toBe('total,,,,,,,,,,,,,,,,,,2000,20.00,4000,40.00,2000,20.00,1000,10.00,1000,10.00,EUR');

    const value = onHandValueCsv(onHandValue([flour], [{ siteId: 'bistro', itemId: 'flour', location: 'dry', quantity: kg(13), version: 1, updatedAt: AT }]), 'EUR').split('\r\n');
    expect(value.slice(0, 4)).toEqual([
      'row,category,item_id,item_name,base_unit,on_hand,average_cost_per_1000_minor,average_cost_per_1000,value_minor,value,currency',
      'item,dry goods,flour,Flour T55,g,13000,2000,20.00,26000,260.00,EUR',
      'category,dry goods,,,,,,,26000,260.00,EUR',
      'total,,,,,,,,26000,260.00,EUR',
    ]);

    const tally: WasteTally = new Map();
    addWaste(tally, day[4]!);
    expect(wasteCsv(wasteReport(tally, new Map([['flour', flour]])), undefined).split('\r\n').slice(0, 4)).toEqual([
      'row,category,item_id,item_name,base_unit,reason,quantity,movements,value_minor,value,currency',
      'item,dry goods,flour,Flour T55,g,spoiled,500,1,1000,,',
      'reason,,,,,spoiled,,1,1000,,',
      'total,,,,,,,,1000,,',
    ]);
  });
});

describe('the range', () => {
  it('lists local dates across a month end, both ends included', () => {
    expect(datesOf('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(daysIn('2026-01-01', '2026-04-02')).toBe(92);
  });

  it(`takes at most ${MAX_REPORT_DAYS} days, from ≤ to, real dates; a 400 names the limit`, () => {
    expect(reportRangeQuerySchema.parse({ from: '2026-01-01', to: '2026-04-02' })).toEqual({ from: '2026-01-01', to: '2026-04-02', format: 'json' });
    const tooLong = reportRangeQuerySchema.safeParse({ from: '2026-01-01', to: '2026-04-03' });
    expect(tooLong.error?.issues).toEqual([expect.objectContaining({ path: ['to'], message: 'a report covers at most 92 days' })]);
    expect(reportRangeQuerySchema.safeParse({ from: '2026-03-02', to: '2026-03-01' }).error?.issues).toEqual([expect.objectContaining({ path: ['from'] })]);
    for (const [from, to] of [['2026-02-30', '2026-03-01'], ['2026-3-1', '2026-03-02'], ['1999-12-31', '2000-01-01'], ['', '2026-01-01']]) {
      expect(reportRangeQuerySchema.safeParse({ from, to }).success).toBe(false);
    }
    expect(reportRangeQuerySchema.safeParse({ from: '2026-03-01', to: '2026-03-01', format: 'xml' }).success).toBe(false);
  });
});
