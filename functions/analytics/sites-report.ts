// The owners' cross-site report (cross-site-rules.ts): one row of headline figures per site analytics knows
// (sites-list.ts) and totals per currency. Every site's months and edge days are read in one batch: the cost is the
// number of sites × (months + edge days) of the range, whatever the number of orders.
import { csvOf, csvResponse, type Column } from '#shared/csv';
import type { HttpResult } from '#shared/http';
import { salesStore } from './config';
import { siteRow, totalsByCurrency, type CurrencyTotal, type SiteRow } from './cross-site-rules';
import { rangeKeys } from './range-read';
import type { ReportQuery } from './report-schemas';
import { figuresOf, sumCounters } from './sales-rules';
import { keyId } from './sales-store';
import { listSites } from './sites-list';

export async function sitesReport(query: ReportQuery): Promise<HttpResult> {
  const sites = await listSites();
  const keysOf = new Map(sites.map((site) => [site.siteId, rangeKeys(site.siteId, query.from, query.to)]));
  const { byKey } = await salesStore.counters([...keysOf.values()].flat());
  const rows = sites.map((site) => siteRow(site.siteId, site.currency, figuresOf(sumCounters((keysOf.get(site.siteId) ?? []).map((key) => byKey.get(keyId(key)) ?? {})))));
  const totals = totalsByCurrency(rows);
  if (query.format === 'csv') {
    const lines: SiteLine[] = [...rows.map((row) => ({ row: 'site' as const, ...row })), ...totals.map((total) => ({ row: 'total' as const, ...total }))];
    return csvResponse(csvOf(SITE_COLUMNS, lines, (line) => line.currency ?? undefined), `sites-${query.from}-${query.to}.csv`);
  }
  return { body: { from: query.from, to: query.to, sites: rows, totals } };
}

// A row per site, then a total row per currency (its `sites` column says how many sites it adds).
type SiteLine = ({ row: 'site' } & SiteRow) | ({ row: 'total' } & CurrencyTotal);
const SITE_COLUMNS: ReadonlyArray<Column<SiteLine>> = [
  { header: 'row', value: (line) => line.row },
  { header: 'site_id', value: (line) => (line.row === 'site' ? line.siteId : undefined) },
  { header: 'sites', value: (line) => (line.row === 'total' ? line.sites : 1) },
  { header: 'net_sales', value: (line) => line.netSales, money: true },
  { header: 'orders', value: (line) => line.orders },
  { header: 'covers', value: (line) => line.covers },
  { header: 'average_ticket', value: (line) => line.averageTicket, money: true },
  { header: 'labour_cost', value: (line) => line.labourCost, money: true },
  { header: 'labour_percent_bps', value: (line) => line.labourPercentBps ?? undefined },
  { header: 'food_cost', value: (line) => line.foodCost, money: true },
  { header: 'food_cost_percent_bps', value: (line) => line.foodCostPercentBps ?? undefined },
];
