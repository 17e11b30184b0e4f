// A payroll rule pack is data: the parameters and the composition of a closed set of rule primitives that the
// payroll engine interprets (payroll-engine.ts). No code travels in a pack, so a pack can be reviewed by a payroll
// clerk, diffed between versions and pinned by `id@version` on a locked pay period. docs/payroll.md describes each
// primitive and each shipped pack.
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { isoDateSchema } from '#shared/time';

export const hhmmSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)');
const tagSchema = z.string().regex(/^[a-z0-9_]+$/, 'must be lower_snake_case');
const ruleIdSchema = z.string().regex(/^[a-z0-9_.]+$/, 'must be dotted lower_snake_case');
const payCodeSchema = z.string().regex(/^[A-Z0-9_]+$/, 'must be UPPER_SNAKE_CASE');
const minutesSchema = z.number().int().min(0).max(100_000);
const amountSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Which minutes a rule looks at, by the tags earlier rules gave them. */
const selectSchema = z
  .object({
    tagsAll: z.array(tagSchema).default([]),
    tagsAny: z.array(tagSchema).default([]),
    tagsNone: z.array(tagSchema).default([]),
  })
  .prefault({});

/** When a rule applies, from the workplace and contract facts (evaluated on each workday's date). */
const whenSchema = z.object({
  headcount: z.enum(['ge5', 'lt5']).optional(),
  employment: z.enum(['full_time', 'part_time']).optional(),
});

/** A threshold in minutes, fixed by the pack or taken from the employee's contract. */
const thresholdSchema = z.union([minutesSchema, z.enum(['contract.daily_minutes', 'contract.weekly_minutes'])]);

const common = {
  id: ruleIdSchema,
  legalRefs: z.array(z.string().min(1)).default([]),
  when: whenSchema.optional(),
};

/** Rules that produce pay lines. `explain` is a template: {hours} {rate} {percent} {amount} {week} and per-kind fields. */
const paid = {
  payCode: payCodeSchema,
  /** How the line is named where a total is broken down (a regular rate's derivation). */
  label: z.string().min(1).optional(),
  explain: z.string().min(1),
  /** Whether the line's earnings enter the (FLSA/California) regular rate of the workweek. */
  inRegularRate: z.boolean().default(false),
  /** Export tags, e.g. flsa_s7_required for the federally required overtime premium. */
  legalBasisTags: z.array(z.string().min(1)).default([]),
};

const basisSchema = z.enum(['base_rate', 'regular_rate']);

export const ruleSchema = z.discriminatedUnion('kind', [
  z.object({ ...common, kind: z.literal('tag.window'), window: z.object({ start: hhmmSchema, end: hhmmSchema }), tag: tagSchema }),
  z.object({
    ...common,
    kind: z.literal('tag.day_class'),
    dayClass: z.enum(['weekly_rest_day', 'public_holiday', 'seventh_consecutive_day']),
    tag: tagSchema,
  }),
  z.object({
    ...common,
    kind: z.literal('bucket.threshold'),
    per: z.enum(['workday', 'workweek']),
    select: selectSchema,
    after: thresholdSchema,
    until: thresholdSchema.optional(),
    tag: tagSchema,
  }),
  z.object({ ...common, ...paid, kind: z.literal('pay.base') }),
  z.object({ ...common, ...paid, kind: z.literal('pay.differential') }),
  z.object({ ...common, ...paid, kind: z.literal('pay.bonus') }),
  z.object({
    ...common,
    ...paid,
    kind: z.literal('pay.minimum_wage'),
    findingExplain: z.string().min(1),
    /** FLSA §3(m): the tip credit an employer may count toward the minimum wage. Absent: no tip credit (California, Korea). */
    tipCredit: z
      .object({ maxCreditPerHour: amountSchema, minCashWage: amountSchema, cashWageFindingExplain: z.string().min(1) })
      .optional(),
  }),
  z.object({
    ...common,
    ...paid,
    kind: z.literal('pay.premium'),
    select: selectSchema,
    basis: basisSchema,
    /** The premium on top of the straight time already paid for the minute: 50 = +50 %. */
    percent: z.number().int().min(1).max(1000),
  }),
  z.object({
    ...common,
    ...paid,
    kind: z.literal('pay.meal_premium'),
    basis: basisSchema,
    mealMinutes: minutesSchema,
    firstDueByMinutes: minutesSchema,
    firstWaivableUpToMinutes: minutesSchema,
    secondRequiredOverMinutes: minutesSchema,
    secondDueByMinutes: minutesSchema,
    secondWaivableUpToMinutes: minutesSchema,
    premiumMinutes: minutesSchema,
    findingExplain: z.string().min(1),
  }),
  z.object({
    ...common,
    ...paid,
    kind: z.literal('pay.rest_premium'),
    basis: basisSchema,
    restMinutes: minutesSchema,
    noneUnderMinutes: minutesSchema,
    perMinutes: minutesSchema.min(1),
    majorFractionOverMinutes: minutesSchema,
    premiumMinutes: minutesSchema,
    findingExplain: z.string().min(1),
  }),
  z.object({ ...common, ...paid, kind: z.literal('pay.split_shift'), gapOverMinutes: minutesSchema, premiumMinutes: minutesSchema }),
  z.object({
    ...common,
    ...paid,
    kind: z.literal('pay.reporting_time'),
    minMinutes: minutesSchema,
    maxMinutes: minutesSchema,
    secondReportingMinutes: minutesSchema,
  }),
  z.object({
    ...common,
    ...paid,
    kind: z.literal('pay.weekly_holiday_allowance'),
    minContractWeeklyMinutes: minutesSchema,
    fullTimeWeeklyMinutes: minutesSchema.min(1),
    fullDayMinutes: minutesSchema,
  }),
  z.object({
    ...common,
    kind: z.literal('check.weekly_cap'),
    select: selectSchema,
    maxMinutes: minutesSchema,
    explain: z.string().min(1),
  }),
  z.object({
    ...common,
    kind: z.literal('check.breaks'),
    tiers: z.array(z.object({ workedMinutes: minutesSchema, breakMinutes: minutesSchema })).min(1),
    explain: z.string().min(1),
  }),
]);

