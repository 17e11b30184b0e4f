// The transactional outbox. A state change and the events it causes are written in ONE DynamoDB transaction
// (each event as an item in the domain's own table), then published and their items deleted. Who publishes:
//   - publishedBy 'request' (default): the request itself, right after its transaction;
//   - publishedBy 'stream': the table's DynamoDB stream (NEW_IMAGE), filtered to outbox inserts, invokes
//     outboxStreamHandler, so the request path has no SNS publish and no delete (orders: issue 12).
// Either way, an item whose publishing fails stays, and the scheduled relay (relayOutboxHandler, every minute)
// publishes it later. Publishing and relaying live in outbox-relay.ts, the only part that needs the SNS client:
// a function whose events leave through the stream only writes, and bundles no SNS. So an event is never lost, and at worst published twice (two publishers racing, a stream
// batch retried), which consumers absorb by deduplicating on event id.
//
// A table that uses the outbox needs the sparse index OUTBOX_INDEX: partition key `outboxShard` (S), sort key
// `outboxAt` (S), projecting ALL. Only outbox items carry those attributes. The index is spread over a few
// shards so a busy stage does not funnel every write through one index partition.
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { dynamoDb } from './clients/dynamodb';
import type { EventEnvelope } from './events';

export const OUTBOX_INDEX = 'outbox';
export const OUTBOX_SHARDS = 4;

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
export type OutboxEvent = EventEnvelope<Record<string, unknown>>;

export interface OutboxTarget {
  tableName: string;
  topicArn: string;
  /** 'stream' when the table's stream invokes outboxStreamHandler: commitWithEvents then only writes. */
  publishedBy?: 'request' | 'stream';
}

/** What commitWithEvents talks to. `flush` publishes and clears events just committed (outbox-relay.ts). */
export interface CommitDeps {
  send?: (command: TransactWriteCommand) => Promise<unknown>;
  /** Required unless the target is published by its stream; outbox-relay.ts `requestPublishing()` gives it. */
  flush?: (target: OutboxTarget, events: OutboxEvent[]) => Promise<void>;
}

export const outboxKey = (siteId: string, eventId: string) => ({ pk: `SITE#${siteId}#OUTBOX#${eventId}`, sk: 'OUTBOX' });

export function outboxShard(eventId: string): string {
  return `OUTBOX#${createHash('sha256').update(eventId).digest()[0]! % OUTBOX_SHARDS}`;
}

/** The transaction item that keeps `event` in the domain's table until it has been published. */
export function outboxPut(tableName: string, event: OutboxEvent): TransactItem {
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
 * Writes `items` and the outbox items of `events` in one transaction, then has `deps.flush` publish the events
 * unless the table's stream does. Transaction errors propagate (the caller maps them); publishing errors never do,
 * because the change has happened.
 */
export async function commitWithEvents(target: OutboxTarget, items: TransactItem[], events: OutboxEvent[], deps: CommitDeps = {}): Promise<void> {
  const flush = target.publishedBy === 'stream' ? undefined : deps.flush;
  // Checked before writing: committed events nobody publishes would wait a minute for the scheduled relay.
  if (target.publishedBy !== 'stream' && !flush) throw new Error(`${target.tableName}: events published by the request need deps.flush (outbox-relay.ts)`);
  const send = deps.send ?? ((command: TransactWriteCommand) => dynamoDb().send(command));
  await send(new TransactWriteCommand({ TransactItems: [...items, ...events.map((event) => outboxPut(target.tableName, event))] }));
  if (flush) await flush(target, events);
}
