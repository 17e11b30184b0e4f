// The customer report of a range (customer-rules.ts): every customer item of the site is read, so its cost grows
// with the number of known customers (not with orders); the range's known-customer sales come from the day and
// month counters. Refs only: analytics never holds a phone number or a loyalty id.
import { csvOf, csvResponse, type Column } from '#shared/csv';
import type { HttpResult } from '#shared/http';
import { mulDivHalfUp } from '#shared/money';
import { salesStore, sitesStore } from './config';
import { customerFigures, type CustomerFigures, type LapsedRegular } from './customer-rules';
import { countersOver } from './range-read';
import type { CustomersQuery } from './report-schemas';
import { figuresOf } from './sales-rules';

export async function customersReport(siteId: string, query: CustomersQuery): Promise<HttpResult> {
  const [site, known, range] = await Promise.all([sitesStore.get(siteId), salesStore.customers(siteId), countersOver(siteId, query.from, query.to)]);
  const figures = customerFigures(known, query, query.lapsedAfterDays);
  const { knownCustomers } = figuresOf(range.counters);
  const spend = { netSales: knownCustomers.netSales, orders: knownCustomers.orders, perCustomer: figures.customers > 0 ? mulDivHalfUp(knownCustomers.netSales, 1, figures.customers) : 0 };
  // The site's own first: a counter item's `currency` is its last writer's (a shift costed in the pay pack's).
  const currency = site.currency ?? range.currency ?? null;
  if (query.format === 'csv') {
    const rows: CustomerRow[] = [{ kind: 'summary', figures, spend }, ...figures.lapsedRegulars.map((lapsed) => ({ kind: 'lapsed-regular' as const, lapsed }))];
    return csvResponse(csvOf(CUSTOMER_COLUMNS, rows, currency ?? undefined), `customers-${siteId}-${query.from}-${query.to}.csv`);
  }
  return { body: { siteId, from: query.from, to: query.to, lapsedAfterDays: query.lapsedAfterDays, currency, ...figures, spend } };
}

// One summary row, then one row per lapsed regular; a cell that does not apply to the row's kind is empty.
type CustomerRow = { kind: 'summary'; figures: CustomerFigures; spend: { netSales: number; orders: number; perCustomer: number } } | { kind: 'lapsed-regular'; lapsed: LapsedRegular };
const summary = <T>(value: (row: Extract<CustomerRow, { kind: 'summary' }>) => T) => (row: CustomerRow) => (row.kind === 'summary' ? value(row) : undefined);
const lapsed = <T>(value: (lapsed: LapsedRegular) => T) => (row: CustomerRow) => (row.kind === 'lapsed-regular' ? value(row.lapsed) : undefined);

const CUSTOMER_COLUMNS: ReadonlyArray<Column<CustomerRow>> = [
  { header: 'row', value: (row) => row.kind },
  { header: 'customers', value: summary((row) => row.figures.customers) },
  { header: 'new', value: summary((row) => row.figures.new) },
  { header: 'returning', value: summary((row) => row.figures.returning) },
  { header: 'repeat_customers', value: summary((row) => row.figures.repeatCustomers) },
  { header: 'repeat_rate_bps', value: summary((row) => row.figures.repeatRateBps ?? undefined) },
  { header: 'visits', value: (row) => (row.kind === 'summary' ? row.figures.visits : row.lapsed.visits) },
  { header: 'average_visits_per_customer', value: summary((row) => row.figures.averageVisitsPerCustomer ?? undefined) },
  { header: 'net_sales', value: summary((row) => row.spend.netSales), money: true },
  { header: 'spend_per_customer', value: summary((row) => row.spend.perCustomer), money: true },
  { header: 'ref', value: lapsed((row) => row.ref) },
  { header: 'last_visit', value: lapsed((row) => row.lastVisit) },
  { header: 'days_since_last_visit', value: lapsed((row) => row.daysSinceLastVisit) },
  { header: 'orders', value: (row) => (row.kind === 'summary' ? row.spend.orders : row.lapsed.orders) },
  { header: 'lifetime_spend', value: (row) => (row.kind === 'summary' ? row.figures.lifetime.spend : row.lapsed.spend), money: true },
];
