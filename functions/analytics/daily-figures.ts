// The publishDailyFigures job: for every site analytics knows, each of the last PUBLISHED_DAYS closed days (in the
// site's zone) whose figures differ from what was last published → one `analytics.daily-figures` event, then the
// day's PUBLISHED marker. Publish first, mark after: a run that dies between the two publishes the same figures again
// next hour under the same id (the revision is their hash), which consumers drop. The markers live in the site's
// partition (daily-figures-rules.ts), so a rebuild deletes them with the figures and the rebuilt days are published afresh.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { queryAll } from '#shared/dynamodb';
import { buildEvent } from '#shared/events';
import { publishEvent } from '#shared/event-publisher';
import { logger } from '#shared/logger';
import { businessDayOf } from '#shared/time';
import { config, salesStore, sitesStore } from './config';
import { closedDaysBefore, dailyFiguresEventId, dailyFiguresOf, PUBLISHED_PREFIX, publishedItem, revisionOf, type DailyFigures } from './daily-figures-rules';
import { keyId } from './sales-store';
import { listSites } from './sites-list';
import { analyticsKeys } from './table';

/** The closed days' figures of one site, by date (what would be published now). */
export async function closedDayFigures(siteId: string, dates: readonly string[], currency: string | undefined): Promise<DailyFigures[]> {
  const first = dates[0];
  const last = dates[dates.length - 1];
  if (first === undefined || last === undefined) return [];
  const [days, hours, items] = await Promise.all([
    salesStore.counters(dates.map((date) => analyticsKeys.day(siteId, date))),
    salesStore.hoursBetween(siteId, first, last),
    Promise.all(dates.map((date) => salesStore.items(siteId, date))),
  ]);
  return dates.map((date, i) =>
    dailyFiguresOf({
      date,
      ...((days.currency ?? currency) ? { currency: days.currency ?? currency } : {}),
      day: days.byKey.get(keyId(analyticsKeys.day(siteId, date))) ?? {},
      hours: hours.get(date) ?? new Map(),
      items: items[i] ?? [],
    }),
  );
}

async function publishedRevisions(siteId: string): Promise<Map<string, string>> {
  const items = await queryAll({
    TableName: config.TABLE_NAME,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': analyticsKeys.sitePartition(siteId), ':prefix': PUBLISHED_PREFIX },
  });
  return new Map(items.map((item) => [(item.sk as string).slice(PUBLISHED_PREFIX.length), item.revision as string]));
}

export interface PublishRun {
  sites: number;
  published: number;
  unchanged: number;
  /** Sites skipped because a rebuild was deleting their figures (published on the next run). */
  rebuilding: number;
  /** Sites whose publication failed this run (retried next hour; logged); the other sites are published. */
  failed: number;
}

export async function publishDailyFigures(topicArn: string, now: number, correlationId: string): Promise<PublishRun> {
  const run: PublishRun = { sites: 0, published: 0, unchanged: 0, rebuilding: 0, failed: 0 };
  for (const known of await listSites()) {
    run.sites++;
    // One site's failure (its figures refused, a throttled read) is logged and retried next hour; the sites after it
    // are still published. A run with failures fails, so it shows in the job's errors.
    try {
      await publishSite(known.siteId, topicArn, now, correlationId, run);
    } catch (error) {
      run.failed++;
      logger.error('daily figures not published for a site; retried next hour', { siteId: known.siteId, error: error as Error });
    }
  }
  if (run.failed > 0) throw new Error(`daily figures: ${run.failed} of ${run.sites} sites failed (logged); the others were published`);
  return run;
}

async function publishSite(siteId: string, topicArn: string, now: number, correlationId: string, run: PublishRun): Promise<void> {
  const site = await sitesStore.get(siteId, { fresh: true });
  if (site.resetting) {
    run.rebuilding++;
    return;
  }
  // A business day is closed once the next one has started (04:00 the next morning, say).
  const dates = closedDaysBefore(businessDayOf(now, site.businessDay.timeZone, site.businessDay.startsAt));
  const [figures, published] = await Promise.all([closedDayFigures(siteId, dates, site.currency), publishedRevisions(siteId)]);
  for (const day of figures) {
    const revision = revisionOf(day);
    if (published.get(day.date) === revision) {
      run.unchanged++;
      continue;
    }
    const event = buildEvent({ id: dailyFiguresEventId(siteId, day.date, revision), type: 'analytics.daily-figures', source: 'analytics', siteId, correlationId, data: day });
    await publishEvent(topicArn, event);
    await dynamoDb().send(new PutCommand({ TableName: config.TABLE_NAME, Item: publishedItem(siteId, day.date, revision, new Date(now).toISOString()) }));
    run.published++;
  }
}
