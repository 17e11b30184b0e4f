// Publishing the outbox (shared/outbox.ts): right after a request's transaction (requestPublishing), from the
// table's stream (outboxStreamHandler) or on a schedule (relayOutboxHandler). The only part of the outbox that
// imports the SNS client, so functions whose events leave through the stream do not bundle it.
import { BatchWriteCommand, DeleteCommand, QueryCommand, type TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { dynamoDb } from './clients/dynamodb';
import { backOff } from './dynamodb';
import { publishEvent, publishEvents } from './event-publisher';
import { scheduledJob } from './jobs';
import { logger } from './logger';
import { OUTBOX_INDEX, OUTBOX_SHARDS, outboxKey, type CommitDeps, type OutboxEvent as Event, type OutboxTarget } from './outbox';

/** Bounds one relay run, so a large backlog is worked off over several runs instead of one timing out. */
const RELAY_MAX_EVENTS_PER_RUN = 500;
/** BatchWriteItem's limit; a stream batch (25 records at most) is cleared in one call. */
const DELETES_PER_BATCH = 25;
const CLEAR_ATTEMPTS = 4;

/** What the relay talks to; the defaults are the shared clients, tests pass fakes. */
export interface OutboxDeps {
  send: (command: TransactWriteCommand | QueryCommand | DeleteCommand | BatchWriteCommand) => Promise<unknown>;
  publish: (topicArn: string, event: Event) => Promise<unknown>;
  /** Several events at once (PublishBatch), the outcome per event; without it, `publish` each. */
  publishAll?: (topicArn: string, events: Event[]) => Promise<Array<PromiseSettledResult<unknown>>>;
}

const defaultDeps = (): OutboxDeps => ({
  send: (command) => dynamoDb().send(command as never),
  publish: publishEvent,
  publishAll: publishEvents,
});

/** commitWithEvents' deps for a table whose requests publish their own events (publishedBy 'request'). */
export function requestPublishing(deps: OutboxDeps = defaultDeps()): Required<CommitDeps> {
  return { send: deps.send, flush: (target, events) => flushOutbox(target, events, deps) };
}

/** Publishes each event and deletes its outbox item; a failure is logged and left to the relay. */
export async function flushOutbox(target: OutboxTarget, events: Event[], deps: OutboxDeps = defaultDeps()): Promise<void> {
  await Promise.all(events.map((event) => publishAndClear(target, event, deps)));
}

async function publishAndClear(target: OutboxTarget, event: Event, deps: OutboxDeps): Promise<boolean> {
  if (!(await published(target, event, deps))) return false;
  try {
    await deps.send(new DeleteCommand({ TableName: target.tableName, Key: outboxKey(event.siteId, event.id) }));
  } catch (error) {
    notCleared(event.id, error);
  }
  return true;
}

async function published(target: OutboxTarget, event: Event, deps: OutboxDeps): Promise<boolean> {
  try {
    await deps.publish(target.topicArn, event);
    return true;
  } catch (error) {
    logger.warn('event publish failed; the outbox relay will retry it', { eventId: event.id, eventType: event.type, error: error as Error });
    return false;
  }
}

// Published but still in the outbox: the relay will publish it again, and consumers drop the duplicate.
const notCleared = (eventId: string, error: unknown) => logger.warn('outbox item not cleared after publishing', { eventId, error: error as Error });

/**
 * Deletes the outbox items of events already published, 25 to a BatchWriteItem (one call for a stream batch, where
 * a DeleteItem each was as many calls as events); what stays unprocessed is sent again with back-off. An item left
 * behind is only published again by the scheduled relay, so a failure is logged, not thrown.
 */
async function clearPublished(target: OutboxTarget, events: Event[], deps: OutboxDeps): Promise<void> {
  // BatchWriteItem refuses a call that names a key twice, which a batch holding an item written again would do.
  const unique = [...new Map(events.map((event) => [event.id, event])).values()];
  for (let i = 0; i < unique.length; i += DELETES_PER_BATCH) {
    const chunk = unique.slice(i, i + DELETES_PER_BATCH);
    let requests = chunk.map((event) => ({ DeleteRequest: { Key: outboxKey(event.siteId, event.id) } }));
    try {
      for (let attempt = 1; requests.length > 0; attempt++) {
        if (attempt > CLEAR_ATTEMPTS) throw new Error(`${requests.length} deletes still unprocessed after ${CLEAR_ATTEMPTS} attempts`);
        if (attempt > 1) await backOff(attempt - 1, 50);
        const result = (await deps.send(new BatchWriteCommand({ RequestItems: { [target.tableName]: requests } }))) as {
          UnprocessedItems?: Record<string, typeof requests>;
        };
        requests = result.UnprocessedItems?.[target.tableName] ?? [];
      }
    } catch (error) {
      for (const event of chunk) notCleared(event.id, error);
    }
  }
}

export interface RelayResult {
  published: number;
  failed: number;
}

/**
 * Publishes outbox items older than `minAgeMs` (younger ones belong to the request or stream still publishing them), oldest
 * first per shard, at most RELAY_MAX_EVENTS_PER_RUN per run.
 */
export async function relayOutbox(
  target: OutboxTarget & { minAgeMs: number },
  now: Date = new Date(),
  deps: OutboxDeps = defaultDeps(),
): Promise<RelayResult> {
  const cutoff = new Date(now.getTime() - target.minAgeMs).toISOString();
  const result: RelayResult = { published: 0, failed: 0 };
  for (let shard = 0; shard < OUTBOX_SHARDS; shard++) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = (await deps.send(
        new QueryCommand({
          TableName: target.tableName,
          IndexName: OUTBOX_INDEX,
          KeyConditionExpression: 'outboxShard = :shard AND outboxAt < :cutoff',
          ExpressionAttributeValues: { ':shard': `OUTBOX#${shard}`, ':cutoff': cutoff },
          ExclusiveStartKey: start,
          Limit: 100,
        }),
      )) as { Items?: Array<Record<string, unknown>>; LastEvaluatedKey?: Record<string, unknown> };
      for (const item of page.Items ?? []) {
        if (result.published + result.failed >= RELAY_MAX_EVENTS_PER_RUN) return result;
        const event = JSON.parse(String(item.event)) as Event;
        if (await publishAndClear(target, event, deps)) result.published++;
        else result.failed++;
      }
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return result;
}

/**
 * The scheduled relay as a Lambda handler (every minute): publishes the events whose request could not (SNS down,
 * the function ended early). Events younger than `minAgeSeconds` are left to the request still publishing them.
 */
export function relayOutboxHandler(target: OutboxTarget, minAgeSeconds: number, deps: () => OutboxDeps = defaultDeps) {
  return scheduledJob('outbox-relay', ({ now }) => relayOutbox({ ...target, minAgeMs: minAgeSeconds * 1000 }, now, deps()), {
    quiet: (result) => result.published + result.failed === 0,
  });
}

/**
 * The filter of the stream's event source mapping (functions.yml): only new outbox items invoke the relay. On AWS
 * the filter runs before the invocation; outboxStreamHandler checks it again for any other caller.
 */
export const OUTBOX_STREAM_FILTER = { eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: ['OUTBOX'] } } } } as const;

