// The analytics table, `brigade-<stage>-analytics`: counters built from the other domains' events (never their
// tables), so a read costs the number of buckets it spans, not the number of orders behind them (docs/analytics.md).
// Site ids are [A-Za-z0-9_-] and dates YYYY-MM-DD, so `#` only ever separates.
//
//   SITES / SITE#{site}                      a site as the users domain published it: time zone, currency, version
//                                            (sites-store.ts)
//   SITE#{site}#SALES / DAY#{businessDay}    the day's counters (sales-rules.ts names them), added to by every event
//   SITE#{site}#SALES / WEEK#{monday}        rollups, added to in the same transaction as the day, so a range
//   SITE#{site}#SALES / MONTH#{yyyy-mm}      reads whole weeks, months and years as one item each
//   SITE#{site}#SALES / YEAR#{yyyy}
//   SITE#{site}#SALES / HOUR#{businessDay}#{hh}
//                                            the day's sales by site-local hour of placing (00–23)
//   SITE#{site}#ITEMS#{businessDay} / ITEM#{item}
//                                            one menu item's quantity and revenue that day: one item each, so an
//                                            order's transaction names only the items it sold
//   EVENT#sales#{eventId}[#{part}] / RECEIPT an event (or a part of a large one) already counted (sales-store.ts)
//   EVENT#sites#{eventId} / RECEIPT          the sites consumer's receipts (shared/sns-consumer.ts)

// A type, not an interface: it must fit the toolkit's `Key` (an index signature) for batch reads.
export type TableKey = { pk: string; sk: string };

const salesPk = (siteId: string) => `SITE#${siteId}#SALES`;

export const analyticsKeys = {
  site: (siteId: string): TableKey => ({ pk: 'SITES', sk: `SITE#${siteId}` }),
  day: (siteId: string, date: string): TableKey => ({ pk: salesPk(siteId), sk: `DAY#${date}` }),
  week: (siteId: string, monday: string): TableKey => ({ pk: salesPk(siteId), sk: `WEEK#${monday}` }),
  month: (siteId: string, month: string): TableKey => ({ pk: salesPk(siteId), sk: `MONTH#${month}` }),
  year: (siteId: string, year: string): TableKey => ({ pk: salesPk(siteId), sk: `YEAR#${year}` }),
  hour: (siteId: string, date: string, hour: string): TableKey => ({ pk: salesPk(siteId), sk: `HOUR#${date}#${hour}` }),
  item: (siteId: string, date: string, itemId: string): TableKey => ({ pk: `SITE#${siteId}#ITEMS#${date}`, sk: `ITEM#${itemId}` }),
  receipt: (eventId: string, part: number): TableKey => ({ pk: part === 1 ? `EVENT#sales#${eventId}` : `EVENT#sales#${eventId}#${part}`, sk: 'RECEIPT' }),
};

/** Attributes of a counter item that are not counters. */
export const NOT_COUNTERS = new Set(['pk', 'sk', 'currency', 'name', 'expiresAt']);
