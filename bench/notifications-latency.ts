// Event published → notification pushed on the user's WebSocket and visible in their inbox, through the local
// stack: SNS Publish on the alerts topic → the notifications consumer → DynamoDB → PostToConnection. First 20
// events one at a time (the unloaded path), then a burst of 1,000 published as fast as SNS takes them. Beside the
// burst, in the same run (the same machine load): DynamoDB Local driven directly with each event's calls, as the
// consumer made them before (issue 12: receipt, directory, settings, inbox, connections, revocations, outcome) and
// as it makes them now, so the ratio of the two designs is measured apart from serverless-offline and the load.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import WebSocket from 'ws';
import { DEMO_SITE_ID } from '../dev/seed/demo-data';
import { signInAsDemo, startBenchCloud } from './support/cloud';
import { localClientConfig } from '../dev/client-config';
import { runBench, sleep, withTimeout } from './support/harness';
import { runConcurrent } from './support/load';
import { printResult, printTable, round, summarize, type LatencySummary } from './support/stats';

const SERIAL = 20;
const BURST = 1_000;
const PUBLISH_CONCURRENCY = 50;
const INBOX_POLL_MS = 100;
const SWEEP_EVERY = 20;
const FIRST_PAGE = 25;
const SWEEP_PAGE = 100;
const DRAIN_LIMIT_MS = 5 * 60_000;
// As many in flight as the local SNS delivers to one function at once (local-cloud/sns/sns-service.ts).
const RAW_CONCURRENCY = 8;
/**
 * This bench on main at 3bc3b15, before issue 12's change (2026-12-02, load ~10 from other work on the machine):
 * its end-to-end notifications/s. A reference only: the rate follows the machine's load; the raw rows beside it
 * come from the same run.
 */
const BEFORE_RATE_PER_S = 15;

interface Timing {
  sentAt: number;
  /** The event's occurredAt (epoch ms): notification ids start with it, so the inbox is in this order. */
  occurredAt: number;
  pushedAt?: number;
  visibleAt?: number;
}

const CLOCK_TICK_MS = 10; // USER_HZ = 100 on Linux

/**
 * CPU time (ms) used so far by this process and every process it started (serverless-offline, DynamoDB Local):
 * divided by the notifications, a cost per notification that the machine's load does not change the way it
 * changes a rate. Linux only (/proc); elsewhere undefined.
 */
function stackCpuMs(): number | undefined {
  try {
    const stats = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .flatMap((pid) => {
        try {
          const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
          return [{ pid: Number(pid), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) }];
        } catch {
          return []; // exited meanwhile
        }
      });
    const ours = new Set([process.pid]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const p of stats) {
        if (ours.has(p.pid) || !ours.has(p.ppid)) continue;
        ours.add(p.pid);
        grew = true;
      }
    }
    return stats.filter((p) => ours.has(p.pid)).reduce((sum, p) => sum + p.ticks * CLOCK_TICK_MS, 0);
  } catch {
    return undefined;
  }
}

