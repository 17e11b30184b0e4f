// The events staff publishes (functions/shared/contracts/staff.ts), built from a tap's outcome or a profile write.
// Ids are per fact (a shift, a profile version), so the outbox relay's copy of an event keeps its id.
import { buildEvent, type EventEnvelope } from '#shared/events';
import type { ClosedShift, OpenShift } from './clock-rules';
import type { PayRates } from './profile-rules';
import type { ProfileRecord } from './schemas';

interface Context {
  siteId: string;
  userId: string;
  correlationId: string;
  /** The site-local day the shift began on. */
  localDate: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

function shiftEvent(type: 'staff.clocked-in' | 'staff.clocked-out', at: number, shift: OpenShift | ClosedShift, context: Context, more: Record<string, unknown> = {}): EventEnvelope {
  const { siteId, userId, correlationId, localDate } = context;
  return buildEvent({
    type,
    source: 'staff',
    siteId,
    correlationId,
    id: `${type === 'staff.clocked-in' ? 'clock-in' : 'clock-out'}:${shift.shiftId}`,
    occurredAt: new Date(at),
    data: { shiftId: shift.shiftId, userId, positionId: shift.positionId, clockedInAt: iso(shift.clockedInAt), localDate, ...more },
  });
}

export const clockedIn = (shift: OpenShift, context: Context) => shiftEvent('staff.clocked-in', shift.clockedInAt, shift, context);

/** `autoClosed`: the auto-close job closed the shift (auto-close.ts), so the manager sees it flagged. */
export const clockedOut = (shift: ClosedShift, context: Context, options: { autoClosed?: true } = {}) =>
  shiftEvent('staff.clocked-out', shift.clockedOutAt, shift, context, {
    clockedOutAt: iso(shift.clockedOutAt),
    breakSeconds: shift.breakSeconds,
    workedSeconds: shift.workedSeconds,
    ...options,
  });

/**
 * The person's hourly cost per position at `profile`'s version (profile-rules.ts payRatesOf). The id names the site:
 * a person may have a profile at several sites, each with its own versions, and consumers deduplicate by id alone.
 */
export function payRatesChanged(profile: Pick<ProfileRecord, 'siteId' | 'userId' | 'version' | 'updatedAt'>, payRates: PayRates, correlationId: string): EventEnvelope {
  const { siteId, userId, version } = profile;
  return buildEvent({
    type: 'staff.pay-rates-changed',
    source: 'staff',
    siteId,
    correlationId,
    id: `pay-rates:${siteId}:${userId}:v${version}`,
    occurredAt: new Date(profile.updatedAt),
    data: { userId, version, ...payRates },
  });
}
