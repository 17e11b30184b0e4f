// How fast telemetry flows MQTT → topic rule → ingestTelemetry → DynamoDB, and that none is lost: devices
// publish at QoS 1 at fixed target rates and then as fast as the broker acks; every stored reading is counted.
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { connectAsync, type MqttClient } from 'mqtt';
import { startBenchCloud } from './support/cloud';
import { runBench, sleep } from './support/harness';
import { runConcurrent } from './support/load';
import { printResult, printTable, round, summarize } from './support/stats';

const DEVICES = 10;
const MESSAGES_PER_PHASE = 5_000;
/** Loads ingestTelemetry and opens the invoker's connections, so the first phase is not charged for it. */
const WARMUP_MESSAGES = 200;
/** Target publish rates in messages per second; `max` keeps a fixed window of unacked messages per device. */
const PHASES: Array<{ name: string; rate?: number }> = [{ name: '200/s', rate: 200 }, { name: '500/s', rate: 500 }, { name: 'max' }];
const MAX_MODE_WINDOW_PER_DEVICE = 10;
/** Paced mode stops adding messages while this many wait for an ack, so a stalled broker cannot grow memory. */
const PACED_MAX_UNACKED = 2_000;
/** After the rules go idle, how long the stored count must stay unchanged before it is final. */
const STABLE_FOR_MS = 2_000;
const SETTLE_LIMIT_MS = 30_000;

interface RuleCounters {
  matched: number;
  notMatched: number;
  succeeded: number;
  failed: number;
  errorActions: number;
}

interface PhaseResult {
  phase: string;
  targetRate: number | null;
  sent: number;
  stored: number;
  lost: number;
  publishRate: number;
  endToEndRate: number;
  ackP50Ms: number;
  ackP99Ms: number;
  drainAfterLastAckS: number;
  rule: RuleCounters;
}

