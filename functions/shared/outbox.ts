// The transactional outbox. A state change and the events it causes are written in ONE DynamoDB transaction
// (each event as an item in the domain's own table), then published and their items deleted. Who publishes:
//   - publishedBy 'request' (default): the request itself, right after its transaction;
//   - publishedBy 'stream': the table's DynamoDB stream (NEW_IMAGE), filtered to outbox inserts, invokes
//     outboxStreamHandler, so the request path has no SNS publish and no delete (orders: issue 12).
// Either way, an item whose publishing fails stays, and the scheduled relay (relayOutboxHandler, every minute)
// publishes it later. So an event is never lost, and at worst published twice (two publishers racing, a stream
// batch retried), which consumers absorb by deduplicating on event id.
//
// A table that uses the outbox needs the sparse index OUTBOX_INDEX: partition key `outboxShard` (S), sort key
// `outboxAt` (S), projecting ALL. Only outbox items carry those attributes. The index is spread over a few
// shards so a busy stage does not funnel every write through one index partition.
import { DeleteCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { dynamoDb } from './clients/dynamodb';
import { publishEvent, type EventEnvelope } from './events';
import { scheduledJob } from './jobs';
import { logger } from './logger';

export const OUTBOX_INDEX = 'outbox';
export const OUTBOX_SHARDS = 4;
/** Bounds one relay run, so a large backlog is worked off over several runs instead of one timing out. */
const RELAY_MAX_EVENTS_PER_RUN = 500;

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Event = EventEnvelope<Record<string, unknown>>;

export interface OutboxTarget {
  tableName: string;
  topicArn: string;
  /** 'stream' when the table's stream invokes outboxStreamHandler: commitWithEvents then only writes. */
  publishedBy?: 'request' | 'stream';
}

/** What the outbox talks to; the defaults are the shared clients, tests pass fakes. */
export interface OutboxDeps {
  send: (command: TransactWriteCommand | QueryCommand | DeleteCommand) => Promise<unknown>;
  publish: (topicArn: string, event: Event) => Promise<unknown>;
}

const defaultDeps = (): OutboxDeps => ({
  send: (command) => dynamoDb().send(command as never),
  publish: publishEvent,
});

const outboxKey = (siteId: string, eventId: string) => ({ pk: `SITE#${siteId}#OUTBOX#${eventId}`, sk: 'OUTBOX' });

export function outboxShard(eventId: string): string {
  return `OUTBOX#${createHash('sha256').update(eventId).digest()[0]! % OUTBOX_SHARDS}`;
}

/** The transaction item that keeps `event` in the domain's table until it has been published. */
export function outboxPut(tableName: string, event: Event): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...outboxKey(event.siteId, event.id),
        outboxShard: outboxShard(event.id),
        outboxAt: event.occurredAt,
        eventType: event.type,
        // Serialised once, so a relayed copy carries exactly what the transaction committed.
        event: JSON.stringify(event),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * Writes `items` and the outbox items of `events` in one transaction, then publishes the events unless the
 * table's stream does. Transaction errors propagate (the caller maps them); publishing errors never do, because
 * the change has happened.
 */
export async function commitWithEvents(
  target: OutboxTarget,
  items: TransactItem[],
  events: Event[],
  deps: OutboxDeps = defaultDeps(),
): Promise<void> {
  await deps.send(new TransactWriteCommand({ TransactItems: [...items, ...events.map((event) => outboxPut(target.tableName, event))] }));
  if (target.publishedBy !== 'stream') await flushOutbox(target, events, deps);
}

/** Publishes each event and deletes its outbox item; a failure is logged and left to the relay. */
export async function flushOutbox(target: OutboxTarget, events: Event[], deps: OutboxDeps = defaultDeps()): Promise<void> {
  await Promise.all(events.map((event) => publishAndClear(target, event, deps)));
}

async function publishAndClear(target: OutboxTarget, event: Event, deps: OutboxDeps): Promise<boolean> {
  try {
    await deps.publish(target.topicArn, event);
  } catch (error) {
    logger.warn('event publish failed; the outbox relay will retry it', { eventId: event.id, eventType: event.type, error: error as Error });
    return false;
  }
  try {
    await deps.send(new DeleteCommand({ TableName: target.tableName, Key: outboxKey(event.siteId, event.id) }));
  } catch (error) {
    // Published but still in the outbox: the relay will publish it again, and consumers drop the duplicate.
    logger.warn('outbox item not cleared after publishing', { eventId: event.id, error: error as Error });
  }
  return true;
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
export function relayOutboxHandler(target: OutboxTarget, minAgeSeconds: number) {
  return scheduledJob('outbox-relay', ({ now }) => relayOutbox({ ...target, minAgeMs: minAgeSeconds * 1000 }, now), {
    quiet: (result) => result.published + result.failed === 0,
  });
}

/**
 * The filter of the stream's event source mapping (functions.yml): only new outbox items invoke the relay. On AWS
 * the filter runs before the invocation; outboxStreamHandler checks it again for any other caller.
 */
export const OUTBOX_STREAM_FILTER = { eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: ['OUTBOX'] } } } } as const;

/**
 * The stream relay as a Lambda handler: publishes each new outbox item's event and deletes the item. Records are
 * published concurrently; those that fail are reported (ReportBatchItemFailures) so the stream retries from the
 * first of them; what the stream gives up on stays in the table for the scheduled relay.
 */
export function outboxStreamHandler(target: OutboxTarget, deps: () => OutboxDeps = defaultDeps) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const using = deps();
    const failures = await Promise.all(
      event.Records.map(async (record) => {
        const image = record.dynamodb?.NewImage;
        if (record.eventName !== 'INSERT' || image?.sk?.S !== 'OUTBOX') return undefined;
        const serialised = image.event?.S;
        if (!serialised) {
          // Never written by outboxPut: a retry cannot fix it, and the scheduled relay reports it too.
          logger.error('outbox item without an event', { pk: image.pk?.S });
          return undefined;
        }
        const published = await publishAndClear(target, JSON.parse(serialised) as Event, using);
        return published ? undefined : record.dynamodb?.SequenceNumber;
      }),
    );
    return { batchItemFailures: failures.filter((id): id is string => id !== undefined).map((itemIdentifier) => ({ itemIdentifier })) };
  };
}
