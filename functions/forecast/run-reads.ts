// How the forecast routes read a stored run: the latest by default, or the one `?runId=` names (404 when it is not
// this site's). A route whose site has no run yet computes its forecast on request instead, labelled `run: null`.
import { NotFoundError } from '#shared/errors';
import { addDays } from '#shared/time';
import { calendarStore, runStore } from './config';
import type { DailyPoint } from './daily-series-store';
import { closedDatesOf } from './run-rules';
import type { RunHeader } from './run-store';

export interface RunLabel {
  runId: string;
  createdAt: string;
  trigger: RunHeader['trigger'];
}

export interface StoredRun {
  header: RunHeader;
  label: RunLabel;
}

/** The run to read: the given one (404 if unknown here) or the latest (undefined when the site has none). */
export async function runToRead(siteId: string, runId: string | undefined): Promise<StoredRun | undefined> {
  const header = runId ? await runStore.header(siteId, runId) : await runStore.latest(siteId);
  if (runId && !header) throw new NotFoundError(`No forecast run ${runId} at this site`);
  return header ? { header, label: { runId: header.runId, createdAt: header.createdAt, trigger: header.trigger } } : undefined;
}

/** A part of the run to read, with the run's label; undefined when there is no run or it has no such part. */
export async function storedPart<T>(siteId: string, part: string, runId: string | undefined): Promise<{ run: RunLabel; body: T } | undefined> {
  const run = await runToRead(siteId, runId);
  if (!run) return undefined;
  const body = await runStore.part<T>(siteId, run.header.runId, part);
  if (body === undefined) {
    if (runId) throw new NotFoundError(`Forecast run ${runId} has no ${part} forecast (the site had no data then)`);
    return undefined;
  }
  return { run: run.label, body };
}

/** For a forecast computed on request: the calendar's closed days from the first learnt day to `days` after the last. */
export async function closedDatesNow(siteId: string, points: readonly DailyPoint[], days: number): Promise<Set<string>> {
  const [first, last] = [points[0]?.date, points[points.length - 1]?.date];
  if (!first || !last) return new Set();
  return closedDatesOf(await calendarStore.between(siteId, first, addDays(last, days)), { from: first, to: last }, days);
}
