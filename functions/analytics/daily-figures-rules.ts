// Which closed days the publishDailyFigures job looks at, and a day's `analytics.daily-figures` data built from its
// counters (pure: the job and the demo seed build it the same way, so the demo's series is what the job would publish).
import { createHash } from 'node:crypto';
import type { EventData } from '#shared/contracts';
import { addDays } from '#shared/time';
import type { Counters } from './sales-rules';
import type { ItemFigures } from './sales-store';
import { analyticsKeys } from './table';

export type DailyFigures = EventData<'analytics.daily-figures'>;

/** How many closed days back the job republishes when they change (a late refund lands on the order's day). */
export const PUBLISHED_DAYS = 7;

/** The last PUBLISHED_DAYS closed business days before `today` (the site's local date), oldest first. */
export function closedDaysBefore(today: string, days = PUBLISHED_DAYS): string[] {
  return Array.from({ length: days }, (_, i) => addDays(today, i - days));
}

/**
 * What a day's `items` may take: the event must fit SNS's 256 KiB (and forecast's copy DynamoDB's 400 KB). Some
 * 460 items of the longest names in a 3-byte script fill it; past that, the fewest sold are left out and counted.
 */
export const DAILY_ITEMS_BYTES = 200 * 1024;
export const MAX_DAILY_ITEMS = 2000;

type DailyItem = DailyFigures['items'][number];

/** The best sellers that fit DAILY_ITEMS_BYTES and MAX_DAILY_ITEMS, sorted by id, and how many were left out. */
function itemsWithin(items: readonly ItemFigures[]): { kept: DailyItem[]; leftOut: number } {
  const bySales = items
    .map((item) => ({ itemId: item.itemId, name: item.name, quantity: item.quantity }))
    .sort((a, b) => b.quantity - a.quantity || a.itemId.localeCompare(b.itemId));
  const kept: DailyItem[] = [];
  let bytes = 2; // the array's brackets
  for (const item of bySales) {
    bytes += Buffer.byteLength(JSON.stringify(item)) + 1;
    if (bytes > DAILY_ITEMS_BYTES || kept.length === MAX_DAILY_ITEMS) break;
    kept.push(item);
  }
  return { kept: kept.sort((a, b) => a.itemId.localeCompare(b.itemId)), leftOut: bySales.length - kept.length };
}

const headlineOf = (counters: Counters) => ({ netSales: counters.netSales ?? 0, orders: counters.orders ?? 0, covers: counters.covers ?? 0 });

/** A closed day's figures; a day with nothing booked is all zeros. Hours and items are sorted, so equal figures hash equal. */
export function dailyFiguresOf(input: { date: string; currency?: string; day: Counters; hours: ReadonlyMap<string, Counters>; items: readonly ItemFigures[] }): DailyFigures {
  const items = itemsWithin(input.items);
  return {
    date: input.date,
    ...(input.currency ? { currency: input.currency } : {}),
    ...headlineOf(input.day),
    refunds: input.day.refunds ?? 0,
    hours: [...input.hours.entries()]
      .map(([hour, counters]) => ({ hour, ...headlineOf(counters) }))
      .filter((hour) => hour.netSales !== 0 || hour.orders !== 0 || hour.covers !== 0)
      .sort((a, b) => a.hour.localeCompare(b.hour)),
    items: items.kept,
    ...(items.leftOut > 0 ? { itemsLeftOut: items.leftOut } : {}),
    closed: true,
  };
}

/** A hash of the figures (16 hex digits): the event id's revision and what PUBLISHED#{date} remembers. */
export function revisionOf(figures: DailyFigures): string {
  return createHash('sha256').update(JSON.stringify(figures)).digest('hex').slice(0, 16);
}

/** What a day's last publication is remembered as, in the site's partition (a rebuild deletes it with the figures). */
//   SITE#{site}#SALES / PUBLISHED#{date}     revision (hash) of the figures last published for that day
export const PUBLISHED_PREFIX = 'PUBLISHED#';
export const publishedKey = (siteId: string, date: string) => ({ pk: analyticsKeys.sitePartition(siteId), sk: `${PUBLISHED_PREFIX}${date}` });
export const publishedItem = (siteId: string, date: string, revision: string, publishedAt: string) => ({ ...publishedKey(siteId, date), revision, publishedAt });

export const dailyFiguresEventId = (siteId: string, date: string, revision: string) => `daily-figures:${siteId}:${date}:r${revision}`;
