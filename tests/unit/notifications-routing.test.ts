import { EVENT_TYPES, eventCatalog, parseEvent, type EventType, type KnownEvent } from '../../functions/shared/contracts/index';
import { emailSubject, inQuietHours, messageFor, nextStepDue, planChannels, quantityText, recipientsOf, smsText, wantsSite } from '../../functions/notifications/routing';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { notificationIdFor } from '../../functions/notifications/inbox-store';
import { DEFAULT_USER_SETTINGS, siteSettingsSchema, userSettingsSchema, type Member, type UserSettings } from '../../functions/notifications/schemas';
import { sampleData, sampleEvent } from './fixtures/events';

const member = (userId: string, role: Member['role'], status: Member['status'] = 'active'): Member => ({ userId, role, status });
const settings = (patch: Record<string, unknown> = {}): UserSettings => userSettingsSchema.parse(patch);
const at = (iso: string) => Date.parse(iso);

/** The sample event of `type` with `changes` to its data, as the consumer parses it. */
function event(type: EventType, changes: Record<string, unknown> = {}): KnownEvent {
  const parsed = parseEvent({ ...sampleEvent(type), data: sampleData(type, changes) });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
  return parsed.event;
}

/** Routed as it is published, when it happened (the case of every event but a late-found excursion). */
const onTime = (e: KnownEvent) => messageFor(e, Date.parse(e.occurredAt));

describe('messageFor', () => {
  it('turns a critical excursion into an alert to managers and owners that must be acknowledged', () => {
    const started = event('iot.excursion-started', { severity: 'critical', incidentId: 'incident-1', deviceName: 'Walk-in freezer', location: undefined, temperatureC: -9.5, limits: { maxC: -15 } });
    const routed = messageFor(started, Date.parse(started.occurredAt) + 2_000); // occurredAt: the detecting reading
    expect(routed?.audience).toEqual({ kind: 'site-managers', andOwners: true });
    expect(routed?.message).toMatchObject({ severity: 'critical', alertKey: 'incident-1' });
    expect(routed?.message.title).toBe('Walk-in freezer out of safe temperature: -9.5 °C');
    expect(routed?.message.body).toContain('(limit -15 °C)');
  });

  it('an excursion routed 10 minutes or more after its detecting reading says it was found late (its readings came late)', () => {
    const started = event('iot.excursion-started', { deviceName: 'Walk-in freezer', location: undefined, temperatureC: -11.8, detectedAt: '2026-11-25T14:15:00.000Z' });
    const routedAt = (iso: string) => messageFor(started, Date.parse(iso))!.message;
    expect(routedAt('2026-11-25T14:15:02.000Z').title).toBe('Walk-in freezer out of safe temperature: -11.8 °C');
    expect(routedAt('2026-11-25T14:24:59.999Z').body).toMatch(/^Out of range since 2026-11-25T14:00:00.000Z/);
    const late = routedAt('2026-11-25T19:45:00.000Z');
    expect(late.title).toBe('Walk-in freezer out of safe temperature: -11.8 °C (found late)');
    expect(late.body).toBe(
      "Found late: reported 330 min after the reading that showed it. Out of range since 2026-11-25T14:00:00.000Z (limit -18 °C). Check the door and the unit, move food if needed, and record a corrective action.",
    );
    expect(late).toMatchObject({ severity: 'critical', alertKey: '0mww6xfk0-95011ba2' });
  });

  it('a warning excursion goes to managers only and needs no acknowledgement', () => {
    const routed = onTime(event('iot.excursion-started', { severity: 'warning', incidentId: 'incident-1' }));
    expect(routed?.audience).toEqual({ kind: 'site-managers', andOwners: false });
    expect(routed?.message.alertKey).toBeUndefined();
  });

  it('an excursion that ended resolves the alert it started', () => {
    const routed = onTime(event('iot.excursion-ended', { incidentId: 'incident-1', durationMinutes: 23, peakC: -9.5 }));
    expect(routed?.message).toMatchObject({ severity: 'info', resolvesAlertKey: 'incident-1' });
    expect(routed?.message.body).toBe('Back in range after 23 min, peak -9.5 °C.');
  });

  it('tells the server when their order is ready, and nobody about other steps', () => {
    const ready = event('order.status-changed', { to: 'ready', serverId: 'u-1', ticketNumber: 12 });
    expect(onTime(ready)).toMatchObject({ audience: { kind: 'user', userId: 'u-1' }, message: { title: 'Order #12 is ready' } });
    expect(onTime(event('order.status-changed', { from: 'sent', to: 'preparing' }))).toBeUndefined();
    expect(onTime(event('order.voided'))).toBeUndefined();
  });

  it('tells each person their published schedule: their days and positions, no times of others, no wages', () => {
    const routed = onTime(event('staff.schedule-published', { removed: undefined }));
    expect(routed).toEqual({
      audience: { kind: 'user', userId: 'user-staff-1' },
      message: {
        severity: 'info',
        title: 'Your schedule for 2026-11-23 to 2026-11-29 is published',
        body: '2 shifts new or changed: 2026-11-25 server, 2026-11-27 bartender. Open the schedule for the times.',
      },
    });
  });

  it('warns a person of a shift that is no longer theirs, with or without new ones', () => {
    expect(onTime(event('staff.schedule-published'))?.message).toEqual({
      severity: 'warning',
      title: 'Your schedule for 2026-11-23 to 2026-11-29 changed',
      body: '2 shifts new or changed: 2026-11-25 server, 2026-11-27 bartender. 1 shift no longer yours: 2026-11-26 server. Open the schedule for the times.',
    });
    expect(onTime(event('staff.schedule-published', { shifts: [], from: '2026-11-26', to: '2026-11-26' }))?.message).toEqual({
      severity: 'warning',
      title: 'Your schedule for 2026-11-26 changed',
      body: '1 shift no longer yours: 2026-11-26 server. Open the schedule for the times.',
    });
  });
});

