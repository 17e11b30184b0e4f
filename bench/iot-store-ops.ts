// What telemetry ingest's DynamoDB operations cost on DynamoDB Local, timed alone: per 100 items, two requests in
// flight, on items shaped like the iot table's (a reading, a 15-minute bucket, a device with its live state and the
// `silence` index), each as a ratio to BatchWriteItem of the same readings measured in the same run. The JVM warms
// up over the first rounds, so the last round is the one reported. This is how the ingest design was chosen: which
// writes a batch can drop, and what each one it keeps costs (docs/iot.md, "Where the time goes").
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchExecuteStatementCommand, BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '../local-cloud/dynamodb-local';
import { runBench } from './support/harness';
import { printResult, printTable, round } from './support/stats';

const DEVICES = 2_000;
const ROUNDS = 3;
const IN_FLIGHT = 2;
const TABLE = 'bench-iot-store-ops';
/** A bucket's readings when a unit reports once a minute. */
const READINGS_PER_BUCKET = 15;
/** Away from the local cloud's default ports, so it can run beside `npm start`. */
const PORT = Number(process.env.IOT_STORE_OPS_PORT ?? 18_765);

runBench('Brigade bench: telemetry ingest operations on DynamoDB Local', 10 * 60_000, async (bench) => {
  const ddb = await startDynamoDbLocal({ port: PORT });
  bench.onCleanup(() => ddb.stop());
  const doc = DynamoDBDocumentClient.from(ddb.client, { marshallOptions: { removeUndefinedValues: true } });
  await ddb.client.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'silenceShard', AttributeType: 'S' },
        { AttributeName: 'silentAt', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'silence',
          KeySchema: [
            { AttributeName: 'silenceShard', KeyType: 'HASH' },
            { AttributeName: 'silentAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    }),
  );

  const deviceKey = (i: number) => ({ pk: `SITE#s${i % 10}`, sk: `DEVICE#d${i}` });
  const seriesPk = (i: number) => `SITE#s${i % 10}#DEVICE#d${i}`;
  const live = (at: number) => ({
    lastSeenAt: at,
    lastReading: { t: at, temperatureC: 3.5, doorOpen: false, batteryPct: 90 },
    batteryPct: 90,
    monitor: { lastT: at, inRangeSince: at - 60_000 },
  });
  const device = (i: number) => ({
    ...deviceKey(i),
    siteId: `s${i % 10}`,
    deviceId: `d${i}`,
    name: 'Walk-in fridge',
    type: 'fridge',
    limits: { maxC: 5 },
    gracePeriodMinutes: 15,
    reportingIntervalSeconds: 60,
    status: 'active',
    version: 1,
    settingsVersion: 1,
    live: live(Date.now()),
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  });
  const reading = (i: number, t: number) => ({
    pk: seriesPk(i),
    sk: `R#${new Date(t).toISOString()}`,
    t,
    temperatureC: 3.4,
    doorOpen: false,
    batteryPct: 90,
    receivedAt: t,
    expiresAt: Math.floor(t / 1000) + 7 * 86_400,
  });
  const bucketAdd = (i: number, t: number) => ({
    TableName: TABLE,
    Key: { pk: seriesPk(i), sk: `A#${new Date(Math.floor(t / 900_000) * 900_000).toISOString()}` },
    UpdateExpression: 'SET #start = :start, expiresAt = :expiresAt ADD #count :one, sumC :sum, doorOpenCount :zero, outOfRangeCount :zero',
    ExpressionAttributeNames: { '#start': 'start', '#count': 'count' },
    ExpressionAttributeValues: { ':start': Math.floor(t / 900_000) * 900_000, ':expiresAt': 1, ':one': 1, ':sum': 3.4, ':zero': 0 },
  });
  const deviceUpdate = (i: number, version: number) => ({
    TableName: TABLE,
    Key: deviceKey(i),
    UpdateExpression: 'SET live = :live, version = :next, silenceShard = :shard, silentAt = :silentAt ADD acceptedReadings :one',
    ConditionExpression: 'version = :expected',
    ExpressionAttributeValues: { ':live': live(Date.now()), ':next': version + 1, ':expected': version, ':shard': `SILENCE#${i % 4}`, ':silentAt': Date.now() + 180_000, ':one': 1 },
  });

  for (let i = 0; i < DEVICES; i += 25) {
    await doc.send(new BatchWriteCommand({ RequestItems: { [TABLE]: Array.from({ length: 25 }, (_, k) => ({ PutRequest: { Item: device(i + k) } })) } }));
  }
  // A sealed bucket's worth of readings per device, two days back (the timed writes go one day back).
  const sealedBucket = Math.floor((Date.now() - 48 * 3_600_000) / 900_000) * 900_000;
  const bucketReadings = Array.from({ length: DEVICES }, (_, i) => i).flatMap((i) => Array.from({ length: READINGS_PER_BUCKET }, (_, k) => reading(i, sealedBucket + k * 60_000)));
  for (let i = 0; i < bucketReadings.length; i += 25) {
    await doc.send(new BatchWriteCommand({ RequestItems: { [TABLE]: bucketReadings.slice(i, i + 25).map((item) => ({ PutRequest: { Item: item } })) } }));
  }
  const hundreds = Array.from({ length: DEVICES / 100 }, (_, h) => Array.from({ length: 100 }, (_, k) => h * 100 + k));
  // Every operation writes readings at its own instant, so none finds another's items.
  let clock = Date.now() - 24 * 3_600_000;
  let version = 1;

  const operations: Array<{ name: string; run: (devices: number[], t: number, version: number) => Promise<unknown>; bumpsVersion?: boolean }> = [
    {
      name: 'BatchWriteItem, 100 readings (4 × 25)',
      run: (devices, t) =>
        Promise.all([0, 1, 2, 3].map((q) => doc.send(new BatchWriteCommand({ RequestItems: { [TABLE]: devices.slice(q * 25, q * 25 + 25).map((i) => ({ PutRequest: { Item: reading(i, t) } })) } })))),
    },
    {
      name: 'readings: 1 transaction of 100 conditional puts (now)',
      run: (devices, t) => doc.send(new TransactWriteCommand({ TransactItems: devices.map((i) => ({ Put: { TableName: TABLE, Item: reading(i, t), ConditionExpression: 'attribute_not_exists(pk)' } })) })),
    },
    {
      name: 'readings + bucket ADDs: 2 transactions of 50 + 50 (until 2026-12-04)',
      run: (devices, t) =>
        Promise.all(
          [0, 1].map((half) =>
            doc.send(
              new TransactWriteCommand({
                TransactItems: devices.slice(half * 50, half * 50 + 50).flatMap((i) => [{ Put: { TableName: TABLE, Item: reading(i, t), ConditionExpression: 'attribute_not_exists(pk)' } }, { Update: bucketAdd(i, t) }]),
              }),
            ),
          ),
        ),
    },
    { name: 'bucket ADDs alone: 1 transaction of 100', run: (devices, t) => doc.send(new TransactWriteCommand({ TransactItems: devices.map((i) => ({ Update: bucketAdd(i, t) })) })) },
    { name: 'devices: 1 consistent BatchGetItem of 100', run: (devices) => doc.send(new BatchGetCommand({ RequestItems: { [TABLE]: { Keys: devices.map(deviceKey), ConsistentRead: true } } })) },
    {
      name: 'device live states: 1 transaction of 100 updates',
      run: (devices, _t, v) => doc.send(new TransactWriteCommand({ TransactItems: devices.map((i) => ({ Update: deviceUpdate(i, v) })) })),
      bumpsVersion: true,
    },
    {
      name: 'device live states: 100 single UpdateItems, 16 in flight',
      run: async (devices, _t, v) => {
        for (let q = 0; q < 100; q += 16) await Promise.all(devices.slice(q, q + 16).map((i) => doc.send(new UpdateCommand(deviceUpdate(i, v)))));
      },
      bumpsVersion: true,
    },
    {
      name: 'device live states: 4 BatchExecuteStatements of 25 UPDATEs',
      run: (devices, _t, v) =>
        Promise.all(
          [0, 1, 2, 3].map((q) =>
            doc.send(
              new BatchExecuteStatementCommand({
                Statements: devices.slice(q * 25, q * 25 + 25).map((i) => ({
                  Statement: `UPDATE "${TABLE}" SET live = ? SET version = ? SET silenceShard = ? SET silentAt = ? SET acceptedReadings = acceptedReadings + ? WHERE pk = ? AND sk = ? AND version = ?`,
                  Parameters: [live(Date.now()), v + 1, `SILENCE#${i % 4}`, Date.now() + 180_000, 1, deviceKey(i).pk, deviceKey(i).sk, v],
                })),
              }),
            ),
          ),
        ),
      bumpsVersion: true,
    },
    {
      name: 'readings: 4 BatchExecuteStatements of 25 INSERTs',
      run: (devices, t) =>
        Promise.all(
          [0, 1, 2, 3].map((q) =>
            doc.send(
              new BatchExecuteStatementCommand({
                Statements: devices.slice(q * 25, q * 25 + 25).map((i) => {
                  const item = reading(i, t);
                  return { Statement: `INSERT INTO "${TABLE}" VALUE {'pk': ?, 'sk': ?, 't': ?, 'temperatureC': ?, 'doorOpen': ?, 'batteryPct': ?, 'receivedAt': ?, 'expiresAt': ?}`, Parameters: [item.pk, item.sk, item.t, item.temperatureC, item.doorOpen, item.batteryPct, item.receivedAt, item.expiresAt] };
                }),
              }),
            ),
          ),
        ),
    },
    {
      name: 'device versions: 1 transaction of 100 ConditionChecks',
      run: (devices, _t, v) =>
        doc.send(new TransactWriteCommand({ TransactItems: devices.map((i) => ({ ConditionCheck: { TableName: TABLE, Key: deviceKey(i), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': v } } })) })),
    },
    {
      name: `bucket seals: 100 consistent queries of ${READINGS_PER_BUCKET} readings`,
      run: async (devices) => {
        for (let q = 0; q < 100; q += 16) {
          await Promise.all(
            devices.slice(q, q + 16).map((i) =>
              doc.send(
                new QueryCommand({
                  TableName: TABLE,
                  KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
                  ExpressionAttributeValues: { ':pk': seriesPk(i), ':from': `R#${new Date(sealedBucket).toISOString()}`, ':to': `R#${new Date(sealedBucket + 899_999).toISOString()}~` },
                  ProjectionExpression: '#t, temperatureC, doorOpen',
                  ExpressionAttributeNames: { '#t': 't' },
                  ConsistentRead: true,
                }),
              ),
            ),
          );
        }
      },
    },
  ];

  const results: Array<{ name: string; msPer100: number }> = [];
  for (let roundNo = 1; roundNo <= ROUNDS; roundNo++) {
    results.length = 0;
    for (const operation of operations) {
      const t = (clock += 60_000);
      const v = version;
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (next < hundreds.length) await operation.run(hundreds[next++]!, t, v);
        }),
      );
      if (operation.bumpsVersion) version++;
      results.push({ name: operation.name, msPer100: (performance.now() - started) / hundreds.length });
    }
    console.log(`round ${roundNo} of ${ROUNDS}${roundNo < ROUNDS ? ' (warm-up)' : ''}: ${results.map((r) => round(r.msPer100)).join(', ')} ms per 100`);
  }

  const baseline = results[0]!.msPer100;
  console.log(`\nlast round, ${DEVICES} items per operation, ${IN_FLIGHT} requests in flight:`);
  printTable(
    ['operation', 'ms per 100', 'items/s', '× BatchWriteItem time'],
    results.map((r) => [r.name, round(r.msPer100), Math.round(100_000 / r.msPer100), round(r.msPer100 / baseline, 2)]),
  );
  printResult({ bench: 'iot-store-ops', items: DEVICES, inFlight: IN_FLIGHT, last: Object.fromEntries(results.map((r) => [r.name, round(r.msPer100, 2)])) });
});