/**
 * The stream relay as a Lambda handler: publishes the new outbox items' events in as few PublishBatch calls as they
 * fit (10 to a call, where one Publish each was as many calls as events), then deletes the items of those
 * published in one BatchWriteItem. Those that fail are reported (ReportBatchItemFailures) so the stream retries from
 * the first of them; what the stream gives up on stays in the table for the scheduled relay.
 */
export function outboxStreamHandler(target: OutboxTarget, deps: () => OutboxDeps = defaultDeps) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const using = deps();
    const fresh = event.Records.flatMap((record): Array<{ event: Event; sequenceNumber?: string }> => {
      const image = record.dynamodb?.NewImage;
      if (record.eventName !== 'INSERT' || image?.sk?.S !== 'OUTBOX') return [];
      const serialised = image.event?.S;
      if (!serialised) {
        // Never written by outboxPut: a retry cannot fix it, and the scheduled relay reports it too.
        logger.error('outbox item without an event', { pk: image.pk?.S });
        return [];
      }
      return [{ event: JSON.parse(serialised) as Event, sequenceNumber: record.dynamodb?.SequenceNumber }];
    });
    const outcomes = await publishedEach(target, fresh.map((f) => f.event), using);
    await clearPublished(target, fresh.flatMap((f, i) => (outcomes[i] ? [f.event] : [])), using);
    const failures = fresh.flatMap((f, i) => (!outcomes[i] && f.sequenceNumber ? [f.sequenceNumber] : []));
    return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

/** Whether each event was published: in batches where the deps can, else one Publish each; failures logged. */
async function publishedEach(target: OutboxTarget, events: Event[], deps: OutboxDeps): Promise<boolean[]> {
  if (!deps.publishAll) return Promise.all(events.map((event) => published(target, event, deps)));
  if (events.length === 0) return [];
  const outcomes = await deps.publishAll(target.topicArn, events);
  return outcomes.map((outcome, i) => {
    if (outcome.status === 'fulfilled') return true;
    const event = events[i]!;
    logger.warn('event publish failed; the outbox relay will retry it', { eventId: event.id, eventType: event.type, error: outcome.reason as Error });
    return false;
  });
}