describe('inventory alerts', () => {
  it('low stock is a warning to the site managers, with what is left, the reorder point and the next delivery', () => {
    const routed = onTime(event('inventory.low-stock'));
    expect(routed?.audience).toEqual({ kind: 'site-managers', andOwners: false });
    expect(routed?.message).toEqual({
      severity: 'warning',
      title: 'Low stock: Heavy cream, 3.25 l left',
      body:
        'Reorder point 2 l; 4.8 l needed until the next delivery. At the current usage it runs out around 2026-11-26T20:15:00.000Z. ' +
        'Next delivery from Green Valley Produce on 2026-11-27 if ordered before 2026-11-26T19:00:00.000Z.',
    });
  });

  it('low stock of an item no supplier sells, without usage, says to buy it in', () => {
    const routed = onTime(event('inventory.low-stock', { itemName: 'Saffron', unit: 'g', onHand: 1.5, reorderPoint: 5, neededUntilDelivery: 0, runsOutAt: null, nextDelivery: null }));
    expect(routed?.message.title).toBe('Low stock: Saffron, 1.5 g left');
    expect(routed?.message.body).toBe('Reorder point 5 g; 0 g needed until the next delivery. No supplier sells it: buy it in by hand.');
  });

  it('stock restored is information to the site managers, raising no alert and resolving none', () => {
    const routed = onTime(event('inventory.stock-restored'));
    expect(routed).toEqual({
      audience: { kind: 'site-managers', andOwners: false },
      message: { severity: 'info', title: 'Heavy cream back in stock: 15.25 l', body: 'Above its reorder point again; low since 2026-11-25T19:30:00.000Z.' },
    });
  });

  it('writes quantities as a kitchen reads them, sold below zero included', () => {
    expect([quantityText(2500, 'g'), quantityText(999.5, 'g'), quantityText(750, 'ml'), quantityText(12, 'each'), quantityText(-1250, 'g'), quantityText(0.001, 'each')]).toEqual([
      '2.5 kg',
      '999.5 g',
      '750 ml',
      '12',
      '-1.25 kg',
      '0.001',
    ]);
  });

  it('the alerts queue takes every event of the alerts topic, and routing has a message for each', () => {
    const resources = parse(readFileSync(join(__dirname, '../../functions/notifications/resources.yml'), 'utf8'));
    const subscribed: string[] = resources.Resources.NotificationAlertsSubscription.Properties.FilterPolicy.type;
    const alertTypes = EVENT_TYPES.filter((type) => eventCatalog[type].topic === 'alerts');
    expect([...subscribed].sort()).toEqual([...alertTypes].sort());
    for (const type of alertTypes) expect({ type, routed: onTime(event(type)) !== undefined }).toEqual({ type, routed: true });
  });
});

