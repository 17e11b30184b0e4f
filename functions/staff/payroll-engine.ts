// The payroll engine: a pure function of one employee's punches, schedule, contract, wages, workplace facts and
// earnings for a pay period, and of the rule pack it is given explicitly (never "the current one"), so a locked
// period recomputes to the same lines after wages or packs change. No I/O, no clock, no environment.
//
// Pipeline (docs/payroll.md): punches → minute segments per workday/workweek in the site's zone, cut at window
// edges → day-class tags and threshold buckets in pack order → straight time, differentials, bonuses →
// minimum wage and tip credit per workweek → regular rate per workweek → premiums → event premiums (meal,
// rest, split shift, reporting time) → 주휴 → compliance findings. Every line carries its rule id, pay code,
// minutes, rate, multiplier, amount (rounded once by the pack's rule) and an explanation in the pack's language.
import { UnprocessableError } from '#shared/errors';
import { addDays } from '#shared/time';
import { applyChecks } from './payroll-checks';
import { inPeriod, ruleOf, rulesOf, segmentsByWorkday, wageAt, weekEnd, type Context } from './payroll-context';
import { applyEventPremiums } from './payroll-events';
import { parsePayrollInput, type PayrollInputData } from './payroll-input-schema';
import { LineBook, type Finding, type PayLine } from './payroll-lines';
import { divide, formatExactRate, wholeRate } from './payroll-money';
import { rulePackDigest, type RulePack } from './payroll-pack-schema';
import { allocateThreshold, factsOf, selects, tagDayClass } from './payroll-tagging';
import { buildWorkModel, gapsOf, weekStartOf, type Segment, type TagWindow } from './payroll-time';
import { applyMinimumWage, applyWeeklyHolidayAllowance, computeRegularRates, formatRegularRate, type TipCredit, type WeeklyHolidayDecision } from './payroll-weekly';

export type { PayLine, Finding } from './payroll-lines';

export interface PayrollResult {
  pack: { id: string; version: string; digest: string };
  currency: string;
  period: { from: string; to: string };
  lines: PayLine[];
  findings: Finding[];
  derived: {
    regularRates: Array<{ workweek: string; perHour: string; earnings: number; minutes: number; derivation: string }>;
    tipCredits: TipCredit[];
    weeklyHolidayAllowance: WeeklyHolidayDecision[];
  };
  /** The timesheet view: minutes worked and on break per workday of the period. */
  workdays: Array<{ date: string; workedMinutes: number; unpaidBreakMinutes: number }>;
  totals: { amount: number; byPayCode: Record<string, { minutes: number; amount: number }> };
}

/** The pack cannot be used for these dates (422). */
export class PayrollPackError extends UnprocessableError {
  override name = 'PayrollPackError';
  constructor(message: string) {
    super(message, { field: 'pack' });
  }
}

function assertPackCovers(pack: RulePack, period: { from: string; to: string }): void {
  const ref = `${pack.id}@${pack.version}`;
  if (pack.status === 'retracted') throw new PayrollPackError(`${ref} is retracted`);
  if (period.from < pack.valid.from || (pack.valid.to !== undefined && period.to > pack.valid.to)) {
    throw new PayrollPackError(`${ref} is valid for work dates ${pack.valid.from}..${pack.valid.to ?? ''}, not ${period.from}..${period.to}`);
  }
}

function tagWindows(pack: RulePack, context: { policy: { shiftDifferentials: Array<{ id: string; window: { start: string; end: string } }> } }): TagWindow[] {
  return [
    ...rulesOf(pack, 'tag.window').map((rule) => ({ tag: rule.tag, ...rule.window })),
    ...context.policy.shiftDifferentials.map((differential) => ({ tag: `differential_${differential.id}`, ...differential.window })),
  ];
}

function tagAndBucket(pack: RulePack, segments: Segment[], facts: ReturnType<typeof factsOf>): Segment[] {
  // Window tags are placed with the segments (payroll-time.ts); a window rule's `when` is judged here.
  let tagged = segments.map((segment) => {
    const dropped = rulesOf(pack, 'tag.window').filter((rule) => segment.tags.includes(rule.tag) && !facts.applies(rule, segment.workday));
    return dropped.length === 0 ? segment : { ...segment, tags: segment.tags.filter((tag) => !dropped.some((rule) => rule.tag === tag)) };
  });
  for (const rule of pack.rules) {
    if (rule.kind === 'tag.day_class') tagged = tagDayClass(tagged, rule, facts);
    if (rule.kind === 'bucket.threshold') tagged = allocateThreshold(tagged, rule, facts);
  }
  return tagged;
}

function payStraightTime(context: Context): void {
  const { pack, input, book, facts } = context;
  const base = ruleOf(pack, 'pay.base')!;
  const differential = ruleOf(pack, 'pay.differential');
  for (const segment of context.segments) {
    const entry = { workweek: segment.workweek, date: segment.workday, minutes: segment.minutes, percent: 100 };
    if (facts.applies(base, segment.workday)) {
      book.addMinutes(base, { ...entry, rate: wholeRate(wageAt(input, segment.position, segment.workday).hourlyRate) });
    }
    if (!differential || !facts.applies(differential, segment.workday)) continue;
    for (const shift of input.policy.shiftDifferentials) {
      if (segment.tags.includes(`differential_${shift.id}`)) {
        book.addMinutes(differential, { ...entry, rate: wholeRate(shift.amountPerHour), vars: { label: shift.label } });
      }
    }
  }
}

