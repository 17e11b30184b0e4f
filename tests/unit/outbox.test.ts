import { BatchWriteCommand, DeleteCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '#shared/events';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { commitWithEvents, OUTBOX_INDEX, OUTBOX_SHARDS, outboxPut, outboxShard } from '#shared/outbox';
import { OUTBOX_STREAM_FILTER, outboxStreamHandler, relayOutbox, requestPublishing, type OutboxDeps } from '#shared/outbox-relay';

const target = { tableName: 'brigade-test-orders', topicArn: 'arn:aws:sns:us-east-1:000000000000:brigade-test-events' };

/** The outbox carries any envelope as it is: built by hand, so its data need not satisfy the event's contract. */
function event(type = 'order.placed', at = new Date('2026-11-25T19:00:00Z')): EventEnvelope {
  return { id: randomUUID(), type, source: 'orders', siteId: 'site-1', occurredAt: at.toISOString(), correlationId: 'corr-1', data: { orderId: 'o1' } };
}

/** A table that keeps outbox items in memory and answers the relay's index query; a topic that can be made to fail. */
function fakes(options: { failPublish?: (event: EventEnvelope) => boolean } = {}) {
  const table = new Map<string, Record<string, unknown>>();
  const published: EventEnvelope[] = [];
  const transactions: unknown[][] = [];
  const deps: OutboxDeps = {
    send: async (command) => {
      if (command instanceof TransactWriteCommand) {
        const items = command.input.TransactItems ?? [];
        transactions.push(items);
        for (const item of items) if (item.Put) table.set(String(item.Put.Item!.pk), item.Put.Item!);
        return {};
      }
      if (command instanceof DeleteCommand) {
        table.delete(String(command.input.Key!.pk));
        return {};
      }
      if (command instanceof BatchWriteCommand) {
        for (const request of command.input.RequestItems![target.tableName]!) table.delete(String(request.DeleteRequest!.Key!.pk));
        return {};
      }
      if (command instanceof QueryCommand) {
        const values = command.input.ExpressionAttributeValues!;
        const Items = [...table.values()]
          .filter((item) => item.outboxShard === values[':shard'] && String(item.outboxAt) < String(values[':cutoff']))
          .sort((a, b) => String(a.outboxAt).localeCompare(String(b.outboxAt)));
        return { Items };
      }
      throw new Error('unexpected command');
    },
    publish: async (_topic, e) => {
      if (options.failPublish?.(e)) throw new Error('InternalError: SNS is down');
      published.push(e);
      return 'message-id';
    },
  };
  return { deps, table, published, transactions };
}

describe('the transactional outbox', () => {
  it('writes the state change and its events in one transaction, then publishes and clears them', async () => {
    const f = fakes();
    const change = { Put: { TableName: target.tableName, Item: { pk: 'SITE#site-1#ORDER#o1', sk: 'ORDER', version: 1 } } };
    const events = [event(), event('order.status-changed')];
    await commitWithEvents(target, [change], events, requestPublishing(f.deps));
    expect(f.transactions).toHaveLength(1);
    expect(f.transactions[0]).toEqual([change, outboxPut(target.tableName, events[0]!), outboxPut(target.tableName, events[1]!)]);
    expect(f.published.map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect([...f.table.keys()]).toEqual(['SITE#site-1#ORDER#o1']);
  });

  it('keeps an event whose publishing fails, without failing the change', async () => {
    const f = fakes({ failPublish: () => true });
    const placed = event();
    await expect(commitWithEvents(target, [], [placed], requestPublishing(f.deps))).resolves.toBeUndefined();
    const kept = f.table.get(`SITE#site-1#OUTBOX#${placed.id}`);
    expect(kept).toMatchObject({ sk: 'OUTBOX', outboxShard: outboxShard(placed.id), outboxAt: placed.occurredAt, eventType: 'order.placed' });
    expect(JSON.parse(String(kept!.event))).toEqual(placed);
  });

  it('a transaction that fails publishes nothing', async () => {
    const f = fakes();
    f.deps.send = async () => {
      throw new Error('TransactionCanceledException');
    };
    await expect(commitWithEvents(target, [], [event()], requestPublishing(f.deps))).rejects.toThrow('TransactionCanceled');
    expect(f.published).toEqual([]);
  });

  it('refuses, before writing anything, a request-published commit that has no way to publish', async () => {
    const f = fakes();
    await expect(commitWithEvents(target, [], [event()], { send: f.deps.send })).rejects.toThrow('deps.flush');
    expect(f.transactions).toEqual([]);
  });

  it('spreads events over the index shards, each item conditional on being new', () => {
    const shards = new Set(Array.from({ length: 64 }, () => outboxShard(event().id)));
    expect(shards.size).toBe(OUTBOX_SHARDS);
    expect(outboxPut(target.tableName, event()).Put).toMatchObject({ ConditionExpression: 'attribute_not_exists(pk)' });
  });
});

describe('the relay', () => {
  it('publishes items older than the minimum age, oldest first, byte for byte, and clears them', async () => {
    const f = fakes({ failPublish: () => true });
    const old = [event('order.placed', new Date('2026-11-25T18:00:00Z')), event('order.paid', new Date('2026-11-25T18:59:00Z'))];
    const fresh = event('order.voided', new Date('2026-11-25T19:59:50Z'));
    for (const e of [...old, fresh]) await commitWithEvents(target, [], [e], requestPublishing(f.deps));
    f.deps.publish = async (_topic, e) => {
      f.published.push(e);
    };
    const queries: QueryCommand[] = [];
    const send = f.deps.send;
    f.deps.send = async (command) => {
      if (command instanceof QueryCommand) queries.push(command);
      return send(command);
    };

    const result = await relayOutbox({ ...target, minAgeMs: 30_000 }, new Date('2026-11-25T20:00:00Z'), f.deps);

    expect(result).toEqual({ published: 2, failed: 0 });
    expect(f.published).toEqual(expect.arrayContaining(old));
    expect(f.published).toHaveLength(2);
    expect([...f.table.values()].map((item) => item.eventType)).toEqual(['order.voided']);
    expect(queries).toHaveLength(OUTBOX_SHARDS);
    expect(queries[0]!.input).toMatchObject({ IndexName: OUTBOX_INDEX, ExpressionAttributeValues: { ':cutoff': '2026-11-25T19:59:30.000Z' } });
  });

  it('counts what it still cannot publish and keeps it for the next run', async () => {
    const f = fakes({ failPublish: () => true });
    await commitWithEvents(target, [], [event()], requestPublishing(f.deps));
    expect(await relayOutbox({ ...target, minAgeMs: 30_000 }, new Date('2026-11-25T20:00:00Z'), f.deps)).toEqual({ published: 0, failed: 1 });
    expect(f.table.size).toBe(1);
  });
});

describe('the stream relay (publishedBy: stream)', () => {
  const streamTarget = { ...target, publishedBy: 'stream' as const };
  /** The stream record DynamoDB writes for a transaction item (NEW_IMAGE, attribute values typed). */
  const recordOf = (item: Record<string, unknown>, sequence: string, eventName: 'INSERT' | 'REMOVE' = 'INSERT'): DynamoDBRecord => ({
    eventName,
    dynamodb: {
      SequenceNumber: sequence,
      NewImage: Object.fromEntries(Object.entries(item).map(([name, value]) => [name, { S: String(value) }])) as never,
    },
  });

  it('commits without publishing: the request path has no SNS call and no delete', async () => {
    const f = fakes();
    const placed = event();
    await commitWithEvents(streamTarget, [], [placed], { send: f.deps.send });
    expect(f.published).toEqual([]);
    expect(f.table.has(`SITE#site-1#OUTBOX#${placed.id}`)).toBe(true);
  });

  it('publishes each new outbox item byte for byte, deletes it, and reports only the records it could not publish', async () => {
    const f = fakes({ failPublish: (e) => e.type === 'order.paid' });
    const events = [event('order.placed'), event('order.paid'), event('order.voided')];
    await commitWithEvents(streamTarget, [], events, { send: f.deps.send });
    const items = events.map((e) => f.table.get(`SITE#site-1#OUTBOX#${e.id}`)!);
    const stream: DynamoDBStreamEvent = { Records: [...items.map((item, i) => recordOf(item, `10${i}`)), recordOf({ pk: 'SITE#site-1#ORDER#o1', sk: 'ORDER' }, '104')] };

    const response = await outboxStreamHandler(streamTarget, () => f.deps)(stream);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '101' }] });
    expect(f.published).toEqual([events[0], events[2]]);
    expect([...f.table.values()].map((item) => item.eventType)).toEqual(['order.paid']);
  });

  /** Outbox items of `count` events committed, as the stream hands them to the relay. */
  async function streamOf(f: ReturnType<typeof fakes>, count: number): Promise<DynamoDBStreamEvent> {
    const events = Array.from({ length: count }, () => event());
    await commitWithEvents(streamTarget, [], events, { send: f.deps.send });
    return { Records: events.map((e, i) => recordOf(f.table.get(`SITE#site-1#OUTBOX#${e.id}`)!, String(200 + i))) };
  }

  it('publishes a stream batch through publishAll (PublishBatch) when the deps have it: one call, and only the refused events reported', async () => {
    const f = fakes();
    const stream = await streamOf(f, 12);
    const calls: EventEnvelope[][] = [];
    f.deps.publishAll = async (_topic, events) => {
      calls.push(events);
      return events.map((e, i) => (i === 4 ? { status: 'rejected' as const, reason: new Error('InternalError') } : (f.published.push(e), { status: 'fulfilled' as const, value: undefined })));
    };
    await expect(outboxStreamHandler(streamTarget, () => f.deps)(stream)).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: '204' }] });
    expect(calls.map((c) => c.length)).toEqual([12]);
    expect(f.published).toHaveLength(11);
    expect([...f.table.keys()]).toEqual([`SITE#site-1#OUTBOX#${calls[0]![4]!.id}`]);
  });

  it('clears a batch of published items in one BatchWriteItem, not a delete per event', async () => {
    const f = fakes();
    const stream = await streamOf(f, 25);
    const sent: string[] = [];
    const send = f.deps.send;
    f.deps.send = async (command) => {
      sent.push(command.constructor.name);
      return send(command);
    };

    await expect(outboxStreamHandler(streamTarget, () => f.deps)(stream)).resolves.toEqual({ batchItemFailures: [] });

    expect(f.published).toHaveLength(25);
    expect(sent).toEqual(['BatchWriteCommand']);
    expect(f.table.size).toBe(0);
  });

  it('sends unprocessed deletes again, and leaves items it cannot clear to the scheduled relay without failing the batch', async () => {
    const f = fakes();
    const stream = await streamOf(f, 3);
    const send = f.deps.send;
    let calls = 0;
    // First call: DynamoDB processes one delete and hands back the other two; second call: it takes them.
    f.deps.send = async (command) => {
      if (!(command instanceof BatchWriteCommand)) return send(command);
      calls++;
      const requests = command.input.RequestItems![target.tableName]!;
      if (calls > 1) return send(command);
      await send(new BatchWriteCommand({ RequestItems: { [target.tableName]: requests.slice(0, 1) } }));
      return { UnprocessedItems: { [target.tableName]: requests.slice(1) } };
    };
    await expect(outboxStreamHandler(streamTarget, () => f.deps)(stream)).resolves.toEqual({ batchItemFailures: [] });
    expect(calls).toBe(2);
    expect(f.table.size).toBe(0);

    const g = fakes();
    const kept = await streamOf(g, 2);
    const sendKept = g.deps.send;
    g.deps.send = async (command) => {
      if (command instanceof BatchWriteCommand) throw new Error('ProvisionedThroughputExceededException');
      return sendKept(command);
    };
    await expect(outboxStreamHandler(streamTarget, () => g.deps)(kept)).resolves.toEqual({ batchItemFailures: [] });
    expect(g.published).toHaveLength(2);
    expect(g.table.size).toBe(2);
  });

  it('the orders stream mapping invokes the relay with new outbox items only, reporting failed records', () => {
    const functions = parse(readFileSync(join(__dirname, '../../functions/orders/functions.yml'), 'utf8'));
    const { stream } = functions.relayOutboxStream.events[0];
    expect(stream).toMatchObject({ type: 'dynamodb', filterPatterns: [OUTBOX_STREAM_FILTER], functionResponseType: 'ReportBatchItemFailures', bisectBatchOnFunctionError: true });
    expect(OUTBOX_STREAM_FILTER).toEqual({ eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: ['OUTBOX'] } } } });
  });
});
