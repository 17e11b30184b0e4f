// Event published → notification pushed on the user's WebSocket and visible in their inbox, through the local
// stack: SNS Publish on the alerts topic → the notifications consumer → DynamoDB → PostToConnection. First 20
// events one at a time (the unloaded path), then 5,000 unmeasured ones in rounds of 500 (the JITs' warm-up,
// WARMUP_TOTAL), then two bursts of 1,000 published as fast as SNS takes them: the first with every consumer of
// the alerts running, the second with the archive's SQS mapping paused (the notifications' path alone; then the
// archive's backlog is timed). Beside the bursts, in the same run (the same machine load): DynamoDB Local driven
// directly with each event's calls, as the consumer made them before (issue 12: receipt, directory, settings,
// inbox, connections, revocations, outcome) and as it makes them now, so the ratio of the two designs is measured
// apart from serverless-offline and the load.
// Run without BRIGADE_NOTIFICATIONS_SIDE, it measures the baseline revision (BRIGADE_BASELINE_REF, default 3bc3b15:
// before issue 12) and the working tree one after the other on the same machine, each with this same script in a
// process of its own (`git archive` of the baseline into a temporary folder; the repository is left alone), and
// prints the two side by side. BRIGADE_BASELINE_REF=none measures the working tree only.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchExecuteStatementCommand, BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { DEMO_SITE_ID } from '../dev/seed/demo-data';
import { signInAsDemo, startBenchCloud } from './support/cloud';
import { localClientConfig } from '../dev/client-config';
import { PROJECT_ROOT, runBench, sleep, TSX_BIN, withTimeout, type Bench } from './support/harness';
import { runConcurrent } from './support/load';
import { printResult, printTable, RESULT_PREFIX, round, summarize, type LatencySummary } from './support/stats';

const SERIAL = 20;
const BURST = 1_000;
/**
 * Alerts published before the measured burst and not counted, in rounds of WARMUP_ROUND: the JITs (DynamoDB
 * Local's JVM above all, and V8 in every Node process) compile their hot paths over thousands of calls, a cost no
 * deployed stage has. Measured on 2026-12-05 (the working tree alone), the stack's CPU per notification of the
 * burst after 300 warm-up alerts was 8.8-9.7 ms, after 800 7.1, after 1,500 5.7-6.6, after 3,000 4.7-5.2, after
 * 5,000 4.1; the baseline's after 3,000: 19.3 ms (24.5-39.9 after 300). The CPU of each round is printed, so a
 * run shows how near it got to steady state. BRIGADE_NOTIFICATIONS_WARMUP sets the total (0: none).
 */
const WARMUP_TOTAL = Number(process.env.BRIGADE_NOTIFICATIONS_WARMUP ?? 5_000);
const WARMUP_ROUND = 500;
const PUBLISH_CONCURRENCY = 50;
const INBOX_POLL_MS = 100;
const SWEEP_EVERY = 20;
const FIRST_PAGE = 25;
const SWEEP_PAGE = 100;
const DRAIN_LIMIT_MS = 5 * 60_000;
// As many in flight as the local SNS delivers to one function at once (local-cloud/sns/sns-service.ts).
const RAW_CONCURRENCY = 8;
// notifyAlert's SQS event source (functions/notifications/functions.yml) and the local mapping's pollers.
const ALERT_BATCH = 25;
const ALERT_POLLERS = 5;
const DEFAULT_BASELINE_REF = '3bc3b15';
// The other consumer of every alert (functions/archive/functions.yml); the baseline revision has none.
const ARCHIVE_FUNCTION = 'archiveEvents';
const SIDE_VARIABLE = 'BRIGADE_NOTIFICATIONS_SIDE';

interface Timing {
  sentAt: number;
  /** The event's occurredAt (epoch ms): notification ids start with it, so the inbox is in this order. */
  occurredAt: number;
  pushedAt?: number;
  visibleAt?: number;
}

const CLOCK_TICK_MS = 10; // USER_HZ = 100 on Linux

/** Where the stack's CPU goes: DynamoDB Local's JVM, serverless-offline (the handlers), and this process (the local cloud's emulators and the bench's own clients). */
interface StackCpu {
  dynamodbLocal: number;
  offline: number;
  localCloud: number;
}

/**
 * CPU time (ms) used so far by this process and every process it started, by part of the stack: divided by the
 * notifications, a cost per notification that the machine's load does not change the way it changes a rate.
 * Linux only (/proc); elsewhere undefined.
 */
