// `npm run analytics:rebuild -- --site <siteId> [--stage name] [--region r]`: rebuilds a site's analytics from the
// event archive (docs/analytics.md, "Rebuild and backfill"): `resetAnalyticsSite` deletes the site's figures under a
// new epoch, then the archive replays every event analytics counts to `recordAnalytics`, in order, until done. Also
// how analytics is backfilled when it is deployed after events flowed. Without --stage, the local stack of
// `npm start`; with one, the AWS account of the usual credentials.
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { parseArgs } from 'node:util';
import { ANALYTICS_EVENTS } from '../functions/analytics/analytics-events';
import type { ResetResult } from '../functions/analytics/rebuild';
import { baseConfig } from '../functions/shared/clients/endpoint';
import { invokeFunction, useLocalStackFor } from './invoke-function';

/**
 * Events reach the archive through its queue: gathered for up to 1 s, then written (functions/archive). The replay
 * starts once the queue is empty (at least this long after the reset), or after ARCHIVE_CATCH_UP_MAX_MS on a stack
 * whose queue is never empty (other sites' events): so every event published before the reset is replayed.
 */
const ARCHIVE_CATCH_UP_MIN_MS = 1_000;
const ARCHIVE_CATCH_UP_MAX_MS = 5_000;

type ReplayRun = { replayed: number; done: boolean; nextCursor?: string; failed?: { error: string; eventIds: string[] } };

export interface RebuildOptions {
  stage: string;
  siteId: string;
  /** Invokes a function by its full name with a JSON payload and returns its JSON result, throwing on a function error. */
  invoke: (functionName: string, payload: unknown) => Promise<unknown>;
  log: (line: string) => void;
  /** Resolves once the archive holds what was published before now; by default, its queue drained (above). */
  archiveCaughtUp?: () => Promise<void>;
}

export async function rebuildAnalyticsSite({ stage, siteId, invoke, log, archiveCaughtUp = () => archiveQueueDrained(stage) }: RebuildOptions): Promise<ResetResult & { replayed: number }> {
  const reset = (await invoke(`brigade-${stage}-resetAnalyticsSite`, { siteId })) as ResetResult;
  log(`${siteId}: ${reset.deleted} items deleted, epoch ${reset.epoch}`);
  await archiveCaughtUp();
  let replayed = 0;
  for (let cursor: string | undefined, done = false; !done; ) {
    const run = (await invoke(`brigade-${stage}-replayArchivedEvents`, { siteId, target: 'recordAnalytics', types: ANALYTICS_EVENTS, ...(cursor ? { cursor } : {}) })) as ReplayRun;
    replayed += run.replayed;
    if (run.failed) throw new Error(`replay stopped after ${replayed} events: ${run.failed.error} (events ${run.failed.eventIds.join(', ')}); run the rebuild again`);
    log(`${siteId}: ${replayed} events replayed${run.done ? ', done' : ''}`);
    done = run.done;
    cursor = run.nextCursor;
  }
  return { ...reset, replayed };
}

/** The archive queue empty (nothing waiting, nothing in a batch being written), or the longest wait passed. */
async function archiveQueueDrained(stage: string): Promise<void> {
  const sqs = new SQSClient(baseConfig('SQS'));
  try {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: `brigade-${stage}-archive` }));
    const started = Date.now();
    for (;;) {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }),
      );
      const held = Object.values(Attributes).reduce((sum, count) => sum + Number(count), 0);
      const waited = Date.now() - started;
      if ((held === 0 && waited >= ARCHIVE_CATCH_UP_MIN_MS) || waited >= ARCHIVE_CATCH_UP_MAX_MS) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    sqs.destroy();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { site: { type: 'string' }, stage: { type: 'string', default: 'local' }, region: { type: 'string' } } });
  if (!values.site) throw new Error('usage: npm run analytics:rebuild -- --site <siteId> [--stage local|<aws stage>] [--region r]');
  if (values.region) process.env.AWS_REGION = values.region;
  if (values.stage === 'local') useLocalStackFor();
  const started = Date.now();
  const result = await rebuildAnalyticsSite({ stage: values.stage!, siteId: values.site, invoke: invokeFunction, log: (line) => console.log(line) });
  console.log(`rebuilt ${result.siteId}: ${result.replayed} events in ${((Date.now() - started) / 1000).toFixed(1)} s (epoch ${result.epoch})`);
}

if (process.argv[1]?.endsWith('analytics-rebuild.ts')) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
