// The reports as CSV (RFC 4180: a header row, CRLF line ends, fields with a comma, quote or line break quoted and
// their quotes doubled) for a spreadsheet. Every money column comes twice: `<name>_minor`, integer minor units as
// the JSON has them, and `<name>`, the amount in the site's currency as a plain decimal (two places for EUR, none
// for KRW; empty until inventory has heard the site's currency), with a last `currency` column. The first column
// says what a row is: an item, or a subtotal (category, reason) or the total, whose item columns are empty.
import type { HttpResult } from '#shared/http';
import type { OnHandValue, UsageReport, WasteReport } from './report-rules';

type Cell = string | number | boolean | undefined;

export interface Column<T> {
  header: string;
  value: (row: T) => Cell;
  /** Minor units: written as `<header>_minor` and as a decimal `<header>` in the currency. */
  money?: boolean;
}

/** Names and notes are typed by people: a spreadsheet must not run one as a formula (=, +, -, @ first). */
function textField(value: string): string {
  const inert = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(inert) ? `"${inert.replaceAll('"', '""')}"` : inert;
}

const field = (value: Cell): string => (value === undefined ? '' : typeof value === 'string' ? textField(value) : String(value));

/** Digits after the decimal point of `currency`'s minor unit (ISO 4217, as Intl knows it). */
function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Minor units as a decimal of the currency, exactly: 123456 EUR → "1234.56", -5 EUR → "-0.05", 1500 KRW → "1500". */
export function decimalAmount(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const scale = 10 ** digits;
  const sign = minor < 0 ? '-' : '';
  const whole = Math.floor(Math.abs(minor) / scale);
  return digits === 0 ? `${sign}${whole}` : `${sign}${whole}.${String(Math.abs(minor) % scale).padStart(digits, '0')}`;
}

export function csvOf<T>(columns: ReadonlyArray<Column<T>>, rows: readonly T[], currency: string | undefined): string {
  const header = [...columns.flatMap((c) => (c.money ? [`${c.header}_minor`, c.header] : [c.header])), 'currency'];
  const line = (row: T) => [
    ...columns.flatMap((c) => {
      const value = c.value(row);
      if (!c.money) return [field(value)];
      return typeof value === 'number' ? [String(value), currency ? decimalAmount(value, currency) : ''] : ['', ''];
    }),
    currency ?? '',
  ];
  return [header, ...rows.map(line)].map((cells) => `${cells.join(',')}\r\n`).join('');
}

/** A CSV answer, downloaded as `filename`. */
export function csvResponse(csv: string, filename: string): HttpResult {
  return { rawBody: csv, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"` } };
}

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
