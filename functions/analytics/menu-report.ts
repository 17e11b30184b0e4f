// The menu engineering report of a range (menu-engineering-rules.ts): the menu items sold, summed from their month
// and day items, priced with the current recipes and average costs analytics keeps (state-store.ts). Its cost is
// the items sold × (months + edge days), whatever the number of orders.
import { csvOf, csvResponse, type Column } from '#shared/csv';
import type { HttpResult } from '#shared/http';
import { salesStore, sitesStore, stateStore } from './config';
import { menuEngineering, type MenuEngineeringRow } from './menu-engineering-rules';
import { monthBucketsOf } from './range-read';
import type { ReportQuery } from './report-schemas';

export async function menuReport(siteId: string, query: ReportQuery): Promise<HttpResult> {
  const [site, sold, menu, costs] = await Promise.all([
    sitesStore.get(siteId),
    salesStore.itemsOver(siteId, monthBucketsOf(query.from, query.to)),
    stateStore.menuItems(siteId),
    stateStore.costs(siteId),
  ]);
  const report = menuEngineering(sold, new Map(menu.map((item) => [item.itemId, item.recipe])), costs);
  const currency = site.currency ?? null;
  if (query.format === 'csv') return csvResponse(csvOf(MENU_COLUMNS, report.items, currency ?? undefined), `menu-${siteId}-${query.from}-${query.to}.csv`);
  return { body: { siteId, from: query.from, to: query.to, currency, ...report } };
}

const MENU_COLUMNS: ReadonlyArray<Column<MenuEngineeringRow>> = [
  { header: 'item_id', value: (row) => row.itemId },
  { header: 'name', value: (row) => row.name },
  { header: 'category_id', value: (row) => row.categoryId ?? undefined },
  { header: 'quantity', value: (row) => row.quantity },
  { header: 'revenue', value: (row) => row.revenue, money: true },
  { header: 'average_price', value: (row) => row.averagePrice, money: true },
  { header: 'popularity_bps', value: (row) => row.popularityBps },
  { header: 'food_cost', value: (row) => row.foodCost ?? undefined, money: true },
  { header: 'margin', value: (row) => row.margin ?? undefined, money: true },
  { header: 'total_margin', value: (row) => row.totalMargin ?? undefined, money: true },
  { header: 'class', value: (row) => row.class ?? undefined },
  { header: 'reason', value: (row) => (row.reason ? [row.reason.code, ...('ingredientIds' in row.reason ? row.reason.ingredientIds : [])].join(' ') : undefined) },
];
