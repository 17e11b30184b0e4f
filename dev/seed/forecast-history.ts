// The forecast domain's share of the demo history: each closed day of the history as analytics' publishDailyFigures
// job would have published it (`analytics.daily-figures`, built by the job's own pure function from the folded DAY,
// HOUR and ITEM#DAY items), so demo-bistro has a forecast from the first minute. The events go to the archive (a
// replay to learnDailyFigures rebuilds the forecast table), their days to the forecast table, and analytics gets the
// PUBLISHED markers the job would have left, so its first run publishes only what changed since.
import { dailyFiguresEventId, dailyFiguresOf, publishedItem, revisionOf } from '../../functions/analytics/daily-figures-rules';
import type { Counters } from '../../functions/analytics/sales-rules';
import type { ItemFigures } from '../../functions/analytics/sales-store';
import { analyticsKeys } from '../../functions/analytics/table';
import { dailyItem } from '../../functions/forecast/daily-series-store';
import { siteEntryItem } from '../../functions/forecast/run-store';
import type { EventOf } from '../../functions/shared/contracts';
import { buildEvent } from '../../functions/shared/events';
import { addDays, zonedTimeToInstant } from '../../functions/shared/time';

/** When the hourly job would have published a day: in the hour after the site's midnight. */
const PUBLISHED_AT = '00:30';

const countersIn = (item: Record<string, unknown>): Counters =>
  Object.fromEntries(Object.entries(item).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));

export interface ForecastHistory {
  events: Array<EventOf<'analytics.daily-figures'>>;
  forecastItems: Array<Record<string, unknown>>;
  analyticsItems: Array<Record<string, unknown>>;
}

/** The daily-figures events of `[from, to]` from analytics' folded items of the site (a day without sales is zeros). */
export function forecastHistory(input: { siteId: string; timeZone: string; currency: string; from: string; to: string; folded: ReadonlyArray<Record<string, unknown>> }): ForecastHistory {
  const { siteId } = input;
  const bySk = new Map(input.folded.filter((item) => item.pk === analyticsKeys.sitePartition(siteId)).map((item) => [item.sk as string, item]));
  const hoursOf = (date: string) => {
    const prefix = analyticsKeys.hour(siteId, date, '').sk;
    return new Map([...bySk].filter(([sk]) => sk.startsWith(prefix)).map(([sk, item]) => [sk.slice(prefix.length), countersIn(item)]));
  };
  const itemsOf = (date: string): ItemFigures[] => {
    const prefix = analyticsKeys.item(siteId, date, '').sk;
    return [...bySk]
      .filter(([sk]) => sk.startsWith(prefix))
      .map(([sk, item]) => ({ itemId: sk.slice(prefix.length), name: item.name as string, quantity: item.quantity as number, revenue: item.revenue as number }));
  };
  const history: ForecastHistory = { events: [], forecastItems: [], analyticsItems: [] };
  for (let date = input.from; date <= input.to; date = addDays(date, 1)) {
    const figures = dailyFiguresOf({ date, currency: input.currency, day: countersIn(bySk.get(analyticsKeys.day(siteId, date).sk) ?? {}), hours: hoursOf(date), items: itemsOf(date) });
    const revision = revisionOf(figures);
    const occurredAt = new Date(zonedTimeToInstant(addDays(date, 1), PUBLISHED_AT, input.timeZone));
    const event = buildEvent({ id: dailyFiguresEventId(siteId, date, revision), type: 'analytics.daily-figures', source: 'analytics', siteId, correlationId: 'demo-history', occurredAt, data: figures });
    history.events.push(event as EventOf<'analytics.daily-figures'>);
    history.forecastItems.push(dailyItem(event as EventOf<'analytics.daily-figures'>));
    history.analyticsItems.push(publishedItem(siteId, date, revision, occurredAt.toISOString()));
  }
  if (input.from <= input.to) history.forecastItems.push(siteEntryItem(siteId, input.to));
  return history;
}