describe('recipientsOf', () => {
  const members = [member('m1', 'manager'), member('m2', 'manager', 'deactivated'), member('s1', 'staff')];
  const owners = [member('o1', 'owner'), member('o2', 'owner', 'deactivated')];

  it('site alerts reach active managers; critical ones also active owners', () => {
    expect(recipientsOf({ kind: 'site-managers', andOwners: false }, members, owners)).toEqual(['m1']);
    expect(recipientsOf({ kind: 'site-managers', andOwners: true }, members, owners)).toEqual(['m1', 'o1']);
  });

  it('a site without an active manager still tells its owners', () => {
    expect(recipientsOf({ kind: 'site-managers', andOwners: false }, [member('s1', 'staff')], owners)).toEqual(['o1']);
  });

  it('a personal notification reaches only an active member or owner', () => {
    expect(recipientsOf({ kind: 'user', userId: 's1' }, members, owners)).toEqual(['s1']);
    expect(recipientsOf({ kind: 'user', userId: 'o1' }, members, owners)).toEqual(['o1']);
    expect(recipientsOf({ kind: 'user', userId: 'm2' }, members, owners)).toEqual([]);
    expect(recipientsOf({ kind: 'user', userId: 'stranger' }, members, owners)).toEqual([]);
  });
});

describe('quiet hours', () => {
  const overnight = { start: '22:00', end: '07:00' };
  it('cross midnight in the site time zone', () => {
    expect(inQuietHours(overnight, at('2026-11-25T04:30:00Z'), 'America/New_York')).toBe(true); // 23:30 local
    expect(inQuietHours(overnight, at('2026-11-25T11:30:00Z'), 'America/New_York')).toBe(true); // 06:30
    expect(inQuietHours(overnight, at('2026-11-25T12:00:00Z'), 'America/New_York')).toBe(false); // 07:00 ends it
    expect(inQuietHours(overnight, at('2026-11-25T02:59:00Z'), 'America/New_York')).toBe(false); // 21:59
  });
  it('follow daylight saving time', () => {
    // 02:30 UTC is 22:30 in New York in summer (UTC−4) but 21:30 in winter (UTC−5).
    expect(inQuietHours(overnight, at('2026-07-01T02:30:00Z'), 'America/New_York')).toBe(true);
    expect(inQuietHours(overnight, at('2026-12-01T02:30:00Z'), 'America/New_York')).toBe(false);
  });
  it('daytime windows and none at all', () => {
    expect(inQuietHours({ start: '13:00', end: '15:00' }, at('2026-11-25T14:00:00Z'), 'UTC')).toBe(true);
    expect(inQuietHours({ start: '13:00', end: '15:00' }, at('2026-11-25T15:00:00Z'), 'UTC')).toBe(false);
    expect(inQuietHours(null, at('2026-11-25T14:00:00Z'), 'UTC')).toBe(false);
  });
});

describe('planChannels', () => {
  const night = at('2026-11-25T04:30:00Z'); // 23:30 in New York
  const day = at('2026-11-25T17:00:00Z');
  const all = settings({
    channels: { sms: { enabled: true, minSeverity: 'warning', phoneNumber: '+14155550123' }, email: { enabled: true, minSeverity: 'info', address: 'a@example.com' } },
    quietHours: { start: '22:00', end: '07:00' },
  });

  it('quiet hours hold back SMS and email of a warning, not realtime', () => {
    expect(planChannels({ severity: 'warning', settings: all, siteTimeZone: 'America/New_York', now: night })).toEqual({
      realtime: { status: 'pending' },
      sms: { status: 'skipped', reason: 'quiet-hours' },
      email: { status: 'skipped', reason: 'quiet-hours' },
    });
  });

  it('critical alerts bypass quiet hours', () => {
    const plan = planChannels({ severity: 'critical', settings: all, siteTimeZone: 'America/New_York', now: night });
    expect(plan).toEqual({ realtime: { status: 'pending' }, sms: { status: 'pending' }, email: { status: 'pending' } });
  });

  it('minimum severity per channel, disabled channels and missing addresses', () => {
    expect(planChannels({ severity: 'info', settings: all, siteTimeZone: 'UTC', now: day }).sms).toEqual({ status: 'skipped', reason: 'below-min-severity' });
    expect(planChannels({ severity: 'critical', settings: DEFAULT_USER_SETTINGS, siteTimeZone: 'UTC', now: day })).toEqual({
      realtime: { status: 'pending' },
      sms: { status: 'skipped', reason: 'disabled' },
      email: { status: 'skipped', reason: 'disabled' },
    });
  });

  it('a site opted out of drops everything but critical alerts', () => {
    const optedOut = settings({ sites: { 'demo-bistro': { enabled: false } } });
    expect(wantsSite(optedOut, 'demo-bistro', 'warning')).toBe(false);
    expect(wantsSite(optedOut, 'demo-bistro', 'critical')).toBe(true);
    expect(wantsSite(optedOut, 'other-site', 'info')).toBe(true);
  });
});

