// The sales reads: the dashboard of a day and reports over a range, from counters only, so their cost is the
// number of days, hours, rollups and menu items they name, whatever the number of orders behind them.
import { csvOf, csvResponse, type Column } from '#shared/csv';
import type { HttpResult } from '#shared/http';
import { addDays, businessDayOf, wallClock } from '#shared/time';
import { salesStore, sitesStore } from './config';
import { averageTicket, bucketsOf, changeBps, comparisonRange, figuresOf, hoursOfBusinessDay, hoursThrough, pickFigures, sumCounters, type Bucket, type Counters, type FigureName, type Figures, type Grain } from './sales-rules';
import { keyId, type ItemFigures } from './sales-store';
import type { SalesQuery } from './schemas';
import { analyticsKeys, type TableKey } from './table';

/** How many menu items the dashboard lists, best first by revenue. */
export const TOP_ITEMS = 5;

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

/** `date` (the site's current business day by default) against the same weekday a week before. */
export async function dashboard(siteId: string, date: string | undefined, now = Date.now()) {
  const site = await sitesStore.get(siteId);
  const today = businessDayOf(now, site.businessDay.timeZone, site.businessDay.startsAt);
  const day = date ?? today;
  const lastWeek = addDays(day, -7);
  const [days, hours, hoursLastWeek, items] = await Promise.all([
    salesStore.counters([analyticsKeys.day(siteId, day), analyticsKeys.day(siteId, lastWeek)]),
    salesStore.hours(siteId, day),
    salesStore.hours(siteId, lastWeek),
    salesStore.items(siteId, day),
  ]);
  const figures = figuresOf(days.byKey.get(keyId(analyticsKeys.day(siteId, day))) ?? {}, days.labels);
  const figuresLastWeek = figuresOf(days.byKey.get(keyId(analyticsKeys.day(siteId, lastWeek))) ?? {}, days.labels);
  // Today is not over: last week up to the same hour of its business day is the fair comparison of "so far".
  const dayHours = hoursOfBusinessDay(site.businessDay.startsAt);
  const clock = wallClock(now, site.timeZone).time.slice(0, 5);
  const currentHour = clock.slice(0, 2);
  const soFar = day === today ? headline(figuresOf(sumCounters(hoursThrough(site.businessDay.startsAt, clock).map((h) => hoursLastWeek.get(h) ?? {})))) : undefined;
  const hourly = (counters: Counters | undefined) => ({ ...headline(figuresOf(counters ?? {})), labourSeconds: counters?.labourSeconds ?? 0 });
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
    topItems: byRevenue(items).slice(0, TOP_ITEMS),
    hourly: dayHours.map((hour) => ({ hour, ...hourly(hours.get(hour)), sameWeekdayLastWeek: hourly(hoursLastWeek.get(hour)) })),
  };
}

type Dashboard = Awaited<ReturnType<typeof dashboard>>;
type HourRow = Dashboard['hourly'][number];

/** The dashboard as a spreadsheet: one row per hour of the day, with the same hour a week before. */
export function dashboardCsv(day: Dashboard): HttpResult {
  const columns: ReadonlyArray<Column<HourRow>> = [
    { header: 'date', value: () => day.date },
    { header: 'hour', value: (row) => row.hour },
    { header: 'net_sales', value: (row) => row.netSales, money: true },
    { header: 'orders', value: (row) => row.orders },
    { header: 'covers', value: (row) => row.covers },
    { header: 'average_ticket', value: (row) => row.averageTicket, money: true },
    { header: 'labour_hours', value: (row) => Math.round(row.labourSeconds / 36) / 100 },
    { header: 'last_week_date', value: () => day.compareDate },
    { header: 'last_week_net_sales', value: (row) => row.sameWeekdayLastWeek.netSales, money: true },
    { header: 'last_week_orders', value: (row) => row.sameWeekdayLastWeek.orders },
    { header: 'last_week_covers', value: (row) => row.sameWeekdayLastWeek.covers },
  ];
  return csvResponse(csvOf(columns, day.hourly, day.currency ?? undefined), `dashboard-${day.siteId}-${day.date}.csv`);
}

/** Best revenue first, then portions, then id: a stable order for equal figures. */
const byRevenue = (items: readonly ItemFigures[]) => [...items].sort((a, b) => b.revenue - a.revenue || b.quantity - a.quantity || a.itemId.localeCompare(b.itemId));

