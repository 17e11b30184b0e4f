// Request bodies and the records this domain keeps. Money is integer minor units of the site's currency, dates are
// site-local calendar days, instants UTC. Nothing here is unbounded: an absurd wage, list or range is a 400 at the door.
import * as z from 'zod';
import { expectedVersionSchema } from '#shared/versions';
import { siteIdSchema } from '#shared/identity';
import { moneySchema } from '#shared/money';
import { instantSchema, isoDateSchema } from '#shared/time';
import { PUNCH_KINDS } from './clock-rules';

/** Ten million in two-decimal currencies, a hundred million won: above any monthly wage. */
export const MAX_WAGE = 10_000_000_000;
export const MAX_WAGE_CHANGES = 100;
/** A profile's wages over all its positions: what one staff.pay-rates-changed carries (its `rates` contract). */
export const MAX_PROFILE_WAGES = 500;
/** The longest range of local days one punch listing covers. */
export const MAX_PUNCH_RANGE_DAYS = 62;

export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 _ -');

/** The positions a kitchen and a floor staff; a profile's wages are per position. */
export const POSITIONS = ['server', 'host', 'bartender', 'barista', 'runner', 'busser', 'cashier', 'line-cook', 'prep-cook', 'sous-chef', 'chef', 'dishwasher', 'shift-lead', 'manager'] as const;
export const positionIdSchema = z.enum(POSITIONS);
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const wageSchema = z.strictObject({
  from: isoDateSchema.describe('the first day (site-local) this wage applies'),
  kind: z.enum(['hourly', 'monthly']),
  amount: moneySchema.min(1).max(MAX_WAGE).describe('minor units per hour or per month'),
});

const positionSchema = z.strictObject({
  positionId: positionIdSchema,
  /** A position no longer worked stays, with its wage history; it is marked inactive instead. */
  active: z.boolean().default(true),
  wages: z
    .array(wageSchema)
    .min(1)
    .max(MAX_WAGE_CHANGES)
    .refine((wages) => wages.every((wage, i) => i === 0 || wage.from > wages[i - 1]!.from), 'wages must be in order of `from`, one per day'),
});

const quarterHours = (hours: number) => Number.isInteger(hours * 4);

export const employmentSchema = z.strictObject({
  type: z.enum(['full-time', 'part-time']),
  weeklyHours: z.number().positive().max(80).refine(quarterHours, 'in quarter hours').describe('contracted hours per week'),
  weeklyDays: z.number().int().min(1).max(7).describe('contracted days per week'),
  restDay: z.enum(WEEKDAYS).describe('the weekly rest day'),
});

// The format only: whether the pack exists is the use case's 422 (profiles.ts), which keeps the packs out of every
// other handler's bundle.
const packRefSchema = z.string().regex(/^[a-z][a-z0-9.-]{0,31}@\d{1,4}\.\d{1,4}\.\d{1,4}$/, 'must be a pack id@version such as us.flsa@2026.1.0');

export const putProfileSchema = z.strictObject({
  positions: z
    .array(positionSchema)
    .min(1)
    .max(POSITIONS.length)
    .refine((positions) => new Set(positions.map((p) => p.positionId)).size === positions.length, 'a position appears once')
    .refine((positions) => positions.reduce((sum, p) => sum + p.wages.length, 0) <= MAX_PROFILE_WAGES, `at most ${MAX_PROFILE_WAGES} wages over all positions`),
  employment: employmentSchema,
  payPack: packRefSchema.describe('the pay rule pack, id@version (functions/staff/packs/)'),
  /** Absent: create only (409 if the profile exists). Given: update that version only (409 if it moved on). */
  expectedVersion: expectedVersionSchema.optional(),
});

export type Wage = z.infer<typeof wageSchema>;
export type Position = z.output<typeof positionSchema>;
export type PutProfile = z.output<typeof putProfileSchema>;

export interface ProfileRecord {
  siteId: string;
  userId: string;
  /** The person's name as the directory knew it when the profile was last written. */
  name: string;
  positions: Position[];
  employment: z.infer<typeof employmentSchema>;
  payPack: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

export const clockInBodySchema = z.strictObject({
  /** Clock-in only: the position worked this shift; the profile's first active one when absent. */
  positionId: positionIdSchema.optional(),
  /** The tapping device's clock, kept for audit only: the punch is taken at server time. */
  deviceTime: instantSchema.optional(),
});
/** Break-start, break-end and clock-out: the device time only. */
export const punchOnlyBodySchema = clockInBodySchema.omit({ positionId: true });

export interface PunchRecord {
  siteId: string;
  userId: string;
  shiftId: string;
  seq: number;
  kind: (typeof PUNCH_KINDS)[number];
  at: string;
  localDate: string;
  positionId: string;
  /** Who tapped: the person, or a manager on the kitchen tablet; `system` for the auto-close job. */
  by: string;
  deviceTime?: string;
  /** A break-end the clock-out wrote because the break was still open; a clock-out the auto-close job wrote. */
  closedBy?: 'clock-out' | 'auto-close';
  /** Clock-in only: the published shift it is for, or `unscheduled` when none that day (clock-rules.ts clockInMarks). */
  scheduledShiftId?: string;
  unscheduled?: true;
  /** Clock-in only: early, let through by this manager. */
  earlyApprovedBy?: string;
}

export const siteParamsSchema = z.object({ siteId: siteIdSchema });
export const staffParamsSchema = z.object({ siteId: siteIdSchema, userId: idSchema });
const pageFields = { limit: z.coerce.number().int().min(1).max(100).default(25), cursor: z.string().max(2048).optional() };
export const pageQuerySchema = z.object(pageFields);
export const punchQuerySchema = z
  .object({ from: isoDateSchema, to: isoDateSchema, ...pageFields, limit: pageFields.limit.default(100) })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before `from`' })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < MAX_PUNCH_RANGE_DAYS, { path: ['to'], message: `at most ${MAX_PUNCH_RANGE_DAYS} days` });
