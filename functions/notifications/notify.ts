// From an event to people: who, what it says, which channels; then the inbox write and each channel's delivery.
import { parseEvent } from '#shared/contracts';
import type { EventEnvelope } from '#shared/events';
import { logger } from '#shared/logger';
import { recordNotificationSent } from '#shared/metrics';
import { isTimeZone } from '#shared/time';
import { createGather } from './batch-gather';
import { alertStore, directoryStore, inboxStore, settingsStore } from './config';
import { sendEmail } from './email';
import { createDirectoryCache } from './directory-cache';
import { hasPending, notificationIdFor } from './inbox-store';
import { openConnections, pushNotifications, type OpenConnections, type PushOutcome } from './realtime';
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
  type UserSettingsRecord,
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

/**
 * The calls an event shares with the other events of its batch: its recipients' settings and open connections
 * (with the revocation check), their inbox writes (the claims), the realtime push and the outcomes' writes. Alone,
 * each is one call for the event; in a batch (notifyEvents), one call for all its events.
 */
interface SharedCalls {
  userSettingsOf(userIds: string[]): Promise<Map<string, UserSettingsRecord>>;
  openConnections(userIds: string[]): Promise<OpenConnections>;
  createNotifications(entries: Array<{ notification: NotificationRecord; nowMs: number }>): Promise<Array<PromiseSettledResult<{ created: boolean; notification: NotificationRecord }>>>;
  /** Called once per event, with no notification when nothing is to be pushed (so a batch does not wait for it). */
  push(found: OpenConnections, notifications: ReadonlyMap<string, unknown>): Promise<Map<string, PushOutcome>>;
  /** Called once per event, with no entry when nothing was delivered. */
  recordDeliveries(entries: DeliveriesEntry[]): Promise<Array<PromiseSettledResult<void>>>;
}

type DeliveriesEntry = { userId: string; notificationId: string; deliveries: Partial<Record<OutboundChannel, Delivery>> };

const alone: SharedCalls = {
  userSettingsOf: (userIds) => settingsStore.userSettingsOf(userIds),
  openConnections: (userIds) => openConnections(userIds),
  createNotifications: (entries) => inboxStore.createNotifications(entries),
  push: (found, notifications) => pushByUser(found, notifications, (requests) => pushNotifications(found, requests)),
  recordDeliveries: async (entries) => (entries.length > 0 ? inboxStore.recordDeliveries(entries) : []),
};

interface Context {
  event: EventEnvelope;
  calls: SharedCalls;
  message: Message;
  siteName: string;
  timeZone: string;
  alertId?: string;
  now: number;
  /** The recipients' open connections, looked up before their inbox writes: a push's outcome is written with them. */
  connections: OpenConnections;
  /** The site's SMS cap, read once per event and only if some recipient gets an SMS. */
  smsCap: () => Promise<number>;
}

/** A recipient's notification whose pending channels this consumer owns (it wrote it, or took over its lease). */
interface Claimed {
  userId: string;
  settings: UserSettings;
  notification: NotificationRecord;
  /** This consumer wrote it with its realtime push recorded as sent (notificationFor): the push is still to make. */
  pushOwed: boolean;
}

// Per container: a burst for one site reads its directory once per TTL (directory-cache.ts, and its bound).
const directory = createDirectoryCache(directoryStore);

/**
 * One event → its recipients' notifications. No receipt per event: each recipient's inbox write is the claim
 * (conditional on the event and user), and the writer owns the pending channels until it records them, so a
 * redelivery writes and sends nothing twice. The recipients' open connections are looked up beside their settings,
 * before the inbox write, so that write already records the realtime push (sent, or no open connection) and the
 * push needs no write of its own: only SMS and email, and a push no connection took, have their outcome written
 * after (docs/notifications.md, "Realtime at most once"). Round trips: settings with connections and revocations,
 * inbox writes, the pushes, and outcomes only where SMS or email went out; the directory comes from the cache.
 */
