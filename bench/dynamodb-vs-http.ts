// What the HTTP path costs on top of DynamoDB, on a real domain's routes: raw PutItem/GetItem against DynamoDB Local,
// then the same number of POST menu category / GET menu item requests (orders domain) through serverless-offline
// and the handlers, at the same concurrency. Each side writes the same record shape and reads the same items.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DEMO_SITE_ID } from '../dev/seed/demo-data';
import { signInAsDemo, startBenchCloud } from './support/cloud';
import { localClientConfig } from '../dev/client-config';
import { runBench } from './support/harness';
import { runConcurrent, type LoadResult } from './support/load';
import { printResult, printTable, round } from './support/stats';

const CONCURRENCY = 16;
const COUNT = 3_000;
const WARMUP = 50;

runBench('Brigade bench: DynamoDB Local direct vs through the HTTP handlers', 10 * 60_000, async (bench) => {
  const cloud = await startBenchCloud(bench);
  const tableName = `brigade-${cloud.env.BRIGADE_STAGE}-orders`;
  const apiUrl = cloud.env.BRIGADE_API_URL!;
  const runId = Date.now().toString(36);

  const dynamodb = new DynamoDBClient(localClientConfig(cloud.env, 'DYNAMODB'));
  bench.onCleanup(() => dynamodb.destroy());

  // Creating categories takes a manager of the site: the seeded manager of the demo site signs in once. Its access
  // token lives 15 minutes, longer than this benchmark.
  const { accessToken, ms: signInMs } = await signInAsDemo(cloud, 'manager');
  const authorization = `Bearer ${accessToken}`;
  const menuPath = `${apiUrl}/sites/${DEMO_SITE_ID}/menu`;

  // Reads go to the seeded menu items, the same ones on both sides, in turn.
  const menu = (await (await fetch(menuPath, { headers: { authorization } })).json()) as { items?: Array<{ itemId: string }> };
  const itemIds = (menu.items ?? []).map((item) => item.itemId);
  if (itemIds.length === 0) throw new Error('the demo site has no menu items: is the seed in place?');
  const itemAt = (i: number) => itemIds[i % itemIds.length]!;

  // Raw writes are category records (the key layout of functions/orders/store.ts) under a site of their own, with
  // the condition the store's create uses, so both sides write the same thing.
  const rawSite = `bench-raw-${runId}`;
  const putItem = async (i: number) => {
    const categoryId = randomUUID();
    const now = new Date().toISOString();
    await dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: `SITE#${rawSite}#MENU` },
          sk: { S: `CATEGORY#${categoryId}` },
          siteId: { S: rawSite },
          categoryId: { S: categoryId },
          name: { S: `Bench ${i}` },
          position: { N: '0' },
          active: { BOOL: true },
          createdAt: { S: now },
          updatedAt: { S: now },
          version: { N: '1' },
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  };
  const getItem = async (i: number) => {
    const { Item } = await dynamodb.send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: `SITE#${DEMO_SITE_ID}#MENU` }, sk: { S: `ITEM#${itemAt(i)}` } } }),
    );
    if (!Item) throw new Error(`menu item ${itemAt(i)} not found`);
  };

  const postCategory = async (i: number) => {
    const response = await fetch(`${menuPath}/categories`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Bench ${runId} ${i}` }),
    });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`POST category answered ${response.status}: ${text}`);
  };
  const getMenuItem = async (i: number) => {
    const response = await fetch(`${menuPath}/items/${itemAt(i)}`, { headers: { authorization } });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`GET menu item answered ${response.status}: ${text}`);
  };

  // Warm-up runs first: connections open, handlers loaded by serverless-offline, JIT warm. The first HTTP call
  // of each route is timed on its own because it includes loading the bundled handler.
  const firstCall = async (operation: (i: number) => Promise<void>, index: number) => {
    const started = performance.now();
    await operation(index);
    return performance.now() - started;
  };
  const firstPostMs = await firstCall(postCategory, COUNT);
  const firstGetMs = await firstCall(getMenuItem, COUNT);
  await runConcurrent(WARMUP, CONCURRENCY, (i) => putItem(COUNT + i));
  await runConcurrent(WARMUP, CONCURRENCY, (i) => getItem(COUNT + i));
  await runConcurrent(WARMUP - 1, CONCURRENCY, (i) => postCategory(COUNT + 1 + i).then(() => getMenuItem(COUNT + 1 + i)));

  console.log(`${COUNT} operations each, ${CONCURRENCY} concurrent, after ${WARMUP} warm-up operations`);
  console.log(`sign-in of the manager (POST /auth/login, first call): ${round(signInMs)} ms`);
  console.log(`first call of a route (handler load): POST ${round(firstPostMs)} ms, GET ${round(firstGetMs)} ms\n`);

  const rawPut = await runConcurrent(COUNT, CONCURRENCY, putItem);
  const rawGet = await runConcurrent(COUNT, CONCURRENCY, getItem);
  const httpPost = await runConcurrent(COUNT, CONCURRENCY, postCategory);
  const httpGet = await runConcurrent(COUNT, CONCURRENCY, getMenuItem);

  const rows: Array<[string, LoadResult]> = [
    ['DynamoDB PutItem', rawPut],
    ['DynamoDB GetItem', rawGet],
    ['HTTP POST menu category', httpPost],
    ['HTTP GET menu item', httpGet],
  ];
  printTable(
    ['operation', 'ops/s', 'p50 ms', 'p99 ms', 'max ms', 'wall s'],
    rows.map(([label, r]) => [
      label,
      round(r.opsPerSecond, 0),
      round(r.p50),
      round(r.p99),
      round(r.max),
      round(r.wallMs / 1000, 2),
    ]),
  );
  const ratio = (raw: LoadResult, http: LoadResult) => round(raw.opsPerSecond / http.opsPerSecond, 2);
  const ratios = { write: ratio(rawPut, httpPost), read: ratio(rawGet, httpGet) };
  console.log(`\nraw/HTTP throughput: write ${ratios.write}x (PutItem vs POST), read ${ratios.read}x (GetItem vs GET)`);
  console.log('\nA POST menu category is 1 conditional PutItem, a GET menu item 1 GetItem: what the raw side does. Each');
  console.log('request also has its access token verified (ES256) and checked against the revocations table (1 BatchGetItem),');
  console.log('and passes serverless-offline routing and the middy handler kit.');

  printResult({
    bench: 'dynamodb-vs-http',
    count: COUNT,
    concurrency: CONCURRENCY,
    signInMs: round(signInMs),
    firstCallMs: { post: round(firstPostMs), get: round(firstGetMs) },
    rawPut: figures(rawPut),
    rawGet: figures(rawGet),
    httpPost: figures(httpPost),
    httpGet: figures(httpGet),
    rawToHttp: ratios,
  });
});

function figures(r: LoadResult) {
  return { opsPerSecond: round(r.opsPerSecond), p50Ms: round(r.p50, 2), p99Ms: round(r.p99, 2), maxMs: round(r.max, 2) };
}
