// The events staff publishes (functions/shared/contracts/staff.ts), built from a tap's outcome. Ids are per shift,
// so the outbox relay's copy of an event keeps its id.
import { buildEvent, type EventEnvelope } from '#shared/events';
import type { ClosedShift, OpenShift } from './clock-rules';

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
