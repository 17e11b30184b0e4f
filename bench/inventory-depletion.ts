// Depletion throughput: order.paid events published on the local SNS events topic and depleted by the running
// stack's depleteFromOrders consumer (SNS → the depletion queue → batches of up to 25 → reads → as few
// TransactWriteItems as the batch allows, depletion-batch.ts), against
// the raw DynamoDB Local rate of TransactWriteItems of the same shape (same item count per transaction, the same
// items contended for, and on rows of their own) measured in the same run, in alternating rounds. Verifies the exact
// on-hand at the end and that no event was lost or applied twice.
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { backOff } from '../functions/shared/dynamodb';
import { publishEvent } from '../functions/shared/event-publisher';
import { buildEvent } from '../functions/shared/events';
import { DEMO_SITE_ID } from '../dev/seed/demo-data';
import { localClientConfig } from '../dev/client-config';
import { sampleData } from '../tests/unit/fixtures/events';
import { signInAsDemo, startBenchCloud } from './support/cloud';
import { runBench, sleep, withTimeout } from './support/harness';
import { runConcurrent, type LoadResult } from './support/load';
import { printResult, printTable, round, summarize } from './support/stats';

/** Events measured, stock items they spread over, items each event takes (one line consuming each once). */
const N = 500;
const K = 10;
const PER_EVENT = 3;
const WARMUP = 20;
const ROUNDS = 5;
const PER_ROUND = N / ROUNDS;
/** Publishing clients at once: SNS accepts faster than the consumer drains, so this only fills the queue. */
const PUBLISH_CONCURRENCY = 16;
/** The raw side's writers at once; the consumer's queue has 5 pollers, each a batch at a time. */
const RAW_CONCURRENCY = 16;
const OPENING_STOCK = 10_000;
const DRAIN_LIMIT_MS = 5 * 60_000;
const LOCATION = 'walk-in';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

