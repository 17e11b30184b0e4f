// Who hears about an event, what it says, and on which channels: pure functions, so every rule is unit-tested.
import { localTimeOf } from '#shared/time';
import type { KnownEvent } from '#shared/contracts';
import {
  severityRank,
  type Delivery,
  type Member,
  type OutboundChannel,
  type Severity,
  type UserSettings,
} from './schemas';

export interface Message {
  severity: Severity;
  title: string;
  body: string;
  /** Critical alerts must be acknowledged and escalate until they are; `alertKey` names the alert. */
  alertKey?: string;
  /** The alert this event ends (an excursion back in range): its escalation stops. */
  resolvesAlertKey?: string;
}

export type Audience = { kind: 'site-managers'; andOwners: boolean } | { kind: 'user'; userId: string };

function deviceLabel(data: { deviceName: string; location?: string }): string {
  return data.location ? `${data.deviceName} (${data.location})` : data.deviceName;
}

function limitText({ minC, maxC }: { minC?: number; maxC?: number }): string {
  if (minC !== undefined && maxC !== undefined) return ` (safe range ${minC} to ${maxC} °C)`;
  if (maxC !== undefined) return ` (limit ${maxC} °C)`;
  return '';
}

/** A stock quantity as a kitchen reads it: 2500 g is 2.5 kg, 750 ml stays 750 ml, 12 each is 12. */
export function quantityText(quantity: number, unit: 'g' | 'ml' | 'each'): string {
  const exact = (n: number) => String(Number(n.toFixed(3)));
  if (unit === 'each') return exact(quantity);
  const large = unit === 'g' ? 'kg' : 'l';
  return Math.abs(quantity) >= 1000 ? `${exact(quantity / 1000)} ${large}` : `${exact(quantity)} ${unit}`;
}

/**
 * An excursion published this long after the reading that revealed it was found late: its readings reached
 * Brigade late (a unit flushing its buffer, a batch put back from the telemetry DLQ), or its alert was published late.
 */
export const FOUND_LATE_AFTER_MS = 10 * 60_000;

/** What an event says to a person, or undefined when it is nothing to tell anyone. `publishedAt`: epoch ms. */
export function messageFor(event: KnownEvent, publishedAt: number): { message: Message; audience: Audience } | undefined {
  switch (event.type) {
    case 'iot.excursion-started': {
      const d = event.data;
      const sinceDetectedMs = publishedAt - Date.parse(d.detectedAt);
      const late = sinceDetectedMs >= FOUND_LATE_AFTER_MS;
      return {
        audience: { kind: 'site-managers', andOwners: d.severity === 'critical' },
        message: {
          severity: d.severity,
          title: `${deviceLabel(d)} out of safe temperature: ${d.temperatureC} °C${late ? ' (found late)' : ''}`,
          body:
            (late ? `Found late: reported ${Math.floor(sinceDetectedMs / 60_000)} min after the reading that showed it. ` : '') +
            `Out of range since ${d.startedAt}${limitText(d.limits)}. Check the door and the unit, move food if needed, and record a corrective action.`,
          ...(d.severity === 'critical' && { alertKey: d.incidentId }),
        },
      };
    }
    case 'iot.excursion-ended': {
      const d = event.data;
      return {
        audience: { kind: 'site-managers', andOwners: false },
        message: {
          severity: 'info',
          title: `${deviceLabel(d)} back in safe range`,
          body: `Back in range after ${d.durationMinutes} min, peak ${d.peakC} °C.`,
          resolvesAlertKey: d.incidentId,
        },
      };
    }
    case 'iot.device-offline':
      return {
        audience: { kind: 'site-managers', andOwners: false },
        message: {
          severity: event.data.severity,
          title: `${deviceLabel(event.data)} stopped reporting`,
          body: `No readings since ${event.data.lastSeenAt}: its temperatures are not being watched. Check its power and network.`,
        },
      };
    case 'iot.device-online':
      return {
        audience: { kind: 'site-managers', andOwners: false },
        message: { severity: 'info', title: `${deviceLabel(event.data)} reporting again`, body: `Readings resumed at ${event.data.backAt}.` },
      };
    case 'inventory.low-stock': {
      const d = event.data;
      const amount = (q: number) => quantityText(q, d.unit);
      const delivery = d.nextDelivery
        ? ` Next delivery from ${d.nextDelivery.supplierName} on ${d.nextDelivery.deliveryDate} if ordered before ${d.nextDelivery.orderBy}.`
        : ' No supplier sells it: buy it in by hand.';
      const runsOut = d.runsOutAt ? ` At the current usage it runs out around ${d.runsOutAt}.` : '';
      return {
        audience: { kind: 'site-managers', andOwners: false },
        message: {
          severity: d.severity,
          title: `Low stock: ${d.itemName}, ${amount(d.onHand)} left`,
          body: `Reorder point ${amount(d.reorderPoint)}; ${amount(d.neededUntilDelivery)} needed until the next delivery.${runsOut}${delivery}`,
        },
      };
    }
    case 'inventory.stock-restored': {
      const d = event.data;
      return {
        audience: { kind: 'site-managers', andOwners: false },
        message: {
          severity: d.severity,
          title: `${d.itemName} back in stock: ${quantityText(d.onHand, d.unit)}`,
          body: `Above its reorder point again; low since ${d.lowSince}.`,
        },
      };
    }
    case 'inventory.stock-held': {
      const d = event.data;
      const where = d.locationName ?? d.location;
      const what = d.items.length === 0 ? 'nothing on hand there' : d.items.map((i) => `${i.itemName} ${quantityText(i.quantity, i.unit)}`).join(', ');
      return {
        audience: { kind: 'site-managers', andOwners: false },
        message: {
          severity: d.severity,
          title: `Stock on hold at ${where}`,
          body: `${d.reason}. Held: ${what}. Do not use it until a manager releases it or discards it as waste.`,
        },
      };
    }
    case 'order.status-changed': {
      const { to, serverId, ticketNumber } = event.data;
      if (to !== 'ready') return undefined;
      return {
        audience: { kind: 'user', userId: serverId },
        message: { severity: 'info', title: `Order #${ticketNumber} is ready`, body: 'Ready at the pass.' },
      };
    }
    case 'staff.schedule-published': {
      const { userId, from, to, shifts, removed = [] } = event.data;
      const span = from === to ? from : `${from} to ${to}`;
      const count = (n: number) => `${n} shift${n === 1 ? '' : 's'}`;
      const list = (some: ReadonlyArray<{ date: string; positionId: string }>) => some.map((s) => `${s.date} ${s.positionId}`).join(', ');
      const parts = [
        ...(shifts.length > 0 ? [`${count(shifts.length)} new or changed: ${list(shifts)}.`] : []),
        ...(removed.length > 0 ? [`${count(removed.length)} no longer yours: ${list(removed)}.`] : []),
      ];
      return {
        audience: { kind: 'user', userId },
        message: {
          // A shift taken away is what someone must not miss before coming in for it.
          severity: removed.length > 0 ? 'warning' : 'info',
          title: removed.length > 0 ? `Your schedule for ${span} changed` : `Your schedule for ${span} is published`,
          body: `${parts.join(' ')} Open the schedule for the times.`,
        },
      };
    }
    default:
      return undefined;
  }
}

