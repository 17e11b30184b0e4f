// Premiums owed for events rather than for worked minutes (California): a missed, late or short meal period and
// missed rest periods (one hour at the regular rate each, at most one of each per workday; Labor Code §226.7,
// Ferra v. Loews 2021), the split-shift premium (one hour at minimum wage less what the day paid above minimum;
// Wage Order 5 §4(C)) and reporting-time pay (Wage Order 5 §5). None of them is hours worked.
import { inPeriod, minimumWageAt, ruleOf, segmentsByWorkday, wageAt, type Context } from './payroll-context';
import type { PaidRule } from './payroll-lines';
import { divide, formatMinutes, formatMoney, render, wholeRate, type Rate } from './payroll-money';
import type { When } from './payroll-pack-schema';
import { gapsOf, type Segment } from './payroll-time';
import { formatRegularRate } from './payroll-weekly';

const MINUTE = 60_000;

function basisRate(context: Context, basis: 'base_rate' | 'regular_rate', day: readonly Segment[]): { rate: Rate; vars: Record<string, string> } {
  const first = day[0]!;
  if (basis === 'regular_rate') {
    const regular = context.regularRates.get(first.workweek);
    if (regular) return { rate: regular.rate, vars: formatRegularRate(context, first.workweek) };
  }
  return { rate: wholeRate(wageAt(context.input, first.position, first.workday).hourlyRate), vars: {} };
}

function workedMinutes(day: readonly Segment[]): number {
  return day.reduce((sum, segment) => sum + segment.minutes, 0);
}

function finding(context: Context, rule: PaidRule & { findingExplain: string }, date: string, measure: string, limit: number, actual: number, problem: string) {
  context.findings.push({
    ruleId: rule.id,
    severity: 'violation',
    date,
    measure,
    limit,
    actual,
    legalRefs: [...rule.legalRefs],
    explanation: render(rule.findingExplain, { date, problem }),
  });
}

function applyMealPremium(context: Context, days: ReadonlyMap<string, Segment[]>): void {
  const rule = ruleOf(context.pack, 'pay.meal_premium');
  if (!rule) return;
  const waivers = context.input.contract.mealPeriodWaivers;
  for (const [date, day] of days) {
    if (!inPeriod(context, date) || !context.facts.applies(rule, date)) continue;
    const worked = workedMinutes(day);
    const gaps = gapsOf(day);
    const meals = gaps.filter((gap) => gap.minutes >= rule.mealMinutes);
    const firstWaived = waivers.first && worked <= rule.firstWaivableUpToMinutes;
    const problems: string[] = [];
    const firstMeal = meals.find((gap) => gap.workedBefore <= rule.firstDueByMinutes);
    if (worked > rule.firstDueByMinutes && !firstWaived && !firstMeal) {
      const short = gaps.find((gap) => gap.minutes < rule.mealMinutes && gap.workedBefore <= rule.firstDueByMinutes);
      const late = meals[0];
      problems.push(
        late
          ? `first meal started after ${formatMinutes(late.workedBefore, 'en')} of work (due by ${formatMinutes(rule.firstDueByMinutes, 'en')})`
          : short
            ? `first meal only ${short.minutes} min (needs ${rule.mealMinutes})`
            : `no meal period in ${formatMinutes(worked, 'en')} of work`,
      );
    }
    const secondWaived = waivers.second && worked <= rule.secondWaivableUpToMinutes && !firstWaived;
    if (worked > rule.secondRequiredOverMinutes && !secondWaived) {
      const second = meals.find((gap) => gap !== firstMeal && gap.workedBefore <= rule.secondDueByMinutes && (!firstMeal || gap.workedBefore > firstMeal.workedBefore));
      if (!second) problems.push(`no second meal by the end of hour ${rule.secondDueByMinutes / 60}`);
    }
    if (problems.length === 0) continue;
    const { rate, vars } = basisRate(context, rule.basis, day);
    context.book.addMinutes(rule, { workweek: day[0]!.workweek, date, minutes: rule.premiumMinutes, rate, percent: 100, vars });
    finding(context, rule, date, 'meal_periods', 0, problems.length, problems.join('; '));
  }
}

/** California rest periods: 10 minutes per 4 hours or major fraction; none under 3.5 hours. */
function restPeriodsDue(worked: number, rule: { noneUnderMinutes: number; perMinutes: number; majorFractionOverMinutes: number }): number {
  if (worked < rule.noneUnderMinutes) return 0;
  return Math.floor(worked / rule.perMinutes) + (worked % rule.perMinutes > rule.majorFractionOverMinutes ? 1 : 0);
}

function applyRestPremium(context: Context, days: ReadonlyMap<string, Segment[]>): void {
  const rule = ruleOf(context.pack, 'pay.rest_premium');
  if (!rule) return;
  for (const [date, day] of days) {
    if (!inPeriod(context, date) || !context.facts.applies(rule, date)) continue;
    const due = restPeriodsDue(workedMinutes(day), rule);
    const given = context.model.paidBreaks.filter((pause) => pause.workday === date && pause.minutes >= rule.restMinutes).length;
    if (given >= due) continue;
    const { rate, vars } = basisRate(context, rule.basis, day);
    context.book.addMinutes(rule, { workweek: day[0]!.workweek, date, minutes: rule.premiumMinutes, rate, percent: 100, vars });
    finding(context, rule, date, 'rest_periods', due, given, `${given} paid rest period(s) of ${rule.restMinutes} min for ${formatMinutes(workedMinutes(day), 'en')} worked; ${due} due`);
  }
}

