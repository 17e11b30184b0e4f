// CSV for a spreadsheet, as every domain's exports write it: RFC 4180 (a header row, CRLF line ends, fields with a
// comma, quote or line break quoted and their quotes doubled) and formula-safe. Every money column comes twice:
// `<name>_minor`, integer minor units as the JSON has them, and `<name>`, the amount as a plain decimal of the
// currency (two places for EUR, none for KRW; empty when the currency is not known), with a last `currency` column.
import type { HttpResult } from './http';

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

/** `currency` is the whole file's, or each row's (a payroll export may hold people paid under different packs). */
export function csvOf<T>(columns: ReadonlyArray<Column<T>>, rows: readonly T[], currency: string | undefined | ((row: T) => string | undefined)): string {
  const header = [...columns.flatMap((c) => (c.money ? [`${c.header}_minor`, c.header] : [c.header])), 'currency'];
  const line = (row: T) => {
    const rowCurrency = typeof currency === 'function' ? currency(row) : currency;
    return [
      ...columns.flatMap((c) => {
        const value = c.value(row);
        if (!c.money) return [field(value)];
        return typeof value === 'number' ? [String(value), rowCurrency ? decimalAmount(value, rowCurrency) : ''] : ['', ''];
      }),
      rowCurrency ?? '',
    ];
  };
  return [header, ...rows.map(line)].map((cells) => `${cells.join(',')}\r\n`).join('');
}

/** A CSV answer, downloaded as `filename`. */
export function csvResponse(csv: string, filename: string): HttpResult {
  return { rawBody: csv, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"` } };
}
