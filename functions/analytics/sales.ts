// The sales reads: the dashboard of a day and reports over a range, from counters only, so their cost is the
// number of days, hours, rollups and menu items they name, whatever the number of orders behind them.
import { csvOf, csvResponse, type Column } from '#shared/csv';
import type { HttpResult } from '#shared/http';
import { addDays, localDateOf, wallClock } from '#shared/time';
import { salesStore, sitesStore } from './config';
import { averageTicket, bucketsOf, changeBps, comparisonRange, figuresOf, sumCounters, type Bucket, type Counters, type Figures, type Grain } from './sales-rules';
import { keyId } from './sales-store';
import type { SalesQuery } from './schemas';
import { analyticsKeys, type TableKey } from './table';

/** How many menu items the dashboard lists, best first by revenue. */
export const TOP_ITEMS = 5;
const HOURS = Array.from({ length: 24 }, (_, hour) => String(hour).padStart(2, '0'));

const headline = (figures: Pick<Figures, 'netSales' | 'orders' | 'covers'>) => ({
  netSales: figures.netSales,
  orders: figures.orders,
  covers: figures.covers,
  averageTicket: averageTicket(figures.netSales, figures.orders),
});
type Headline = ReturnType<typeof headline>;

const changes = (now: Headline, before: Headline) => ({
  netSales: changeBps(now.netSales, before.netSales),
  orders: changeBps(now.orders, before.orders),
  covers: changeBps(now.covers, before.covers),
  averageTicket: changeBps(now.averageTicket, before.averageTicket),
});

/** `date` (today in the site's zone by default) against the same weekday a week before. */
export async function dashboard(siteId: string, date: string | undefined, now = Date.now()) {
  const site = await sitesStore.get(siteId);
  const today = localDateOf(now, site.timeZone);
  const day = date ?? today;
  const lastWeek = addDays(day, -7);
  const [days, hours, hoursLastWeek, items] = await Promise.all([
    salesStore.counters([analyticsKeys.day(siteId, day), analyticsKeys.day(siteId, lastWeek)]),
    salesStore.hours(siteId, day),
    salesStore.hours(siteId, lastWeek),
    salesStore.items(siteId, day),
  ]);
  const figures = figuresOf(days.byKey.get(keyId(analyticsKeys.day(siteId, day))) ?? {});
  const figuresLastWeek = figuresOf(days.byKey.get(keyId(analyticsKeys.day(siteId, lastWeek))) ?? {});
  // Today is not over: last week up to the same hour is the fair comparison of "so far".
  const currentHour = wallClock(now, site.timeZone).time.slice(0, 2);
  const soFar = day === today ? headline(figuresOf(sumCounters(HOURS.filter((h) => h <= currentHour).map((h) => hoursLastWeek.get(h) ?? {})))) : undefined;
  const hourly = (counters: Counters | undefined) => headline(figuresOf(counters ?? {}));
  return {
    siteId,
    date: day,
    compareDate: lastWeek,
    currency: days.currency ?? site.currency ?? null,
    timeZone: site.timeZone,
    day: figures,
    sameWeekdayLastWeek: figuresLastWeek,
    change: changes(headline(figures), headline(figuresLastWeek)),
    ...(soFar ? { sameWeekdayLastWeekToThisHour: { throughHour: currentHour, ...soFar, change: changes(headline(figures), soFar) } } : {}),
    topItems: [...items].sort((a, b) => b.revenue - a.revenue || b.quantity - a.quantity || a.itemId.localeCompare(b.itemId)).slice(0, TOP_ITEMS),
    hourly: HOURS.map((hour) => ({ hour, ...hourly(hours.get(hour)), sameWeekdayLastWeek: hourly(hoursLastWeek.get(hour)) })),
  };
}