/** The workdays of the period with both a schedule and work, where `rule` applies: the scheduled shifts in order and the day's segments. */
function scheduledWorkdays(context: Context, days: ReadonlyMap<string, Segment[]>, rule: { id: string; when?: When | undefined }) {
  const schedule = new Map<string, Context['input']['schedule']>();
  for (const shift of [...context.input.schedule].sort((a, b) => a.start - b.start)) {
    const date = context.model.workdayOf(shift.start);
    schedule.set(date, [...(schedule.get(date) ?? []), shift]);
  }
  return [...schedule]
    .filter(([date]) => days.has(date) && inPeriod(context, date) && context.facts.applies(rule, date))
    .map(([date, shifts]) => ({ date, shifts, day: days.get(date)! }));
}

function applySplitShift(context: Context, days: ReadonlyMap<string, Segment[]>): void {
  const rule = ruleOf(context.pack, 'pay.split_shift');
  if (!rule) return;
  const { pack, book } = context;
  for (const { date, shifts, day } of scheduledWorkdays(context, days, rule)) {
    const split = shifts.slice(1).some((shift, i) => {
      const before = shifts[i]!;
      return (
        shift.start - before.end > rule.gapOverMinutes * MINUTE &&
        !shift.employeeRequestedSplit &&
        !before.employeeRequestedSplit &&
        day.some((segment) => segment.start < before.end) &&
        day.some((segment) => segment.end > shift.start)
      );
    });
    if (!split) continue;
    const minimum = minimumWageAt(context, date);
    const worked = workedMinutes(day);
    const dayPay = book.weekEarnings(day[0]!.workweek, (r) => r.kind === 'pay.base' || r.kind === 'pay.differential', date);
    // The premium is offset by whatever the day paid above the minimum wage for the hours worked.
    const owed = BigInt(minimum) * BigInt(worked + rule.premiumMinutes) - dayPay;
    const oneHour = BigInt(minimum) * BigInt(rule.premiumMinutes);
    const capped = owed < oneHour ? owed : oneHour;
    if (capped <= 0n) continue;
    const amount = divide(capped, 60n, pack.moneyRounding);
    book.addAmount(
      rule,
      { workweek: day[0]!.workweek, from: date, to: date, minutes: rule.premiumMinutes, rate: wholeRate(minimum), percent: 100, amount, payDate: date },
      {
        minimumWage: formatMoney(minimum, pack.currency),
        workedHours: formatMinutes(worked, pack.locale),
        guaranteed: formatMoney(divide(BigInt(minimum) * BigInt(worked + rule.premiumMinutes), 60n, 'half_up'), pack.currency),
        dayPay: formatMoney(divide(dayPay, 60n, 'half_up'), pack.currency),
      },
    );
  }
}

function applyReportingTime(context: Context, days: ReadonlyMap<string, Segment[]>): void {
  const rule = ruleOf(context.pack, 'pay.reporting_time');
  if (!rule) return;
  const { input, book } = context;
  for (const { date, shifts, day } of scheduledWorkdays(context, days, rule)) {
    if (shifts.some((shift) => shift.reportingExemptReason !== undefined)) continue;
    const scheduled = shifts.reduce((sum, shift) => sum + (shift.end - shift.start) / MINUTE, 0);
    const worked = workedMinutes(day);
    let owed = 0;
    if (2 * worked < scheduled) {
      // Half the scheduled day, at least 2 h and at most 4 h, hours worked included.
      owed = Math.min(Math.max(Math.ceil(scheduled / 2), rule.minMinutes), rule.maxMinutes) - worked;
    } else {
      // A second reporting in the day with under 2 h of work is paid 2 h.
      shifts.slice(1).forEach((shift, i) => {
        const afterPrevious = day.filter((segment) => segment.start >= shifts[i]!.end && segment.start < (shifts[i + 2]?.start ?? Infinity));
        const workedThere = workedMinutes(afterPrevious);
        if (workedThere > 0 && workedThere < rule.secondReportingMinutes) owed += rule.secondReportingMinutes - workedThere;
      });
    }
    if (owed <= 0) continue;
    const position = shifts[0]!.position ?? input.contract.position;
    const rate = Math.max(wageAt(input, position, date).hourlyRate, minimumWageAt(context, date));
    book.addMinutes(rule, {
      workweek: day[0]!.workweek,
      date,
      minutes: owed,
      rate: wholeRate(rate),
      percent: 100,
      vars: { scheduledHours: formatMinutes(scheduled, context.pack.locale), workedHours: formatMinutes(worked, context.pack.locale) },
    });
  }
}

export function applyEventPremiums(context: Context): void {
  const days = segmentsByWorkday(context.segments);
  applyMealPremium(context, days);
  applyRestPremium(context, days);
  applySplitShift(context, days);
  applyReportingTime(context, days);
}
