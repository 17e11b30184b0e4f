// What the payroll engine is given: one employee's punches, schedule, contract, effective-dated wages, workplace
// facts and earnings for a pay period. Everything the rules need is an explicit input here (no lookups inside
// rules), so a locked period recomputes identically from its stored inputs and the pinned pack version.
import * as z from 'zod';
import { UnprocessableError } from '#shared/errors';
import { moneySchema } from '#shared/money';
import { instantSchema, isoDateSchema, timeZoneSchema } from '#shared/time';
import { hhmmSchema } from './payroll-pack-schema';

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const weekdaySchema = z.enum(WEEKDAYS);
export type Weekday = z.output<typeof weekdaySchema>;

const positionSchema = z.string().min(1).max(64);
const minutesSchema = z.number().int().min(0).max(10_080);

const breakSchema = z.object({
  start: instantSchema,
  end: instantSchema,
  /** A paid rest (California's 10-minute rest) stays working time; an unpaid break (meal, 휴게) does not. */
  paid: z.boolean().default(false),
});

const punchSchema = z.object({
  id: z.string().min(1).max(128),
  /** Defaults to the contract's position. */
  position: positionSchema.optional(),
  clockIn: instantSchema,
  clockOut: instantSchema,
  breaks: z.array(breakSchema).max(20).default([]),
});

const scheduledShiftSchema = z.object({
  id: z.string().min(1).max(128),
  position: positionSchema.optional(),
  start: instantSchema,
  end: instantSchema,
  /** California: no split-shift premium when the employee asked for the split. */
  employeeRequestedSplit: z.boolean().default(false),
  /** California Wage Order §5(E): no reporting-time pay when work could not start for these reasons. */
  reportingExemptReason: z.enum(['threat_to_people_or_property', 'civil_authority', 'utility_failure', 'act_of_god']).optional(),
});

const contractSchema = z.object({
  employment: z.enum(['full_time', 'part_time']),
  /** Contractual (소정) hours per week and per day, in minutes. */
  weeklyMinutes: minutesSchema,
  dailyMinutes: minutesSchema.max(1440),
  /** The contractual workdays: 주휴 attendance is judged on them when no schedule covers the week. */
  workdays: z.array(weekdaySchema).min(1).max(7),
  /** 주휴일: work on it is holiday work in Korea. */
  weeklyRestDay: weekdaySchema,
  /** The contractual start of a workday: a Korean shift belongs to its start day until the next day's start time. */
  dailyStartTime: hhmmSchema.optional(),
  /** The position entitlements (주휴) are paid at. */
  position: positionSchema,
  /** California meal-period waivers by mutual consent (Labor Code §512(a)). */
  mealPeriodWaivers: z.object({ first: z.boolean().default(false), second: z.boolean().default(false) }).prefault({}),
});

const wageSchema = z.object({
  position: positionSchema,
  effectiveFrom: isoDateSchema,
  /** Minor units per hour (won, cents). For a tipped position: the cash wage. */
  hourlyRate: moneySchema,
  tipped: z.boolean().default(false),
});

const workplaceSchema = z.object({
  /** The FLSA/California workweek and the Korean 1주 start on this day. */
  workweekStartsOn: weekdaySchema.default('monday'),
  /** California/FLSA: the fixed 24-hour workday starts at this local time. */
  workdayStartsAt: hhmmSchema.default('00:00'),
  /** Korea: 상시근로자 5인 이상/미만 by effective date (see payroll-kr-headcount.ts for its derivation). */
  regularHeadcount: z.array(z.object({ from: isoDateSchema, status: z.enum(['ge5', 'lt5']) })).default([]),
  /** Public holidays observed as paid holidays at the site (Korea: 관공서 공휴일, for ≥5 workplaces). */
  publicHolidays: z.array(isoDateSchema).max(100).default([]),
  /** A city or county minimum wage above the pack's statutory one, by effective date (California localities). */
  localMinimumWage: z.array(z.object({ from: isoDateSchema, hourlyRate: moneySchema })).default([]),
});

const earningsSchema = z.object({
  bonuses: z
    .array(
      z.object({
        id: z.string().min(1).max(128),
        label: z.string().min(1).max(120),
        /** A date in the workweek the bonus was earned for. */
        date: isoDateSchema,
        amount: moneySchema,
        /** Discretionary bonuses stay out of the regular rate (29 CFR 778.211). */
        discretionary: z.boolean().default(false),
      }),
    )
    .default([]),
  /** Tips received, for the FLSA tip credit; the tips themselves belong to the employee and are not pay lines here. */
  tips: z.array(z.object({ date: isoDateSchema, amount: moneySchema })).default([]),
});

