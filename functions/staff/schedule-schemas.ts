// The schedule's request bodies, params and queries. A shift is given as its site-local start day and wall-clock
// times (`end` at or before `start` ends the next day), which is how a manager writes a rota; the instants are
// derived in the site's time zone (schedule-rules.ts shiftInstants), so DST nights come out an hour shorter or longer.
import * as z from 'zod';
import { expectedVersionSchema, MAX_VERSION } from '#shared/versions';
import { siteIdSchema } from '#shared/identity';
import { isoDateSchema } from '#shared/time';
import { hhmmSchema } from './payroll-pack-schema';
import { idSchema, positionIdSchema } from './schemas';

/** The longest range one schedule view or publish covers, in days. */
export const MAX_SCHEDULE_DAYS = 31;
export const MAX_BREAK_MINUTES = 240;


/** `{date}-{12 hex}`: the start day is part of the id, so a shift is found with one read. */
export const shiftIdSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}-[0-9a-f]{12}$/, 'must be a shift id such as 2026-03-28-0123456789ab')
  .refine((id) => isoDateSchema.safeParse(id.slice(0, 10)).success, 'must start with a real date');

export const scheduleParamsSchema = z.object({ siteId: siteIdSchema });
export const shiftParamsSchema = z.object({ siteId: siteIdSchema, shiftId: shiftIdSchema });

const shiftFields = {
  start: hhmmSchema.describe('site-local start time'),
  end: hhmmSchema.describe('site-local end time; at or before `start`: the next day'),
  positionId: positionIdSchema,
  /** Absent: an open shift, which staff with the position may claim. */
  userId: idSchema.optional(),
  breakMinutes: z.number().int().min(0).max(MAX_BREAK_MINUTES).default(0).describe('unpaid break planned inside the shift'),
  note: z.string().trim().min(1).max(500).optional(),
  /** Schedule over time off, outside availability or over the weekly cap (the shift is flagged); never over an overlap. */
  override: z.boolean().default(false),
};

const startNotEnd = { path: ['end'], message: 'must differ from `start` (an end before the start is on the next day)' };

export const createShiftSchema = z.strictObject({ date: isoDateSchema.describe('the site-local day it starts'), ...shiftFields }).refine((s) => s.start !== s.end, startNotEnd);

/** The whole shift again, on its version; its start day is fixed (move a shift to another day: delete and create). */
export const editShiftSchema = z.strictObject({ ...shiftFields, expectedVersion: expectedVersionSchema }).refine((s) => s.start !== s.end, startNotEnd);

/** The longest range one copy takes from, in days (two weeks: a fortnightly rota). */
export const MAX_COPY_DAYS = 14;

/** Copies the shifts of `from`..`to` `offsetDays` later (7: last week's rota into this week). */
export const copyScheduleSchema = z
  .strictObject({
    from: isoDateSchema.describe('first site-local day copied from'),
    to: isoDateSchema.describe('last site-local day copied from (inclusive)'),
    offsetDays: z.number().int().min(1).max(56).default(7).describe('how many days later the copies start (7: the next week)'),
  })
  .refine((c) => c.from <= c.to, { path: ['to'], message: 'must not be before `from`' })
  .refine((c) => Date.parse(c.to) - Date.parse(c.from) < MAX_COPY_DAYS * 86_400_000, { path: ['to'], message: `at most ${MAX_COPY_DAYS} days are copied at once` });
export type CopySchedule = z.infer<typeof copyScheduleSchema>;

export const deleteShiftQuerySchema = z.object({ expectedVersion: z.coerce.number().int().min(1).max(MAX_VERSION) });

/** `from`..`to`, site-local days inclusive, at most MAX_SCHEDULE_DAYS. */
function boundedRange<S extends z.ZodType<{ from: string; to: string }>>(schema: S) {
  return schema
    .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before `from`' })
    .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < MAX_SCHEDULE_DAYS, { path: ['to'], message: `at most ${MAX_SCHEDULE_DAYS} days` });
}
export const publishBodySchema = boundedRange(z.strictObject({ from: isoDateSchema, to: isoDateSchema }));
export const scheduleQuerySchema = boundedRange(z.object({ from: isoDateSchema, to: isoDateSchema }));

export const proposeSwapSchema = z.strictObject({ toUserId: idSchema.describe('the colleague who would take the shift') });
export const swapDecisionSchema = z.strictObject({ decision: z.enum(['approve', 'decline']), override: z.boolean().default(false) });

export type CreateShift = z.output<typeof createShiftSchema>;
export type EditShift = z.output<typeof editShiftSchema>;
