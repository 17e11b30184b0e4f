// Owners' cross-site figures, pure: a site's headline from its figures, and totals per currency. Two currencies are
// never added: each has its own total, and sites whose currency analytics does not know yet have theirs (null).
import { averageTicket, shareBps, type Figures } from './sales-rules';

interface Amounts {
  netSales: number;
  orders: number;
  covers: number;
  labourCost: number;
  foodCost: number;
}
const AMOUNTS = ['netSales', 'orders', 'covers', 'labourCost', 'foodCost'] as const;

const headline = (amounts: Amounts) => ({
  ...amounts,
  averageTicket: averageTicket(amounts.netSales, amounts.orders),
  /** Labour cost ÷ net sales, basis points; null without sales. */
  labourPercentBps: shareBps(amounts.labourCost, amounts.netSales),
  /** Theoretical food cost ÷ net sales, basis points; null without sales. */
  foodCostPercentBps: shareBps(amounts.foodCost, amounts.netSales),
});
export type Headline = ReturnType<typeof headline>;
export type SiteRow = Headline & { siteId: string; currency: string | null };
export type CurrencyTotal = Headline & { currency: string | null; sites: number };

export function siteRow(siteId: string, currency: string | null, figures: Figures): SiteRow {
  return { siteId, currency, ...headline({ netSales: figures.netSales, orders: figures.orders, covers: figures.covers, labourCost: figures.labour.cost, foodCost: figures.foodCost.amount }) };
}

/** One total per currency, by currency code (unknown last). */
export function totalsByCurrency(rows: readonly SiteRow[]): CurrencyTotal[] {
  const byCurrency = new Map<string | null, { amounts: Amounts; sites: number }>();
  for (const row of rows) {
    const total = byCurrency.get(row.currency) ?? { amounts: { netSales: 0, orders: 0, covers: 0, labourCost: 0, foodCost: 0 }, sites: 0 };
    for (const name of AMOUNTS) total.amounts[name] += row[name];
    total.sites += 1;
    byCurrency.set(row.currency, total);
  }
  return [...byCurrency.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
    .map(([currency, { amounts, sites }]) => ({ currency, sites, ...headline(amounts) }));
}
