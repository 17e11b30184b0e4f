// The analytics table, `brigade-<stage>-analytics`: counters built from the other domains' events (never their
// tables), so a read costs the number of buckets it spans, not the number of orders behind them (docs/analytics.md).
// Site ids are [A-Za-z0-9_-] and dates YYYY-MM-DD, so `#` only ever separates.
//
//   SITES / SITE#{site}                      a site as the users domain published it: time zone, currency, version;
//                                            and the analytics `epoch` a rebuild moves on (sites-store.ts)
// Everything built from a site's events is in ONE partition, so a rebuild deletes it with one query (rebuild.ts):
//   SITE#{site}#SALES / DAY#{day}            the day's counters (sales-rules.ts, operations-rules.ts name them)
//   SITE#{site}#SALES / WEEK#{monday}        rollups, added to in the same transaction as the day, so a range
//   SITE#{site}#SALES / MONTH#{yyyy-mm}      reads whole weeks, months and years as one item each
//   SITE#{site}#SALES / YEAR#{yyyy}
//   SITE#{site}#SALES / HOUR#{day}#{hh}      the day by site-local hour (00–23): sales by hour of placing, labour
//                                            by hour worked
//   SITE#{site}#SALES / ITEM#DAY#{day}#{item}     one menu item's quantity, revenue and category that day, and
//   SITE#{site}#SALES / ITEM#MONTH#{yyyy-mm}#{item} its month: an order's transaction names only the items it sold
//   SITE#{site}#SALES / CUSTOMER#{ref}       a customer (a keyed hash from orders): visits, spend, days visited
//   SITE#{site}#SALES / MENU#{item}          a menu item's recipe (orders' `menu.item-changed`, newest version)
//   SITE#{site}#SALES / COST#{ingredient}    an ingredient's average cost (inventory's movements, newest)
//   SITE#{site}#SALES / RATES#{user}         a person's hourly cost per position over time (staff's pay rates)
//   SITE#{site}#SALES / PUBLISHED#{day}      the day's figures as last published in analytics.daily-figures
//                                            (daily-figures-rules.ts): a rebuild resets it, so the job republishes
//   BOOKED#{site}#{order}#e{epoch} / ORDER   an order's sale is booked in that epoch: a second `order.paid` (refunded
//                                            and paid again) books nothing. A partition per order, like receipts, so
//                                            the site's partition does not grow with its orders (TTL 400 days)
//   EVENT#{consumer}#{eventId}#e{epoch}[#{part}] / RECEIPT
//                                            an event (or a part of a large one) counted in that epoch
//   EVENT#sites#{eventId} / RECEIPT          the sites consumer's receipts (shared/sns-consumer.ts)

// A type, not an interface: it must fit the toolkit's `Key` (an index signature) for batch reads.
export type TableKey = { pk: string; sk: string };

const sitePk = (siteId: string) => `SITE#${siteId}#SALES`;

export const analyticsKeys = {
  site: (siteId: string): TableKey => ({ pk: 'SITES', sk: `SITE#${siteId}` }),
  /** The partition holding every figure of the site. */
  sitePartition: sitePk,
  day: (siteId: string, date: string): TableKey => ({ pk: sitePk(siteId), sk: `DAY#${date}` }),
  week: (siteId: string, monday: string): TableKey => ({ pk: sitePk(siteId), sk: `WEEK#${monday}` }),
  month: (siteId: string, month: string): TableKey => ({ pk: sitePk(siteId), sk: `MONTH#${month}` }),
  year: (siteId: string, year: string): TableKey => ({ pk: sitePk(siteId), sk: `YEAR#${year}` }),
  hour: (siteId: string, date: string, hour: string): TableKey => ({ pk: sitePk(siteId), sk: `HOUR#${date}#${hour}` }),
  item: (siteId: string, date: string, itemId: string): TableKey => ({ pk: sitePk(siteId), sk: `ITEM#DAY#${date}#${itemId}` }),
  itemMonth: (siteId: string, month: string, itemId: string): TableKey => ({ pk: sitePk(siteId), sk: `ITEM#MONTH#${month}#${itemId}` }),
  customer: (siteId: string, ref: string): TableKey => ({ pk: sitePk(siteId), sk: `CUSTOMER#${ref}` }),
  booking: (siteId: string, orderId: string, epoch: number): TableKey => ({ pk: `BOOKED#${siteId}#${orderId}#e${epoch}`, sk: 'ORDER' }),
  menuItem: (siteId: string, itemId: string): TableKey => ({ pk: sitePk(siteId), sk: `MENU#${itemId}` }),
  cost: (siteId: string, ingredientId: string): TableKey => ({ pk: sitePk(siteId), sk: `COST#${ingredientId}` }),
  rates: (siteId: string, userId: string): TableKey => ({ pk: sitePk(siteId), sk: `RATES#${userId}` }),
  receipt: (consumer: string, eventId: string, epoch: number, part: number): TableKey => ({
    pk: `EVENT#${consumer}#${eventId}#e${epoch}${part === 1 ? '' : `#${part}`}`,
    sk: 'RECEIPT',
  }),
};

/** Attributes of a counter item that are not counters. */
export const NOT_COUNTERS = new Set(['pk', 'sk', 'currency', 'name', 'expiresAt', 'version']);