/** The menu items sold over a range: whole months from their month items, the edges day by day. */
export function itemsOver(siteId: string, from: string, to: string): Promise<ItemFigures[]> {
  return salesStore.itemsOver(siteId, bucketsOf(from, to, 'month').map((bucket) => ({ from: bucket.from, to: bucket.to, ...(bucket.rollup ? { month: bucket.rollup.key } : {}) })));
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
export async function rangeFigures(siteId: string, from: string, to: string, grain: Grain): Promise<{ series: Period[]; totals: Figures; currency?: string }> {
  const buckets = bucketsOf(from, to, grain);
  const { byKey, currency, labels } = await salesStore.counters(buckets.flatMap((bucket) => bucketKeys(siteId, bucket)));
  const counted = buckets.map((bucket) => ({ bucket, counters: sumCounters(bucketKeys(siteId, bucket).map((key) => byKey.get(keyId(key)) ?? {})) }));
  return {
    series: counted.map(({ bucket, counters }) => ({ period: bucket.period, from: bucket.from, to: bucket.to, figures: figuresOf(counters, labels) })),
    totals: figuresOf(sumCounters(counted.map(({ counters }) => counters)), labels),
    ...(currency ? { currency } : {}),
  };
}

export async function salesReport(siteId: string, query: SalesQuery): Promise<HttpResult> {
  const range = { from: query.from, to: query.to };
  const compareRange = query.compare ? comparisonRange(query.from, query.to, query.compare) : undefined;
  const [site, current, compared, items] = await Promise.all([
    sitesStore.get(siteId),
    rangeFigures(siteId, range.from, range.to, query.grain),
    compareRange ? rangeFigures(siteId, compareRange.from, compareRange.to, query.grain) : undefined,
    query.format === 'json' ? itemsOver(siteId, range.from, range.to) : [],
  ]);
  const currency = current.currency ?? compared?.currency ?? site.currency;
  const shown = (figures: Figures) => (query.metrics ? pickFigures(figures, query.metrics) : figures);
  if (query.format === 'csv') {
    const rows = [...current.series.map((period) => ({ range: 'current', ...period })), ...(compared?.series ?? []).map((period) => ({ range: `compare:${query.compare}`, ...period }))];
    const columns = SALES_COLUMNS.filter((column) => !column.metric || !query.metrics || query.metrics.includes(column.metric));
    return csvResponse(csvOf(columns, rows, currency), `sales-${siteId}-${query.from}-${query.to}-${query.grain}.csv`);
  }
  return {
    body: {
      siteId,
      ...range,
      grain: query.grain,
      currency: currency ?? null,
      totals: shown(current.totals),
      topItems: byRevenue(items).slice(0, TOP_ITEMS),
      series: current.series.map((period) => ({ ...period, figures: shown(period.figures) })),
      ...(compared && compareRange && query.compare
        ? {
            compare: {
              kind: query.compare,
              ...compareRange,
              totals: shown(compared.totals),
              series: compared.series.map((period) => ({ ...period, figures: shown(period.figures) })),
              change: changes(headline(current.totals), headline(compared.totals)),
            },
          }
        : {}),
    },
  };
}

type SalesRow = Period & { range: string };
/** A CSV column, and the figure it shows (`?metrics=` keeps only the columns of the figures named). */
type SalesColumn = Column<SalesRow> & { metric?: FigureName };
const figure = (metric: FigureName, header: string, value: (figures: Figures) => number | null, money = false): SalesColumn => ({
  header,
  // A share of nothing (no sales) is an empty cell.
  value: (row) => value(row.figures) ?? '',
  ...(money ? { money: true } : {}),
  metric,
});
const SALES_COLUMNS: ReadonlyArray<SalesColumn> = [
  { header: 'range', value: (row) => row.range },
  { header: 'period', value: (row) => row.period },
  { header: 'from', value: (row) => row.from },
  { header: 'to', value: (row) => row.to },
  figure('netSales', 'net_sales', (f) => f.netSales, true),
  figure('grossSales', 'gross_sales', (f) => f.grossSales, true),
  figure('discounts', 'discounts', (f) => f.discounts, true),
  figure('tax', 'tax', (f) => f.tax, true),
  figure('tips', 'tips', (f) => f.tips, true),
  figure('orders', 'orders', (f) => f.orders),
  figure('covers', 'covers', (f) => f.covers),
  figure('averageTicket', 'average_ticket', (f) => f.averageTicket, true),
  figure('refunds', 'refunds', (f) => f.refunds.count),
  figure('refunds', 'refunded', (f) => f.refunds.amount, true),
  figure('voids', 'voids', (f) => f.voids.count),
  figure('voids', 'voided', (f) => f.voids.amount, true),
  figure('labour', 'labour_hours', (f) => Math.round(f.labour.seconds / 36) / 100),
  figure('labour', 'labour_cost', (f) => f.labour.cost, true),
  figure('labour', 'labour_pct_bps', (f) => f.labour.percentOfSalesBps),
  figure('foodCost', 'food_cost', (f) => f.foodCost.amount, true),
  figure('foodCost', 'food_cost_pct_bps', (f) => f.foodCost.percentOfSalesBps),
  figure('waste', 'waste', (f) => f.waste.value, true),
  figure('foodSafety', 'food_safety_incidents', (f) => f.foodSafety.incidents),
  figure('foodSafety', 'minutes_out_of_range', (f) => f.foodSafety.minutesOutOfRange),
];
