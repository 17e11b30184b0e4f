// Sustained telemetry ingest: devices × messages/s at QoS 1 through broker → telemetry rule → ingestTelemetry
// (validate, dedupe, store, aggregates, device state) → DynamoDB, with every stored reading counted, and the raw
// DynamoDB Local PutItem rate measured in the same run for scale.
import { DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { connectAsync, type MqttClient } from 'mqtt';
import { registerUnits } from '../dev/seed/iot';
import { seriesPk } from '../functions/iot/table';
import { startBenchCloud } from './support/cloud';
import { localClientConfig } from '../dev/client-config';
import { runBench, sleep } from './support/harness';
import { runConcurrent } from './support/load';
import { printResult, printTable, round, summarize } from './support/stats';

/** Each phase: this many devices (one MQTT connection each), each publishing this many readings a second. */
const PHASES = [
  { devices: 25, perDevice: 1 },
  { devices: 50, perDevice: 1 },
  { devices: 100, perDevice: 1 },
  { devices: 50, perDevice: 5 },
  { devices: 200, perDevice: 1 },
];
const PHASE_SECONDS = 15;
const WARMUP_MESSAGES = 100;
/** A phase is sustained when everything is stored and the backlog drains within this after the last PUBACK. */
const SUSTAINED_DRAIN_S = 2;
const RAW_PUTS = 3_000;
const RAW_CONCURRENCY = 16;
const STABLE_FOR_MS = 2_000;
const SETTLE_LIMIT_MS = 60_000;

interface PhaseResult {
  phase: string;
  devices: number;
  perDevice: number;
  targetRate: number;
  sent: number;
  stored: number;
  lost: number;
  publishRate: number;
  endToEndRate: number;
  ackP50Ms: number;
  ackP99Ms: number;
  drainS: number;
  sustained: boolean;
  ruleFailed: number;
}

runBench('Brigade bench: sustained IoT ingest (MQTT → topic rule → ingest → DynamoDB)', 12 * 60_000, async (bench) => {
  const cloud = await startBenchCloud(bench);
  const stage = cloud.env.BRIGADE_STAGE!;
  const table = `brigade-${stage}-iot`;
  const ruleName = `brigade_${stage}_telemetry`;
  const runId = Date.now().toString(36);
  const client = new DynamoDBClient(localClientConfig(cloud.env, 'DYNAMODB'));
  const db = DynamoDBDocumentClient.from(client);
  bench.onCleanup(() => client.destroy());
  const connections: MqttClient[] = [];
  bench.onCleanup(() => Promise.all(connections.map((c) => c.endAsync(true))));

  // Raw DynamoDB Local write rate on the same table, for the ratio.
  const raw = await runConcurrent(RAW_PUTS, RAW_CONCURRENCY, async (i) => {
    await client.send(
      new PutItemCommand({
        TableName: table,
        Item: { pk: { S: `BENCH#${runId}#${i % 50}` }, sk: { S: `R#${i}` }, temperatureC: { N: '3.5' }, t: { N: String(Date.now()) } },
      }),
    );
  });
  console.log(`raw PutItem: ${round(raw.opsPerSecond)} ops/s (p50 ${round(raw.p50, 1)} ms, p99 ${round(raw.p99, 1)} ms) at ${RAW_CONCURRENCY} concurrent\n`);

  const countStored = async (siteId: string, deviceIds: string[]): Promise<number> => {
    let total = 0;
    for (const deviceId of deviceIds) {
      let start: QueryCommand['input']['ExclusiveStartKey'];
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: table,
            Select: 'COUNT',
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': { S: seriesPk(siteId, deviceId) }, ':prefix': { S: 'R#' } },
            ExclusiveStartKey: start,
          }),
        );
        total += page.Count ?? 0;
        start = page.LastEvaluatedKey;
      } while (start);
    }
    return total;
  };

  async function runPhase(name: string, devices: number, perDevice: number, seconds: number): Promise<PhaseResult> {
    const siteId = `bench-${runId}-${name}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
    const ids = Array.from({ length: devices }, (_, d) => `b${runId}-${name}-d${d}`.replace(/[^A-Za-z0-9_-]/g, '-'));
    await registerUnits(db, table, siteId, ids.map((deviceId) => ({ deviceId, type: 'fridge' as const, name: deviceId, location: 'bench' })));
    const clients = await Promise.all(ids.map((clientId) => connectAsync(cloud.env.BRIGADE_MQTT_URL!, { clientId, clean: true, reconnectPeriod: 0 })));
    connections.push(...clients);
    const before = cloud.rules.stats()[ruleName]!;

    const total = devices * perDevice * seconds;
    const latencies: number[] = [];
    const unacked = new Set<Promise<void>>();
    let lastAckAt = 0;
    const started = performance.now();
    const deviceClock = Date.now();
    // Message i is device i % devices's reading number i / devices: every device publishes at perDevice/s. Its
    // device time advances by its interval, so no two readings of a device share a timestamp (they would be
    // duplicates) even when the publisher catches up after falling behind.
    for (let i = 0; i < total; i++) {
      const wait = started + (i * 1000) / (devices * perDevice) - performance.now();
      if (wait >= 1) await sleep(wait);
      const device = i % devices;
      const seq = Math.floor(i / devices);
      const sentAt = performance.now();
      const payload = JSON.stringify({ t: deviceClock + Math.round((seq * 1000) / perDevice), temperatureC: round(3 + (seq % 10) / 10), seq });
      const publish: Promise<void> = clients[device]!.publishAsync(`brigade/${siteId}/devices/${ids[device]}/telemetry`, payload, { qos: 1 })
        .then(() => {
          lastAckAt = performance.now();
          latencies.push(lastAckAt - sentAt);
        })
        .finally(() => unacked.delete(publish));
      unacked.add(publish);
    }
    await Promise.all(unacked);

    // aedes hands a message to the rule engine before it acks, so once the rules are idle everything was
    // written; the count is re-read until it holds still.
    await cloud.rules.idle();
    let stored = await countStored(siteId, ids);
    let storedAt = performance.now();
    let unchangedSince = storedAt;
    const deadline = storedAt + SETTLE_LIMIT_MS;
    while (stored < total && performance.now() < deadline && performance.now() - unchangedSince < STABLE_FOR_MS) {
      await sleep(250);
      await cloud.rules.idle();
      const now = await countStored(siteId, ids);
      if (now !== stored) {
        stored = now;
        storedAt = performance.now();
        unchangedSince = storedAt;
      }
    }
    const after = cloud.rules.stats()[ruleName]!;
    await Promise.all(clients.map((c) => c.endAsync()));
    const ack = summarize(latencies);
    const drainS = round(Math.max(0, storedAt - lastAckAt) / 1000, 2);
    return {
      phase: name,
      devices,
      perDevice,
      targetRate: devices * perDevice,
      sent: total,
      stored,
      lost: total - stored,
      publishRate: round((total / (lastAckAt - started)) * 1000),
      endToEndRate: round((stored / (storedAt - started)) * 1000),
      ackP50Ms: round(ack.p50, 2),
      ackP99Ms: round(ack.p99, 2),
      drainS,
      sustained: stored === total && drainS <= SUSTAINED_DRAIN_S,
      ruleFailed: after.failed - before.failed,
    };
  }

  console.log(`phases of ${PHASE_SECONDS} s; every message one reading at QoS 1; one MQTT connection per device`);
  console.log(`sustained = nothing lost and the backlog drained within ${SUSTAINED_DRAIN_S} s of the last PUBACK\n`);
  await runPhase('warmup', 20, 1, Math.ceil(WARMUP_MESSAGES / 20));
  const results: PhaseResult[] = [];
  for (const [index, phase] of PHASES.entries()) {
    const result = await runPhase(`p${index}`, phase.devices, phase.perDevice, PHASE_SECONDS);
    results.push(result);
    console.log(
      `  ${phase.devices} devices × ${phase.perDevice}/s: sent ${result.sent}, stored ${result.stored}, end-to-end ${result.endToEndRate}/s, drain ${result.drainS} s`,
    );
  }

  console.log('');
  printTable(
    ['devices × msg/s', 'target/s', 'sent', 'stored', 'lost', 'publish/s', 'end-to-end/s', 'ack p50 ms', 'ack p99 ms', 'drain s', 'rule failed', 'sustained'],
    results.map((r) => [
      `${r.devices} × ${r.perDevice}`,
      r.targetRate,
      r.sent,
      r.stored,
      r.lost,
      r.publishRate,
      r.endToEndRate,
      r.ackP50Ms,
      r.ackP99Ms,
      r.drainS,
      r.ruleFailed,
      r.sustained ? 'yes' : 'no',
    ]),
  );
  const best = results.filter((r) => r.sustained).sort((a, b) => b.targetRate - a.targetRate)[0];
  const ratio = best ? round(best.endToEndRate / raw.opsPerSecond, 3) : 0;
  console.log(`\nraw DynamoDB Local PutItem: ${round(raw.opsPerSecond)} ops/s`);
  console.log(
    best
      ? `highest sustained ingest: ${best.devices} devices × ${best.perDevice} msg/s = ${best.endToEndRate} readings/s, ${ratio} of the raw PutItem rate`
      : 'no phase was sustained',
  );
  console.log('ingest per message: device read, one transaction (reading + its bucket counts), bucket read, state update; more when out of order');

  const lost = results.reduce((sum, r) => sum + r.lost, 0);
  if (lost > 0) {
    const alarm = `!!! LOST ${lost} READINGS !!!`;
    console.log(`\n${alarm}`);
    console.error(alarm);
    process.exitCode = 1;
  }
  printResult({
    bench: 'iot-ingest',
    rawPutsPerSecond: round(raw.opsPerSecond),
    lost,
    sustained: best ? { devices: best.devices, perDevice: best.perDevice, readingsPerSecond: best.endToEndRate, ratioToRawPut: ratio } : null,
    phases: results,
  });
});