describe('settings schemas', () => {
  it('accept E.164 numbers only', () => {
    for (const bad of ['4155550123', '+0155550123', '+1 415 555 0123', '+1415555012345678', '+1-415-555-0123'])
      expect(userSettingsSchema.safeParse({ channels: { sms: { enabled: true, phoneNumber: bad } } }).success).toBe(false);
    expect(userSettingsSchema.safeParse({ channels: { sms: { enabled: true, phoneNumber: '+447700900123' } } }).success).toBe(true);
  });
  it('need an address for an enabled SMS or email channel, and a real quiet window', () => {
    expect(userSettingsSchema.safeParse({ channels: { sms: { enabled: true } } }).success).toBe(false);
    expect(userSettingsSchema.safeParse({ channels: { email: { enabled: true } } }).success).toBe(false);
    expect(userSettingsSchema.safeParse({ quietHours: { start: '22:00', end: '22:00' } }).success).toBe(false);
    expect(userSettingsSchema.safeParse({ quietHours: { start: '24:00', end: '07:00' } }).success).toBe(false);
    expect(userSettingsSchema.safeParse({ unknown: true }).success).toBe(false);
  });
  it('default to in-app and realtime only', () => {
    expect(DEFAULT_USER_SETTINGS.channels).toEqual({
      realtime: { enabled: true, minSeverity: 'info' },
      sms: { enabled: false, minSeverity: 'critical' },
      email: { enabled: false, minSeverity: 'warning' },
    });
    expect(siteSettingsSchema.parse({})).toEqual({ escalation: { afterSeconds: 600, repeatEverySeconds: 900, maxRepeats: 3 }, smsPerHour: 30 });
  });
});

describe('escalation steps', () => {
  it('repeat maxRepeats times after the first page, then stop', () => {
    const policy = { repeatEverySeconds: 60, maxRepeats: 2 };
    expect(nextStepDue(1, 0, policy)).toBe(60_000);
    expect(nextStepDue(2, 60_000, policy)).toBe(120_000);
    expect(nextStepDue(3, 120_000, policy)).toBeUndefined();
    expect(nextStepDue(1, 0, { repeatEverySeconds: 60, maxRepeats: 0 })).toBeUndefined();
  });
});

describe('notification ids', () => {
  it('are the same for the same event and user, different per user, and sort by event time', () => {
    const a = notificationIdFor('e1', 'u1', '2026-11-25T10:00:00Z');
    expect(notificationIdFor('e1', 'u1', '2026-11-25T10:00:00Z')).toBe(a);
    expect(notificationIdFor('e1', 'u2', '2026-11-25T10:00:00Z')).not.toBe(a);
    expect(notificationIdFor('e2', 'u1', '2026-11-25T10:00:01Z') > a).toBe(true);
    expect(a).toMatch(/^[0-9a-z]{9}-[0-9a-f]{16}$/);
  });
});

describe('smsText', () => {
  it('names the site and the severity', () => {
    expect(smsText('Demo Bistro', { severity: 'critical', title: 'Walk-in out of range' })).toBe('[Brigade Demo Bistro] CRITICAL: Walk-in out of range');
  });
});

describe('emailSubject', () => {
  it('is printable ASCII under 100 characters, as SNS requires', () => {
    expect(emailSubject('[Brigade Café] Walk-in out of safe temperature: -2 °C')).toBe('[Brigade Cafe] Walk-in out of safe temperature: -2 C');
    expect(emailSubject('a\r\nb')).toBe('a b');
    expect(emailSubject('x'.repeat(300))).toHaveLength(99);
    expect(emailSubject('°°°')).toBe('Brigade notification');
  });
});