runBench('Brigade bench: MQTT → IoT topic rule → Lambda → DynamoDB throughput', 10 * 60_000, async (bench) => {
  const cloud = await startBenchCloud(bench);
  const tableName = `brigade-${cloud.env.BRIGADE_STAGE}-demo`;
  const ruleName = `brigade_${cloud.env.BRIGADE_STAGE}_demo_telemetry`;
  const runId = Date.now().toString(36);

  const dynamodb = new DynamoDBClient({
    endpoint: cloud.env.AWS_ENDPOINT_URL_DYNAMODB,
    region: cloud.env.AWS_REGION,
    credentials: { accessKeyId: cloud.env.AWS_ACCESS_KEY_ID!, secretAccessKey: cloud.env.AWS_SECRET_ACCESS_KEY! },
  });
  bench.onCleanup(() => dynamodb.destroy());

  // One connection per device, as real fridges connect.
  const clients: MqttClient[] = [];
  bench.onCleanup(() => Promise.all(clients.map((client) => client.endAsync(true))));
  for (let d = 0; d < DEVICES; d++) {
    const options = { clientId: `bench-${runId}-d${d}`, clean: true, reconnectPeriod: 0, connectTimeout: 5_000 };
    clients.push(await connectAsync(cloud.env.BRIGADE_MQTT_URL!, options));
  }

  const ruleCounters = (): RuleCounters => {
    const stats = cloud.rules.stats()[ruleName];
    if (!stats) throw new Error(`rule ${ruleName} is not running`);
    return stats;
  };

  const countStored = async (siteId: string): Promise<number> => {
    let total = 0;
    for (let d = 0; d < DEVICES; d++) {
      let startKey: QueryCommand['input']['ExclusiveStartKey'];
      do {
        const page = await dynamodb.send(
          new QueryCommand({
            TableName: tableName,
            Select: 'COUNT',
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': { S: `SITE#${siteId}#DEVICE#d${d}` }, ':prefix': { S: 'READING#' } },
            ExclusiveStartKey: startKey,
          }),
        );
        total += page.Count ?? 0;
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    return total;
  };

  async function runPhase(phase: { name: string; rate?: number }, siteId: string, count: number): Promise<PhaseResult> {
    const before = ruleCounters();
    const ackLatencies: number[] = [];
    let firstPublishAt = Number.NaN;
    let lastAckAt = 0;

    // Message i goes to device i % DEVICES, so each device's seq (and its DynamoDB sort key) is unique.
    const publishOne = async (i: number) => {
      const device = i % DEVICES;
      const payload = JSON.stringify({ temperatureC: round(2 + (i % 40) / 10), seq: Math.floor(i / DEVICES) + 1, t: Date.now() });
      const started = performance.now();
      if (Number.isNaN(firstPublishAt)) firstPublishAt = started;
      await clients[device]!.publishAsync(`brigade/${siteId}/devices/d${device}/telemetry`, payload, { qos: 1 });
      lastAckAt = performance.now();
      ackLatencies.push(lastAckAt - started);
    };

    if (phase.rate === undefined) {
      await runConcurrent(count, DEVICES * MAX_MODE_WINDOW_PER_DEVICE, publishOne);
    } else {
      const started = performance.now();
      const unacked = new Set<Promise<void>>();
      for (let i = 0; i < count; i++) {
        // Sleep to each message's due time; when behind schedule, catch up so the average rate holds.
        const wait = started + (i * 1000) / phase.rate - performance.now();
        if (wait >= 1) await sleep(wait);
        if (unacked.size >= PACED_MAX_UNACKED) await Promise.race(unacked);
        const publish: Promise<void> = publishOne(i).finally(() => unacked.delete(publish));
        unacked.add(publish);
      }
      await Promise.all(unacked);
    }

    // Every acked message was already handed to the rule engine (aedes emits before it acks), so once the
    // rules are idle everything is written; the count is then re-read until it holds still.
    await cloud.rules.idle();
    let storedAt = performance.now();
    let stored = await countStored(siteId);
    const settleDeadline = storedAt + SETTLE_LIMIT_MS;
    let unchangedSince = performance.now();
    while (stored < count && performance.now() < settleDeadline && performance.now() - unchangedSince < STABLE_FOR_MS) {
      await sleep(250);
      await cloud.rules.idle();
      const now = await countStored(siteId);
      if (now !== stored) {
        stored = now;
        storedAt = performance.now();
        unchangedSince = storedAt;
      }
    }

    const after = ruleCounters();
    const ack = summarize(ackLatencies);
    return {
      phase: phase.name,
      targetRate: phase.rate ?? null,
      sent: count,
      stored,
      lost: count - stored,
      publishRate: round((count / (lastAckAt - firstPublishAt)) * 1000),
      endToEndRate: round((stored / (storedAt - firstPublishAt)) * 1000),
      ackP50Ms: round(ack.p50, 2),
      ackP99Ms: round(ack.p99, 2),
      drainAfterLastAckS: round((storedAt - lastAckAt) / 1000, 2),
      rule: {
        matched: after.matched - before.matched,
        notMatched: after.notMatched - before.notMatched,
        succeeded: after.succeeded - before.succeeded,
        failed: after.failed - before.failed,
        errorActions: after.errorActions - before.errorActions,
      },
    };
  }

  console.log(`${MESSAGES_PER_PHASE} messages per phase over ${DEVICES} devices (one MQTT connection each), QoS 1`);
  console.log(`max phase: ${MAX_MODE_WINDOW_PER_DEVICE} unacked messages per device; ${WARMUP_MESSAGES} warm-up messages first\n`);
  const warmup = await runPhase({ name: 'warm-up' }, `bench-mqtt-${runId}-warmup`, WARMUP_MESSAGES);
  const results: PhaseResult[] = [];
  for (const [index, phase] of PHASES.entries()) {
    const result = await runPhase(phase, `bench-mqtt-${runId}-p${index}`, MESSAGES_PER_PHASE);
    results.push(result);
    console.log(
      `  phase ${result.phase.padEnd(5)} sent ${result.sent}, stored ${result.stored}, ` +
        `publish ${result.publishRate}/s, end-to-end ${result.endToEndRate}/s`,
    );
  }

  const all = [warmup, ...results];
  console.log('');
  printTable(
    ['phase', 'sent', 'stored', 'lost', 'publish/s', 'end-to-end/s', 'ack p50 ms', 'ack p99 ms', 'drain s'],
    all.map((r) => [r.phase, r.sent, r.stored, r.lost, r.publishRate, r.endToEndRate, r.ackP50Ms, r.ackP99Ms, r.drainAfterLastAckS]),
  );
  console.log('\nrule stats per phase');
  printTable(
    ['phase', 'matched', 'notMatched', 'succeeded', 'failed', 'errorActions'],
    all.map((r) => [r.phase, r.rule.matched, r.rule.notMatched, r.rule.succeeded, r.rule.failed, r.rule.errorActions]),
  );
  console.log('\npublish/s: sent / (last PUBACK - first publish). end-to-end/s: stored / (last stored - first publish).');
  console.log('drain: time from the last PUBACK until the last reading was stored (the rule backlog).');

  const lost = all.reduce((sum, r) => sum + r.lost, 0);
  for (const r of all.filter((phase) => phase.lost !== 0)) {
    const alarm = `!!! LOST ${r.lost} OF ${r.sent} MESSAGES IN PHASE ${r.phase} !!!`;
    console.log(`\n${alarm}`);
    console.error(alarm);
    process.exitCode = 1;
  }
  printResult({ bench: 'mqtt-rule-throughput', devices: DEVICES, lost, warmup, phases: results });
});
