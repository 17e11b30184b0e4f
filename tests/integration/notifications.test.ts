// Notifications end to end on the running stack: events from the IoT, inventory and orders domains reach inboxes, open
// WebSockets, the SMS and email logs of the local SNS; settings, quiet hours, escalation and the SMS cap.
// The users domain's events feed the directory, so every person here is created through the real API.
import { GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand } from '@aws-sdk/client-sns';
import { publishEvent } from '../../functions/shared/event-publisher';
import type { MqttClient } from 'mqtt';
import { DeviceModel } from '../../dev/simulator/device-model';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { api, eventually, isLocal, queueUrl, sns, sqs, topicArn, uniqueId } from './support/target';
import { bearer, createSite, createUser, login, type TestUser } from './support/identity';
import { alertsInbox, connectDevice, registerDevice, sleep, type AlertsInbox } from './support/iot';
import {
  alertEvent,
  emailsTo,
  inbox,
  publishAlert,
  putSettings,
  runEscalationSweep,
  smsTo,
  uniquePhone,
  waitForNotification,
  type Notification,
} from './support/notifications';
import { openRealtime, type RealtimeClient } from './support/websocket';
import { orderingSite, placeOrder } from './support/orders';

jest.setTimeout(90_000);
const MIN = 60_000;
/** SMS and email logs, the SNS http subscription and the Lambda invoke endpoint are the local cloud's. */
const describeLocal = isLocal ? describe : describe.skip;

/** A daily quiet window from `from` to `to` hours after the present hour in Paris (the test sites' time zone). */
function quietWindow(from: number, to: number): { start: string; end: string } {
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
  const clock = (h: number) => `${String((hour + h + 24) % 24).padStart(2, '0')}:00`;
  return { start: clock(from), end: clock(to) };
}

const ofType = (type: string, deviceId?: string) => (n: Notification) => n.eventType === type && (!deviceId || n.data.deviceId === deviceId);

/** A new site with a manager who wants SMS from warnings up, and a staff member. */
async function staffedSite(managerSettings: Record<string, unknown> = {}) {
  const siteId = await createSite();
  const [manager, staff] = await Promise.all([createUser('manager', [siteId]), createUser('staff', [siteId])]);
  const phone = uniquePhone();
  await putSettings(manager, { channels: { sms: { enabled: true, minSeverity: 'warning', phoneNumber: phone } }, ...managerSettings });
  // The directory learns of the manager from the users domain's events: wait until an alert can find them.
  await eventually(
    async () => {
      const probe = await publishAlert({ siteId, type: 'iot.device-online', severity: 'info', data: { deviceName: 'directory probe' } });
      await sleep(300);
      return (await inbox(manager)).some((n) => n.eventId === probe.id) || undefined;
    },
    20_000,
    'the manager in the notifications directory',
  );
  return { siteId, manager, staff, phone };
}

