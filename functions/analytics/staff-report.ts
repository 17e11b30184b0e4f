// Server performance over a range (server-performance-rules.ts), from the `server#{userId}#…` counters of the
// range's months and days: for managers everyone, for a member their own row only.
import { csvOf, csvResponse, type Column } from '#shared/csv';
import type { HttpResult } from '#shared/http';
import { sitesStore } from './config';
import { countersOver } from './range-read';
import type { ReportQuery } from './report-schemas';
import { figuresOf } from './sales-rules';
import { serverPerformance, serverTable, type ServerPerformance } from './server-performance-rules';

/** Everyone's figures, or only `onlyUserId`'s (zeros when they neither sold nor worked in the range). */
export async function staffReport(siteId: string, query: ReportQuery, onlyUserId?: string): Promise<HttpResult> {
  const [site, range] = await Promise.all([sitesStore.get(siteId), countersOver(siteId, query.from, query.to)]);
  const { byServer } = figuresOf(range.counters);
  const servers = onlyUserId === undefined ? serverTable(byServer) : [serverPerformance(onlyUserId, byServer[onlyUserId])];
  // The site's own first: a counter item's `currency` is its last writer's (a shift costed in the pay pack's).
  const currency = site.currency ?? range.currency ?? null;
  const name = onlyUserId === undefined ? 'staff' : 'staff-me';
  if (query.format === 'csv') return csvResponse(csvOf(STAFF_COLUMNS, servers, currency ?? undefined), `${name}-${siteId}-${query.from}-${query.to}.csv`);
  return { body: { siteId, from: query.from, to: query.to, currency, servers } };
}

const STAFF_COLUMNS: ReadonlyArray<Column<ServerPerformance>> = [
  { header: 'user_id', value: (row) => row.userId },
  { header: 'net_sales', value: (row) => row.netSales, money: true },
  { header: 'orders', value: (row) => row.orders },
  { header: 'covers', value: (row) => row.covers },
  { header: 'average_ticket', value: (row) => row.averageTicket, money: true },
  { header: 'labour_hours', value: (row) => row.labourHours },
  { header: 'sales_per_labour_hour', value: (row) => row.salesPerLabourHour ?? undefined, money: true },
  { header: 'covers_per_labour_hour', value: (row) => row.coversPerLabourHour ?? undefined },
  { header: 'discounts', value: (row) => row.discounts, money: true },
  { header: 'tips', value: (row) => row.tips, money: true },
  { header: 'voids', value: (row) => row.voids.count },
  { header: 'void_amount', value: (row) => row.voids.amount, money: true },
  { header: 'void_rate_bps', value: (row) => row.voids.rateBps ?? undefined },
];
