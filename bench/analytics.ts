// Analytics: (1) the dashboard's and the sales report's read latency over HTTP for a site with 1,000 orders in its
// history against one with 100,000 (same days, same menu), requests alternating between the two so a change of load
// hits both; (2) the recordAnalytics consumer's throughput (order.paid published on the local SNS events topic →
// counted) against the raw DynamoDB Local rate of TransactWriteItems of the same shape on the same rows, in
// alternating rounds. Verifies that every event was counted once.
//
// The small site's history is written by the consumer's own store (SalesStore.record: one transaction per order,
// receipt included). The large site's is the same counters summed up front by the same pure rules (salesDelta) and
// put once per item: what 100,000 ADDs leave behind, without 100,000 transactions on this shared machine.
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll, isTransactionConflict, retryOnConflict } from '../functions/shared/dynamodb';
import { publishEvent } from '../functions/shared/event-publisher';
import { buildEvent } from '../functions/shared/events';
import type { EventOf } from '../functions/shared/contracts';
import { addDays } from '../functions/shared/time';
import { salesDelta } from '../functions/analytics/sales-rules';
import { foldDeltas } from '../functions/analytics/fold';
import { SalesStore, salesWrites } from '../functions/analytics/sales-store';
import { analyticsKeys } from '../functions/analytics/table';
import { localClientConfig } from '../dev/client-config';
import { sampleData, sampleEvent } from '../tests/unit/fixtures/events';
import { signInAsDemo, startBenchCloud } from './support/cloud';
import { runBench, sleep, withTimeout } from './support/harness';
import { runConcurrent } from './support/load';
import { printResult, printTable, round, summarize } from './support/stats';

const DAYS = 60;
const MENU_ITEMS = 20;
const SMALL = 1_000;
const LARGE = 100_000;
const READ_ROUNDS = 5;
const READS_PER_ROUND = 20;
/** Consumer side: events measured, warm-up events, rounds. */
const EVENTS = 300;
const WARMUP = 20;
const ROUNDS = 3;
const PER_ROUND = EVENTS / ROUNDS;
const CONCURRENCY = 16;
const DRAIN_LIMIT_MS = 5 * 60_000;

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