describeLocal('notifications', () => {
  describe('a freezer excursion from the IoT domain', () => {
    let site: Awaited<ReturnType<typeof staffedSite>>;
    let realtime: RealtimeClient;
    let alerts: AlertsInbox;
    let device: MqttClient;

    beforeAll(async () => {
      site = await staffedSite();
      realtime = await openRealtime(site.manager.accessToken);
      alerts = await alertsInbox(site.siteId);
    });
    afterAll(async () => {
      await realtime?.close();
      await alerts?.close();
      await device?.endAsync();
    });

    it('reaches the manager’s inbox, open WebSocket and SMS once each; a redelivered message creates nothing new', async () => {
      const registered = await registerDevice(site.siteId, site.manager, { deviceId: uniqueId('freezer'), type: 'freezer', name: 'Walk-in freezer' });
      device = await connectDevice(registered);
      const deviceId = registered.device.deviceId;
      const start = Date.now() - 40 * MIN;
      const model = new DeviceModel('freezer', start, 3);
      const readings: object[] = [];
      for (let minute = 0; minute <= 40; minute++) {
        model.setFault('compressor', minute >= 2);
        readings.push({ ...model.read(start + minute * MIN), seq: minute });
      }
      for (let i = 0; i < readings.length; i += 5)
        await device.publishAsync(registered.connection.telemetryTopic, JSON.stringify({ readings: readings.slice(i, i + 5) }), { qos: 1 });

      const raised = await alerts.waitFor('iot.excursion-started', deviceId, 30_000);
      const notification = await waitForNotification(site.manager, ofType('iot.excursion-started', deviceId), 60_000);
      expect(notification).toMatchObject({ siteId: site.siteId, eventId: raised.envelope.id, severity: raised.severity, read: false });
      // The replay's readings reach Brigade 20 minutes and more after they were taken: the alert says it was found late.
      expect(notification.title).toMatch(/^Walk-in freezer out of safe temperature: -?[\d.]+ °C \(found late\)$/);
      const pushed = await realtime.next((m) => m.type === 'notification' && m.notification.eventId === raised.envelope.id, 10_000);
      expect(pushed.notification.notificationId).toBe(notification.notificationId);
      await eventually(async () => ((await smsTo(site.phone)).some((m) => m.Message.includes('Walk-in freezer')) ? true : undefined), 10_000, 'the SMS');
      const settled = await waitForNotification(site.manager, (n) => n.notificationId === notification.notificationId && n.deliveries.sms.status !== 'pending');
      expect(settled.deliveries).toMatchObject({ realtime: { status: 'sent' }, sms: { status: 'sent' } });

      // SNS delivers at least once: the same message again, byte for byte, as a redelivery would.
      await publishEvent(topicArn('alerts'), raised.envelope, { severity: raised.severity });
      await sleep(2_000);
      expect((await inbox(site.manager, '?limit=100')).filter(ofType('iot.excursion-started', deviceId))).toHaveLength(1);
      expect(realtime.messages.filter((m) => m.notification?.eventId === raised.envelope.id)).toHaveLength(1);
      expect((await smsTo(site.phone)).filter((m) => m.Message.includes('Walk-in freezer') && m.Message.includes('out of safe'))).toHaveLength(1);
      // Staff are not told about site alerts.
      expect((await inbox(site.staff)).filter(ofType('iot.excursion-started'))).toEqual([]);
    });
  });

  describe('at-least-once delivery', () => {
    it('the same alert twice in one batch from the queue: one notification and one SMS, and the batch’s other alert goes out at once', async () => {
      const site = await staffedSite();
      const twice = alertEvent({ siteId: site.siteId, type: 'iot.device-offline', severity: 'warning', data: { deviceName: 'Doubled fridge' } });
      const other = alertEvent({ siteId: site.siteId, type: 'iot.device-offline', severity: 'warning', data: { deviceName: 'Other fridge' } });
      // Raw delivery: the queue's messages are the envelopes as SNS hands them over. One send, so one receive takes all three.
      const sent = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: await queueUrl('notification-alerts'),
          Entries: [twice, twice, other].map((event, i) => ({ Id: `m${i}`, MessageBody: JSON.stringify(event) })),
        }),
      );
      expect(sent.Failed ?? []).toEqual([]);
      // Well before the queue's visibility timeout (180 s): nothing of the batch failed and came back later.
      const settled = (eventId: string) => waitForNotification(site.manager, (n) => n.eventId === eventId && n.deliveries.sms.status !== 'pending', 20_000);
      const [doubled, single] = await Promise.all([settled(twice.id), settled(other.id)]);
      expect(doubled.deliveries.sms).toMatchObject({ status: 'sent' });
      expect(single.deliveries.sms).toMatchObject({ status: 'sent' });
      await sleep(1_000);
      expect((await inbox(site.manager, '?limit=100')).filter((n) => n.eventId === twice.id)).toHaveLength(1);
      expect((await smsTo(site.phone)).filter((m) => m.Message.includes('Doubled fridge'))).toHaveLength(1);
    });
  });

  describe('realtime connections', () => {
    it('push to every open connection of the user; one whose session logged out is closed, not pushed to', async () => {
      const site = await staffedSite();
      const otherDevice = await login(site.manager.email, site.manager.password);
      const [phone, tablet, oldLaptop] = await Promise.all([
        openRealtime(site.manager.accessToken),
        openRealtime(otherDevice.accessToken, 'query'),
        openRealtime(otherDevice.accessToken),
      ]);
      const laptopClosed = new Promise<void>((resolve) => oldLaptop.socket.once('close', () => resolve()));
      const tabletClosed = new Promise<void>((resolve) => tablet.socket.once('close', () => resolve()));
      try {
        expect((await api('POST', '/auth/logout', { headers: bearer(otherDevice) })).status).toBe(204);
        const event = await publishAlert({ siteId: site.siteId, type: 'iot.device-online', severity: 'info', data: { deviceName: 'Back online' } });
        await phone.next((m) => m.notification?.eventId === event.id, 10_000);
        await Promise.all([laptopClosed, tabletClosed]);
        expect([...tablet.messages, ...oldLaptop.messages].filter((m) => m.notification?.eventId === event.id)).toEqual([]);
        // Written with the notification, before the push: it says sent as soon as it is in the inbox.
        const n = await waitForNotification(site.manager, (x) => x.eventId === event.id);
        expect(n.deliveries.realtime).toMatchObject({ status: 'sent' });
      } finally {
        await Promise.all([phone.close(), tablet.close(), oldLaptop.close()]);
      }
    });

    it('a user’s notifications of one batch from the queue come in one message on each connection, each once, recorded sent', async () => {
      const site = await staffedSite();
      const [phone, tablet] = await Promise.all([openRealtime(site.manager.accessToken), openRealtime(site.manager.accessToken, 'query')]);
      try {
        const events = Array.from({ length: 10 }, (_, i) => alertEvent({ siteId: site.siteId, type: 'iot.device-online', severity: 'info', data: { deviceName: `Fridge ${i}` } }));
        // One send, so one receive takes all ten: one invocation of notifyAlert, one push round.
        const sent = await sqs.send(
          new SendMessageBatchCommand({ QueueUrl: await queueUrl('notification-alerts'), Entries: events.map((event, i) => ({ Id: `m${i}`, MessageBody: JSON.stringify(event) })) }),
        );
        expect(sent.Failed ?? []).toEqual([]);
        const ids = events.map((e) => e.id).sort();
        for (const client of [phone, tablet]) {
          await Promise.all(ids.map((id) => client.next((m) => m.notification?.eventId === id, 10_000)));
          const frames = client.frames.filter((f) => f.type === 'notifications');
          expect(frames).toHaveLength(1);
          expect(frames[0].notifications.map((n: Notification) => n.eventId).sort()).toEqual(ids);
          expect(client.frames.filter((f) => f.type === 'notification' && ids.includes(f.notification.eventId))).toEqual([]);
        }
        const written = (await inbox(site.manager, '?limit=100')).filter((n) => ids.includes(n.eventId));
        expect(written).toHaveLength(10);
        for (const n of written) expect(n.deliveries.realtime).toEqual({ status: 'sent', at: expect.any(String) });
      } finally {
        await Promise.all([phone.close(), tablet.close()]);
      }
    });
  });

  describe('quiet hours', () => {
    it('hold back a warning’s SMS and email but not a critical alert’s; both are in the inbox', async () => {
      const email = `${uniqueId('manager')}@tests.example`;
      const site = await staffedSite({
        channels: { sms: { enabled: true, minSeverity: 'warning', phoneNumber: uniquePhone() }, email: { enabled: true, minSeverity: 'warning', address: email } },
        quietHours: quietWindow(-1, 2),
      });
      const settings = await api('GET', '/me/notification-settings', { headers: bearer(site.manager) });
      const phone = settings.json.channels.sms.phoneNumber as string;
      expect(settings.json.email).toEqual({ status: 'confirmed' }); // the local SNS confirms email subscriptions at once

      const warning = await publishAlert({ siteId: site.siteId, type: 'iot.device-offline', severity: 'warning', data: { deviceName: 'Quiet fridge' } });
      const critical = await publishAlert({ siteId: site.siteId, type: 'iot.excursion-started', severity: 'critical', data: { deviceName: 'Loud freezer', incidentId: uniqueId('incident'), temperatureC: -2 } });
      const held = await waitForNotification(site.manager, (n) => n.eventId === warning.id && n.deliveries.sms.status !== 'pending');
      const sent = await waitForNotification(site.manager, (n) => n.eventId === critical.id && n.deliveries.sms.status !== 'pending' && n.deliveries.email.status !== 'pending');
      expect(held.deliveries).toMatchObject({ sms: { status: 'skipped', reason: 'quiet-hours' }, email: { status: 'skipped', reason: 'quiet-hours' } });
      expect(sent.deliveries).toEqual({ realtime: expect.anything(), sms: { status: 'sent', at: expect.any(String) }, email: { status: 'sent', at: expect.any(String) } });
      const texts = (await smsTo(phone)).map((m) => m.Message);
      expect(texts.some((t) => t.includes('Loud freezer'))).toBe(true);
      expect(texts.some((t) => t.includes('Quiet fridge'))).toBe(false);
      const mails = await emailsTo(email);
      expect(mails.map((m) => m.Subject)).toEqual([expect.stringContaining('Loud freezer')]);

      // Outside the window the same kind of warning goes out.
      await putSettings(site.manager, {
        channels: { sms: { enabled: true, minSeverity: 'warning', phoneNumber: phone }, email: { enabled: true, minSeverity: 'warning', address: email } },
        quietHours: quietWindow(3, 4),
      });
      const later = await publishAlert({ siteId: site.siteId, type: 'iot.device-offline', severity: 'warning', data: { deviceName: 'Daytime fridge' } });
      const delivered = await waitForNotification(site.manager, (n) => n.eventId === later.id && n.deliveries.sms.status !== 'pending');
      expect(delivered.deliveries.sms).toMatchObject({ status: 'sent' });
    });
  });

  describe('per-site opt-ins', () => {
    it('a site opted out of sends nothing but critical alerts', async () => {
      const site = await staffedSite();
      await putSettings(site.manager, { sites: { [site.siteId]: { enabled: false } } });
      const warning = await publishAlert({ siteId: site.siteId, type: 'iot.device-offline', severity: 'warning', data: { deviceName: 'Muted fridge' } });
      const critical = await publishAlert({ siteId: site.siteId, type: 'iot.excursion-started', severity: 'critical', data: { deviceName: 'Loud freezer', incidentId: uniqueId('incident') } });
      await waitForNotification(site.manager, (n) => n.eventId === critical.id);
      await sleep(1_000); // the warning was published first: it would be there by now
      expect((await inbox(site.manager, '?limit=100')).filter((n) => n.eventId === warning.id)).toEqual([]);
    });
  });

  describe('escalation', () => {
    let site: Awaited<ReturnType<typeof staffedSite>>;
    let owner: TestUser;
    let ownerPhone: string;

    beforeAll(async () => {
      site = await staffedSite();
      owner = await createUser('owner', []);
      ownerPhone = uniquePhone();
      await putSettings(owner, { channels: { sms: { enabled: false, phoneNumber: ownerPhone } } });
      const policy = await api('PUT', `/sites/${site.siteId}/notification-settings`, {
        body: { escalation: { afterSeconds: 5, repeatEverySeconds: 5, maxRepeats: 1 }, smsPerHour: 50 },
        headers: bearer(owner),
      });
      expect(policy.status).toBe(200);
      // The owner is in the directory once a critical alert reaches them.
      await eventually(
        async () => {
          const probe = await publishAlert({ siteId: site.siteId, type: 'iot.excursion-started', severity: 'critical', data: { incidentId: uniqueId('probe') } });
          await sleep(300);
          const found = (await inbox(owner, '?limit=100')).find((n) => n.eventId === probe.id);
          if (found) await api('POST', `/me/notifications/${found.notificationId}/acknowledge`, { headers: bearer(owner) });
          return found;
        },
        20_000,
        'the owner in the notifications directory',
      );
    });

    it('an unacknowledged critical alert pages the owner by SMS after the delay, repeats, then stops', async () => {
      const incidentId = uniqueId('incident');
      const event = await publishAlert({ siteId: site.siteId, type: 'iot.excursion-started', severity: 'critical', data: { deviceName: 'Unwatched freezer', incidentId } });
      const managerCopy = await waitForNotification(site.manager, (n) => n.eventId === event.id);
      await waitForNotification(owner, (n) => n.eventId === event.id); // owners get critical alerts in their inbox
      expect(managerCopy.alertId).toBeDefined();

      expect((await smsTo(ownerPhone)).filter((m) => m.Message.includes('Unwatched freezer'))).toEqual([]); // owner's SMS channel is off
      await sleep(5_500);
      await runEscalationSweep();
      const pages = await eventually(async () => {
        const texts = (await smsTo(ownerPhone)).filter((m) => m.Message.includes('Unwatched freezer'));
        return texts.length >= 1 ? texts : undefined;
      }, 10_000, 'the escalation SMS');
      expect(pages[0]!.Message).toMatch(/^UNACKNOWLEDGED \d+ min: \[Brigade /);

      await sleep(5_500);
      await runEscalationSweep(); // the one repeat
      await sleep(5_500);
      await runEscalationSweep(); // nothing more: maxRepeats reached
      const all = (await smsTo(ownerPhone)).filter((m) => m.Message.includes('Unwatched freezer'));
      expect(all).toHaveLength(2);
      const view = await api('GET', `/me/notifications/${managerCopy.notificationId}`, { headers: bearer(site.manager) });
      expect(view.json.alert.escalation).toMatchObject({ status: 'stopped', stopReason: 'max-repeats-reached' });
      expect(view.json.alert.escalation.steps.map((s: { step: number }) => s.step)).toEqual([1, 2]);
      expect(view.json.alert.escalation.steps[0].recipients).toContainEqual({ userId: owner.userId, sms: expect.objectContaining({ status: 'sent' }) });
    });

    it('acknowledging stops the escalation: no page after the delay, and everyone sees who acknowledged', async () => {
      const event = await publishAlert({ siteId: site.siteId, type: 'iot.excursion-started', severity: 'critical', data: { deviceName: 'Watched freezer', incidentId: uniqueId('incident') } });
      const managerCopy = await waitForNotification(site.manager, (n) => n.eventId === event.id);
      const ack = await api('POST', `/me/notifications/${managerCopy.notificationId}/acknowledge`, { headers: bearer(site.manager) });
      expect(ack.status).toBe(200);
      expect(ack.json).toMatchObject({ read: true, alert: { acknowledged: { by: site.manager.userId }, escalation: { status: 'stopped', stopReason: 'acknowledged' } } });

      await sleep(5_500);
      await runEscalationSweep();
      await sleep(500);
      expect((await smsTo(ownerPhone)).filter((m) => m.Message.includes('Watched freezer') && !m.Message.includes('Unwatched'))).toEqual([]);
      const ownerCopy = await waitForNotification(owner, (n) => n.eventId === event.id);
      const ownerView = await api('GET', `/me/notifications/${ownerCopy.notificationId}`, { headers: bearer(owner) });
      expect(ownerView.json.alert).toMatchObject({ acknowledged: { by: site.manager.userId }, escalation: { steps: [] } });
      // A second acknowledgement keeps the first one.
      const again = await api('POST', `/me/notifications/${ownerCopy.notificationId}/acknowledge`, { headers: bearer(owner) });
      expect(again.json.alert.acknowledged.by).toBe(site.manager.userId);
    });

    it('the condition ending (back in range) also stops the escalation', async () => {
      const incidentId = uniqueId('incident');
      const event = await publishAlert({ siteId: site.siteId, type: 'iot.excursion-started', severity: 'critical', data: { deviceName: 'Recovering freezer', incidentId } });
      const managerCopy = await waitForNotification(site.manager, (n) => n.eventId === event.id);
      expect(managerCopy.title).toBe('Recovering freezer out of safe temperature: -11.8 °C'); // the sample's reading, detected just now: not late
      await publishAlert({ siteId: site.siteId, type: 'iot.excursion-ended', severity: 'info', data: { deviceName: 'Recovering freezer', incidentId, durationMinutes: 3, peakC: -8 } });
      await waitForNotification(site.manager, (n) => n.eventType === 'iot.excursion-ended' && n.data.incidentId === incidentId);
      await sleep(5_500);
      await runEscalationSweep();
      const view = await api('GET', `/me/notifications/${managerCopy.notificationId}`, { headers: bearer(site.manager) });
      expect(view.json.alert).toMatchObject({ resolvedAt: expect.any(String), escalation: { status: 'stopped', stopReason: 'resolved', steps: [] } });
    });

    it('an end that arrives before its start (SNS keeps no order) leaves the late alert resolved, never escalating', async () => {
      const incidentId = uniqueId('incident');
      await publishAlert({ siteId: site.siteId, type: 'iot.excursion-ended', severity: 'info', data: { deviceName: 'Out-of-order freezer', incidentId, durationMinutes: 1 } });
      await waitForNotification(site.manager, (n) => n.eventType === 'iot.excursion-ended' && n.data.incidentId === incidentId);
      const started = await publishAlert({ siteId: site.siteId, type: 'iot.excursion-started', severity: 'critical', data: { deviceName: 'Out-of-order freezer', incidentId } });
      const late = await waitForNotification(site.manager, (n) => n.eventId === started.id);
      await sleep(5_500);
      await runEscalationSweep();
      const view = await api('GET', `/me/notifications/${late.notificationId}`, { headers: bearer(site.manager) });
      expect(view.json.alert).toMatchObject({ resolvedAt: expect.any(String), escalation: { status: 'stopped', stopReason: 'resolved', steps: [] } });
    });

    it('warnings need no acknowledgement (422)', async () => {
      const event = await publishAlert({ siteId: site.siteId, type: 'iot.device-offline', severity: 'warning' });
      const n = await waitForNotification(site.manager, (x) => x.eventId === event.id);
      const res = await api('POST', `/me/notifications/${n.notificationId}/acknowledge`, { headers: bearer(site.manager) });
      expect({ status: res.status, code: res.json.error.code }).toEqual({ status: 422, code: 'UNPROCESSABLE' });
    });
  });

  describe('the SMS spend guard', () => {
    it('holds the site’s hourly cap under a burst of 100 alerts; the rest stay in the inbox with the reason', async () => {
      // A burst straddling the top of the hour would start a new window half way: wait for a clean one.
      const toNextHour = 3_600_000 - (Date.now() % 3_600_000);
      if (toNextHour < 60_000) await sleep(toNextHour + 1_000);
      const site = await staffedSite();
      const owner = await createUser('owner', []);
      await api('PUT', `/sites/${site.siteId}/notification-settings`, { body: { smsPerHour: 5 }, headers: bearer(owner) });
      const before = (await smsTo(site.phone)).length; // the directory probe was info: below the manager's minimum
      expect(before).toBe(0);

      const burst = await Promise.all(
        Array.from({ length: 100 }, (_, i) => publishAlert({ siteId: site.siteId, type: 'iot.device-offline', severity: 'warning', data: { deviceName: `Sensor ${i}` } })),
      );
      const ids = new Set(burst.map((e) => e.id));
      const settled = await eventually(
        async () => {
          const items = (await inbox(site.manager, '?limit=100')).filter((n) => ids.has(n.eventId));
          return items.length === 100 && items.every((n) => n.deliveries.sms.status !== 'pending') ? items : undefined;
        },
        60_000,
        '100 notifications with their SMS outcome',
      );
      expect(settled.filter((n) => n.deliveries.sms.status === 'sent')).toHaveLength(5);
      expect(settled.filter((n) => n.deliveries.sms.reason === 'sms-cap-reached')).toHaveLength(95);
      expect(await smsTo(site.phone)).toHaveLength(5);
      const usage = await api('GET', `/sites/${site.siteId}/notification-settings`, { headers: bearer(site.manager) });
      expect(usage.json).toMatchObject({ smsPerHour: 5, smsThisHour: { sent: 5 } });
    });
  });

  describe('the inbox', () => {
    let site: Awaited<ReturnType<typeof staffedSite>>;
    let other: TestUser;
    let theirs: Notification;

    beforeAll(async () => {
      site = await staffedSite();
      other = await createUser('manager', [await createSite()]);
      for (let i = 0; i < 5; i++) await publishAlert({ siteId: site.siteId, type: 'iot.device-online', severity: 'info', data: { deviceName: `Probe ${i}` } });
      await eventually(async () => ((await inbox(site.manager, '?limit=100')).filter((n) => /^Probe \d/.test(n.data.deviceName)).length === 5 ? true : undefined), 15_000, 'five notifications');
      theirs = (await inbox(site.manager))[0]!;
    });

    it('lists newest first, paginates, filters unread, counts and marks read', async () => {
      const first = await api('GET', '/me/notifications?limit=2', { headers: bearer(site.manager) });
      expect(first.json.notifications).toHaveLength(2);
      const second = await api('GET', `/me/notifications?limit=2&cursor=${first.json.nextCursor}`, { headers: bearer(site.manager) });
      const ids = [...first.json.notifications, ...second.json.notifications].map((n: Notification) => n.notificationId);
      expect(new Set(ids).size).toBe(4);
      expect([...ids].sort().reverse()).toEqual(ids); // ids sort by event time: newest first

      const count = async () => (await api('GET', '/me/notifications/unread-count', { headers: bearer(site.manager) })).json.unread as number;
      const unread = await count();
      expect(unread).toBeGreaterThanOrEqual(5);
      const read = await api('POST', `/me/notifications/${ids[0]}/read`, { headers: bearer(site.manager) });
      expect(read.json).toMatchObject({ notificationId: ids[0], read: true, readAt: expect.any(String) });
      expect(await count()).toBe(unread - 1);
      expect((await inbox(site.manager, '?unread=true&limit=100')).map((n) => n.notificationId)).not.toContain(ids[0]);
      const all = await api('POST', '/me/notifications/read-all', { headers: bearer(site.manager) });
      expect(all.json.marked).toBe(unread - 1);
      expect(await count()).toBe(0);
    });

    it('another user cannot read, mark or acknowledge someone else’s notification: 404, and their own inbox is untouched', async () => {
      for (const [method, path] of [
        ['GET', `/me/notifications/${theirs.notificationId}`],
        ['POST', `/me/notifications/${theirs.notificationId}/read`],
        ['POST', `/me/notifications/${theirs.notificationId}/acknowledge`],
      ] as const) {
        const res = await api(method, path, { headers: bearer(other) });
        expect({ method, path, status: res.status, code: res.json.error.code }).toEqual({ method, path, status: 404, code: 'NOT_FOUND' });
      }
      expect((await inbox(other, '?limit=100')).some((n) => n.siteId === site.siteId)).toBe(false);
      expect((await api('GET', '/me/notifications/unread-count', { headers: bearer(site.staff) })).status).toBe(200);
    });

    it('rejects malformed ids, cursors and queries with 400', async () => {
      for (const path of ['/me/notifications/not-an-id', '/me/notifications?limit=0', '/me/notifications?unread=yes', '/me/notifications?cursor=Zm9v']) {
        const res = await api('GET', path, { headers: bearer(site.manager) });
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
      }
    });
  });

  describe('settings', () => {
    it('validate phone numbers (E.164), required addresses and unknown fields with 400; start from defaults', async () => {
      const user = await createUser('staff', [await createSite()]);
      const initial = await api('GET', '/me/notification-settings', { headers: bearer(user) });
      expect(initial.json).toMatchObject({ channels: { realtime: { enabled: true }, sms: { enabled: false }, email: { enabled: false } }, quietHours: null, version: 0, email: { status: 'off' } });
      for (const body of [
        { channels: { sms: { enabled: true, phoneNumber: '555-0123' } } },
        { channels: { sms: { enabled: true } } },
        { channels: { email: { enabled: true, address: 'not-an-email' } } },
        { quietHours: { start: '25:00', end: '06:00' } },
        { pager: true },
      ]) {
        const res = await api('PUT', '/me/notification-settings', { body, headers: bearer(user) });
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
      }
      const saved = await putSettings(user, { channels: { sms: { enabled: true, phoneNumber: '+447700900123' } } });
      expect(saved).toMatchObject({ version: 1, channels: { sms: { enabled: true, phoneNumber: '+447700900123', minSeverity: 'critical' } } });
    });

    it('email: turning it on subscribes the address to the email topic with a filter on the user; changing or turning it off unsubscribes', async () => {
      const user = await createUser('manager', [await createSite()]);
      const [first, second] = [`${uniqueId('first')}@tests.example`, `${uniqueId('second')}@tests.example`];
      const subscriptions = async () => {
        const listed = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn('notification-email') }));
        const mine = (listed.Subscriptions ?? []).filter((sub) => sub.Endpoint === first || sub.Endpoint === second);
        return Promise.all(
          mine.map(async (sub) => {
            const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn! }));
            return { address: sub.Endpoint, protocol: sub.Protocol, filter: JSON.parse(Attributes?.FilterPolicy ?? '{}') };
          }),
        );
      };
      await putSettings(user, { channels: { email: { enabled: true, address: first } } });
      expect(await subscriptions()).toEqual([{ address: first, protocol: 'email', filter: { recipient: [user.userId] } }]);
      await putSettings(user, { channels: { email: { enabled: true, address: second } } });
      expect(await subscriptions()).toEqual([{ address: second, protocol: 'email', filter: { recipient: [user.userId] } }]);
      const off = await putSettings(user, { channels: { email: { enabled: false, address: second } } });
      expect(off.email).toEqual({ status: 'off' });
      expect(await subscriptions()).toEqual([]);
    });

    it('only owners set a site’s escalation policy and SMS cap; managers read it; other sites’ are refused', async () => {
      const site = await staffedSite();
      const put = (user: TestUser) => api('PUT', `/sites/${site.siteId}/notification-settings`, { body: { smsPerHour: 10 }, headers: bearer(user) });
      expect((await put(site.manager)).status).toBe(403);
      const read = await api('GET', `/sites/${site.siteId}/notification-settings`, { headers: bearer(site.manager) });
      expect(read.json).toMatchObject({ escalation: { afterSeconds: 600 }, smsPerHour: 30 });
      const elsewhere = await createUser('manager', [await createSite()]);
      expect((await api('GET', `/sites/${site.siteId}/notification-settings`, { headers: bearer(elsewhere) })).status).toBe(403);
      const bad = await api('PUT', `/sites/${site.siteId}/notification-settings`, { body: { escalation: { afterSeconds: 1 } }, headers: bearer(await createUser('owner', [])) });
      expect(bad.status).toBe(400);
    });
  });

  describe('inventory', () => {
    it('low stock on the alerts topic reaches the managers’ inboxes (and SMS from warnings up) once; staff hear nothing', async () => {
      const site = await staffedSite();
      const itemId = uniqueId('cream');
      const low = await publishAlert({ siteId: site.siteId, type: 'inventory.low-stock', severity: 'warning', id: `low-stock:${itemId}:1`, data: { itemId, episode: 1 } });
      const notification = await waitForNotification(site.manager, (n) => n.eventId === low.id, 20_000);
      expect(notification).toMatchObject({ eventType: 'inventory.low-stock', severity: 'warning', title: 'Low stock: Heavy cream, 3.25 l left', read: false });
      expect(notification.data).toMatchObject({ itemId, onHand: 3250, nextDelivery: { supplierName: 'Green Valley Produce' } });
      await eventually(async () => ((await smsTo(site.phone)).some((m) => m.Message.includes('Low stock: Heavy cream')) ? true : undefined), 10_000, 'the SMS');

      // Its end is information: the inbox, not the SMS of a manager who wants warnings and up.
      const restored = await publishAlert({ siteId: site.siteId, type: 'inventory.stock-restored', severity: 'info', id: `stock-restored:${itemId}:1`, data: { itemId, episode: 1 } });
      const back = await waitForNotification(site.manager, (n) => n.eventId === restored.id, 20_000);
      expect(back).toMatchObject({ severity: 'info', title: 'Heavy cream back in stock: 15.25 l', deliveries: { sms: { status: 'skipped', reason: 'below-min-severity' } } });

      // Inventory publishes a retried decision with the same id: a redelivery creates nothing new.
      await publishEvent(topicArn('alerts'), low, { severity: 'warning' });
      await sleep(1_500);
      expect((await inbox(site.manager, '?limit=100')).filter((n) => n.data.itemId === itemId).map((n) => n.eventType).sort()).toEqual(['inventory.low-stock', 'inventory.stock-restored']);
      expect((await smsTo(site.phone)).filter((m) => m.Message.includes('Low stock: Heavy cream'))).toHaveLength(1);
      expect((await inbox(site.staff, '?limit=100')).filter((n) => n.data.itemId === itemId)).toEqual([]);
    });
  });

  describe('orders', () => {
    it('tell the server who placed an order when it is ready, and only then', async () => {
      const ordering = await orderingSite();
      const placed = await placeOrder(ordering, ordering.staff, [{ itemId: ordering.items.burger, quantity: 1 }]);
      expect(placed.status).toBe(201);
      const orderId = placed.json.orderId as string;
      for (const status of ['sent', 'preparing', 'ready'])
        expect((await api('POST', `/sites/${ordering.siteId}/orders/${orderId}/status`, { body: { status }, headers: bearer(ordering.manager) })).status).toBe(200);
      const ready = await waitForNotification(ordering.staff, (n) => n.eventType === 'order.status-changed' && n.data.orderId === orderId, 20_000);
      expect(ready.title).toBe(`Order #${placed.json.ticketNumber} is ready`);
      await sleep(500);
      expect((await inbox(ordering.staff, '?limit=100')).filter((n) => n.data.orderId === orderId)).toHaveLength(1);
      expect((await inbox(ordering.manager, '?limit=100')).filter((n) => n.data.orderId === orderId)).toEqual([]);
    });
  });
});
