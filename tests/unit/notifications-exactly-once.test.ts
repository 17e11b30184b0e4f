// notify.ts without a per-event receipt: each recipient's inbox write is the claim and its writer holds a lease on
// the pending channels. The inbox fake keeps the table's conditions (put if absent; take over a lease only once
// it ran out or was released); the push is a fake that can be held open to make deliveries overlap.
import type { EventEnvelope } from '#shared/events';
import type { NotificationRecord } from '../../functions/notifications/schemas';

type Stored = NotificationRecord & { leaseUntil?: number };
const inbox = new Map<string, Stored>();
const pushes: string[] = [];
const reads = { getSite: 0, siteMembers: 0, owners: 0 };
let pushGate: Promise<void> = Promise.resolve();
let failNextPush = false;

const fakes = {
  directoryStore: {
    getSite: async () => (reads.getSite++, { siteId: 'site-1', name: 'Bistro', timeZone: 'Europe/Paris', currency: 'EUR', version: 1 }),
    siteMembers: async () => (reads.siteMembers++, [{ userId: 'manager-1', role: 'manager', status: 'active' }]),
    owners: async () => (reads.owners++, []),
  },
  settingsStore: { userSettingsOf: async () => new Map() },
  alertStore: {},
  inboxStore: {
    createNotification: async (record: NotificationRecord, now: number) => {
      const existing = inbox.get(record.notificationId);
      if (existing) return { created: false, notification: structuredClone(existing) };
      inbox.set(record.notificationId, { ...structuredClone(record), leaseUntil: now + 30_000 });
      return { created: true, notification: record };
    },
    takeOverPending: async (_user: string, id: string, now: number) => {
      const item = inbox.get(id)!;
      if (item.leaseUntil !== undefined && item.leaseUntil >= now) return undefined;
      item.leaseUntil = now + 30_000;
      return structuredClone(item);
    },
    releaseLease: async (_user: string, id: string) => void delete inbox.get(id)!.leaseUntil,
    recordDeliveries: async (_user: string, id: string, deliveries: Record<string, unknown>) => {
      const item = inbox.get(id)!;
      Object.assign(item.deliveries, deliveries);
      delete item.leaseUntil;
    },
  },
};
jest.mock('../../functions/notifications/config', () => fakes);
jest.mock('../../functions/notifications/realtime', () => ({
  pushToUsers: async (messages: Map<string, { notification: { eventId: string } }>) => {
    await pushGate;
    if (failNextPush) {
      failNextPush = false;
      throw new Error('GoneException from a throttled management API');
    }
    for (const [userId, message] of messages) pushes.push(`${userId}:${message.notification.eventId}`);
    return new Map([...messages.keys()].map((userId) => [userId, { pushed: 1, gone: 0, closed: 0 }]));
  },
}));

const { notifyEvent } = require('../../functions/notifications/notify') as typeof import('../../functions/notifications/notify');

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