runBench('Brigade bench: inventory depletion from order events vs raw DynamoDB Local transactions', 12 * 60_000, async (bench) => {
  const cloud = await startBenchCloud(bench);
  const env = cloud.env;
  const apiUrl = env.BRIGADE_API_URL!;
  const tableName = `brigade-${env.BRIGADE_STAGE}-inventory`;
  const topicArn = `arn:aws:sns:${env.AWS_REGION}:000000000000:brigade-${env.BRIGADE_STAGE}-events`;
  const runId = Date.now().toString(36);
  const db = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(env, 'DYNAMODB')));
  bench.onCleanup(() => db.destroy());
  // Orders' own publisher (its message attributes), pointed at the local cloud as the functions are.
  Object.assign(process.env, env);

  // K stock items of the demo site, made and stocked through the API as a manager would.
  const { accessToken } = await signInAsDemo(cloud, 'manager');
  const call = async (method: string, path: string, body: unknown, expected: number, key?: string) => {
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    });
    if (res.status !== expected) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  };
  const itemIds = Array.from({ length: K }, (_, i) => `bench-${runId}-${i}`);
  for (const itemId of itemIds) {
    await call('POST', `/sites/${DEMO_SITE_ID}/inventory/items`, { itemId, name: `Bench item ${itemId}`, category: 'bench', baseUnit: 'each', locations: [LOCATION] }, 201);
    await call('POST', `/sites/${DEMO_SITE_ID}/inventory/items/${itemId}/receipts`, { location: LOCATION, quantity: OPENING_STOCK, unit: 'each', unitCost: 10 }, 201, `bench-${runId}-${itemId}`);
  }
  /** Event i takes one each of PER_EVENT consecutive items (round robin): every item is taken by N × PER_EVENT / K events. */
  const itemsOf = (i: number) => Array.from({ length: PER_EVENT }, (_, j) => itemIds[(i + j) % K]!);

  // --- the consumer path ----------------------------------------------------------------------------------------
  const sample = sampleData('order.paid') as unknown as { lines: Array<Record<string, unknown>> };
  const publishedAt = new Map<string, number>();
  const publish = async (i: number) => {
    const orderId = `bench-${runId}-${i}`;
    const event = buildEvent({
      type: 'order.paid',
      source: 'orders',
      siteId: DEMO_SITE_ID,
      correlationId: randomUUID(),
      data: sampleData('order.paid', {
        orderId,
        lines: [{ ...sample.lines[0], lineId: 'L1', quantity: 1, modifiers: [], consumption: itemsOf(i).map((ingredientId) => ({ ingredientId, quantity: 1, unit: 'each' })) }],
      }),
    });
    publishedAt.set(orderId, Date.now());
    await publishEvent(topicArn, event);
  };
  const onHandTotal = async () => {
    const { Responses } = await db.send(
      new BatchGetCommand({
        RequestItems: { [tableName]: { Keys: itemIds.map((itemId) => ({ pk: `SITE#${DEMO_SITE_ID}#STOCK`, sk: `ONHAND#${itemId}#${LOCATION}` })), ConsistentRead: true } },
      }),
    );
    const rows = (Responses?.[tableName] ?? []) as Array<{ itemId: string; quantity: number }>;
    return { total: rows.reduce((sum, row) => sum + row.quantity, 0), rows };
  };
  /** Until on-hand over the K items has gone down by `taken` units; the time it got there. */
  const drainedTo = async (expectedTotal: number) =>
    withTimeout(
      (async () => {
        for (;;) {
          if ((await onHandTotal()).total === expectedTotal) return performance.now();
          await sleep(50);
        }
      })(),
      DRAIN_LIMIT_MS,
      () => `on-hand did not reach ${expectedTotal / 1000} units within ${DRAIN_LIMIT_MS / 1000} s`,
    );
  const MILLI = 1000;
  const openingTotal = K * OPENING_STOCK * MILLI;

  // Warm-up: the consumer's first invocations compile and load the handler.
  const warmStarted = performance.now();
  await runConcurrent(WARMUP, PUBLISH_CONCURRENCY, (i) => publish(N + i));
  await drainedTo(openingTotal - WARMUP * PER_EVENT * MILLI);
  const warmupMs = performance.now() - warmStarted;
  await cloud.streams.idle();
  await cloud.sns.idle();

  // --- raw transactions of the same shape -----------------------------------------------------------------------
  // What depletion commits per event: the order's depletion record, then per item its on-hand row, its ledger entry
  // and its movement event's outbox item: 1 + 3 × PER_EVENT items. On rows of their own (contended the same way),
  // the outbox items under another sort key so the stream relay ignores them.
  const rawTransactOn = (rawSite: string, itemsFor: (i: number) => string[]) => async (i: number) => {
    const orderId = `raw-${i}`;
    const at = new Date().toISOString();
    const items: TransactItem[] = [{ Put: { TableName: tableName, Item: { pk: `SITE#${rawSite}#ORDER#${orderId}`, sk: 'DEPLETION', orderId, version: 1, updatedAt: at }, ConditionExpression: 'attribute_not_exists(pk)' } }];
    for (const itemId of itemsFor(i)) {
      const movementId = `${orderId}.order.paid.1.sale.${itemId}.${LOCATION}`;
      items.push(
        {
          Update: {
            TableName: tableName,
            Key: { pk: `SITE#${rawSite}#STOCK`, sk: `ONHAND#${itemId}#${LOCATION}` },
            UpdateExpression: 'ADD quantity :taken, version :one SET updatedAt = :at',
            ExpressionAttributeValues: { ':taken': -MILLI, ':one': 1, ':at': at },
          },
        },
        { Put: { TableName: tableName, Item: { pk: `SITE#${rawSite}#ITEM#${itemId}`, sk: `MOVE#${at}#${movementId}`, movementId, kind: 'sale', orderId, at }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: tableName, Item: { pk: `SITE#${rawSite}#OUTBOX#${movementId}`, sk: 'BENCH-OUTBOX', event: JSON.stringify({ movementId, at }) }, ConditionExpression: 'attribute_not_exists(pk)' } },
      );
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await db.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (error) {
        const conflict = error instanceof TransactionCanceledException && error.CancellationReasons?.some((r) => r.Code === 'TransactionConflict');
        if (!conflict || attempt >= 80) throw error;
        await backOff(attempt, 2);
      }
    }
  };
  // The same K rows, taken in the same pattern as the events; and, to show what that contention costs, rows of
  // their own per transaction.
  const rawTransact = rawTransactOn(`bench-raw-${runId}`, itemsOf);
  const rawDistinct = rawTransactOn(`bench-raw-distinct-${runId}`, (i) => Array.from({ length: PER_EVENT }, (_, j) => `row-${i}-${j}`));
  await runConcurrent(WARMUP, RAW_CONCURRENCY, (i) => rawTransact(N + i));

  // --- measured in rounds -----------------------------------------------------------------------------------------
  // Each round runs the three paths one after the other on its share of the events, so a change of load on this
  // shared machine hits all three alike. A consumer round ends when its events are depleted; the stream relay then
  // still publishes their movement events (not counted), and the next round waits for it, so it does not slow the
  // raw side.
  const sides = { raw: new Side(), rawUncontended: new Side(), consumer: new Side() };
  let relayTailMs = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const first = r * PER_ROUND;
    await sides.raw.run(PER_ROUND, RAW_CONCURRENCY, (i) => rawTransact(first + i));
    await sides.rawUncontended.run(PER_ROUND, RAW_CONCURRENCY, (i) => rawDistinct(first + i));
    const started = performance.now();
    await runConcurrent(PER_ROUND, PUBLISH_CONCURRENCY, (i) => publish(first + i));
    await drainedTo(openingTotal - (WARMUP + first + PER_ROUND) * PER_EVENT * MILLI);
    sides.consumer.wallMs += performance.now() - started;
    const tailStarted = performance.now();
    await cloud.streams.idle();
    await cloud.sns.idle();
    relayTailMs += performance.now() - tailStarted;
  }
  const raw = sides.raw.result();
  const rawUncontended = sides.rawUncontended.result();
  const consumerMs = sides.consumer.wallMs;
  const consumerPerSecond = (N / consumerMs) * 1000;

  // Exact on-hand per item, and one depletion record per event (none lost, none applied twice).
  await sleep(2_000); // a duplicate delivery arriving late would show in on-hand now
  const { rows } = await onHandTotal();
  const taken = new Map<string, number>();
  for (let i = 0; i < N + WARMUP; i++) for (const itemId of itemsOf(i)) taken.set(itemId, (taken.get(itemId) ?? 0) + 1);
  const wrong = rows.filter((row) => row.quantity !== (OPENING_STOCK - taken.get(row.itemId)!) * MILLI).map((row) => `${row.itemId}: ${row.quantity / MILLI}`);
  const orderIds = Array.from({ length: N }, (_, i) => `bench-${runId}-${i}`);
  const records: Array<{ orderId: string; updatedAt: string }> = [];
  for (let i = 0; i < orderIds.length; i += 100) {
    const { Responses } = await db.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: orderIds.slice(i, i + 100).map((orderId) => ({ pk: `SITE#${DEMO_SITE_ID}#ORDER#${orderId}`, sk: 'DEPLETION' })) } } }),
    );
    records.push(...((Responses?.[tableName] ?? []) as typeof records));
  }
  const lost = N - records.length;
  const latency = summarize(records.map((r) => Date.parse(r.updatedAt) - publishedAt.get(r.orderId)!));

  console.log(`${N} events over ${K} stock items, ${PER_EVENT} items per event (one line), after ${WARMUP} warm-up events (${round(warmupMs / 1000, 1)} s)`);
  console.log(`${ROUNDS} rounds of ${PER_ROUND} per path; published by ${PUBLISH_CONCURRENCY} clients, raw side ${RAW_CONCURRENCY} concurrent writers`);
  console.log(`stream relay publishing the movement events after each consumer round: ${round(relayTailMs / 1000, 1)} s in all (not counted)\n`);
  printTable(
    ['path', 'events/s', 'p50 ms', 'p99 ms', 'max ms', 'wall s'],
    [
      [`DynamoDB TransactWriteItems (${1 + 3 * PER_EVENT} items), same rows`, round(raw.opsPerSecond, 0), round(raw.p50), round(raw.p99), round(raw.max), round(raw.wallMs / 1000, 2)],
      ['  same shape, rows of their own', round(rawUncontended.opsPerSecond, 0), round(rawUncontended.p50), round(rawUncontended.p99), round(rawUncontended.max), round(rawUncontended.wallMs / 1000, 2)],
      ['SNS → queue → depleteFromOrders, publish → depleted', round(consumerPerSecond, 0), round(latency.p50), round(latency.p99), round(latency.max), round(consumerMs / 1000, 2)],
    ],
  );
  const ratio = round(consumerPerSecond / raw.opsPerSecond, 2);
  const uncontendedRatio = round(consumerPerSecond / rawUncontended.opsPerSecond, 2);
  console.log(`\nconsumer events/s ÷ raw TransactWriteItems/s on the same rows: ${ratio} (on rows of their own: ${uncontendedRatio}); load average at the end ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  console.log(`on-hand exact: ${wrong.length === 0 ? 'yes' : `NO (${wrong.join(', ')})`}; depletion records ${records.length} of ${N} (lost ${lost})`);
  console.log('\nConsumer latency is SNS publish → the depletion decision (the record\'s updatedAt, taken just before its');
  console.log('transaction). A batch from the queue is depleted in rounds: every order\'s depletion record and the items named');
  console.log('(one read), their on-hand rows (one read), the events applied one after the other in memory, then one');
  console.log('TransactWriteItems for the round (each row written once, up to 100 items); a lost race reads again.');

  printResult({
    bench: 'inventory-depletion',
    events: N,
    items: K,
    itemsPerEvent: PER_EVENT,
    rounds: ROUNDS,
    relayTailMs: round(relayTailMs),
    rawTransact: figures(raw),
    rawUncontended: figures(rawUncontended),
    consumer: { eventsPerSecond: round(consumerPerSecond), wallMs: round(consumerMs), p50Ms: round(latency.p50, 2), p99Ms: round(latency.p99, 2), maxMs: round(latency.max, 2) },
    consumerToRaw: ratio,
    consumerToRawUncontended: uncontendedRatio,
    onHandExact: wrong.length === 0,
    lost,
    loadAverage: loadavg().map((v) => round(v, 2)),
  });
  if (wrong.length > 0 || lost > 0) process.exitCode = 1;
});

/** One path's rounds: the operations' latencies and the wall time they took, summed. */
class Side {
  wallMs = 0;
  private readonly latencies: number[] = [];

  async run(count: number, concurrency: number, operation: (index: number) => Promise<void>): Promise<void> {
    const started = performance.now();
    await runConcurrent(count, concurrency, async (i) => {
      const at = performance.now();
      await operation(i);
      this.latencies.push(performance.now() - at);
    });
    this.wallMs += performance.now() - started;
  }

  result(): LoadResult {
    return { ...summarize(this.latencies), wallMs: this.wallMs, opsPerSecond: (this.latencies.length / this.wallMs) * 1000 };
  }
}

function figures(r: LoadResult) {
  return { opsPerSecond: round(r.opsPerSecond), p50Ms: round(r.p50, 2), p99Ms: round(r.p99, 2), maxMs: round(r.max, 2) };
}