runBench('Brigade bench: event → inbox and WebSocket push latency', 12 * 60_000, async (bench) => {
  const cloud = await startBenchCloud(bench);
  const apiUrl = cloud.env.BRIGADE_API_URL!;
  const runId = Date.now().toString(36);
  const sns = new SNSClient(localClientConfig(cloud.env, 'SNS'));
  bench.onCleanup(() => sns.destroy());

  // The seeded manager of the demo site: in the directory from the seed's users events.
  const { accessToken } = await signInAsDemo(cloud, 'manager');
  const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
  // In-app and realtime only: this measures the inbox and the push, not the SMS log.
  const settings = await fetch(`${apiUrl}/me/notification-settings`, { method: 'PUT', headers, body: JSON.stringify({}) });
  if (settings.status !== 200) throw new Error(`settings answered ${settings.status}`);

  const timings = new Map<string, Timing>();
  const socket = new WebSocket(cloud.env.BRIGADE_WEBSOCKET_URL!, { headers: { authorization: `Bearer ${accessToken}` } });
  await new Promise<void>((resolve, reject) => socket.once('open', () => resolve()).once('error', reject));
  bench.onCleanup(() => socket.close());
  socket.on('message', (data) => {
    const at = performance.now();
    const message = JSON.parse(data.toString()) as { type?: string; notification?: { eventId: string } };
    const timing = message.notification && timings.get(message.notification.eventId);
    if (timing && timing.pushedAt === undefined) timing.pushedAt = at;
  });

  // The inbox as an app polling it sees it: newest first (by event time). Every poll reads the first page, where
  // what was just written lands; every SWEEP_EVERY-th poll reads on until past the oldest event not yet seen, since
  // under a burst an older event can be written after newer ones (those are then seen up to 2 s late). Sweeping on
  // every poll made the bench's own reads (up to 20 pages of 100 items, 10 times a second) the heaviest load on
  // DynamoDB Local during a burst, slowing the consumer it measures.
  let polling = true;
  const poller = (async () => {
    for (let poll = 0; polling; poll++) {
      const pending = [...timings.values()].filter((t) => t.visibleAt === undefined);
      const oldestPending = Math.min(...pending.map((t) => t.occurredAt));
      const sweep = poll % SWEEP_EVERY === 0;
      const pages = sweep ? 20 : 1;
      let cursor: string | undefined;
      for (let page = 0; pending.length > 0 && page < pages; page++) {
        const res = await fetch(`${apiUrl}/me/notifications?limit=${sweep ? SWEEP_PAGE : FIRST_PAGE}${cursor ? `&cursor=${cursor}` : ''}`, { headers });
        const at = performance.now();
        const body = (await res.json()) as { notifications: Array<{ eventId: string; notificationId: string }>; nextCursor?: string };
        for (const n of body.notifications) {
          const timing = timings.get(n.eventId);
          if (timing && timing.visibleAt === undefined) timing.visibleAt = at;
        }
        const last = body.notifications.at(-1);
        if (!last || !body.nextCursor || parseInt(last.notificationId.slice(0, 9), 36) < oldestPending) break;
        cursor = body.nextCursor;
      }
      await sleep(INBOX_POLL_MS);
    }
  })();
  bench.onCleanup(async () => {
    polling = false;
    await poller;
  });

  const publish = async (phase: string, i: number) => {
    const id = `bench-${runId}-${phase}-${i}`;
    const occurredAt = Date.now();
    const envelope = {
      id,
      type: 'iot.device-online',
      source: 'iot',
      siteId: DEMO_SITE_ID,
      occurredAt: new Date(occurredAt).toISOString(),
      correlationId: id,
      // All the contract asks (functions/shared/contracts/iot.ts): notifications drops an alert that breaks it.
      data: {
        deviceId: `bench-sensor-${i}`,
        deviceName: `Bench sensor ${i}`,
        deviceType: 'fridge',
        severity: 'info',
        lastSeenAt: new Date(occurredAt - 300_000).toISOString(),
        backAt: new Date(occurredAt).toISOString(),
        silentForSeconds: 300,
      },
    };
    timings.set(id, { sentAt: performance.now(), occurredAt });
    await sns.send(
      new PublishCommand({
        TopicArn: `arn:aws:sns:${cloud.env.AWS_REGION}:000000000000:brigade-${cloud.env.BRIGADE_STAGE}-alerts`,
        Message: JSON.stringify(envelope),
        MessageAttributes: {
          type: { DataType: 'String', StringValue: envelope.type },
          siteId: { DataType: 'String', StringValue: DEMO_SITE_ID },
          source: { DataType: 'String', StringValue: 'iot' },
          severity: { DataType: 'String', StringValue: 'info' },
        },
      }),
    );
    return id;
  };

  const settle = async (ids: string[]) => {
    const done = () => ids.every((id) => timings.get(id)!.pushedAt !== undefined && timings.get(id)!.visibleAt !== undefined);
    await withTimeout(
      (async () => {
        while (!done()) await sleep(50);
      })(),
      DRAIN_LIMIT_MS,
      () => `${ids.filter((id) => timings.get(id)!.pushedAt === undefined).length} not pushed, ${ids.filter((id) => timings.get(id)!.visibleAt === undefined).length} not visible after ${DRAIN_LIMIT_MS / 1000} s`,
    );
  };
  const latencies = (ids: string[]) => ({
    pushed: summarize(ids.map((id) => timings.get(id)!.pushedAt! - timings.get(id)!.sentAt)),
    visible: summarize(ids.map((id) => timings.get(id)!.visibleAt! - timings.get(id)!.sentAt)),
  });

  // Warm-up: the consumer, the push path and the inbox route load their modules once.
  await settle([await publish('warmup', 0)]);

  const serialIds: string[] = [];
  for (let i = 0; i < SERIAL; i++) {
    const id = await publish('serial', i);
    serialIds.push(id);
    await settle([id]);
  }
  const serial = latencies(serialIds);

  const cpuBefore = stackCpuMs();
  const burstStarted = performance.now();
  const burstIds: string[] = [];
  const published = await runConcurrent(BURST, PUBLISH_CONCURRENCY, async (i) => {
    burstIds.push(await publish('burst', i));
  });
  await settle(burstIds);
  const drainedS = (performance.now() - burstStarted) / 1000;
  const cpuAfter = stackCpuMs();
  const cpuMsPerNotification = cpuBefore !== undefined && cpuAfter !== undefined ? (cpuAfter - cpuBefore) / BURST : undefined;
  const burst = latencies(burstIds);

  // The same 1,000 events' DynamoDB calls made directly, one event's calls in series, RAW_CONCURRENCY at a time.
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(cloud.env, 'DYNAMODB')));
  bench.onCleanup(() => dynamo.destroy());
  const table = `brigade-${cloud.env.BRIGADE_STAGE}-notifications`;
  const revocations = `brigade-${cloud.env.BRIGADE_STAGE}-revocations`;
  const userPk = `USER#${runId}-raw`;
  const perEvent = {
    before: [
      (i: number) => new PutCommand({ TableName: table, Item: { pk: `EVENT#raw#${runId}-${i}`, sk: 'RECEIPT' }, ConditionExpression: 'attribute_not_exists(pk)' }),
      () => new GetCommand({ TableName: table, Key: { pk: `SITE#${DEMO_SITE_ID}`, sk: 'SITE' }, ConsistentRead: true }),
      () => new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :m)', ExpressionAttributeValues: { ':pk': `SITE#${DEMO_SITE_ID}`, ':m': 'MEMBER#' } }),
      () => new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'OWNERS' } }),
    ],
    both: [
      () => new BatchGetCommand({ RequestItems: { [table]: { Keys: [{ pk: userPk, sk: 'SETTINGS' }], ConsistentRead: true } } }),
      (i: number) => new PutCommand({ TableName: table, Item: { pk: userPk, sk: `NOTIF#raw-${i}`, deliveries: { realtime: { status: 'pending' } } }, ConditionExpression: 'attribute_not_exists(pk)' }),
      () => new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)', ExpressionAttributeValues: { ':pk': userPk, ':c': 'CONN#' } }),
      () => new BatchGetCommand({ RequestItems: { [revocations]: { Keys: [{ pk: userPk }, { pk: `SESSION#${runId}` }], ConsistentRead: true } } }),
      (i: number) =>
        new UpdateCommand({
          TableName: table,
          Key: { pk: userPk, sk: `NOTIF#raw-${i}` },
          UpdateExpression: 'SET deliveries.realtime = :d',
          ExpressionAttributeValues: { ':d': { status: 'sent' } },
        }),
    ],
  };
  const rawRate = async (design: 'before' | 'after') => {
    const calls = design === 'before' ? [...perEvent.before, ...perEvent.both] : perEvent.both;
    const offset = design === 'before' ? 0 : BURST;
    const run = await runConcurrent(BURST, RAW_CONCURRENCY, async (i) => {
      for (const call of calls) await dynamo.send(call(offset + i) as never);
    });
    return { callsPerEvent: calls.length, eventsPerSecond: run.opsPerSecond };
  };
  const rawBefore = await rawRate('before');
  const rawAfter = await rawRate('after');
  const endToEnd = BURST / drainedS;

  const row = (label: string, s: LatencySummary) => [label, s.count, round(s.p50), round(s.p99), round(s.max)];
  console.log(`site ${DEMO_SITE_ID}, one manager with one open WebSocket; inbox polled every ${INBOX_POLL_MS} ms (${FIRST_PAGE} newest; all pages every ${SWEEP_EVERY}th poll)\n`);
  printTable(['path', 'events', 'p50 ms', 'p99 ms', 'max ms'], [
    row('serial: publish → WebSocket push', serial.pushed),
    row('serial: publish → visible in inbox', serial.visible),
    row(`burst of ${BURST}: publish → WebSocket push`, burst.pushed),
    row(`burst of ${BURST}: publish → visible in inbox`, burst.visible),
  ]);
  console.log(`\nburst published in ${round(published.wallMs / 1000, 2)} s (${round(published.opsPerSecond, 0)} publishes/s, ${PUBLISH_CONCURRENCY} concurrent);`);
  console.log(`all ${BURST} pushed and visible ${round(drainedS, 2)} s after the first publish (${round(endToEnd, 0)} notifications/s end to end)`);
  if (cpuMsPerNotification !== undefined) {
    console.log(`CPU of the whole stack (this process, serverless-offline, DynamoDB Local) during the burst: ${round(cpuMsPerNotification, 1)} ms per notification`);
  }
  console.log('Each event now: SNS delivery → directory (cached per container, 5 s) → settings (BatchGetItem) → notification, the');
  console.log('event\'s claim (PutItem) → connections (Query) + every recipient\'s sessions\' revocations (one BatchGetItem)');
  console.log('+ PostToConnection → all delivery outcomes (one UpdateItem). Before: + a receipt (PutItem) + site, members, owners.\n');
  printTable(['same run, same load', 'DynamoDB calls / event', 'events/s'], [
    ['DynamoDB Local direct, calls as before', rawBefore.callsPerEvent, round(rawBefore.eventsPerSecond, 0)],
    ['DynamoDB Local direct, calls as now', rawAfter.callsPerEvent, round(rawAfter.eventsPerSecond, 0)],
    ['end to end through the local stack, now', rawAfter.callsPerEvent, round(endToEnd, 0)],
  ]);
  console.log(`\nfewer calls alone: ×${round(rawAfter.eventsPerSecond / rawBefore.eventsPerSecond, 2)} on DynamoDB Local; end to end now ${round(endToEnd, 0)}/s`);
  console.log(`vs ${BEFORE_RATE_PER_S}/s before this change (×${round(endToEnd / BEFORE_RATE_PER_S, 1)}); load average now ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const figures = (s: LatencySummary) => ({ p50Ms: round(s.p50), p99Ms: round(s.p99), maxMs: round(s.max) });
  printResult({
    bench: 'notifications-latency',
    serial: { count: SERIAL, pushed: figures(serial.pushed), visible: figures(serial.visible) },
    burst: {
      count: BURST,
      publishConcurrency: PUBLISH_CONCURRENCY,
      publishPerSecond: round(published.opsPerSecond, 0),
      drainedS: round(drainedS, 2),
      perSecond: round(endToEnd, 1),
      ...(cpuMsPerNotification !== undefined && { cpuMsPerNotification: round(cpuMsPerNotification, 1) }),
      pushed: figures(burst.pushed),
      visible: figures(burst.visible),
    },
    rawDynamoDb: { concurrency: RAW_CONCURRENCY, before: rawBefore, after: rawAfter },
    loadAverage: loadavg(),
  });
});