function bucketKeys(siteId: string, bucket: Bucket): TableKey[] {
  const rollup = bucket.rollup;
  if (rollup) return [rollup.grain === 'day' ? analyticsKeys.day(siteId, rollup.key) : rollup.grain === 'week' ? analyticsKeys.week(siteId, rollup.key) : analyticsKeys.month(siteId, rollup.key)];
  const keys: TableKey[] = [];
  for (let date = bucket.from; date <= bucket.to; date = addDays(date, 1)) keys.push(analyticsKeys.day(siteId, date));
  return keys;
}

interface Period {
  period: string;
  from: string;
  to: string;
  figures: Figures;
}

/** Whole periods read as one rollup item each; a period the range cuts is read day by day. A day never booked is zeros. */
async function rangeFigures(siteId: string, from: string, to: string, grain: Grain): Promise<{ series: Period[]; totals: Figures; currency?: string }> {
  const buckets = bucketsOf(from, to, grain);
  const { byKey, currency } = await salesStore.counters(buckets.flatMap((bucket) => bucketKeys(siteId, bucket)));
  const counted = buckets.map((bucket) => ({ bucket, counters: sumCounters(bucketKeys(siteId, bucket).map((key) => byKey.get(keyId(key)) ?? {})) }));
  return {
    series: counted.map(({ bucket, counters }) => ({ period: bucket.period, from: bucket.from, to: bucket.to, figures: figuresOf(counters) })),
    totals: figuresOf(sumCounters(counted.map(({ counters }) => counters))),
    ...(currency ? { currency } : {}),
  };
}

export async function salesReport(siteId: string, query: SalesQuery): Promise<HttpResult> {
  const range = { from: query.from, to: query.to };
  const compareRange = query.compare ? comparisonRange(query.from, query.to, query.compare) : undefined;
  const [site, current, compared] = await Promise.all([
    sitesStore.get(siteId),
    rangeFigures(siteId, range.from, range.to, query.grain),
    compareRange ? rangeFigures(siteId, compareRange.from, compareRange.to, query.grain) : undefined,
  ]);
  const currency = current.currency ?? compared?.currency ?? site.currency;
  if (query.format === 'csv') {
    const rows = [...current.series.map((period) => ({ range: 'current', ...period })), ...(compared?.series ?? []).map((period) => ({ range: `compare:${query.compare}`, ...period }))];
    return csvResponse(csvOf(SALES_COLUMNS, rows, currency), `sales-${siteId}-${query.from}-${query.to}-${query.grain}.csv`);
  }
  return {
    body: {
      siteId,
      ...range,
      grain: query.grain,
      currency: currency ?? null,
      totals: current.totals,
      series: current.series,
      ...(compared && compareRange && query.compare
        ? { compare: { kind: query.compare, ...compareRange, totals: compared.totals, series: compared.series, change: changes(headline(current.totals), headline(compared.totals)) } }
        : {}),
    },
  };
}

type SalesRow = Period & { range: string };
const SALES_COLUMNS: ReadonlyArray<Column<SalesRow>> = [
  { header: 'range', value: (row) => row.range },
  { header: 'period', value: (row) => row.period },
  { header: 'from', value: (row) => row.from },
  { header: 'to', value: (row) => row.to },
  { header: 'net_sales', value: (row) => row.figures.netSales, money: true },
  { header: 'gross_sales', value: (row) => row.figures.grossSales, money: true },
  { header: 'discounts', value: (row) => row.figures.discounts, money: true },
  { header: 'tax', value: (row) => row.figures.tax, money: true },
  { header: 'tips', value: (row) => row.figures.tips, money: true },
  { header: 'orders', value: (row) => row.figures.orders },
  { header: 'covers', value: (row) => row.figures.covers },
  { header: 'average_ticket', value: (row) => row.figures.averageTicket, money: true },
  { header: 'refunds', value: (row) => row.figures.refunds.count },
  { header: 'refunded', value: (row) => row.figures.refunds.amount, money: true },
  { header: 'voids', value: (row) => row.figures.voids.count },
  { header: 'voided', value: (row) => row.figures.voids.amount, money: true },
];
