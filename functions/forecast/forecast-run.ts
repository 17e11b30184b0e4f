// One forecast run for a site: read what the domain has learnt, compute every forecast (run-rules.ts), store the
// results with their models and creation time (run-store.ts), then publish the ingredient demand and the staffing
// for inventory and staff. Stored first, published after: a run that dies in between is stored without its events,
// and the next run publishes newer ones (consumers keep the newest run). The nightly job runs it for each site with a
// newly learnt day; a manager runs it on demand (POST …/forecast/runs).
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { loadConfig } from '#shared/config';
import { buildEvent } from '#shared/events';
import { publishEvent } from '#shared/event-publisher';
import { logger } from '#shared/logger';
import { addDays } from '#shared/time';
import { calendarStore, dailySeriesStore, payRateStore, recipeStore, runStore, targetStore } from './config';
import { HISTORY_DAYS } from './forecast-rules';
import { ingredientDemandEvent } from './item-forecast-rules';
import { runResults, type RunResults } from './run-rules';
import { runIdOf, type RunHeader, type RunTrigger } from './run-store';
import { staffingSuggestedEvent } from './staffing-rules';

/** SNS refuses messages over 256 KiB: a larger event is not published (logged), the run stays stored. */
const MAX_EVENT_BYTES = 250_000;

let topicArn: string | undefined;
/** Read when a run publishes: the routes that only read runs do not need the topic. */
const eventsTopicArn = () => (topicArn ??= loadConfig(z.object({ EVENTS_TOPIC_ARN: z.string().startsWith('arn:') })).EVENTS_TOPIC_ARN);

async function publishRun(siteId: string, header: RunHeader, results: RunResults, correlationId: string): Promise<number> {
  const run = { runId: header.runId, createdAt: header.createdAt };
  const demand = results.ingredientDemand && ingredientDemandEvent(results.ingredientDemand, run);
  const events = [
    ...(demand ? [buildEvent({ id: `ingredient-demand:${siteId}:${header.runId}`, type: 'forecast.ingredient-demand', source: 'forecast', siteId, correlationId, data: demand })] : []),
    ...(results.staffing ? [buildEvent({ id: `staffing-suggested:${siteId}:${header.runId}`, type: 'forecast.staffing-suggested', source: 'forecast', siteId, correlationId, data: staffingSuggestedEvent(run, results.staffing) })] : []),
  ];
  let published = 0;
  for (const event of events) {
    const bytes = Buffer.byteLength(JSON.stringify(event));
    if (bytes > MAX_EVENT_BYTES) {
      logger.error('forecast event too large to publish', { siteId, type: event.type, bytes });
      continue;
    }
    await publishEvent(eventsTopicArn(), event);
    published++;
  }
  return published;
}

/** How far ahead the calendar is read: the longest forecast horizon. */
const CALENDAR_AHEAD_DAYS = 60;

export async function runForecast(siteId: string, options: { trigger: RunTrigger; by?: string; now?: number; correlationId?: string }): Promise<RunHeader> {
  const started = Date.now();
  const now = options.now ?? started;
  const today = new Date(now).toISOString().slice(0, 10);
  const since = addDays(today, -HISTORY_DAYS);
  const [points, calendar, recipes, targets, people] = await Promise.all([
    dailySeriesStore.daysFrom(siteId, since, { hours: true, items: true }),
    calendarStore.between(siteId, since, addDays(today, CALENDAR_AHEAD_DAYS)),
    recipeStore.recipesOf(siteId),
    targetStore.get(siteId),
    payRateStore.ratesOf(siteId),
  ]);
  const results = runResults({ points, calendar, recipes, people, ...(targets ? { targets: { version: targets.version, positions: targets.positions } } : {}) });
  const createdAt = new Date(now).toISOString();
  const header: RunHeader = {
    runId: runIdOf(createdAt, randomBytes(2).toString('hex')),
    createdAt,
    trigger: options.trigger,
    ...(options.by ? { by: options.by } : {}),
    history: results.history,
    parts: results.summaries,
    tookMs: 0,
  };
  header.tookMs = Date.now() - started;
  await runStore.save(
    siteId,
    header,
    results.parts,
    results.tracked.map((track) => ({ ...track, runId: header.runId, createdAt })),
  );
  const published = await publishRun(siteId, header, results, options.correlationId ?? `forecast-run-${header.runId}`);
  logger.info('forecast run stored', { siteId, runId: header.runId, trigger: header.trigger, parts: header.parts.length, published, tookMs: header.tookMs });
  return header;
}

export interface DueRuns {
  sites: number;
  ran: number;
  upToDate: number;
  failed: number;
}

/** Every site (or those of `onlySites`) whose newest learnt day is newer than its latest run's history: one nightly run each. */
export async function runDueForecasts(now: number, options: { onlySites?: readonly string[] | undefined; correlationId?: string } = {}): Promise<DueRuns> {
  const due: DueRuns = { sites: 0, ran: 0, upToDate: 0, failed: 0 };
  const sites = await runStore.sites();
  const { onlySites } = options;
  for (const site of onlySites ? sites.filter((known) => onlySites.includes(known.siteId)) : sites) {
    due.sites++;
    const latest = await runStore.latest(site.siteId);
    if (latest?.history && latest.history.to >= site.lastDay) {
      due.upToDate++;
      continue;
    }
    try {
      await runForecast(site.siteId, { trigger: 'nightly', now, ...(options.correlationId ? { correlationId: options.correlationId } : {}) });
      due.ran++;
    } catch (error) {
      // One site's failure must not starve the others; the next hour tries it again.
      due.failed++;
      logger.error('forecast run failed', { siteId: site.siteId, error });
    }
  }
  return due;
}
