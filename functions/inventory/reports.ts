// The reports' use cases: read what a report needs (report-store.ts), compute it (report-rules.ts), and answer it
// as JSON or CSV (report-csv.ts). A usage or waste report reads its range day by day through the byDay index,
// a few days at a time, adding each day's movements to running sums, so a quarter of a busy site never sits in
// memory at once. Money is shown in the site's currency when inventory has heard it (site-store.ts).
import type { HttpResult } from '#shared/http';
import { reportStore, siteStore } from './config';
import { csvResponse, onHandValueCsv, usageCsv, wasteCsv } from './report-csv';
import { addUsage, addWaste, datesOf, onHandValue, usageReport, wasteReport, type UsageTally, type WasteTally } from './report-rules';
import type { ReportRange } from './report-schemas';
import type { MovementRecord } from './schemas';

/** Days read at once: enough to overlap the index queries' round trips, few enough to bound memory. */
const DAYS_IN_FLIGHT = 4;

async function eachMovement(siteId: string, range: ReportRange, visit: (movement: MovementRecord) => void): Promise<void> {
  const dates = datesOf(range.from, range.to);
  for (let i = 0; i < dates.length; i += DAYS_IN_FLIGHT) {
    const days = await Promise.all(dates.slice(i, i + DAYS_IN_FLIGHT).map((date) => reportStore.movementsOn(siteId, date)));
    for (const movement of days.flat()) visit(movement);
  }
}

/** The site's items by id, for the names and categories of a range's lines. */
async function itemsById(siteId: string) {
  return new Map((await reportStore.items(siteId)).map((item) => [item.itemId, item]));
}

function answer(format: 'json' | 'csv', body: Record<string, unknown>, csv: () => string, filename: string): HttpResult {
  return format === 'csv' ? csvResponse(csv(), filename) : { body };
}

export async function onHandValueAnswer(siteId: string, format: 'json' | 'csv'): Promise<HttpResult> {
  const [items, rows, currency] = await Promise.all([reportStore.items(siteId), reportStore.onHand(siteId), siteStore.currencyOf(siteId)]);
  const report = onHandValue(items, rows);
  return answer(format, { siteId, currency: currency ?? null, ...report }, () => onHandValueCsv(report, currency), `on-hand-value-${siteId}.csv`);
}

export async function usageAnswer(siteId: string, range: ReportRange): Promise<HttpResult> {
  const tallies = new Map<string, UsageTally>();
  const [items, currency] = await Promise.all([itemsById(siteId), siteStore.currencyOf(siteId), eachMovement(siteId, range, (m) => addUsage(tallies, m))]);
  const report = usageReport(tallies, items);
  return answer(range.format, { siteId, from: range.from, to: range.to, currency: currency ?? null, ...report }, () => usageCsv(report, currency), `usage-${siteId}-${range.from}-${range.to}.csv`);
}

export async function wasteAnswer(siteId: string, range: ReportRange): Promise<HttpResult> {
  const tally: WasteTally = new Map();
  const [items, currency] = await Promise.all([itemsById(siteId), siteStore.currencyOf(siteId), eachMovement(siteId, range, (m) => addWaste(tally, m))]);
  const report = wasteReport(tally, items);
  // The JSON has the per-item reasons already; the flat lines are the CSV's rows.
  const { lines: _lines, ...summary } = report;
  return answer(range.format, { siteId, from: range.from, to: range.to, currency: currency ?? null, ...summary }, () => wasteCsv(report, currency), `waste-${siteId}-${range.from}-${range.to}.csv`);
}
