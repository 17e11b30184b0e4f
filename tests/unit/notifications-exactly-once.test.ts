// notify.ts without a per-event receipt: each recipient's inbox write is the claim and its writer holds a lease on
// the pending channels; a realtime push is recorded with the inbox write and owed by its writer. The inbox fake
// keeps the table's conditions (put if absent; take over a lease only once it ran out or was released); the push is
// a fake that can be held open to make deliveries overlap.
import type { Context, SQSEvent } from 'aws-lambda';
import type { EventEnvelope } from '#shared/events';
import type { NotificationRecord } from '../../functions/notifications/schemas';
import { sampleEvent } from './fixtures/events';

type Stored = NotificationRecord & { leaseUntil?: number };
const inbox = new Map<string, Stored>();
const pushes: string[] = [];
const reads = { getSite: 0, siteMembers: 0, owners: 0, settings: 0, connectionLookups: 0, pushRounds: 0, inboxWrites: 0, outcomeWrites: 0 };
let pushGate: Promise<void> = Promise.resolve();
let failNextPush = false;

const fakes = {
  directoryStore: {
    getSite: async () => (reads.getSite++, { siteId: 'site-1', name: 'Bistro', timeZone: 'Europe/Paris', currency: 'EUR', version: 1 }),
    siteMembers: async () => (reads.siteMembers++, [{ userId: 'manager-1', role: 'manager', status: 'active' }]),
    owners: async () => (reads.owners++, []),
  },
  settingsStore: { userSettingsOf: async () => (reads.settings++, new Map()) },
  alertStore: {},
  inboxStore: {
    // Batched like the store: each entry settles on its own (a failed write is only that entry's).
    createNotifications: async (entries: Array<{ notification: NotificationRecord; nowMs: number }>) => {
      reads.inboxWrites++;
      return Promise.allSettled(
        entries.map(async ({ notification: record, nowMs: now }) => {
          if (record.eventId.startsWith('evt-write-fails')) throw new Error('ProvisionedThroughputExceeded');
          const existing = inbox.get(record.notificationId);
          if (existing) return { created: false, notification: structuredClone(existing) };
          inbox.set(record.notificationId, { ...structuredClone(record), leaseUntil: now + 30_000 });
          return { created: true, notification: record };
        }),
      );
    },
    takeOverPending: async (_user: string, id: string, now: number) => {
      const item = inbox.get(id)!;
      if (item.leaseUntil !== undefined && item.leaseUntil >= now) return undefined;
      item.leaseUntil = now + 30_000;
      return structuredClone(item);
    },
    releaseLease: async (_user: string, id: string, { owePush = false } = {}) => {
      const item = inbox.get(id)!;
      if (owePush) item.deliveries.realtime = { status: 'pending' };
      delete item.leaseUntil;
    },
    recordDeliveries: async (entries: Array<{ notificationId: string; deliveries: Record<string, unknown> }>) => {
      reads.outcomeWrites++;
      return Promise.allSettled(
        entries.map(async ({ notificationId: id, deliveries }) => {
          const item = inbox.get(id)!;
          if (item.eventId.includes('outcome-fails')) throw new Error('ThrottlingError');
          Object.assign(item.deliveries, deliveries);
          delete item.leaseUntil;
        }),
      );
    },
  },
};
jest.mock('../../functions/notifications/config', () => fakes);
// One open connection for every user; an event id starting with `evt-gone` finds it gone by the time of the push.
jest.mock('../../functions/notifications/realtime', () => ({
  openConnections: async (userIds: string[]) => {
    reads.connectionLookups++;
    return { open: new Map(userIds.map((userId) => [userId, [{ userId, connectionId: `c-${userId}` }]])), closed: new Map() };
  },
  pushNotifications: async (_found: unknown, requests: Array<{ userId: string; notification: { eventId: string } }>) => {
    reads.pushRounds++;
    await pushGate;
    if (failNextPush) {
      failNextPush = false;
      throw new Error('GoneException from a throttled management API');
    }
    return requests.map(({ userId, notification }) => {
      if (notification.eventId.startsWith('evt-gone')) return { pushed: 0, gone: 1, closed: 0 };
      pushes.push(`${userId}:${notification.eventId}`);
      return { pushed: 1, gone: 0, closed: 0 };
    });
  },
}));

