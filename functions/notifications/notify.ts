// From an event to people: who, what it says, which channels; then the inbox write and each channel's delivery.
import { parseEvent } from '#shared/contracts';
import type { EventEnvelope } from '#shared/events';
import { logger } from '#shared/logger';
import { isTimeZone } from '#shared/time';
import { alertStore, directoryStore, inboxStore, settingsStore } from './config';
import { sendEmail } from './email';
import { notificationIdFor } from './inbox-store';
import { pushToUser } from './realtime';
import { messageFor, planChannels, recipientsOf, smsText, wantsSite, type Message } from './routing';
import {
  DEFAULT_SITE_SETTINGS,
  DEFAULT_USER_SETTINGS,
  OUTBOUND_CHANNELS,
  type AlertRecord,
  type Delivery,
  type NotificationRecord,
  type OutboundChannel,
  type UserSettings,
} from './schemas';
import { sendSms, siteSmsCap } from './sms';

export const alertIdOf = (siteId: string, alertKey: string) => `${siteId}#${alertKey}`;

/** What a notification looks like to its owner (API and realtime push alike). */
export function notificationView(notification: NotificationRecord, alert?: AlertRecord) {
  return {
    ...notification,
    read: notification.readAt !== undefined,
    ...(notification.alertId && { acknowledgementRequired: true }),
    ...(alert && {
      alert: {
        notified: alert.notified,
        acknowledged: alert.acknowledged ?? null,
        resolvedAt: alert.resolvedAt ?? null,
        escalation: alert.escalation,
      },
    }),
  };
}

interface Context {
  event: EventEnvelope;
  message: Message;
  siteName: string;
  timeZone: string;
  alertId?: string;
  now: number;
  /** The site's SMS cap, read once per event and only if some recipient gets an SMS. */
  smsCap: () => Promise<number>;
}

export async function notifyEvent(event: EventEnvelope): Promise<{ notified: number }> {
  const parsed = parseEvent(event);
  if (!parsed.success) {
    // Data that breaks its contract will not parse on a retry either: kept visible in the logs, and dropped.
    logger.error('malformed event dropped', { eventType: event.type, issues: parsed.issues });
    return { notified: 0 };
  }
  const routed = messageFor(parsed.event);
  if (!routed) return { notified: 0 };
  const { message, audience } = routed;
  if (message.resolvesAlertKey) await alertStore.resolveAlert(alertIdOf(event.siteId, message.resolvesAlertKey), event.siteId, event.occurredAt);

  const [site, members, owners] = await Promise.all([directoryStore.getSite(event.siteId), directoryStore.siteMembers(event.siteId), directoryStore.owners()]);
  const recipients = recipientsOf(audience, members, owners);
  if (recipients.length === 0) {
    // Kept visible: an alert for a site nobody is known at means the directory is behind or the site is unstaffed.
    logger.warn('event has no recipients', { siteId: event.siteId, eventType: event.type, knownSite: site !== undefined });
    return { notified: 0 };
  }
  // Quiet hours are the site's wall clock; a site not known yet, or a zone this runtime cannot use, falls back to UTC.
  const timeZone = site && isTimeZone(site.timeZone) ? site.timeZone : 'UTC';
  if (!site) logger.warn('site not in the directory yet; quiet hours use UTC', { siteId: event.siteId });
  else if (timeZone !== site.timeZone) logger.warn('site time zone unusable; quiet hours use UTC', { siteId: event.siteId, timeZone: site.timeZone });

  const now = Date.now();
  let cap: Promise<number> | undefined;
  const context: Context = {
    event,
    message,
    siteName: site?.name ?? event.siteId,
    timeZone,
    now,
    smsCap: () => (cap ??= siteSmsCap(event.siteId)),
  };
  if (message.alertKey) context.alertId = await openAlert(event, message, recipients, members, now);

  const settings = await settingsStore.userSettingsOf(recipients);
  const results = await Promise.allSettled(
    recipients.map((userId) => notifyUser(context, userId, settings.get(userId)?.settings ?? DEFAULT_USER_SETTINGS)),
  );
  const failed = results.filter((r) => r.status === 'rejected');
  // One recipient's failure must not lose the others': theirs are written; the retry redoes only what is missing.
  if (failed.length) throw (failed[0] as PromiseRejectedResult).reason;
  return { notified: results.filter((r) => r.status === 'fulfilled' && r.value).length };
}

/** A critical alert: recorded once with the people first told and when it escalates if nobody acknowledges. */
async function openAlert(event: EventEnvelope, message: Message, recipients: string[], members: Array<{ userId: string; role: string }>, now: number) {
  const alertId = alertIdOf(event.siteId, message.alertKey!);
  const policy = (await settingsStore.getSiteSettings(event.siteId))?.escalation ?? DEFAULT_SITE_SETTINGS.escalation;
  const managers = recipients.filter((id) => members.some((m) => m.userId === id && m.role === 'manager'));
  const dueAt = now + policy.afterSeconds * 1000;
  await alertStore.createAlert(
    {
      alertId,
      siteId: event.siteId,
      eventId: event.id,
      title: message.title,
      createdAt: new Date(now).toISOString(),
      notified: managers.length > 0 ? managers : recipients,
      escalation: { status: 'waiting', nextAt: new Date(dueAt).toISOString(), steps: [] },
    },
    dueAt,
  );
  return alertId;
}

async function notifyUser(context: Context, userId: string, settings: UserSettings): Promise<boolean> {
  const { event, message } = context;
  if (!wantsSite(settings, event.siteId, message.severity)) return false;
  const record: NotificationRecord = {
    notificationId: notificationIdFor(event.id, userId, event.occurredAt),
    userId,
    siteId: event.siteId,
    eventId: event.id,
    eventType: event.type,
    severity: message.severity,
    title: message.title,
    body: message.body,
    ...(context.alertId && { alertId: context.alertId }),
    createdAt: new Date(context.now).toISOString(),
    deliveries: planChannels({ severity: message.severity, settings, siteTimeZone: context.timeZone, now: context.now }),
    data: event.data,
  };
  const { notification } = await inboxStore.createNotification(record);
  // Channels still pending: all planned ones the first time; after a crash, only those it had not finished.
  for (const channel of OUTBOUND_CHANNELS) {
    if (notification.deliveries[channel]?.status !== 'pending') continue;
    const delivery = await deliver(context, channel, notification, settings);
    notification.deliveries[channel] = delivery;
    await inboxStore.recordDelivery(userId, notification.notificationId, channel, delivery);
  }
  return true;
}

async function deliver(context: Context, channel: OutboundChannel, notification: NotificationRecord, settings: UserSettings): Promise<Delivery> {
  const at = new Date(context.now).toISOString();
  switch (channel) {
    case 'realtime': {
      const { pushed } = await pushToUser(notification.userId, { type: 'notification', notification: notificationView(notification) });
      return pushed > 0 ? { status: 'sent', at } : { status: 'skipped', reason: 'no-open-connection', at };
    }
    case 'sms':
      return sendSms({
        siteId: context.event.siteId,
        phoneNumber: settings.channels.sms.phoneNumber!,
        text: smsText(context.siteName, context.message),
        cap: await context.smsCap(),
        now: context.now,
      });
    case 'email':
      return sendEmail({
        userId: notification.userId,
        subject: `[Brigade ${context.siteName}] ${context.message.title}`,
        text: `${context.message.title}\n\n${context.message.body}\n\nSite: ${context.siteName}\nWhen: ${context.event.occurredAt}\n`,
        now: context.now,
      });
  }
}
