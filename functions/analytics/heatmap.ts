// The heat map report (heatmap-rules.ts has the arithmetic): the range's hour items in one paged query, JSON or CSV.
import { csvOf, csvResponse, type Column } from '#shared/csv';
import type { HttpResult } from '#shared/http';
import { salesStore, sitesStore } from './config';
import { heatmapOf, type HeatmapCell } from './heatmap-rules';
import type { HeatmapQuery } from './schemas';

export async function heatmapReport(siteId: string, query: HeatmapQuery): Promise<HttpResult> {
  const [site, hours] = await Promise.all([sitesStore.get(siteId), salesStore.hoursBetween(siteId, query.from, query.to)]);
  const cells = heatmapOf(query.from, query.to, hours);
  if (query.format === 'csv') return csvResponse(csvOf(HEATMAP_COLUMNS, cells, site.currency), `heatmap-${siteId}-${query.from}-${query.to}.csv`);
  return { body: { siteId, from: query.from, to: query.to, currency: site.currency ?? null, timeZone: site.timeZone, cells } };
}

const HEATMAP_COLUMNS: ReadonlyArray<Column<HeatmapCell>> = [
  { header: 'weekday', value: (cell) => cell.weekday },
  { header: 'hour', value: (cell) => cell.hour },
  { header: 'net_sales', value: (cell) => cell.netSales, money: true },
  { header: 'orders', value: (cell) => cell.orders },
  { header: 'covers', value: (cell) => cell.covers },
  { header: 'labour_hours', value: (cell) => cell.labourHours },
  { header: 'sales_per_labour_hour', value: (cell) => cell.salesPerLabourHour ?? undefined, money: true },
];