function payBonuses(context: Context): void {
  const rule = ruleOf(context.pack, 'pay.bonus');
  if (!rule) return;
  const { workweekStartsOn } = context.input.workplace;
  for (const bonus of context.input.earnings.bonuses) {
    const workweek = weekStartOf(bonus.date, workweekStartsOn);
    context.book.addAmount(
      rule,
      { workweek, from: bonus.date, to: bonus.date, minutes: 0, rate: wholeRate(0), percent: 100, amount: bonus.amount, payDate: bonus.date },
      { label: bonus.label, kind: bonus.discretionary ? 'discretionary' : 'non-discretionary' },
    );
  }
}

function payPremiums(context: Context): void {
  const { pack, input, book, facts } = context;
  for (const rule of rulesOf(pack, 'pay.premium')) {
    for (const segment of context.segments) {
      if (!selects(rule.select, segment.tags) || !facts.applies(rule, segment.workday)) continue;
      const entry = { workweek: segment.workweek, date: segment.workday, minutes: segment.minutes, percent: rule.percent };
      if (rule.basis === 'regular_rate') {
        const regular = context.regularRates.get(segment.workweek)!;
        book.addMinutes(rule, { ...entry, rate: regular.rate, vars: formatRegularRate(context, segment.workweek) });
      } else {
        book.addMinutes(rule, { ...entry, rate: wholeRate(wageAt(input, segment.position, segment.workday).hourlyRate) });
      }
    }
  }
}

function summarise(context: Context, lines: PayLine[]): Pick<PayrollResult, 'workdays' | 'totals'> {
  const workdays = [...segmentsByWorkday(context.segments)]
    .filter(([date]) => inPeriod(context, date))
    .map(([date, day]) => ({
      date,
      workedMinutes: day.reduce((sum, segment) => sum + segment.minutes, 0),
      unpaidBreakMinutes: gapsOf(day).reduce((sum, gap) => sum + gap.minutes, 0),
    }))
    .sort((a, b) => a.date.localeCompare(b.date));
  const byPayCode: Record<string, { minutes: number; amount: number }> = {};
  for (const line of lines) {
    const code = (byPayCode[line.payCode] ??= { minutes: 0, amount: 0 });
    code.minutes += line.minutes;
    code.amount += line.amount;
  }
  return { workdays, totals: { amount: lines.reduce((sum, line) => sum + line.amount, 0), byPayCode } };
}

/** Pay lines and findings for one employee and one pay period, under exactly the pack given. */
export function computePayroll(pack: RulePack, data: PayrollInputData): PayrollResult {
  const input = parsePayrollInput(data);
  assertPackCovers(pack, input.period);
  const facts = factsOf(input);
  const model = buildWorkModel(pack, input, tagWindows(pack, input));

  // Weekly rules need whole workweeks, so the engine works on every workweek the period touches.
  const firstWeek = weekStartOf(input.period.from, input.workplace.workweekStartsOn);
  const lastWeek = weekStartOf(input.period.to, input.workplace.workweekStartsOn);
  const weeks: string[] = [];
  for (let week = firstWeek; week <= lastWeek; week = addDays(week, 7)) weeks.push(week);
  const inScope = model.segments.filter((segment) => segment.workweek >= firstWeek && segment.workweek <= lastWeek);

  const context: Context = {
    pack,
    input,
    facts,
    model,
    segments: tagAndBucket(pack, inScope, facts),
    weeks,
    book: new LineBook(pack, input.period),
    findings: [],
    regularRates: new Map(),
  };
  payStraightTime(context);
  payBonuses(context);
  const minimumWage = applyMinimumWage(context);
  computeRegularRates(context, minimumWage);
  payPremiums(context);
  applyEventPremiums(context);
  const weeklyHolidayAllowance = applyWeeklyHolidayAllowance(context);
  applyChecks(context);

  const lines = context.book.lines();
  const usedWeeks = new Set(lines.map((line) => line.workweek));
  return {
    pack: { id: pack.id, version: pack.version, digest: rulePackDigest(pack) },
    currency: pack.currency.code,
    period: { ...input.period },
    lines,
    findings: context.findings.sort((a, b) => a.date.localeCompare(b.date) || a.ruleId.localeCompare(b.ruleId)),
    derived: {
      regularRates: [...context.regularRates]
        .filter(([workweek]) => usedWeeks.has(workweek))
        .map(([workweek, { rate, derivation }]) => ({
          workweek,
          perHour: formatExactRate(rate, pack.currency),
          earnings: divide(rate.num, 60n, 'half_up'),
          minutes: Number(rate.den),
          derivation,
        })),
      tipCredits: minimumWage.tipCredits.filter((credit) => inPeriod(context, weekEnd(credit.workweek))),
      weeklyHolidayAllowance,
    },
    ...summarise(context, lines),
  };
}