const policySchema = z.object({
  /** Company shift differentials (an overlay above statute), e.g. +$1.50/h after 22:00. */
  shiftDifferentials: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9_]+$/),
        label: z.string().min(1).max(120),
        window: z.object({ start: hhmmSchema, end: hhmmSchema }),
        amountPerHour: moneySchema,
      }),
    )
    .max(10)
    .default([]),
  /** A site's minimum rest between shifts on different workdays, as a compliance finding. */
  minRestMinutes: z.number().int().min(1).max(1440).optional(),
  /** FLSA §3(m)(2)(A): no tip credit without the advance notice to the employee. */
  tipCreditNoticeGiven: z.boolean().default(false),
});

const inputObjectSchema = z.object({
  /** Local dates at the site, inclusive. */
  period: z.object({ from: isoDateSchema, to: isoDateSchema }),
  timeZone: timeZoneSchema,
  punches: z.array(punchSchema).max(2000),
  schedule: z.array(scheduledShiftSchema).max(2000).default([]),
  contract: contractSchema,
  wages: z.array(wageSchema).min(1).max(200),
  workplace: workplaceSchema.prefault({}),
  earnings: earningsSchema.prefault({}),
  /** Approved leave counts as attendance for 주휴 (a day of 연차 is not an absence). */
  attendance: z.object({ approvedLeaveDates: z.array(isoDateSchema).max(400).default([]) }).prefault({}),
  policy: policySchema.prefault({}),
});

const DAY_MS = 86_400_000;

/** Times that cannot be: backwards, overlapping, breaks outside their punch. Each issue names its field. */
export const payrollInputSchema = inputObjectSchema.superRefine((input, ctx) => {
  if (input.period.to < input.period.from) ctx.addIssue({ code: 'custom', path: ['period', 'to'], message: 'must not be before period.from' });
  if (Date.parse(input.period.to) - Date.parse(input.period.from) > 62 * DAY_MS) {
    ctx.addIssue({ code: 'custom', path: ['period', 'to'], message: 'a pay period is at most 63 days' });
  }
  input.punches.forEach((punch, i) => {
    if (punch.clockOut <= punch.clockIn) ctx.addIssue({ code: 'custom', path: ['punches', i, 'clockOut'], message: 'must be after clockIn' });
    if (punch.clockOut - punch.clockIn > DAY_MS) ctx.addIssue({ code: 'custom', path: ['punches', i, 'clockOut'], message: 'a punch lasts at most 24 hours' });
    const breaks = [...punch.breaks].sort((a, b) => a.start - b.start);
    punch.breaks.forEach((pause, j) => {
      if (pause.end <= pause.start) ctx.addIssue({ code: 'custom', path: ['punches', i, 'breaks', j, 'end'], message: 'must be after start' });
      if (pause.start < punch.clockIn || pause.end > punch.clockOut) {
        ctx.addIssue({ code: 'custom', path: ['punches', i, 'breaks', j], message: 'must lie within the punch' });
      }
    });
    breaks.forEach((pause, j) => {
      if (j > 0 && pause.start < breaks[j - 1]!.end) ctx.addIssue({ code: 'custom', path: ['punches', i, 'breaks'], message: 'breaks overlap' });
    });
  });
  const byStart = input.punches.map((punch, index) => ({ punch, index })).sort((a, b) => a.punch.clockIn - b.punch.clockIn);
  byStart.forEach(({ punch, index }, k) => {
    const previous = byStart[k - 1];
    if (previous && punch.clockIn < previous.punch.clockOut) {
      ctx.addIssue({ code: 'custom', path: ['punches', index, 'clockIn'], message: `overlaps punch ${previous.punch.id}` });
    }
  });
  input.schedule.forEach((shift, i) => {
    if (shift.end <= shift.start) ctx.addIssue({ code: 'custom', path: ['schedule', i, 'end'], message: 'must be after start' });
  });
});

export type PayrollInput = z.output<typeof payrollInputSchema>;
export type PayrollInputData = z.input<typeof payrollInputSchema>;
export type Punch = PayrollInput['punches'][number];
export type ScheduledShift = PayrollInput['schedule'][number];

/** Bad payroll input (422), naming the offending field. */
export class PayrollInputError extends UnprocessableError {
  override name = 'PayrollInputError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`, { field });
  }
}

export function parsePayrollInput(data: PayrollInputData): PayrollInput {
  const result = payrollInputSchema.safeParse(data);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  throw new PayrollInputError(issue!.path.join('.') || 'input', issue!.message);
}
