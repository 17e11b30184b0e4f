// What the reports of a range read (menu, staff, customers, owners' sites): the range's counters as whole months
// (one rollup item each) plus the days of the months the range cuts, so a 400-day range costs at most 14 months and
// 60 days, whatever the number of orders. A day or month never booked is zeros.
import { addDays } from '#shared/time';
import { salesStore } from './config';
import { bucketsOf, sumCounters, type Counters } from './sales-rules';
import { keyId } from './sales-store';
import { analyticsKeys, type TableKey } from './table';

/** `[from, to]` as month buckets: `month` where the range holds the whole month, else the days it holds. */
export const monthBucketsOf = (from: string, to: string) =>
  bucketsOf(from, to, 'month').map((bucket) => ({ from: bucket.from, to: bucket.to, ...(bucket.rollup ? { month: bucket.rollup.key } : {}) }));

/** The items that hold `[from, to]` of a site: its whole months' rollups and the other days. */
export function rangeKeys(siteId: string, from: string, to: string): TableKey[] {
  return monthBucketsOf(from, to).flatMap((bucket) => {
    if (bucket.month) return [analyticsKeys.month(siteId, bucket.month)];
    const days: TableKey[] = [];
    for (let date = bucket.from; date <= bucket.to; date = addDays(date, 1)) days.push(analyticsKeys.day(siteId, date));
    return days;
  });
}

/** The site's counters summed over `[from, to]`, and the currency they were booked in. */
export async function countersOver(siteId: string, from: string, to: string): Promise<{ counters: Counters; currency?: string }> {
  const keys = rangeKeys(siteId, from, to);
  const { byKey, currency } = await salesStore.counters(keys);
  return { counters: sumCounters(keys.map((key) => byKey.get(keyId(key)) ?? {})), ...(currency ? { currency } : {}) };
}