const { notifyEvent, notifyEvents } = require('../../functions/notifications/notify') as typeof import('../../functions/notifications/notify');

const deviceOnline = (id: string): EventEnvelope => ({
  id,
  type: 'iot.device-online',
  source: 'iot',
  siteId: 'site-1',
  occurredAt: '2026-11-25T19:00:00.000Z',
  correlationId: id,
  data: {
    deviceId: 'fridge-1',
    deviceName: 'Fridge 1',
    deviceType: 'fridge',
    severity: 'info',
    lastSeenAt: '2026-11-25T18:55:00.000Z',
    backAt: '2026-11-25T19:00:00.000Z',
    silentForSeconds: 300,
  },
});

beforeEach(() => {
  inbox.clear();
  pushes.length = 0;
  pushGate = Promise.resolve();
});

describe('notifyEvent, exactly once without a receipt', () => {
  it('two deliveries of one event at the same time: one inbox entry, one push, its outcome recorded', async () => {
    let open!: () => void;
    pushGate = new Promise((resolve) => (open = resolve));
    const first = notifyEvent(deviceOnline('evt-concurrent'));
    const second = notifyEvent(deviceOnline('evt-concurrent'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    open();
    await Promise.all([first, second]);
    expect(pushes).toEqual(['manager-1:evt-concurrent']);
    expect([...inbox.values()].map((n) => n.deliveries.realtime.status)).toEqual(['sent']);
  });

  it('a redelivery after success sends nothing again', async () => {
    await notifyEvent(deviceOnline('evt-again'));
    await notifyEvent(deviceOnline('evt-again'));
    expect(pushes).toEqual(['manager-1:evt-again']);
  });

  it('a failed delivery gives its lease back: the retry delivers what was pending, once', async () => {
    failNextPush = true;
    await expect(notifyEvent(deviceOnline('evt-retry'))).rejects.toThrow('GoneException');
    const [stored] = inbox.values();
    expect(stored).toMatchObject({ deliveries: { realtime: { status: 'pending' } } });
    expect(stored!.leaseUntil).toBeUndefined();
    await notifyEvent(deviceOnline('evt-retry'));
    expect(pushes).toEqual(['manager-1:evt-retry']);
    expect(inbox.size).toBe(1);
  });

  it('a burst for one site reads its directory once (per-container cache)', async () => {
    const before = { ...reads };
    await Promise.all(Array.from({ length: 20 }, (_, i) => notifyEvent(deviceOnline(`evt-burst-${i}`))));
    expect(pushes).toHaveLength(20);
    expect(reads.getSite - before.getSite).toBeLessThanOrEqual(1);
    expect(reads.siteMembers - before.siteMembers).toBeLessThanOrEqual(1);
    expect(reads.owners - before.owners).toBeLessThanOrEqual(1);
  });
});

describe('notifyEvents, a batch from the alerts queue', () => {
  it('reads the settings and connections, writes the inbox and pushes in one round each for the whole batch, each event once; a push needs no outcome write', async () => {
    const before = { ...reads };
    const outcomes = await notifyEvents(Array.from({ length: 10 }, (_, i) => deviceOnline(`evt-batch-${i}`)));
    expect(outcomes.map((o) => o.status)).toEqual(Array(10).fill('fulfilled'));
    expect(pushes.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `manager-1:evt-batch-${i}`).sort());
    expect(reads.settings - before.settings).toBe(1);
    expect(reads.connectionLookups - before.connectionLookups).toBe(1);
    expect(reads.pushRounds - before.pushRounds).toBe(1);
    expect(reads.inboxWrites - before.inboxWrites).toBe(1);
    expect(reads.outcomeWrites - before.outcomeWrites).toBe(0);
    expect([...inbox.values()].map((n) => n.deliveries.realtime.status)).toEqual(Array(10).fill('sent'));
  });

  it('an event delivered twice in one batch is written and pushed once', async () => {
    const outcomes = await notifyEvents([deviceOnline('evt-twice'), deviceOnline('evt-twice')]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(pushes).toEqual(['manager-1:evt-twice']);
    expect(inbox.size).toBe(1);
  });

  it('one event failing fails only itself; an event that breaks its contract does not hold the others back', async () => {
    const malformed = { ...deviceOnline('evt-malformed'), data: { deviceId: 'fridge-1' } };
    const outcomes = await notifyEvents([deviceOnline('evt-fine'), deviceOnline('evt-write-fails'), malformed]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(outcomes[2]).toEqual({ status: 'fulfilled', value: { notified: 0 } });
    expect(pushes).toEqual(['manager-1:evt-fine']);
  });

  it('a push no connection took is written as skipped; that write failing fails only its event and owes the push to the retry', async () => {
    const outcomes = await notifyEvents([deviceOnline('evt-gone-recorded'), deviceOnline('evt-gone-outcome-fails'), deviceOnline('evt-outcome-fine')]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const byEvent = new Map([...inbox.values()].map((n) => [n.eventId, n]));
    expect(byEvent.get('evt-gone-recorded')).toMatchObject({ deliveries: { realtime: { status: 'skipped', reason: 'no-open-connection' } } });
    expect(byEvent.get('evt-gone-outcome-fails')).toMatchObject({ deliveries: { realtime: { status: 'pending' } } });
    expect(byEvent.get('evt-gone-outcome-fails')!.leaseUntil).toBeUndefined();
    expect(byEvent.get('evt-outcome-fine')).toMatchObject({ deliveries: { realtime: { status: 'sent' } } });
    expect(pushes).toEqual(['manager-1:evt-outcome-fine']);
  });

  it('a consumer that dies between the inbox write and its push loses that push, never the notification: a redelivery sends nothing', async () => {
    let die!: (error: Error) => void;
    pushGate = new Promise((_, reject) => (die = reject));
    const dying = notifyEvents([deviceOnline('evt-dies')]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    // The inbox write happened, recording the push as sent; the container then ends before making it.
    const [written] = inbox.values();
    expect(written).toMatchObject({ eventId: 'evt-dies', deliveries: { realtime: { status: 'sent' } } });
    const recorded = structuredClone(written!);
    die(new Error('the container ended'));
    await dying;
    inbox.set(recorded.notificationId, recorded); // as the table was when it ended (no failure path ran)
    expect((await notifyEvents([deviceOnline('evt-dies')])).map((o) => o.status)).toEqual(['fulfilled']);
    expect(pushes).toEqual([]);
    expect(inbox.size).toBe(1);
  });

  it('a failed push round gives every lease back: the redelivered batch delivers each event once', async () => {
    failNextPush = true;
    const batch = [deviceOnline('evt-round-1'), deviceOnline('evt-round-2')];
    expect((await notifyEvents(batch)).map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect([...inbox.values()].every((n) => n.leaseUntil === undefined && n.deliveries.realtime.status === 'pending')).toBe(true);
    expect((await notifyEvents(batch)).map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(pushes.sort()).toEqual(['manager-1:evt-round-1', 'manager-1:evt-round-2']);
  });
});

describe('notifyAlert, the alerts queue handler', () => {
  const { handler } = require('../../functions/notifications/notify-alert') as typeof import('../../functions/notifications/notify-alert');
  const excursion = (id: string): EventEnvelope => ({
    ...sampleEvent('iot.excursion-started'),
    id,
    siteId: 'site-1',
    data: { ...sampleEvent('iot.excursion-started').data, severity: 'warning', deviceName: 'Walk-in', location: undefined, detectedAt: '2026-11-25T14:15:00.000Z' },
  });
  const record = (envelope: EventEnvelope, sentAt: string) => ({ messageId: `m-${envelope.id}`, body: JSON.stringify(envelope), attributes: { SentTimestamp: String(Date.parse(sentAt)) } });

  it('judges an excursion late by when it was published (SentTimestamp), not by how long it then waited in the queue', async () => {
    const event = { Records: [record(excursion('evt-on-time'), '2026-11-25T14:15:03.000Z'), record(excursion('evt-found-late'), '2026-11-25T16:15:00.000Z')] } as unknown as SQSEvent;
    expect(await handler(event, { awsRequestId: 'r-1' } as Context)).toEqual({ batchItemFailures: [] });
    const titles = new Map([...inbox.values()].map((n) => [n.eventId, n.title]));
    expect(titles.get('evt-on-time')).toBe('Walk-in out of safe temperature: -11.8 °C');
    expect(titles.get('evt-found-late')).toBe('Walk-in out of safe temperature: -11.8 °C (found late)');
  });
});
