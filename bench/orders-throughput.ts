// Sustained POST /sites/{siteId}/orders through the local stack, against the raw DynamoDB Local rate of the
// order's own TransactWriteItems (same items, same sizes) measured in the same run on the same table, at the same
// concurrency. Goal (issue 12): HTTP orders/s ≥ 0.5 × raw transactions/s. Measured twice: the request path alone
// (the stream mappings paused, so the events wait in the stream, then their backlog is timed), and with the events
// leaving as the orders come (the relay, SNS and the consumers sharing the machine's two cores with the API).
// Raw transactions run before and after; the ratio is to the faster of the two.
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { DynamoDBClient, ScanCommand, TransactionCanceledException, TransactWriteItemsCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { backOff } from '../functions/shared/dynamodb';
import { DEMO_SITE_ID } from '../dev/seed/demo-data';
import { signInAsDemo, startBenchCloud } from './support/cloud';
import { localClientConfig } from '../dev/client-config';
import { runBench } from './support/harness';
import { runConcurrent, type LoadResult } from './support/load';
import { withCpuPerOperation, type PhaseCpu } from './support/process-cpu';
import { printResult, printTable, round } from './support/stats';

const CONCURRENCY = 16;
const COUNT = 2_000;
/**
 * Operations of each kind before the measured phases, not counted. DynamoDB Local's JVM compiles the hot paths of
 * the calls it sees (a fixed cost no deployed stage has); an order makes kinds of calls the raw transaction does
 * not, so a short warm-up charges their compilation to the HTTP side. After 50 (the default until 2026-12-05) the
 * first raw phase still spent 3.2 of its 11.8 ms of CPU per transaction in the JIT; after 1,000, 1.0 of 7.1.
 * BRIGADE_ORDERS_WARMUP sets it.
 */
const WARMUP = Number(process.env.BRIGADE_ORDERS_WARMUP ?? 1_000);
const WINDOW_MS = 5_000;
// Three lines of items this bench adds to the demo site's menu before it starts: no recipe, so inventory never
// 86's them when the demo stock runs out, and no countdown, so every order succeeds.
const BENCH_ITEMS = [
  { name: 'Bench burger', price: 1450, taxRate: '10', station: 'kitchen', modifiers: [{ modifierId: 'cheddar', name: 'Cheddar', priceDelta: 150 }, { modifierId: 'medium', name: 'Medium', priceDelta: 0, group: 'cooking' }] },
  { name: 'Bench steak frites', price: 2400, taxRate: '10', station: 'kitchen' },
  { name: 'Bench lemonade', price: 450, taxRate: '10', station: 'bar', modifiers: [{ modifierId: 'large', name: 'Large', priceDelta: 100, group: 'size' }] },
] as const;
const orderOf = (itemIds: readonly string[]) => ({
  channel: { type: 'dine-in', table: '12', covers: 3 },
  lines: [
    { itemId: itemIds[0]!, quantity: 2, modifierIds: ['cheddar', 'medium'] },
    { itemId: itemIds[1]!, quantity: 1 },
    { itemId: itemIds[2]!, quantity: 3, modifierIds: ['large'], notes: 'no ice' },
  ],
});

runBench('Brigade bench: POST /orders through the local stack vs raw DynamoDB Local writes', 10 * 60_000, async (bench) => {
  const cloud = await startBenchCloud(bench);
  const tableName = `brigade-${cloud.env.BRIGADE_STAGE}-orders`;
  const apiUrl = cloud.env.BRIGADE_API_URL!;
  const runId = Date.now().toString(36);

  const dynamodb = new DynamoDBClient(localClientConfig(cloud.env, 'DYNAMODB'));
  bench.onCleanup(() => dynamodb.destroy());

  const benchOrder = orderOf(await addBenchItems(apiUrl, (await signInAsDemo(cloud, 'manager')).accessToken, runId));
  const { accessToken } = await signInAsDemo(cloud, 'staff');
  const authorization = `Bearer ${accessToken}`;

  // One order as the API answers it: the raw side writes the same bytes in the same transaction shape.
  let sample: string | undefined;
  const completions: number[] = [];
  const postOrder = async (i: number) => {
    const response = await fetch(`${apiUrl}/sites/${DEMO_SITE_ID}/orders`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json', 'idempotency-key': `bench-${runId}-${i}` },
      body: JSON.stringify(benchOrder),
    });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`POST order answered ${response.status}: ${text}`);
    sample ??= text;
    completions.push(performance.now());
  };
  const rawSite = `bench-raw-${runId}`;
  // What placing an order commits: the order, a ConditionCheck per menu item (they exist in the demo menu), the
  // order.placed outbox item and the Idempotency-Key's record holding the response. Like the API, a transaction
  // that loses to a concurrent one on a menu item is retried, and counts once.
  const transactWrite = async () => {
    const orderId = randomUUID();
    const order = JSON.stringify({ ...(JSON.parse(sample!) as Record<string, unknown>), siteId: rawSite, orderId });
    const items: TransactWriteItem[] = [
      { Put: { TableName: tableName, Item: { pk: { S: `SITE#${rawSite}#benchOrder#${orderId}` }, sk: { S: 'benchOrder' }, order: { S: order } }, ConditionExpression: 'attribute_not_exists(pk)' } },
      ...benchOrder.lines.map(
        (line): TransactWriteItem => ({
          ConditionCheck: { TableName: tableName, Key: { pk: { S: `SITE#${DEMO_SITE_ID}#MENU` }, sk: { S: `ITEM#${line.itemId}` } }, ConditionExpression: 'attribute_exists(pk)' },
        }),
      ),
      { Put: { TableName: tableName, Item: { pk: { S: `BENCH#${rawSite}#EVENT#${orderId}` }, sk: { S: 'BENCH-OUTBOX' }, event: { S: order } }, ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: tableName, Item: { pk: { S: `BENCH#${rawSite}#KEY#${orderId}` }, sk: { S: 'BENCH-IDEMPOTENCY' }, response: { S: order } }, ConditionExpression: 'attribute_not_exists(pk)' } },
    ];
    for (let attempt = 1; ; attempt++) {
      try {
        await dynamodb.send(new TransactWriteItemsCommand({ TransactItems: items }));
        return;
      } catch (error) {
        const conflict = error instanceof TransactionCanceledException && error.CancellationReasons?.some((r) => r.Code === 'TransactionConflict');
        if (!conflict || attempt >= 30) throw error;
        await backOff(attempt, 2);
      }
    }
  };

  const firstStarted = performance.now();
  await postOrder(COUNT + WARMUP);
  const firstPostMs = performance.now() - firstStarted;
  await runConcurrent(WARMUP, CONCURRENCY, () => transactWrite());
  await runConcurrent(WARMUP, CONCURRENCY, (i) => postOrder(COUNT + i));
  await cloud.streams.idle();
  await cloud.sns.idle();
  completions.length = 0;

  console.log(`${COUNT} operations each, ${CONCURRENCY} concurrent, after ${WARMUP} warm-up operations`);
  console.log(`order: ${benchOrder.lines.length} lines of the bench's own items; first POST (handler load) ${round(firstPostMs)} ms\n`);

  // Raw transactions before and after the HTTP phases: the JITs keep compiling through a run, so the later phases
  // gain on the earlier; the ratio is taken against the faster of the two raw phases.
  const rawBefore = await withCpuPerOperation(COUNT, () => runConcurrent(COUNT, CONCURRENCY, () => transactWrite()));

  // The request path alone: the stream mappings paused, so no event leaves during the phase (the relay, SNS and the
  // consumers would share these two cores; on AWS they run beside the API, not in its way). Then the backlog.
  cloud.streams.pause();
  // Keys of their own (the flowing phase takes 0 to COUNT - 1, the warm-up the next ones): a key used before would
  // be answered as a replay.
  const deferred = await withCpuPerOperation(COUNT, () => runConcurrent(COUNT, CONCURRENCY, (i) => postOrder(2 * COUNT + WARMUP + i)));
  completions.length = 0;
  const backlogStarted = performance.now();
  cloud.streams.resume();
  await cloud.streams.idle();
  await cloud.sns.idle();
  const backlogDrainMs = performance.now() - backlogStarted;

  const postStarted = performance.now();
  let eventsDrainMs = 0;
  // With the events flowing: this phase's CPU includes publishing the orders' events, part of what an order costs.
  const http = await withCpuPerOperation(COUNT, async () => {
    const result = await runConcurrent(COUNT, CONCURRENCY, postOrder);
    // Events leave through the table's stream after the responses: how long after the last order they are all out.
    const drainStarted = performance.now();
    await cloud.streams.idle();
    await cloud.sns.idle();
    eventsDrainMs = performance.now() - drainStarted;
    return result;
  });
  const httpPost = http.result;
  const rawAfter = await withCpuPerOperation(COUNT, () => runConcurrent(COUNT, CONCURRENCY, () => transactWrite()));
  const raw = rawAfter.result.opsPerSecond > rawBefore.result.opsPerSecond ? rawAfter : rawBefore;
  const rawTransact = raw.result;

  // Completions per 5-second window: the rate held over the run, not only its average.
  const windows: number[] = [];
  for (const at of completions) {
    const index = Math.floor((at - postStarted) / WINDOW_MS);
    windows[index] = (windows[index] ?? 0) + 1;
  }
  const fullWindows = windows.slice(0, Math.floor((completions.at(-1)! - postStarted) / WINDOW_MS)).map((n) => (n ?? 0) / (WINDOW_MS / 1000));

  const outboxLeft = await countOutbox(dynamodb, tableName);

  const label = `DynamoDB TransactWriteItems (${3 + benchOrder.lines.length} items)`;
  printTable(
    ['operation', 'ops/s', 'p50 ms', 'p99 ms', 'max ms', 'wall s'],
    (
      [
        [`${label}, first`, rawBefore.result],
        ['HTTP POST /orders, events deferred', deferred.result],
        ['HTTP POST /orders, events flowing', httpPost],
        [`${label}, again`, rawAfter.result],
      ] as Array<[string, LoadResult]>
    ).map(([name, r]) => [name, round(r.opsPerSecond, 0), round(r.p50), round(r.p99), round(r.max), round(r.wallMs / 1000, 2)]),
  );
  const requestPathRatio = round(deferred.result.opsPerSecond / rawTransact.opsPerSecond, 2);
  const ratio = round(httpPost.opsPerSecond / rawTransact.opsPerSecond, 2);
  const sustained = fullWindows.length > 0 ? { min: round(Math.min(...fullWindows), 1), max: round(Math.max(...fullWindows), 1) } : undefined;
  console.log(`\nHTTP orders/s ÷ raw TransactWriteItems/s (the faster raw phase; goal ≥ 0.5):`);
  console.log(`  the request path, events deferred:         ${requestPathRatio} (the backlog of ${COUNT} orders' events then left in ${(backlogDrainMs / 1000).toFixed(2)} s)`);
  console.log(`  events flowing on the same two cores:      ${ratio} (all out ${(eventsDrainMs / 1000).toFixed(2)} s after the last order)`);
  console.log(`load average at the end ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  if (sustained) console.log(`POST /orders with events flowing, per ${WINDOW_MS / 1000}-second window: ${sustained.min} to ${sustained.max} orders/s over ${fullWindows.length} windows`);
  printCpuSplit([
    ['raw transaction, first', rawBefore.cpu],
    ['HTTP order, events deferred', deferred.cpu],
    ['HTTP order + its events', http.cpu],
    ['raw transaction, again', rawAfter.cpu],
  ]);
  console.log(`outbox items left: ${outboxLeft}`);
  console.log('\nA POST /orders is 4 round trips: access-token revocation check (BatchGetItem), settings + menu items +');
  console.log('Idempotency-Key record (1 BatchGetItem), ticket counter (UpdateItem), one TransactWriteItems (order + a');
  console.log('ConditionCheck per menu item + the outbox item + the key record with the response). The event is published');
  console.log('by the stream relay after the response: the relay, SNS and the consumers are the rest of "+ its events".');

  printResult({
    bench: 'orders-throughput',
    count: COUNT,
    concurrency: CONCURRENCY,
    firstPostMs: round(firstPostMs),
    rawTransact: figures(rawTransact),
    rawTransactFirst: figures(rawBefore.result),
    rawTransactAgain: figures(rawAfter.result),
    httpPostEventsDeferred: figures(deferred.result),
    httpPost: figures(httpPost),
    requestPathToRaw: requestPathRatio,
    httpToRaw: ratio,
    sustained,
    backlogDrainMs: round(backlogDrainMs),
    eventsDrainMs: round(eventsDrainMs),
    cpu: { raw: cpuFigures(raw.cpu), httpEventsDeferred: cpuFigures(deferred.cpu), http: cpuFigures(http.cpu) },
    loadAverage: loadavg().map((v) => round(v, 2)),
    outboxLeft,
  });
  if (outboxLeft > 0) process.exitCode = 1;
});

/** A category and the bench's items on the demo site's menu, as its manager adds them; their ids in order. */
async function addBenchItems(apiUrl: string, managerToken: string, runId: string): Promise<string[]> {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${apiUrl}/sites/${DEMO_SITE_ID}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${managerToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  };
  const { categoryId } = await post('/menu/categories', { name: `Bench ${runId}`, position: 1000 });
  const itemIds: string[] = [];
  for (const item of BENCH_ITEMS) itemIds.push((await post('/menu/items', { categoryId, ...item })).itemId as string);
  return itemIds;
}

function figures(r: LoadResult) {
  return { opsPerSecond: round(r.opsPerSecond), p50Ms: round(r.p50, 2), p99Ms: round(r.p99, 2), maxMs: round(r.max, 2) };
}

function cpuFigures(cpu: PhaseCpu | undefined) {
  if (!cpu) return undefined;
  const rounded = (values: object) => Object.fromEntries(Object.entries(values).map(([name, value]: [string, number]) => [name, round(value, 2)]));
  return { msPerOperation: rounded(cpu.perOperation), busy: rounded(cpu.busy) };
}

/**
 * CPU ms per operation by process, and the single threads that cap a rate whatever the cores: what each phase
 * costs whatever the machine's load, and where it would queue on a quiet machine.
 */
function printCpuSplit(phases: Array<[string, PhaseCpu | undefined]>) {
  if (phases.some(([, cpu]) => !cpu)) return console.log('CPU per operation: not measured (needs /proc)');
  console.log('\nCPU ms per operation: DynamoDB Local (its SQLite thread, its JIT) + serverless-offline (its main thread) + bench process with the local cloud');
  for (const [label, phase] of phases) {
    const { perOperation: c, busy } = phase!;
    const percent = (fraction: number) => `${Math.round(fraction * 100)} %`;
    console.log(
      `  ${label.padEnd(28)} ${c.total.toFixed(1)} = ${c.dynamodbLocal.toFixed(1)} (${c.dynamodbSqlite.toFixed(1)}, JIT ${c.dynamodbJit.toFixed(1)}) + ` +
        `${c.offline.toFixed(1)} (${c.offlineMain.toFixed(1)}) + ${c.bench.toFixed(1)};  busy: SQLite thread ${percent(busy.dynamodbSqlite)}, offline main ${percent(busy.offlineMain)}`,
    );
  }
}

/** Every order's event must have left the outbox: publishing never failed here, so nothing should wait for the scheduled relay. */
async function countOutbox(dynamodb: DynamoDBClient, tableName: string): Promise<number> {
  let count = 0;
  let start: Record<string, never> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'sk = :outbox',
        ExpressionAttributeValues: { ':outbox': { S: 'OUTBOX' } },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start);
  return count;
}