export async function notifyEvent(event: EventEnvelope, calls: SharedCalls = alone, publishedAt = Date.now()): Promise<{ notified: number }> {
  const parsed = parseEvent(event);
  if (!parsed.success) {
    // Data that breaks its contract will not parse on a retry either: kept visible in the logs, and dropped.
    logger.error('malformed event dropped', { eventType: event.type, issues: parsed.issues });
    return { notified: 0 };
  }
  const routed = messageFor(parsed.event, publishedAt);
  if (!routed) return { notified: 0 };
  const { message, audience } = routed;

  const [, cached] = await Promise.all([
    message.resolvesAlertKey && alertStore.resolveAlert(alertIdOf(event.siteId, message.resolvesAlertKey), event.siteId, event.occurredAt),
    directory.siteDirectory(event.siteId),
  ]);
  let { site, members, owners } = cached;
  let recipients = recipientsOf(audience, members, owners);
  // Nobody found in a cached copy may be a change newer than the copy: ask the table before giving up.
  if (recipients.length === 0) {
    ({ site, members, owners } = await directory.siteDirectory(event.siteId, { fresh: true }));
    recipients = recipientsOf(audience, members, owners);
  }
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
  const [alertId, settings, connections] = await Promise.all([
    message.alertKey ? openAlert(event, message, recipients, members, now) : undefined,
    calls.userSettingsOf(recipients),
    calls.openConnections(recipients),
  ]);
  const context: Context = {
    event,
    calls,
    message,
    siteName: site?.name ?? event.siteId,
    timeZone,
    now,
    connections,
    smsCap: () => (cap ??= siteSmsCap(event.siteId)),
    ...(alertId && { alertId }),
  };

  const wanted = recipients.flatMap((userId) => {
    const userSettings = settings.get(userId)?.settings ?? DEFAULT_USER_SETTINGS;
    return wantsSite(userSettings, event.siteId, message.severity) ? [{ userId, settings: userSettings }] : [];
  });
  const written = await calls.createNotifications(wanted.map(({ userId, settings }) => ({ notification: notificationFor(context, userId, settings), nowMs: now })));
  const claims = await Promise.allSettled(
    written.map(async (write, i) => {
      if (write.status === 'rejected') throw write.reason;
      return claim(write.value, wanted[i]!.settings, now);
    }),
  );
  const claimed = claims.flatMap((c) => (c.status === 'fulfilled' && c.value ? [c.value] : []));
  const delivered = await deliverAll(context, claimed);
  const failed = [...claims, ...delivered].filter((r) => r.status === 'rejected');
  // One recipient's failure must not lose the others': theirs are written; the retry redoes only what is missing.
  if (failed.length) throw (failed[0] as PromiseRejectedResult).reason;
  return { notified: wanted.length };
}

/**
 * A batch of events (notify-alert.ts): each routed, claimed and delivered as notifyEvent does alone, while the
 * recipients' settings of all of them are one read, their inbox writes one round of batched writes, their realtime
 * pushes one round (each user's connections listed once, one revocation read) and their outcomes one round of
 * batched writes. Outcomes in the order of `events`; one event's failure is only its own. `publishedAt`: when each
 * was published (epoch ms), so an alert's lateness is its producer's, not this consumer's backlog.
 */
export async function notifyEvents(events: EventEnvelope[], publishedAt: readonly number[] = []): Promise<Array<PromiseSettledResult<{ notified: number }>>> {
  // Every event asks each gather once, in this order, or passes: a gather loads once all have.
  const settingsGather = createGather(events.length, async (asks: string[][]) => {
    const all = await settingsStore.userSettingsOf([...new Set(asks.flat())]);
    return asks.map(() => all);
  });
  const connectionsGather = createGather(events.length, async (asks: string[][]) => {
    const found = await openConnections([...new Set(asks.flat())]);
    return asks.map(() => found);
  });
  const inboxGather = createGather(events.length, (asks: Array<Parameters<SharedCalls['createNotifications']>[0]>) =>
    inEach(asks, (entries) => inboxStore.createNotifications(entries)),
  );
  // One round for the batch: a user's notifications of all its events go out together (pushNotifications).
  const pushGather = createGather(events.length, async (asks: Array<{ found: OpenConnections; notifications: ReadonlyMap<string, unknown> }>) => {
    const requests = asks.flatMap(({ notifications }) => [...notifications].map(([userId, notification]) => ({ userId, notification })));
    const found: OpenConnections = { open: new Map(asks.flatMap((a) => [...a.found.open])), closed: new Map() };
    const outcomes = await pushNotifications(found, requests);
    let next = 0;
    return asks.map(({ notifications }) => new Map([...notifications.keys()].map((userId) => [userId, outcomes[next++]!])));
  });
  const outcomesGather = createGather(events.length, (asks: DeliveriesEntry[][]) => inEach(asks, (entries) => inboxStore.recordDeliveries(entries)));
  return Promise.allSettled(
    events.map(async (event, i) => {
      const seats = [settingsGather.seat(), connectionsGather.seat(), inboxGather.seat(), pushGather.seat(), outcomesGather.seat()] as const;
      const [settingsSeat, connectionsSeat, inboxSeat, pushSeat, outcomesSeat] = seats;
      try {
        return await notifyEvent(event, {
          userSettingsOf: (userIds) => settingsSeat.ask(userIds),
          openConnections: (userIds) => connectionsSeat.ask(userIds),
          createNotifications: (entries) => inboxSeat.ask(entries),
          push: (found, notifications) => {
            if (notifications.size > 0) return pushSeat.ask({ found, notifications });
            pushSeat.pass();
            return Promise.resolve(new Map());
          },
          recordDeliveries: (entries) => {
            if (entries.length > 0) return outcomesSeat.ask(entries);
            outcomesSeat.pass();
            return Promise.resolve([]);
          },
        }, publishedAt[i]);
      } finally {
        for (const seat of seats) seat.pass();
      }
    }),
  );
}