runBench('Brigade bench: analytics reads at 1k vs 100k orders, and the sales consumer vs raw transactions', 14 * 60_000, async (bench) => {
  const cloud = await startBenchCloud(bench);
  const env = cloud.env;
  Object.assign(process.env, env); // the store and the publisher reach the local cloud as the functions do
  const tableName = `brigade-${env.BRIGADE_STAGE}-analytics`;
  const topicArn = `arn:aws:sns:${env.AWS_REGION}:000000000000:brigade-${env.BRIGADE_STAGE}-events`;
  const db = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(env, 'DYNAMODB')));
  bench.onCleanup(() => db.destroy());
  const store = new SalesStore(tableName);
  const runId = Date.now().toString(36);
  const lastDay = addDays(new Date().toISOString().slice(0, 10), -1);
  const firstDay = addDays(lastDay, -(DAYS - 1));

  // Order i of a history of `count`: its day, hour, channel and two menu items vary with i.
  const sample = sampleData('order.paid');
  const orderEvent = (siteId: string, i: number, count: number): EventOf<'order.paid'> => {
    const day = addDays(firstDay, Math.floor((i * DAYS) / count));
    const line = (n: number, itemId: string) => ({ ...sample.lines[1]!, lineId: `L${n}`, itemId, name: itemId });
    return {
      ...sampleEvent('order.paid'),
      id: `${siteId}-${i}`,
      siteId,
      data: {
        ...sample,
        orderId: `o-${i}`,
        businessDay: day,
        placedAt: `${day}T${String(11 + (i % 11)).padStart(2, '0')}:15:00.000Z`,
        channel: i % 3 === 0 ? { type: 'takeaway' } : sample.channel,
        lines: [line(1, `item-${i % MENU_ITEMS}`), line(2, `item-${(i * 7 + 3) % MENU_ITEMS}`)],
      },
    };
  };

  // --- history ---------------------------------------------------------------------------------------------------
  const small = `bench-small-${runId}`;
  const large = `bench-large-${runId}`;
  const smallStarted = performance.now();
  await runConcurrent(SMALL, CONCURRENCY, async (i) => {
    const event = orderEvent(small, i, SMALL);
    await store.record(small, 'analytics', event.id, salesDelta(event, 'UTC'), 0);
  });
  const smallMs = performance.now() - smallStarted;
  const largeStarted = performance.now();
  const deltas = function* () {
    for (let i = 0; i < LARGE; i++) yield salesDelta(orderEvent(large, i, LARGE), 'UTC');
  };
  const folded = foldDeltas(large, deltas());
  await batchWriteAll(tableName, folded.map((item) => ({ put: item })));
  const largeMs = performance.now() - largeStarted;

  // --- reads -------------------------------------------------------------------------------------------------------
  const { accessToken } = await signInAsDemo(cloud, 'owner');
  const get = async (path: string) => {
    const res = await fetch(`${env.BRIGADE_API_URL}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${body.slice(0, 300)}`);
    return JSON.parse(body) as Record<string, any>;
  };
  const routes = {
    dashboard: (siteId: string) => `/sites/${siteId}/analytics/dashboard?date=${lastDay}`,
    'sales 60 days by day': (siteId: string) => `/sites/${siteId}/analytics/sales?from=${firstDay}&to=${lastDay}&compare=previous`,
    'sales 60 days by week': (siteId: string) => `/sites/${siteId}/analytics/sales?from=${firstDay}&to=${lastDay}&grain=week`,
  };
  const perDay = (count: number) => Array.from({ length: count }, (_, i) => Math.floor((i * DAYS) / count)).filter((d) => d === DAYS - 1).length;
  const checks = [
    (await get(routes.dashboard(small))).day.orders === perDay(SMALL),
    (await get(routes.dashboard(large))).day.orders === perDay(LARGE),
    (await get(routes['sales 60 days by week'](small))).totals.orders === SMALL,
    (await get(routes['sales 60 days by week'](large))).totals.orders === LARGE,
  ];
  const latencies: Record<string, { small: number[]; large: number[] }> = {};
  for (const [name, path] of Object.entries(routes)) {
    latencies[name] = { small: [], large: [] };
    for (let warm = 0; warm < 3; warm++) await Promise.all([get(path(small)), get(path(large))]);
    for (let r = 0; r < READ_ROUNDS; r++) {
      for (let n = 0; n < READS_PER_ROUND; n++) {
        for (const [side, siteId] of (n % 2 === 0 ? [['small', small], ['large', large]] : [['large', large], ['small', small]]) as Array<['small' | 'large', string]>) {
          const started = performance.now();
          await get(path(siteId));
          latencies[name]![side].push(performance.now() - started);
        }
      }
    }
  }

  // --- the consumer against raw transactions -----------------------------------------------------------------------
  const live = `bench-live-${runId}`;
  const liveDay = lastDay;
  const publish = async (i: number) => {
    const event = buildEvent({
      type: 'order.paid',
      source: 'orders',
      siteId: live,
      correlationId: randomUUID(),
      data: { ...orderEvent(live, i, 1).data, businessDay: liveDay, orderId: `live-${i}` },
    });
    await publishEvent(topicArn, event);
  };
  const countedOrders = async () => {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: analyticsKeys.day(live, liveDay), ConsistentRead: true }));
    return (Item?.orders as number | undefined) ?? 0;
  };
  const drainedTo = (expected: number) =>
    withTimeout(
      (async () => {
        for (;;) {
          if ((await countedOrders()) >= expected) return;
          await sleep(50);
        }
      })(),
      DRAIN_LIMIT_MS,
      () => `the consumer did not count ${expected} orders within ${DRAIN_LIMIT_MS / 1000} s`,
    );
  // What the consumer commits per order of two menu items (its own writes, salesWrites): the receipt, the epoch
  // check, the booking, day, week, month, year, hour and customer counters, and the two items' day and month; on the
  // same rows (one site and day), under another site's keys.
  const rawSite = `bench-raw-${runId}`;
  const rawTransact = async (i: number) => {
    const event = orderEvent(rawSite, i, 1);
    const [writes] = salesWrites(tableName, rawSite, salesDelta({ ...event, data: { ...event.data, businessDay: liveDay } }, 'UTC'));
    const items: TransactItem[] = [
      { Put: { TableName: tableName, Item: { pk: `EVENT#bench-raw#${rawSite}-${i}`, sk: 'RECEIPT' }, ConditionExpression: 'attribute_not_exists(pk)' } },
      { ConditionCheck: { TableName: tableName, Key: analyticsKeys.site(rawSite), ConditionExpression: 'attribute_not_exists(resetting)' } },
      ...writes!,
    ];
    // Retried as the consumer's store retries: only a collision with a concurrent transaction.
    await retryOnConflict(() => db.send(new TransactWriteCommand({ TransactItems: items })), { retryIf: isTransactionConflict, attempts: 80, baseDelayMs: 2 });
  };
  await runConcurrent(WARMUP, CONCURRENCY, (i) => publish(EVENTS + i));
  await drainedTo(WARMUP);
  await runConcurrent(WARMUP, CONCURRENCY, (i) => rawTransact(EVENTS + i));
  let rawMs = 0;
  let consumerMs = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const first = r * PER_ROUND;
    const rawStarted = performance.now();
    await runConcurrent(PER_ROUND, CONCURRENCY, (i) => rawTransact(first + i));
    rawMs += performance.now() - rawStarted;
    const started = performance.now();
    await runConcurrent(PER_ROUND, CONCURRENCY, (i) => publish(first + i));
    await drainedTo(WARMUP + first + PER_ROUND);
    consumerMs += performance.now() - started;
  }
  await sleep(2_000); // a duplicate delivery arriving late would show now
  const counted = await countedOrders();

  // --- figures -----------------------------------------------------------------------------------------------------
  console.log(`history: ${DAYS} days, ${MENU_ITEMS} menu items, 2 per order; ${SMALL} orders through SalesStore.record in ${round(smallMs / 1000, 1)} s, ${LARGE} summed and put in ${round(largeMs / 1000, 1)} s (${folded.length} items)`);
  console.log(`reads: ${READ_ROUNDS} rounds of ${READS_PER_ROUND} per route and site, alternating the sites; owner token; figures checked: ${checks.every(Boolean) ? 'yes' : `NO (${checks.join(', ')})`}\n`);
  const readRows = Object.entries(latencies).map(([name, { small: s, large: l }]) => {
    const a = summarize(s);
    const b = summarize(l);
    return { name, a, b, ratio: round(b.p50 / a.p50, 2) };
  });
  printTable(
    ['route', `p50 ms ${SMALL / 1000}k`, `p99 ms ${SMALL / 1000}k`, `p50 ms ${LARGE / 1000}k`, `p99 ms ${LARGE / 1000}k`, 'p50 ratio'],
    readRows.map(({ name, a, b, ratio }) => [name, round(a.p50), round(a.p99), round(b.p50), round(b.p99), ratio]),
  );
  const rawPerSecond = (EVENTS / rawMs) * 1000;
  const consumerPerSecond = (EVENTS / consumerMs) * 1000;
  console.log('');
  printTable(
    ['path', 'events/s', 'wall s'],
    [
      ['DynamoDB TransactWriteItems (13 actions), same rows', round(rawPerSecond, 0), round(rawMs / 1000, 2)],
      ['SNS → recordAnalytics, publish → counted', round(consumerPerSecond, 0), round(consumerMs / 1000, 2)],
    ],
  );
  const consumerToRaw = round(consumerPerSecond / rawPerSecond, 2);
  console.log(`\nconsumer ÷ raw: ${consumerToRaw}; counted ${counted} of ${EVENTS + WARMUP} events; load average at the end ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  printResult({
    bench: 'analytics',
    days: DAYS,
    orders: { small: SMALL, large: LARGE },
    reads: Object.fromEntries(readRows.map(({ name, a, b, ratio }) => [name, { smallP50Ms: round(a.p50, 2), largeP50Ms: round(b.p50, 2), smallP99Ms: round(a.p99, 2), largeP99Ms: round(b.p99, 2), p50Ratio: ratio }])),
    figuresChecked: checks.every(Boolean),
    consumer: { eventsPerSecond: round(consumerPerSecond), rawTransactionsPerSecond: round(rawPerSecond), consumerToRaw, counted, expected: EVENTS + WARMUP },
    loadAverage: loadavg().map((v) => round(v, 2)),
  });
  if (!checks.every(Boolean) || counted !== EVENTS + WARMUP) process.exitCode = 1;
});
