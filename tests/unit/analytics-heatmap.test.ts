// The weekday × hour heat map (heatmap.ts): averages per occurrence of the weekday in the range, every cell present,
// labour beside sales.
import { heatmapOf } from '../../functions/analytics/heatmap-rules';
import { heatmapQuerySchema } from '../../functions/analytics/schemas';

describe('the heat map', () => {
  // 2026-11-02 and 2026-11-09 are Mondays; 2026-11-03 a Tuesday.
  const hours = new Map([
    ['2026-11-02', new Map([['12', { netSales: 10_000, orders: 4, covers: 6, labourSeconds: 7200 }]])],
    ['2026-11-09', new Map([['12', { netSales: 5_001, orders: 3, covers: 3 }]])],
    ['2026-11-03', new Map([['19', { netSales: 2_000, orders: 1 }]])],
  ]);
  const cells = heatmapOf('2026-11-02', '2026-11-15', hours);
  const cell = (weekday: string, hour: string) => cells.find((c) => c.weekday === weekday && c.hour === hour)!;

  it('has every weekday and hour, Monday first', () => {
    expect(cells).toHaveLength(7 * 24);
    expect(cells[0]).toMatchObject({ weekday: 'mon', hour: '00', netSales: 0, orders: 0, salesPerLabourHour: null });
    expect(cells.at(-1)).toMatchObject({ weekday: 'sun', hour: '23' });
  });

  it('averages over every occurrence of the weekday in the range, sold or not', () => {
    expect(cell('mon', '12')).toEqual({ weekday: 'mon', hour: '12', netSales: 7_501, orders: 3.5, covers: 4.5, labourHours: 1, salesPerLabourHour: 7_501 });
    // Two Tuesdays in the range, one with a sale.
    expect(cell('tue', '19')).toMatchObject({ netSales: 1_000, orders: 0.5 });
  });

  it('refuses more than 92 days', () => {
    expect(heatmapQuerySchema.safeParse({ from: '2026-01-01', to: '2026-04-02' }).success).toBe(true);
    expect(heatmapQuerySchema.safeParse({ from: '2026-01-01', to: '2026-04-03' }).error?.issues[0]?.message).toContain('92 days');
  });
});
