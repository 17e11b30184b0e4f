// What the HTTP path costs on top of DynamoDB: raw PutItem/GetItem against DynamoDB Local, then the same
// number of POST/GET note requests through serverless-offline and the handlers, at the same concurrency.
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
const TEXT = 'Walk-in door left ajar after the delivery; checked at 14:05.';

runBench('Brigade bench: DynamoDB Local direct vs through the HTTP handlers', 10 * 60_000, async (bench) => {
  const cloud = await startBenchCloud(bench);
  const tableName = `brigade-${cloud.env.BRIGADE_STAGE}-demo`;
  const apiUrl = cloud.env.BRIGADE_API_URL!;
  const runId = Date.now().toString(36);

  const dynamodb = new DynamoDBClient(localClientConfig(cloud.env, 'DYNAMODB'));
  bench.onCleanup(() => dynamodb.destroy());

  // Raw items shaped like a note record, so both sides move the same data.
  const rawSite = `bench-raw-${runId}`;
  const rawIds = Array.from({ length: COUNT + WARMUP }, () => randomUUID());
  const rawKey = (noteId: string) => ({ pk: { S: `SITE#${rawSite}#NOTE#${noteId}` }, sk: { S: 'NOTE' } });
  const putItem = async (i: number) => {
    const noteId = rawIds[i]!;
    await dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          ...rawKey(noteId),
          siteId: { S: rawSite },
          noteId: { S: noteId },
          text: { S: TEXT },
          createdAt: { S: new Date().toISOString() },
          eventDeliveries: { N: '0' },
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  };
  const getItem = async (i: number) => {
    const { Item } = await dynamodb.send(new GetItemCommand({ TableName: tableName, Key: rawKey(rawIds[i]!) }));
    if (!Item) throw new Error(`raw item ${rawIds[i]} not found`);
  };

  // The notes routes need a member of the site: the seeded staff member of the demo site signs in once. Its
  // access token lives 15 minutes, longer than this benchmark.
  const { accessToken, ms: signInMs } = await signInAsDemo(cloud, 'staff');
  const authorization = `Bearer ${accessToken}`;

  const noteIds: string[] = [];
  const postNote = async (i: number) => {
    const response = await fetch(`${apiUrl}/demo/sites/${DEMO_SITE_ID}/notes`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json', 'idempotency-key': `bench-${runId}-${i}` },
      body: JSON.stringify({ text: TEXT }),
    });
    const body = (await response.json()) as { noteId?: string };
    if (response.status !== 201 || !body.noteId) throw new Error(`POST note answered ${response.status}: ${JSON.stringify(body)}`);
    noteIds[i] = body.noteId;
  };
  const getNote = async (i: number) => {
    const response = await fetch(`${apiUrl}/demo/sites/${DEMO_SITE_ID}/notes/${noteIds[i]}`, { headers: { authorization } });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`GET note answered ${response.status}: ${text}`);
  };

  // Warm-up runs first: connections open, handlers loaded by serverless-offline, JIT warm. The first HTTP call
  // of each route is timed on its own because it includes loading the bundled handler.
  const firstCall = async (operation: (i: number) => Promise<void>, index: number) => {
    const started = performance.now();
    await operation(index);
    return performance.now() - started;
  };
  const firstPostMs = await firstCall(postNote, COUNT);
  const firstGetMs = await firstCall(getNote, COUNT);
  await runConcurrent(WARMUP, CONCURRENCY, (i) => putItem(COUNT + i));
  await runConcurrent(WARMUP, CONCURRENCY, (i) => getItem(COUNT + i));
  await runConcurrent(WARMUP - 1, CONCURRENCY, (i) => postNote(COUNT + 1 + i).then(() => getNote(COUNT + 1 + i)));
  await cloud.sns.idle();

  console.log(`${COUNT} operations each, ${CONCURRENCY} concurrent, after ${WARMUP} warm-up operations`);
  console.log(`sign-in of the staff member (POST /auth/login, first call): ${round(signInMs)} ms`);
  console.log(`first call of a route (handler load): POST ${round(firstPostMs)} ms, GET ${round(firstGetMs)} ms\n`);

  const rawPut = await runConcurrent(COUNT, CONCURRENCY, putItem);
  const rawGet = await runConcurrent(COUNT, CONCURRENCY, getItem);
  const httpPost = await runConcurrent(COUNT, CONCURRENCY, postNote);
  // POST publishes demo.note-created; its SNS fan-out runs after the response. Drain it before the GET phase.
  const drainStarted = performance.now();
  await cloud.sns.idle();
  const snsDrainMs = performance.now() - drainStarted;
  const httpGet = await runConcurrent(COUNT, CONCURRENCY, getNote);

  const rows: Array<[string, LoadResult]> = [
    ['DynamoDB PutItem', rawPut],
    ['DynamoDB GetItem', rawGet],
    ['HTTP POST note', httpPost],
    ['HTTP GET note', httpGet],
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
  console.log(`SNS fan-out left over after the POST phase drained in ${(snsDrainMs / 1000).toFixed(2)} s`);
  console.log('\nA POST note is 3 DynamoDB writes (idempotency lock, note, idempotency result) and an SNS publish;');
  console.log('its fan-out then invokes recordNoteEvent (2 more writes). A GET note is 1 GetItem. Each request also');
  console.log('has its access token verified (ES256) and checked against the revocations table (1 BatchGetItem),');
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
    snsDrainMs: round(snsDrainMs),
  });
});

function figures(r: LoadResult) {
  return { opsPerSecond: round(r.opsPerSecond), p50Ms: round(r.p50, 2), p99Ms: round(r.p99, 2), maxMs: round(r.max, 2) };
}
