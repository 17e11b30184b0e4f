// Punch edits' rules, pure. Raw punches are immutable: a correction is a new record saying who asked, why, and what
// the shift should be, and payroll sees it only once a manager approved it (effective-shifts.ts).
//   replace  a raw (or earlier added) shift `shiftId` is, in truth, clockIn … clockOut with these breaks
//   add      a shift the clock never saw (a forgotten clock-in): no shiftId
//   void     the shift `shiftId` did not happen (a tap by mistake): no times
//
//   pending ──approve──▶ approved        a manager or owner; never the person whose punches these are, unless an
//      │                                 owner (a manager does not approve their own hours)
//      └────decline───▶ declined
// Times must make sense on their own (clockOut after clockIn, at most 24 h, breaks inside and apart) and with the
// person's other shifts (no overlap): a 422 naming the field. Touching a locked pay period is a 409 (punch-edits.ts).
import * as z from 'zod';
import { ConflictError, ForbiddenError, UnprocessableError } from '#shared/errors';
import type { Caller } from '#shared/identity';
import { pageQueryFields } from '#shared/pages';
import { instantSchema } from '#shared/time';
import type { EffectiveShift, ShiftBreak } from './effective-shifts';
import { idSchema, positionIdSchema } from './schemas';

export const PUNCH_EDIT_KINDS = ['replace', 'add', 'void'] as const;
export const PUNCH_EDIT_STATUSES = ['pending', 'approved', 'declined'] as const;
const DAY_MS = 86_400_000;
const MAX_BREAKS = 10;

const isoInstant = instantSchema.transform((ms) => new Date(ms).toISOString());

export const punchEditBodySchema = z
  .strictObject({
    kind: z.enum(PUNCH_EDIT_KINDS),
    /** The shift replaced or voided (a raw shift's id, or `edit-{editId}` of an added one); absent for `add`. */
    shiftId: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/).optional(),
    clockIn: isoInstant.optional(),
    clockOut: isoInstant.optional(),
    breaks: z.array(z.strictObject({ start: isoInstant, end: isoInstant })).max(MAX_BREAKS).default([]),
    positionId: positionIdSchema.optional(),
    reason: z.string().trim().min(3).max(500),
  })
  .superRefine((edit, ctx) => {
    const needsShift = edit.kind !== 'add';
    if (needsShift && !edit.shiftId) ctx.addIssue({ code: 'custom', path: ['shiftId'], message: `required for ${edit.kind}` });
    if (!needsShift && edit.shiftId) ctx.addIssue({ code: 'custom', path: ['shiftId'], message: 'an added shift replaces none: leave shiftId out' });
    if (edit.kind === 'void') {
      for (const field of ['clockIn', 'clockOut', 'positionId'] as const) {
        if (edit[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'a void has no times or position' });
      }
      if (edit.breaks.length > 0) ctx.addIssue({ code: 'custom', path: ['breaks'], message: 'a void has no breaks' });
      return;
    }
    if (!edit.clockIn) ctx.addIssue({ code: 'custom', path: ['clockIn'], message: `required for ${edit.kind}` });
    if (!edit.clockOut) ctx.addIssue({ code: 'custom', path: ['clockOut'], message: `required for ${edit.kind}` });
    if (!edit.clockIn || !edit.clockOut) return;
    if (edit.clockOut <= edit.clockIn) ctx.addIssue({ code: 'custom', path: ['clockOut'], message: 'must be after clockIn' });
    else if (Date.parse(edit.clockOut) - Date.parse(edit.clockIn) > DAY_MS) ctx.addIssue({ code: 'custom', path: ['clockOut'], message: 'a shift lasts at most 24 hours' });
    const sorted = edit.breaks.map((pause, index) => ({ ...pause, index })).sort((a, b) => a.start.localeCompare(b.start));
    edit.breaks.forEach((pause, i) => {
      if (pause.end <= pause.start) ctx.addIssue({ code: 'custom', path: ['breaks', i, 'end'], message: 'must be after start' });
      else if (pause.start < edit.clockIn! || pause.end > edit.clockOut!) ctx.addIssue({ code: 'custom', path: ['breaks', i], message: 'must lie within clockIn … clockOut' });
    });
    sorted.forEach((pause, k) => {
      if (k > 0 && pause.start < sorted[k - 1]!.end) ctx.addIssue({ code: 'custom', path: ['breaks', pause.index, 'start'], message: 'overlaps another break' });
    });
  });

export type PunchEditBody = z.output<typeof punchEditBodySchema>;

export interface PunchEditRecord {
  siteId: string;
  userId: string;
  editId: string;
  kind: (typeof PUNCH_EDIT_KINDS)[number];
  shiftId?: string;
  clockIn?: string;
  clockOut?: string;
  breaks: ShiftBreak[];
  /** The position the shift is paid at: the one asked for, else the replaced shift's, else the profile's first. */
  positionId: string;
  reason: string;
  /** The site-local days (clock-in days) of the shift as it was and as it will be: the pay periods it touches. */
  dates: string[];
  status: (typeof PUNCH_EDIT_STATUSES)[number];
  requestedBy: string;
  requestedAt: string;
  decidedBy?: string;
  decidedAt?: string;
  /** The manager's note on a decision (why declined). */
  note?: string;
  version: number;
}

export const punchEditDecisionSchema = z.strictObject({ note: z.string().trim().min(1).max(500).optional() });
export const punchEditParamsSchema = z.object({ editId: idSchema });
export const punchEditQuerySchema = z.object({ status: z.enum(PUNCH_EDIT_STATUSES).optional(), ...pageQueryFields(500) });

/** Edits one person may have waiting for a decision at a site: a month of daily corrections, and more. */
export const MAX_PENDING_EDITS = 50;

export class PunchEditOverlapError extends UnprocessableError {
  override name = 'PunchEditOverlapError';
}

/** A shift as the edit would make it overlaps another of the person's shifts: 422 naming clockIn. */
export function assertNoOverlap(edit: Pick<PunchEditRecord, 'kind' | 'shiftId' | 'clockIn' | 'clockOut'>, others: readonly EffectiveShift[]): void {
  if (edit.kind === 'void') return;
  const clash = others.find((shift) => shift.shiftId !== edit.shiftId && shift.clockIn < edit.clockOut! && edit.clockIn! < shift.clockOut);
  if (clash) throw new PunchEditOverlapError(`clockIn: the shift overlaps shift ${clash.shiftId} (${clash.clockIn} … ${clash.clockOut})`, { field: 'clockIn', shiftId: clash.shiftId });
}

/** Who may decide: a manager or owner of the site (the policy), and not on their own punches unless an owner. */
export function assertMayDecide(caller: Caller, edit: PunchEditRecord): void {
  if (caller.role === 'staff') throw new ForbiddenError('Only managers and owners decide punch edits');
  if (caller.role !== 'owner' && caller.userId === edit.userId) throw new ForbiddenError('A manager does not approve or decline edits of their own punches: another manager or an owner does');
  if (edit.status !== 'pending') throw new ConflictError(`The punch edit is already ${edit.status}`, { status: edit.status });
}
