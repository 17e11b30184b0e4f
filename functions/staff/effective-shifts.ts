// The shifts payroll sees, pure: the raw punches paired into shifts (clock-in … clock-out, breaks between
// break-start and break-end) with the approved punch edits applied on top, each shift saying where it came from.
// Raw punches are never changed: an edit replaces, voids or adds a shift in this view only, so the same punches and
// edits always give the same shifts. A shift still open (no clock-out yet) is listed apart: it is in no timesheet
// until it closes. Shifts are dated by their clock-in's site-local day.
import { localDateOf } from '#shared/time';
import type { PunchEditRecord } from './punch-edit-rules';
import type { PunchRecord } from './schemas';

export interface ShiftBreak {
  start: string;
  end: string;
}

/** What the time clock noted on the shift's punches (the clock and its auto-close job write these flags). */
export interface ShiftFlags {
  /** The clock-out was written by the auto-close job: the person forgot to clock out. */
  autoClosed?: boolean;
  /** Clocked in without a published shift. */
  unscheduled?: boolean;
  /** An early clock-in a manager allowed. */
  earlyApprovedBy?: string;
}

export interface EffectiveShift {
  shiftId: string;
  positionId: string;
  /** UTC ISO instants. */
  clockIn: string;
  clockOut: string;
  breaks: ShiftBreak[];
  /** The site-local day of the clock-in. */
  date: string;
  flags: ShiftFlags;
  source: { kind: 'raw' } | { kind: 'edit'; editId: string; editKind: 'replace' | 'add'; requestedBy: string; approvedBy: string; reason: string; replaced?: string };
}

export interface OpenShift {
  shiftId: string;
  positionId: string;
  clockIn: string;
  date: string;
}

/** Raw punches as stored, with the flags other slices of the clock may add. */
type FlaggedPunch = PunchRecord & { closedBy?: string; unscheduled?: boolean; earlyApprovedBy?: string };

/** Pairs raw punches (any order) into closed and open shifts; a shift whose clock-in lies before the punches read is skipped. */
export function rawShifts(punches: readonly PunchRecord[], timeZone: string): { shifts: EffectiveShift[]; open: OpenShift[] } {
  const byShift = new Map<string, FlaggedPunch[]>();
  for (const punch of punches) byShift.set(punch.shiftId, [...(byShift.get(punch.shiftId) ?? []), punch]);
  const shifts: EffectiveShift[] = [];
  const open: OpenShift[] = [];
  for (const [shiftId, group] of byShift) {
    const ordered = [...group].sort((a, b) => a.seq - b.seq);
    const clockIn = ordered.find((punch) => punch.kind === 'clock-in');
    if (!clockIn) continue;
    const clockOut = ordered.find((punch) => punch.kind === 'clock-out');
    const date = localDateOf(Date.parse(clockIn.at), timeZone);
    if (!clockOut) {
      open.push({ shiftId, positionId: clockIn.positionId, clockIn: clockIn.at, date });
      continue;
    }
    const breaks: ShiftBreak[] = [];
    for (const punch of ordered) {
      if (punch.kind === 'break-start') breaks.push({ start: punch.at, end: clockOut.at });
      if (punch.kind === 'break-end' && breaks.length > 0) breaks[breaks.length - 1]!.end = punch.at;
    }
    const flags: ShiftFlags = {
      ...(clockOut.closedBy === 'auto-close' ? { autoClosed: true } : {}),
      ...(clockIn.unscheduled ? { unscheduled: true } : {}),
      ...(clockIn.earlyApprovedBy ? { earlyApprovedBy: clockIn.earlyApprovedBy } : {}),
    };
    // Zero-length breaks (start and end in the same second) are no break at all.
    const kept = breaks.filter((pause) => pause.end > pause.start);
    shifts.push({ shiftId, positionId: clockIn.positionId, clockIn: clockIn.at, clockOut: clockOut.at, breaks: kept, date, flags, source: { kind: 'raw' } });
  }
  return { shifts: byClockIn(shifts), open: open.sort((a, b) => a.clockIn.localeCompare(b.clockIn)) };
}

/** The id a shift added by an edit has, so that a later edit can replace or void it. */
export const addedShiftId = (editId: string) => `edit-${editId}`;

/** `shifts` with the approved edits applied in the order they were approved (a later edit of a shift wins). */
export function applyEdits(shifts: readonly EffectiveShift[], edits: readonly PunchEditRecord[], timeZone: string): EffectiveShift[] {
  const byId = new Map(shifts.map((shift) => [shift.shiftId, shift]));
  const approved = edits.filter((edit) => edit.status === 'approved').sort((a, b) => (a.decidedAt ?? '').localeCompare(b.decidedAt ?? '') || a.editId.localeCompare(b.editId));
  for (const edit of approved) {
    if (edit.kind === 'void') {
      byId.delete(edit.shiftId!);
      continue;
    }
    const shiftId = edit.kind === 'add' ? addedShiftId(edit.editId) : edit.shiftId!;
    const before = byId.get(shiftId);
    byId.set(shiftId, {
      shiftId,
      positionId: edit.positionId,
      clockIn: edit.clockIn!,
      clockOut: edit.clockOut!,
      breaks: edit.breaks,
      date: localDateOf(Date.parse(edit.clockIn!), timeZone),
      flags: before?.flags ?? {},
      source: {
        kind: 'edit',
        editId: edit.editId,
        editKind: edit.kind,
        requestedBy: edit.requestedBy,
        approvedBy: edit.decidedBy!,
        reason: edit.reason,
        ...(edit.kind === 'replace' ? { replaced: shiftId } : {}),
      },
    });
  }
  return byClockIn([...byId.values()]);
}

/** Closed shifts after the approved edits: what timesheets show and payroll pays. */
export function effectiveShifts(punches: readonly PunchRecord[], edits: readonly PunchEditRecord[], timeZone: string): { shifts: EffectiveShift[]; open: OpenShift[] } {
  const raw = rawShifts(punches, timeZone);
  return { shifts: applyEdits(raw.shifts, edits, timeZone), open: raw.open };
}

function byClockIn(shifts: EffectiveShift[]): EffectiveShift[] {
  return shifts.sort((a, b) => a.clockIn.localeCompare(b.clockIn) || a.shiftId.localeCompare(b.shiftId));
}
