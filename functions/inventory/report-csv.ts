// The reports as CSV (#shared/csv: RFC 4180, formula-safe, money as minor units and as a decimal; the currency is
// empty until inventory has heard the site's). The first column says what a row is: an item, or a subtotal
// (category, reason) or the total, whose item columns are empty.
import { csvOf, type Column } from '#shared/csv';
import type { OnHandValue, UsageReport, WasteReport } from './report-rules';

// Inventory's files and tests reach the kit through this module.
export { csvOf, csvResponse, decimalAmount, type Column } from '#shared/csv';

// --- the three reports -----------------------------------------------------------------------------------------------

type ItemRow = { row: string; category?: string; itemId?: string; name?: string; baseUnit?: string };
const itemColumns: Array<Column<ItemRow>> = [
  { header: 'row', value: (r) => r.row },
  { header: 'category', value: (r) => r.category },
  { header: 'item_id', value: (r) => r.itemId },
  { header: 'item_name', value: (r) => r.name },
  { header: 'base_unit', value: (r) => r.baseUnit },
];

export function onHandValueCsv(report: OnHandValue, currency: string | undefined): string {
  type Row = ItemRow & { onHand?: number; averageCost?: number; value: number };
  const rows: Row[] = [
    ...report.items.map((item) => ({ row: 'item', ...item })),
    ...report.categories.map((c) => ({ row: 'category', category: c.category, value: c.value })),
    { row: 'total', value: report.totalValue },
  ];
  return csvOf<Row>(
    [
      ...itemColumns,
      { header: 'on_hand', value: (r) => r.onHand },
      { header: 'average_cost_per_1000', value: (r) => r.averageCost, money: true },
      { header: 'value', value: (r) => r.value, money: true },
    ],
    rows,
    currency,
  );
}

type UsageFigure = Exclude<keyof UsageReport['items'][number], keyof ItemRow>;
const USAGE_QUANTITIES: UsageFigure[] = ['counted', 'counts', 'sold', 'returned', 'theoretical', 'received', 'stockChange', 'actual', 'variance', 'wasted', 'adjusted', 'countVariance', 'unexplained'];
const USAGE_MONEY: UsageFigure[] = ['theoreticalValue', 'actualValue', 'varianceValue', 'wastedValue', 'unexplainedValue'];
/** stockChange → stock_change: a CSV header in the spreadsheet's habit. */
const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function usageCsv(report: UsageReport, currency: string | undefined): string {
  type Row = ItemRow & Partial<Pick<UsageReport['items'][number], UsageFigure>>;
  return csvOf<Row>(
    [
      ...itemColumns,
      ...USAGE_QUANTITIES.map((key): Column<Row> => ({ header: snakeCase(key), value: (r) => r[key] })),
      ...USAGE_MONEY.map((key): Column<Row> => ({ header: snakeCase(key), value: (r) => r[key], money: true })),
    ],
    [...report.items.map((line) => ({ ...line, row: 'item' })), { row: 'total', ...report.totals }],
    currency,
  );
}

export function wasteCsv(report: WasteReport, currency: string | undefined): string {
  type Row = ItemRow & { reason?: string; quantity?: number; value: number; movements?: number };
  const rows: Row[] = [
    ...report.lines.map((line) => ({ row: 'item', ...line })),
    ...report.byReason.map((r) => ({ row: 'reason', ...r })),
    { row: 'total', value: report.totalValue },
  ];
  return csvOf<Row>(
    [
      ...itemColumns,
      { header: 'reason', value: (r) => r.reason },
      { header: 'quantity', value: (r) => r.quantity },
      { header: 'movements', value: (r) => r.movements },
      { header: 'value', value: (r) => r.value, money: true },
    ],
    rows,
    currency,
  );
}