/** The user ids an audience reaches at a site: active members only, owners once even if also listed as members. */
export function recipientsOf(audience: Audience, siteMembers: Member[], owners: Member[]): string[] {
  const active = (m: Member) => m.status === 'active';
  if (audience.kind === 'user') {
    const known = [...siteMembers, ...owners].some((m) => active(m) && m.userId === audience.userId);
    return known ? [audience.userId] : [];
  }
  const managers = siteMembers.filter((m) => active(m) && m.role === 'manager').map((m) => m.userId);
  const ownerIds = owners.filter(active).map((m) => m.userId);
  // A site without a manager still has someone to tell: its owners, for every site alert.
  const chosen = audience.andOwners || managers.length === 0 ? [...managers, ...ownerIds] : managers;
  return [...new Set(chosen)];
}

/** Is `instant` inside the daily quiet window of the site's wall clock? Windows may cross midnight (22:00–07:00). */
export function inQuietHours(quietHours: UserSettings['quietHours'], instant: number, timeZone: string): boolean {
  if (!quietHours) return false;
  const now = localTimeOf(instant, timeZone);
  const { start, end } = quietHours;
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/**
 * The plan for each outbound channel of one recipient: send, or skip with the reason (kept on the notification,
 * so "why didn't I get a text?" has an answer). The inbox is not a channel here: it always gets the notification.
 */
export function planChannels(input: {
  severity: Severity;
  settings: UserSettings;
  siteTimeZone: string;
  now: number;
}): Record<OutboundChannel, Delivery> {
  const { severity, settings } = input;
  const critical = severity === 'critical';
  const quiet = !critical && inQuietHours(settings.quietHours, input.now, input.siteTimeZone);
  const plan = (channel: OutboundChannel, missingAddress?: string): Delivery => {
    const choice = settings.channels[channel];
    if (!choice.enabled) return { status: 'skipped', reason: 'disabled' };
    if (severityRank(severity) < severityRank(choice.minSeverity)) return { status: 'skipped', reason: 'below-min-severity' };
    if (missingAddress) return { status: 'skipped', reason: missingAddress };
    // Realtime only reaches an app that is open: nobody is woken by it, so quiet hours do not hold it back.
    if (quiet && channel !== 'realtime') return { status: 'skipped', reason: 'quiet-hours' };
    return { status: 'pending' };
  };
  return {
    realtime: plan('realtime'),
    sms: plan('sms', settings.channels.sms.phoneNumber ? undefined : 'no-phone-number'),
    email: plan('email', settings.channels.email.address ? undefined : 'no-email-address'),
  };
}

/** Site opt-outs drop non-critical notifications entirely (not even the inbox): that is what opting out means. */
export function wantsSite(settings: UserSettings, siteId: string, severity: Severity): boolean {
  return severity === 'critical' || settings.sites[siteId]?.enabled !== false;
}

/** The text of an SMS: short, with the site, under one 160-character segment where possible. */
export function smsText(siteName: string, message: Pick<Message, 'severity' | 'title'>, prefix = ''): string {
  const tag = message.severity === 'critical' ? 'CRITICAL' : message.severity === 'warning' ? 'Warning' : 'Info';
  const text = `${prefix}[Brigade ${siteName}] ${tag}: ${message.title}`;
  return text.length <= 320 ? text : `${text.slice(0, 319)}…`;
}

/** SNS takes email subjects of printable ASCII under 100 characters: accents folded, symbols like ° dropped. */
export function emailSubject(text: string): string {
  const ascii = text.normalize('NFKD').replace(/\s+/g, ' ').replace(/[^\x20-\x7E]/g, '').replace(/ {2,}/g, ' ').trim();
  return (ascii || 'Brigade notification').slice(0, 99);
}

/** When escalation step `step` (1 = first page) is taken at `now`: when the next is due, or undefined if it was the last. */
export function nextStepDue(step: number, now: number, policy: { repeatEverySeconds: number; maxRepeats: number }): number | undefined {
  return step <= policy.maxRepeats ? now + policy.repeatEverySeconds * 1000 : undefined;
}
