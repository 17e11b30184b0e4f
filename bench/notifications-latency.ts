// Event published → notification pushed on the user's WebSocket and visible in their inbox, through the local
// stack: SNS Publish on the alerts topic → the notifications consumer → DynamoDB → PostToConnection. First 20
// events one at a time (the unloaded path), then a burst of 1,000 published as fast as SNS takes them.
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
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
const DRAIN_LIMIT_MS = 5 * 60_000;

interface Timing {
  sentAt: number;
  /** The event's occurredAt (epoch ms): notification ids start with it, so the inbox is in this order. */
  occurredAt: number;
  pushedAt?: number;
  visibleAt?: number;
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

  // The inbox as an app polling it sees it: newest first (by event time), reading pages until past the oldest
  // event not yet seen, since under a burst an older event can be written after newer ones.
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const pending = [...timings.values()].filter((t) => t.visibleAt === undefined);
      const oldestPending = Math.min(...pending.map((t) => t.occurredAt));
      let cursor: string | undefined;
      for (let page = 0; pending.length > 0 && page < 20; page++) {
        const res = await fetch(`${apiUrl}/me/notifications?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { headers });
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

  const burstStarted = performance.now();
  const burstIds: string[] = [];
  const published = await runConcurrent(BURST, PUBLISH_CONCURRENCY, async (i) => {
    burstIds.push(await publish('burst', i));
  });
  await settle(burstIds);
  const drainedS = (performance.now() - burstStarted) / 1000;
  const burst = latencies(burstIds);

  const row = (label: string, s: LatencySummary) => [label, s.count, round(s.p50), round(s.p99), round(s.max)];
  console.log(`site ${DEMO_SITE_ID}, one manager with one open WebSocket; inbox polled every ${INBOX_POLL_MS} ms\n`);
  printTable(['path', 'events', 'p50 ms', 'p99 ms', 'max ms'], [
    row('serial: publish → WebSocket push', serial.pushed),
    row('serial: publish → visible in inbox', serial.visible),
    row(`burst of ${BURST}: publish → WebSocket push`, burst.pushed),
    row(`burst of ${BURST}: publish → visible in inbox`, burst.visible),
  ]);
  console.log(`\nburst published in ${round(published.wallMs / 1000, 2)} s (${round(published.opsPerSecond, 0)} publishes/s, ${PUBLISH_CONCURRENCY} concurrent);`);
  console.log(`all ${BURST} pushed and visible ${round(drainedS, 2)} s after the first publish (${round(BURST / drainedS, 0)} notifications/s end to end)`);
  console.log('Each event: SNS delivery → consumer receipt (PutItem) → directory reads (site, members, owners: 1 GetItem + 2 Query)');
  console.log('→ settings (BatchGetItem) → notification (PutItem) → connections (Query) + their sessions\' revocations (BatchGetItem)');
  console.log('+ PostToConnection → delivery outcome (UpdateItem).');

  const figures = (s: LatencySummary) => ({ p50Ms: round(s.p50), p99Ms: round(s.p99), maxMs: round(s.max) });
  printResult({
    bench: 'notifications-latency',
    serial: { count: SERIAL, pushed: figures(serial.pushed), visible: figures(serial.visible) },
    burst: {
      count: BURST,
      publishConcurrency: PUBLISH_CONCURRENCY,
      publishPerSecond: round(published.opsPerSecond, 0),
      drainedS: round(drainedS, 2),
      pushed: figures(burst.pushed),
      visible: figures(burst.visible),
    },
  });
});
