// NotificationsSent from the notifications consumers (functions/notifications/notify.ts): one per inbox entry
// written and per channel delivered, so a redelivered event (the inbox entry exists, its channels were sent) counts
// nothing. The stores are fakes that behave like the table would; the realtime push is stubbed.
import type { EventEnvelope } from '#shared/events';
import { flushMetrics } from '#shared/metrics';
import { emfFiguresOf as printedBy } from './fixtures/emf';
import type { NotificationRecord } from '../../functions/notifications/schemas';

const inbox = new Map<string, NotificationRecord>();
const fakes = {
  directoryStore: {
    getSite: async () => ({ siteId: 'demo-bistro', name: 'Demo Bistro', timeZone: 'Europe/Paris' }),
    siteMembers: async () => [{ userId: 'server-1', role: 'staff', status: 'active' }],
    owners: async () => [],
  },
  settingsStore: { userSettingsOf: async () => new Map() },
  alertStore: {},
  inboxStore: {
    createNotifications: async (entries: Array<{ notification: NotificationRecord }>) =>
      Promise.allSettled(
        entries.map(async ({ notification: record }) => {
          const existing = inbox.get(record.notificationId);
          if (existing) return { created: false, notification: structuredClone(existing) };
          inbox.set(record.notificationId, structuredClone(record));
          return { created: true, notification: record };
        }),
      ),
    recordDeliveries: async (entries: Array<{ notificationId: string; deliveries: Record<string, unknown> }>) =>
      Promise.allSettled(entries.map(async ({ notificationId, deliveries }) => void Object.assign(inbox.get(notificationId)!.deliveries, deliveries))),
    releaseLease: async () => undefined,
  },
};
jest.mock('../../functions/notifications/config', () => fakes);
jest.mock('../../functions/notifications/realtime', () => ({
  openConnections: async (userIds: string[]) => ({ open: new Map(userIds.map((userId) => [userId, [{ userId, connectionId: 'c1' }]])), closed: new Map() }),
  pushNotifications: async (_found: unknown, requests: unknown[]) => requests.map(() => ({ pushed: 1, gone: 0, closed: 0 })),
}));

describe('NotificationsSent', () => {
  const { notifyEvent } = require('../../functions/notifications/notify') as typeof import('../../functions/notifications/notify');
  const orderReady: EventEnvelope = {
    id: 'evt-ready-1',
    type: 'order.status-changed',
    source: 'orders',
    siteId: 'demo-bistro',
    occurredAt: '2026-11-25T19:00:00.000Z',
    correlationId: 'corr-1',
    data: {
      orderId: 'o-1',
      ticketNumber: 12,
      businessDay: '2026-11-25',
      version: 3,
      serverId: 'server-1',
      from: 'preparing',
      to: 'ready',
      changedBy: 'cook-1',
      changedAt: '2026-11-25T19:00:00.000Z',
    },
  };

  /** What notifying `event` prints, flushed as the consumer's kit does at the end of the invocation. */
  const emfFiguresOf = (event: EventEnvelope) =>
    printedBy(async () => {
      await notifyEvent(event);
      flushMetrics();
    });

  beforeEach(() => {
    inbox.clear();
    flushMetrics();
  });

  it('an order ready for its server: the inbox entry and the realtime push, once each; its redelivery counts nothing', async () => {
    expect(await emfFiguresOf(orderReady)).toEqual(['NotificationsSent{channel=inbox}: 1', 'NotificationsSent{channel=realtime}: 1']);
    expect(await emfFiguresOf(orderReady)).toEqual([]);
  });
});