export type Rule = z.output<typeof ruleSchema>;
export type RuleOf<K extends Rule['kind']> = Extract<Rule, { kind: K }>;
export type Select = z.output<typeof selectSchema>;
export type When = z.output<typeof whenSchema>;
export type Threshold = z.output<typeof thresholdSchema>;

/** Kinds a pack may hold at most once: the engine runs them as one step of its pipeline. */
const SINGLE_KINDS: ReadonlyArray<Rule['kind']> = [
  'pay.base',
  'pay.differential',
  'pay.bonus',
  'pay.minimum_wage',
  'pay.meal_premium',
  'pay.rest_premium',
  'pay.split_shift',
  'pay.reporting_time',
  'pay.weekly_holiday_allowance',
];

export const rulePackSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9.-]+$/),
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a semantic version MAJOR.MINOR.PATCH'),
    status: z.enum(['draft', 'published', 'retracted']),
    jurisdiction: z.string().min(2),
    /** The language of the explanations: Korean for the KR pack, as a 임금명세서 needs (근로기준법 제48조②). */
    locale: z.enum(['ko', 'en']),
    currency: z.object({ code: z.string().length(3), decimals: z.number().int().min(0).max(3) }),
    /** Work dates the pack may be used for. */
    valid: z.object({ from: isoDateSchema, to: isoDateSchema.optional() }),
    supersedes: z.string().optional(),
    /** How each line's exact amount becomes minor units. */
    moneyRounding: z.enum(['floor', 'half_up']),
    /**
     * Which workday a worked minute belongs to. `fixed_boundary`: the 24 h period from the workplace's
     * workday start (California, FLSA). `shift_start`: the day the shift started, until the next day's contractual
     * start time (Korea, 근기 68207-402); a punch starting within `continuationGapMinutes` of the previous one,
     * before its own day's contractual start, continues the previous workday.
     */
    workday: z.object({ mode: z.enum(['fixed_boundary', 'shift_start']), continuationGapMinutes: minutesSchema.default(0) }),
    /** The statutory minimum hourly wage by effective date; the workplace may add a higher local one. */
    minimumWage: z.array(z.object({ from: isoDateSchema, hourlyRate: amountSchema })).min(1),
    sources: z.array(z.object({ ref: z.string().min(1), title: z.string().min(1), url: z.url() })),
    changelog: z.array(z.string().min(1)).min(1),
    rules: z.array(ruleSchema).min(1),
  })
  .superRefine((pack, ctx) => {
    const ids = new Set<string>();
    pack.rules.forEach((rule, index) => {
      if (ids.has(rule.id)) ctx.addIssue({ code: 'custom', path: ['rules', index, 'id'], message: `duplicate rule id ${rule.id}` });
      ids.add(rule.id);
    });
    for (const kind of SINGLE_KINDS) {
      if (pack.rules.filter((rule) => rule.kind === kind).length > 1) ctx.addIssue({ code: 'custom', path: ['rules'], message: `at most one ${kind} rule` });
    }
    if (!pack.rules.some((rule) => rule.kind === 'pay.base')) ctx.addIssue({ code: 'custom', path: ['rules'], message: 'a pack needs a pay.base rule' });
    const dates = pack.minimumWage.map((entry) => entry.from);
    if (dates.some((date, index) => index > 0 && date <= dates[index - 1]!)) {
      ctx.addIssue({ code: 'custom', path: ['minimumWage'], message: 'minimum wage entries must be in increasing date order' });
    }
  });

export type RulePack = z.output<typeof rulePackSchema>;
export type RulePackData = z.input<typeof rulePackSchema>;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Validates a pack and freezes it: a published version never changes under a pay run that pinned it. */
export function parseRulePack(data: unknown): RulePack {
  return deepFreeze(rulePackSchema.parse(data));
}

const digests = new WeakMap<RulePack, string>();

/**
 * sha256 of the validated pack: a locked period records it beside `id@version`, so a recompute can prove it ran
 * on the very same rules (and refuse if a published version was ever edited in place).
 */
export function rulePackDigest(pack: RulePack): string {
  let digest = digests.get(pack);
  if (digest === undefined) {
    digest = `sha256:${createHash('sha256').update(JSON.stringify(pack)).digest('hex')}`;
    digests.set(pack, digest);
  }
  return digest;
}