function stackCpuMs(): StackCpu | undefined {
  try {
    const stats = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .flatMap((pid) => {
        try {
          const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
          const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
          return [{ pid: Number(pid), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), command }];
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
    const cpu: StackCpu = { dynamodbLocal: 0, offline: 0, localCloud: 0 };
    for (const p of stats.filter((s) => ours.has(s.pid))) {
      const part = p.command.includes('DynamoDBLocal') ? 'dynamodbLocal' : p.command.includes('\0offline\0') ? 'offline' : 'localCloud';
      cpu[part] += p.ticks * CLOCK_TICK_MS;
    }
    return cpu;
  } catch {
    return undefined;
  }
}

const totalCpu = (cpu: StackCpu) => cpu.dynamodbLocal + cpu.offline + cpu.localCloud;

const side = process.env[SIDE_VARIABLE];
const baselineRef = process.env.BRIGADE_BASELINE_REF?.trim() || DEFAULT_BASELINE_REF;
if (side || baselineRef === 'none') runBench('Brigade bench: event → inbox and WebSocket push latency', 12 * 60_000, measure);
else runBench('Brigade bench: event → inbox and WebSocket push latency, baseline vs working tree', 30 * 60_000, compare);

async function measure(bench: Bench): Promise<void> {
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
    // One notification per message, or (since a user's notifications of one batch go together) several.
    const message = JSON.parse(data.toString()) as { type?: string; notification?: { eventId: string }; notifications?: Array<{ eventId: string }> };
    for (const notification of message.notifications ?? (message.notification ? [message.notification] : [])) {
      const timing = timings.get(notification.eventId);
      if (timing && timing.pushedAt === undefined) timing.pushedAt = at;
    }
  });

  // The inbox as an app polling it sees it: newest first (by event time). Every poll reads the first page, where
  // what was just written lands. Under a burst an older event can be written after newer ones, below the first page:
  // a poll reads on (pages of SWEEP_PAGE) down to the oldest event already pushed and not yet seen (pushed means
  // written: the inbox write comes first), and every SWEEP_EVERY-th poll down to the oldest not yet seen at all.
  // Sweeping on every poll made the bench's own reads (up to 20 pages of 100 items, 10 times a second) the heaviest
  // load on DynamoDB Local during a burst, slowing the consumer it measures; sweeping only every 2 s made an event
  // written out of order wait up to 2 s to be seen, so at bursts faster than ~50/s the sweep, not the consumer, set
  // the end-to-end rate.
  let polling = true;
  const poller = (async () => {
    for (let poll = 0; polling; poll++) {
      const pending = [...timings.values()].filter((t) => t.visibleAt === undefined);
      const pushed = pending.filter((t) => t.pushedAt !== undefined);
      const sweep = poll % SWEEP_EVERY === 0;
      const readDownTo = Math.min(...(sweep ? pending : pushed).map((t) => t.occurredAt));
      let cursor: string | undefined;
      for (let page = 0; pending.length > 0 && page < 20; page++) {
        const limit = page === 0 && !sweep ? FIRST_PAGE : SWEEP_PAGE;
        const res = await fetch(`${apiUrl}/me/notifications?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { headers });
        const at = performance.now();
        const body = (await res.json()) as { notifications: Array<{ eventId: string; notificationId: string }>; nextCursor?: string };
        for (const n of body.notifications) {
          const timing = timings.get(n.eventId);
          if (timing && timing.visibleAt === undefined) timing.visibleAt = at;
        }
        const last = body.notifications.at(-1);
        if (!last || !body.nextCursor || parseInt(last.notificationId.slice(0, 9), 36) < readDownTo) break;
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

  // The stack's CPU per notification of each warm-up round (ms): falls as the JITs compile, flat at steady state.
  const warmupCpuMs: number[] = [];
  for (let warmed = 0; warmed < WARMUP_TOTAL; warmed += WARMUP_ROUND) {
    const size = Math.min(WARMUP_ROUND, WARMUP_TOTAL - warmed);
    const warmupIds: string[] = [];
    const before = stackCpuMs();
    await runConcurrent(size, PUBLISH_CONCURRENCY, async (i) => {
      warmupIds.push(await publish('warmup-burst', warmed + i));
    });
    await settle(warmupIds);
    const after = stackCpuMs();
    if (before && after) warmupCpuMs.push(round((totalCpu(after) - totalCpu(before)) / size, 1));
  }

  /** A burst of BURST published as fast as SNS takes them, and the stack's CPU per notification while it drained. */
  const runBurst = async (phase: string) => {
    const cpuBefore = stackCpuMs();
    const started = performance.now();
    const ids: string[] = [];
    const published = await runConcurrent(BURST, PUBLISH_CONCURRENCY, async (i) => {
      ids.push(await publish(phase, i));
    });
    await settle(ids);
    const drainedS = (performance.now() - started) / 1000;
    const cpuAfter = stackCpuMs();
    const cpuByPart =
      cpuBefore && cpuAfter
        ? {
            dynamodbLocal: (cpuAfter.dynamodbLocal - cpuBefore.dynamodbLocal) / BURST,
            offline: (cpuAfter.offline - cpuBefore.offline) / BURST,
            localCloud: (cpuAfter.localCloud - cpuBefore.localCloud) / BURST,
          }
        : undefined;
    // The inbox write comes before the push (notify.ts), so the last push is when the last notification was
    // delivered; being seen in the inbox after it adds the poll's lag (INBOX_POLL_MS and the pages read).
    const lastPushS = (Math.max(...ids.map((id) => timings.get(id)!.pushedAt!)) - started) / 1000;
    return { published, drainedS, perSecond: BURST / drainedS, lastPushS, cpuByPart, cpuMs: cpuByPart && totalCpu(cpuByPart), ...latencies(ids) };
  };

  // Every consumer of the alerts flowing, as before: on these two cores, the archive's (since 2026-12-04: it keeps
  // every event of both topics) competes with the notifications' for the same CPU.
  const burst = await runBurst('burst');
  // The notifications' path alone: the archive's event source mapping paused, so its copy of each alert waits in
  // its queue, then its backlog is timed. On AWS each function has its own compute; the baseline has no archive,
  // so there this second burst runs as the first. Second, so that the JITs' last gains (the baseline's curve still
  // falls at 5,000) favour the baseline here. (The baseline's local cloud has no SQS mappings, hence the `?.`.)
  const sources = cloud.sqsEventSources as typeof cloud.sqsEventSources | undefined;
  await sources?.idle();
  const archiveFunction = `brigade-${cloud.env.BRIGADE_STAGE}-${ARCHIVE_FUNCTION}`; // as deployed: the stage's prefix
  const archivePaused = sources?.pause?.(archiveFunction) ?? false;
  let alone: Awaited<ReturnType<typeof runBurst>> & { archiveBacklogS?: number };
  try {
    alone = await runBurst('burst-alone');
  } finally {
    if (archivePaused) sources!.resume(archiveFunction);
  }
  if (archivePaused) {
    const resumedAt = performance.now();
    await sources!.idle();
    alone.archiveBacklogS = (performance.now() - resumedAt) / 1000;
  }

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
  // As the consumer makes them now: per batch of ALERT_BATCH from the alerts queue, one settings read, one
  // connections Query and one revocations read, then the batch's claims in one BatchExecuteStatement, each already
  // recording its push; no outcome write (one user, every push taken).
  const rawBatched = async () => {
    const [settingsRead, , connectionsRead, revocationsRead] = perEvent.both;
    const offset = 2 * BURST;
    const run = await runConcurrent(BURST / ALERT_BATCH, ALERT_POLLERS, async (b) => {
      const events = Array.from({ length: ALERT_BATCH }, (_, i) => offset + b * ALERT_BATCH + i);
      await Promise.all([dynamo.send(settingsRead!(0) as never), dynamo.send(connectionsRead!(0) as never)]);
      await dynamo.send(revocationsRead!(0) as never);
      // Written out here, not taken from functions/shared: the baseline revision measured with this script has no such helper.
      const claims = events.map((i) => ({ Statement: `INSERT INTO "${table}" VALUE {'pk': ?, 'sk': ?, 'deliveries': ?}`, Parameters: [userPk, `NOTIF#raw-${i}`, { realtime: { status: 'sent' } }] }));
      await dynamo.send(new BatchExecuteStatementCommand({ Statements: claims }));
    });
    return { callsPerEvent: round(4 / ALERT_BATCH, 2), eventsPerSecond: run.opsPerSecond * ALERT_BATCH };
  };
  const rawBefore = await rawRate('before');
  const rawAfter = await rawRate('after');
  const rawNow = await rawBatched();
  const endToEnd = burst.perSecond;

  type Burst = Awaited<ReturnType<typeof runBurst>>;
  const row = (label: string, s: LatencySummary) => [label, s.count, round(s.p50), round(s.p99), round(s.max)];
  console.log(`site ${DEMO_SITE_ID}, one manager with one open WebSocket; inbox polled every ${INBOX_POLL_MS} ms (${FIRST_PAGE} newest, on down to the oldest pushed one not yet seen; all pages every ${SWEEP_EVERY}th poll)\n`);
  printTable(['path', 'events', 'p50 ms', 'p99 ms', 'max ms'], [
    row('serial: publish → WebSocket push', serial.pushed),
    row('serial: publish → visible in inbox', serial.visible),
    row(`burst of ${BURST}: publish → WebSocket push`, burst.pushed),
    row(`burst of ${BURST}: publish → visible in inbox`, burst.visible),
    row(`second burst${archivePaused ? ', archive paused' : ''}: → WebSocket push`, alone.pushed),
    row(`second burst${archivePaused ? ', archive paused' : ''}: → visible in inbox`, alone.visible),
  ]);
  if (warmupCpuMs.length > 0) console.log(`\nwarm-up: ${WARMUP_TOTAL} alerts in rounds of ${WARMUP_ROUND}, the stack's CPU per notification of each: ${warmupCpuMs.join(', ')} ms`);
  const describe = (label: string, b: Burst) => {
    console.log(`${label}: published in ${round(b.published.wallMs / 1000, 2)} s (${round(b.published.opsPerSecond, 0)} publishes/s, ${PUBLISH_CONCURRENCY} concurrent);`);
    console.log(`  all ${BURST} pushed and visible ${round(b.drainedS, 2)} s after the first publish (${round(b.perSecond, 0)} notifications/s end to end), ${round(b.drainedS - b.published.wallMs / 1000, 2)} s after the last`);
    console.log(`  the last one pushed ${round(b.lastPushS, 2)} s after the first publish (${round(BURST / b.lastPushS, 0)} notifications/s to the last push)`);
    if (b.cpuByPart) {
      console.log(`  CPU of the whole stack: ${round(b.cpuMs!, 1)} ms per notification (DynamoDB Local ${round(b.cpuByPart.dynamodbLocal, 1)}, serverless-offline ${round(b.cpuByPart.offline, 1)}, local cloud and bench clients ${round(b.cpuByPart.localCloud, 1)})`);
    }
  };
  describe(`burst of ${BURST}${WARMUP_TOTAL > 0 ? ' after the warm-up' : ', no warm-up'}, every consumer of the alerts running`, burst);
  if (archivePaused) {
    describe(`second burst of ${BURST}, the archive's mapping paused (the notifications' path alone)`, alone);
    console.log(`  the archive's backlog of ${BURST} written ${round(alone.archiveBacklogS!, 2)} s after its resume`);
  } else describe(`second burst of ${BURST} (no archive in this revision: as the first)`, alone);
  console.log('Each event now: SNS → the alerts queue → batches of up to 25 per invocation: directory (cached per container, 5 s),');
  console.log('settings (one BatchGetItem per batch) + connections (one Query per user per batch) → revocations (one BatchGetItem');
  console.log('per batch) → the batch\'s claims, each recording its push (one BatchExecuteStatement of INSERTs) → one PostToConnection');
  console.log('per connection for a user\'s whole batch; no outcome write unless SMS or email went out or no connection took a push.');
  console.log('Before that (2026-12-03 to 12-05), the push was written after it: one more BatchExecuteStatement of UPDATEs per batch, and one');
  console.log('PostToConnection per notification. Before that, in batches: each claim a PutItem and each outcome an UpdateItem.');
  console.log('Issue 12\'s first step: one SNS delivery per event, 5 calls (settings, claim, connections, revocations, outcomes).');
  console.log('Before issue 12: 9 calls (+ a receipt PutItem + site, members, owners).\n');
  printTable(['same run, same load', 'DynamoDB calls / event', 'events/s'], [
    ['DynamoDB Local direct, calls as before', rawBefore.callsPerEvent, round(rawBefore.eventsPerSecond, 0)],
    ['DynamoDB Local direct, one event per delivery', rawAfter.callsPerEvent, round(rawAfter.eventsPerSecond, 0)],
    [`DynamoDB Local direct, batches of ${ALERT_BATCH} (now)`, rawNow.callsPerEvent, round(rawNow.eventsPerSecond, 0)],
    ['end to end through the local stack, this revision', '', round(endToEnd, 0)],
  ]);
  console.log(`\nfewer calls alone, on DynamoDB Local: ×${round(rawAfter.eventsPerSecond / rawBefore.eventsPerSecond, 2)} one event per delivery, ×${round(rawNow.eventsPerSecond / rawBefore.eventsPerSecond, 2)} in batches; end to end ${round(endToEnd, 0)}/s`);
  console.log(`load average now ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const figures = (s: LatencySummary) => ({ p50Ms: round(s.p50), p99Ms: round(s.p99), maxMs: round(s.max) });
  const burstResult = (b: Burst) => ({
    count: BURST,
    publishConcurrency: PUBLISH_CONCURRENCY,
    publishPerSecond: round(b.published.opsPerSecond, 0),
    drainedS: round(b.drainedS, 2),
    // How long the consumer needed once the last alert was out: near 0, the publisher sets the rate, not it.
    drainedAfterLastPublishS: round(b.drainedS - b.published.wallMs / 1000, 2),
    perSecond: round(b.perSecond, 1),
    lastPushS: round(b.lastPushS, 2),
    perSecondToLastPush: round(BURST / b.lastPushS, 1),
    ...(b.cpuByPart && {
      cpuMsPerNotification: round(b.cpuMs!, 1),
      cpuMsPerNotificationByPart: Object.fromEntries(Object.entries(b.cpuByPart).map(([part, ms]) => [part, round(ms, 1)])),
    }),
    pushed: figures(b.pushed),
    visible: figures(b.visible),
  });
  printResult({
    bench: 'notifications-latency',
    serial: { count: SERIAL, pushed: figures(serial.pushed), visible: figures(serial.visible) },
    warmup: { total: WARMUP_TOTAL, round: WARMUP_ROUND, cpuMsPerNotification: warmupCpuMs },
    burst: burstResult(burst),
    // The notifications' path alone: the archive paused where there is one (archivePaused).
    burstAlone: { ...burstResult(alone), archivePaused, ...(alone.archiveBacklogS !== undefined && { archiveBacklogS: round(alone.archiveBacklogS, 2) }) },
    rawDynamoDb: { concurrency: RAW_CONCURRENCY, before: rawBefore, oneEventPerDelivery: rawAfter, batched: { batch: ALERT_BATCH, concurrency: ALERT_POLLERS, ...rawNow } },
    loadAverage: loadavg(),
  });
}

type BurstResult = { perSecond: number; perSecondToLastPush?: number; drainedS: number; publishPerSecond: number; drainedAfterLastPublishS?: number; cpuMsPerNotification?: number; cpuMsPerNotificationByPart?: Record<string, number>; pushed: { p50Ms: number; p99Ms: number }; visible: { p50Ms: number; p99Ms: number } };

interface SideResult {
  burst: BurstResult;
  /** The second burst: the archive paused where there is one. Absent from runs before 2026-12-05 13:30. */
  burstAlone?: BurstResult & { archivePaused: boolean; archiveBacklogS?: number };
  serial: { pushed: { p50Ms: number } };
  warmup?: { cpuMsPerNotification: number[] };
  loadAverage: number[];
}

/** The baseline revision, then the working tree, each measured by this script in its own process on the same ports. */
async function compare(bench: Bench): Promise<void> {
  const git = (...args: string[]) => execFileSync('git', ['-C', PROJECT_ROOT, ...args], { encoding: 'utf8' }).trim();
  const baselineCommit = git('rev-parse', '--short', `${baselineRef}^{commit}`);
  const baselineTree = mkdtempSync(join(tmpdir(), 'brigade-bench-notifications-'));
  bench.onCleanup(() => rmSync(baselineTree, { recursive: true, force: true }));
  execFileSync('sh', ['-c', `git -C "${PROJECT_ROOT}" archive ${baselineCommit} | tar -x -C "${baselineTree}"`]);
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(baselineTree, 'node_modules'));
  // This script measures both, so both sides are measured the same way.
  copyFileSync(__filename, join(baselineTree, 'bench', 'notifications-latency.ts'));
  console.log(`baseline: ${baselineRef} = ${baselineCommit}; current: the working tree\n`);

  const results: Array<[string, SideResult]> = [];
  for (const [label, root] of [
    ['baseline', baselineTree],
    ['current', PROJECT_ROOT],
  ] as const) {
    console.log(`--- ${label} ---`);
    results.push([label, await runSide(bench, label, root)]);
  }
  const [[, before], [, after]] = results as [[string, SideResult], [string, SideResult]];
  console.log(`\n--- ${baselineCommit} vs working tree, one after the other on this machine ---\n`);
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? round(b / a, 2) : '');
  const rows = (label: string, b: BurstResult, a: BurstResult) => [
    [`${label}: notifications/s end to end`, b.perSecond, a.perSecond, ratio(b.perSecond, a.perSecond)],
    ['  notifications/s to the last push', b.perSecondToLastPush ?? NaN, a.perSecondToLastPush ?? NaN, ratio(b.perSecondToLastPush, a.perSecondToLastPush)],
    ['  stack CPU ms / notification', b.cpuMsPerNotification ?? NaN, a.cpuMsPerNotification ?? NaN, ratio(b.cpuMsPerNotification, a.cpuMsPerNotification)],
    ['  burst published at /s', b.publishPerSecond, a.publishPerSecond, ratio(b.publishPerSecond, a.publishPerSecond)],
    ['  drained s after the last publish', b.drainedAfterLastPublishS ?? NaN, a.drainedAfterLastPublishS ?? NaN, ''],
    ['  publish → push p50 / p99 ms', `${b.pushed.p50Ms} / ${b.pushed.p99Ms}`, `${a.pushed.p50Ms} / ${a.pushed.p99Ms}`, ''],
    ['  publish → inbox p50 ms', b.visible.p50Ms, a.visible.p50Ms, ratio(b.visible.p50Ms, a.visible.p50Ms)],
  ];
  printTable(['bursts of 1,000', baselineCommit, 'working tree', 'after ÷ before'], [
    ...rows('every consumer running', before.burst, after.burst),
    ...(before.burstAlone && after.burstAlone ? rows(`second burst, ${after.burstAlone.archivePaused ? 'archive paused' : 'the same'}`, before.burstAlone, after.burstAlone) : []),
    ['serial: publish → push p50 ms', before.serial.pushed.p50Ms, after.serial.pushed.p50Ms, ratio(before.serial.pushed.p50Ms, after.serial.pushed.p50Ms)],
  ]);
  if (after.burstAlone?.archiveBacklogS !== undefined) console.log(`\nthe working tree's archive wrote its backlog of ${BURST} in ${after.burstAlone.archiveBacklogS} s after its resume; the baseline has no archive`);
  const curve = (r: SideResult) => r.warmup?.cpuMsPerNotification.join(', ') ?? 'not measured';
  console.log(`\nthe stack's CPU ms per notification of each warm-up round of ${WARMUP_ROUND}: ${baselineCommit} ${curve(before)}; working tree ${curve(after)}`);
  console.log(`load average (1 min) at the end of each: ${before.loadAverage[0]?.toFixed(2)} and ${after.loadAverage[0]?.toFixed(2)}`);
  printResult({
    bench: 'notifications-latency',
    baseline: { ref: baselineRef, commit: baselineCommit, ...before },
    current: after,
    burstSpeedup: round(after.burst.perSecond / before.burst.perSecond, 2),
    ...(before.burstAlone && after.burstAlone && { burstAloneSpeedup: round(after.burstAlone.perSecond / before.burstAlone.perSecond, 2) }),
  });
}

/** Runs this script as one side (BRIGADE_NOTIFICATIONS_SIDE) in `root`, its output shown indented; returns its RESULT. */
async function runSide(bench: Bench, label: string, root: string): Promise<SideResult> {
  const child = spawn(TSX_BIN, [join(root, 'bench', 'notifications-latency.ts')], {
    cwd: root,
    env: { ...process.env, [SIDE_VARIABLE]: label },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true, // its own process group: a stop here stops its whole stack
  });
  const stop = () => {
    try {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGINT');
    } catch {
      // already gone
    }
  };
  bench.onCleanup(stop);
  let result: SideResult | undefined;
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line.slice(RESULT_PREFIX.length)) as SideResult;
      else console.log(`  ${line}`);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0 || !result) throw new Error(`the ${label} side exited with ${code}${result ? '' : ' and no RESULT line'}`);
  return result;
}