/** An event's notifications (one per user) pushed, and each user's outcome; nothing to push is no call. */
async function pushByUser(
  found: OpenConnections,
  notifications: ReadonlyMap<string, unknown>,
  push: (requests: Array<{ userId: string; notification: unknown }>) => Promise<PushOutcome[]>,
): Promise<Map<string, PushOutcome>> {
  if (notifications.size === 0) return new Map();
  const requests = [...notifications].map(([userId, notification]) => ({ userId, notification }));
  const outcomes = await push(requests);
  return new Map(requests.map((r, i) => [r.userId, outcomes[i]!]));
}

/** One call of `load` for the entries of every ask; its results handed back to each ask in order. */
async function inEach<Entry, Result>(asks: Entry[][], load: (entries: Entry[]) => Promise<Result[]>): Promise<Result[][]> {
  const results = await load(asks.flat());
  let next = 0;
  return asks.map((entries) => results.slice(next, (next += entries.length)));
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

/** The notification an event gives a user: its id is the same for every delivery of the event. */
function notificationFor(context: Context, userId: string, settings: UserSettings): NotificationRecord {
  const { event, message } = context;
  return {
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
    deliveries: withRealtimeDecided(planChannels({ severity: message.severity, settings, siteTimeZone: context.timeZone, now: context.now }), context, userId),
    data: event.data,
  };
}

/**
 * A realtime push the plan wants is recorded in the inbox write itself: sent when the user has an open connection
 * (the writer then owes the push, deliverAll), skipped when none. Nothing is left pending for it, so it needs no
 * outcome write; the price is that a consumer dying between this write and its push loses that push (the
 * notification is in the inbox, and unread).
 */
function withRealtimeDecided(deliveries: NotificationRecord['deliveries'], context: Context, userId: string): NotificationRecord['deliveries'] {
  if (deliveries.realtime?.status !== 'pending') return deliveries;
  const at = new Date(context.now).toISOString();
  const open = (context.connections.open.get(userId)?.length ?? 0) > 0;
  return { ...deliveries, realtime: open ? { status: 'sent', at } : { status: 'skipped', reason: 'no-open-connection', at } };
}

/**
 * The user's notification as its write found it. Returns it when this consumer is to deliver its pending channels:
 * all of them when the write created it; after a consumer died or failed, those it had not finished. Undefined when
 * nothing is pending or another consumer holds them.
 */
async function claim(write: { created: boolean; notification: NotificationRecord }, settings: UserSettings, now: number): Promise<Claimed | undefined> {
  const { created, notification } = write;
  const { userId } = notification;
  if (created) {
    recordNotificationSent('inbox');
    return { userId, settings, notification, pushOwed: notification.deliveries.realtime?.status === 'sent' };
  }
  if (!hasPending(notification)) return undefined;
  const taken = await inboxStore.takeOverPending(userId, notification.notificationId, now);
  if (!taken) logger.info('notification being delivered by another consumer', { userId, notificationId: notification.notificationId });
  return taken && { userId, settings, notification: taken, pushOwed: false };
}

/**
 * Every claimed recipient's pushes and pending channels at once: one realtime push round for all of them, SMS and
 * email beside it, then the outcomes still to write in one round (SMS, email, a realtime push taken over from a
 * consumer that died, or one that no connection took). A recipient whose delivery or outcome failed gives its
 * lease back for the retry, and a push it owed and could not make is marked pending again so that the retry makes it.
 */
async function deliverAll(context: Context, claimed: Claimed[]): Promise<Array<PromiseSettledResult<void>>> {
  const pendingOn = (c: Claimed, channel: OutboundChannel) => c.notification.deliveries[channel]?.status === 'pending';
  const forRealtime = claimed.filter((c) => c.pushOwed || pendingOn(c, 'realtime'));
  const pushes = context.calls.push(context.connections, new Map(forRealtime.map((c) => [c.userId, notificationView(c.notification)])));
  pushes.catch(() => undefined); // each recipient awaits it below; a failure is theirs, not an unhandled rejection
  const at = new Date(context.now).toISOString();
  const realtimeOutcome = async (c: Claimed): Promise<Delivery> => {
    const pushed = (await pushes).get(c.userId)?.pushed ?? 0;
    return pushed > 0 ? { status: 'sent', at } : { status: 'skipped', reason: 'no-open-connection', at };
  };

  const delivered = await Promise.allSettled(
    claimed.map(async (c) => {
      const outcomes = await Promise.all(
        OUTBOUND_CHANNELS.filter((channel) => pendingOn(c, channel)).map(async (channel): Promise<[OutboundChannel, Delivery]> => {
          if (channel !== 'realtime') return [channel, await deliver(context, channel, c.notification, c.settings)];
          return [channel, await realtimeOutcome(c)];
        }),
      );
      if (!c.pushOwed) return { outcomes, toWrite: outcomes };
      // Written as sent with the notification; written again only if every connection was gone by the push.
      const realtime = await realtimeOutcome(c);
      return { outcomes: [...outcomes, ['realtime', realtime] as [OutboundChannel, Delivery]], toWrite: realtime.status === 'sent' ? outcomes : [...outcomes, ['realtime', realtime] as [OutboundChannel, Delivery]] };
    }),
  );
  const done = claimed.flatMap((c, i) => {
    const outcome = delivered[i]!;
    return outcome.status === 'fulfilled' && outcome.value.toWrite.length > 0 ? [{ claimed: c, toWrite: outcome.value.toWrite }] : [];
  });
  const recorded = await context.calls.recordDeliveries(
    done.map(({ claimed: c, toWrite }) => ({ userId: c.userId, notificationId: c.notification.notificationId, deliveries: Object.fromEntries(toWrite) })),
  );
  const recordedOf = new Map(done.map((d, j) => [d.claimed, recorded[j]!]));
  return Promise.allSettled(
    claimed.map(async (c, i) => {
      const outcome = delivered[i]!;
      const failure = outcome.status === 'rejected' ? outcome : recordedOf.get(c);
      if (failure?.status === 'rejected') {
        const { userId, notification } = c;
        // A push owed and not made (the round failed, or no connection took it and that could not be written).
        const pushFailed = c.pushOwed && (await pushes.then((outcomes) => !(outcomes.get(userId)?.pushed ?? 0), () => true));
        await inboxStore.releaseLease(userId, notification.notificationId, { owePush: pushFailed }).catch((releaseError: unknown) =>
          // Not fatal: the lease then runs out on its own (DELIVERY_LEASE_MS) and a later retry takes over; a push
          // owed and not marked is lost (the notification stays in the inbox).
          logger.warn('delivery lease not released', { userId, error: releaseError as Error }),
        );
        throw failure.reason;
      }
      for (const [channel, delivery] of (outcome as PromiseFulfilledResult<{ outcomes: Array<[OutboundChannel, Delivery]> }>).value.outcomes) {
        if (delivery.status === 'sent') recordNotificationSent(channel);
      }
    }),
  );
}

async function deliver(context: Context, channel: Exclude<OutboundChannel, 'realtime'>, notification: NotificationRecord, settings: UserSettings): Promise<Delivery> {
  switch (channel) {
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
