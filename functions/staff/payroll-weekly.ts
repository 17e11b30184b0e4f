// Rules judged per workweek: the minimum wage with the FLSA tip credit and its make-up, the regular rate
// (29 CFR 778.109: all included remuneration ÷ all hours worked, weighted across rates), and Korea's 주휴수당.
// A week's make-up and 주휴 are paid in the period holding the week's last day.
import { addDays } from '#shared/time';
import { inPeriod, minimumWageAt, ruleOf, wageAt, weekEnd, type Context } from './payroll-context';
import { weekLabel, type PaidRule } from './payroll-lines';
import { divide, formatExactRate, formatMinutes, formatMoney, render, wholeRate } from './payroll-money';
import { weekdayOf, type Segment } from './payroll-time';

export interface TipCredit {
  workweek: string;
  tips: number;
  /** The most credit the week's tipped hours allow. */
  allowed: number;
  /** The credit taken toward the minimum wage (≤ tips). */
  taken: number;
}

export interface WeeklyHolidayDecision {
  workweek: string;
  eligible: boolean;
  reason: string;
}

const straightTime = (rule: PaidRule): boolean => rule.kind === 'pay.base' || rule.kind === 'pay.differential';

function weekSegments(context: Context, workweek: string): Segment[] {
  return context.segments.filter((segment) => segment.workweek === workweek);
}

/** Make-up to the minimum wage per workweek, counting the tip credit where the pack and the notice allow it. */
export interface MinimumWageOutcome {
  tipCredits: TipCredit[];
  /** Per workweek, exact (minor units × 60): the tip credit taken and the make-up paid; both are remuneration. */
  creditsTaken: Map<string, bigint>;
  makeUps: Map<string, bigint>;
}

export function applyMinimumWage(context: Context): MinimumWageOutcome {
  const rule = ruleOf(context.pack, 'pay.minimum_wage');
  const outcome: MinimumWageOutcome = { tipCredits: [], creditsTaken: new Map(), makeUps: new Map() };
  if (!rule) return outcome;
  const { input, pack, book } = context;
  const lowCashDays = new Set<string>();
  for (const workweek of context.weeks) {
    const segments = weekSegments(context, workweek);
    if (segments.length === 0) continue;
    let required = 0n;
    let creditRoom = 0n;
    let minutes = 0;
    let highestMinimum = 0;
    for (const segment of segments) {
      const minimum = minimumWageAt(context, segment.workday);
      highestMinimum = Math.max(highestMinimum, minimum);
      minutes += segment.minutes;
      required += BigInt(segment.minutes) * BigInt(minimum);
      const wage = wageAt(input, segment.position, segment.workday);
      if (rule.tipCredit && wage.tipped && input.policy.tipCreditNoticeGiven) {
        creditRoom += BigInt(segment.minutes) * BigInt(Math.min(rule.tipCredit.maxCreditPerHour, Math.max(0, minimum - wage.hourlyRate)));
      }
      if (rule.tipCredit && wage.tipped && wage.hourlyRate < rule.tipCredit.minCashWage && inPeriod(context, segment.workday) && !lowCashDays.has(segment.workday)) {
        lowCashDays.add(segment.workday);
        context.findings.push({
          ruleId: rule.id,
          severity: 'violation',
          date: segment.workday,
          measure: 'cash_wage_per_hour',
          limit: rule.tipCredit.minCashWage,
          actual: wage.hourlyRate,
          legalRefs: [...rule.legalRefs],
          explanation: render(rule.tipCredit.cashWageFindingExplain, {
            rate: formatMoney(wage.hourlyRate, pack.currency),
            limit: formatMoney(rule.tipCredit.minCashWage, pack.currency),
          }),
        });
      }
    }
    const tips = input.earnings.tips.filter((tip) => tip.date >= workweek && tip.date <= weekEnd(workweek)).reduce((sum, tip) => sum + tip.amount, 0);
    const taken = creditRoom < BigInt(tips) * 60n ? creditRoom : BigInt(tips) * 60n;
    if (rule.tipCredit && (tips > 0 || creditRoom > 0n)) {
      outcome.creditsTaken.set(workweek, taken);
      outcome.tipCredits.push({ workweek, tips, allowed: divide(creditRoom, 60n, 'half_up'), taken: divide(taken, 60n, 'half_up') });
    }
    const paid = book.weekEarnings(workweek, straightTime);
    const shortfall = required - paid - taken;
    if (shortfall <= 0n) continue;
    outcome.makeUps.set(workweek, shortfall);
    // Rounded up: the make-up exists so that the week is never below the minimum, not even by a fraction of a unit.
    const amount = divide(shortfall, 60n, 'ceil');
    const vars = {
      minimumWage: formatMoney(highestMinimum, pack.currency),
      required: formatMoney(divide(required, 60n, 'ceil'), pack.currency),
      paid: formatMoney(divide(paid, 60n, 'floor'), pack.currency),
      credit: formatMoney(divide(taken, 60n, 'floor'), pack.currency),
    };
    book.addAmount(
      rule,
      { workweek, from: workweek, to: weekEnd(workweek), minutes, rate: wholeRate(highestMinimum), percent: 100, amount, payDate: weekEnd(workweek) },
      vars,
    );
    if (inPeriod(context, weekEnd(workweek))) {
      context.findings.push({
        ruleId: rule.id,
        // Tips short of the credit are the make-up's lawful case; a wage rate below the minimum is not.
        severity: creditRoom > 0n ? 'notice' : 'violation',
        date: workweek,
        measure: 'minimum_wage_shortfall',
        limit: divide(required, 60n, 'ceil'),
        actual: divide(paid + taken, 60n, 'floor'),
        legalRefs: [...rule.legalRefs],
        explanation: render(rule.findingExplain, { week: weekLabel(workweek), amount: formatMoney(amount, pack.currency) }),
      });
    }
  }
  return outcome;
}

/** The regular rate of each worked workweek: included earnings (exact) ÷ minutes worked. */
export function computeRegularRates(context: Context, { creditsTaken, makeUps }: MinimumWageOutcome): void {
  const { pack, input, book } = context;
  if (!pack.rules.some((rule) => 'basis' in rule && rule.basis === 'regular_rate')) return;
  const bonusRule = ruleOf(pack, 'pay.bonus');
  for (const workweek of context.weeks) {
    const minutes = weekSegments(context, workweek).reduce((sum, segment) => sum + segment.minutes, 0);
    if (minutes === 0) continue;
    const parts: Array<{ label: string; earnings: bigint }> = [];
    for (const rule of pack.rules) {
      if ((rule.kind === 'pay.base' || rule.kind === 'pay.differential') && rule.inRegularRate) {
        parts.push({ label: rule.label ?? rule.payCode, earnings: book.weekEarnings(workweek, (r) => r.id === rule.id) });
      }
    }
    if (bonusRule?.inRegularRate) {
      const bonuses = input.earnings.bonuses.filter((b) => !b.discretionary && b.date >= workweek && b.date <= weekEnd(workweek));
      parts.push({ label: bonusRule.label ?? bonusRule.payCode, earnings: BigInt(bonuses.reduce((sum, b) => sum + b.amount, 0)) * 60n });
    }
    parts.push({ label: 'tip credit', earnings: creditsTaken.get(workweek) ?? 0n });
    const makeUp = makeUps.get(workweek);
    if (makeUp !== undefined) parts.push({ label: 'minimum wage make-up', earnings: makeUp });
    const shown = parts.filter((part) => part.earnings > 0n);
    const total = shown.reduce((sum, part) => sum + part.earnings, 0n);
    const rate = { num: total, den: BigInt(minutes) };
    const money = (earnings: bigint) => formatMoney(divide(earnings, 60n, 'half_up'), pack.currency);
    const derivation = `${money(total)} ÷ ${formatMinutes(minutes, pack.locale)}: ${shown.map((part) => `${part.label} ${money(part.earnings)}`).join(' + ')}`;
    context.regularRates.set(workweek, { rate, derivation });
  }
}

export function formatRegularRate(context: Context, workweek: string): Record<string, string> {
  const regular = context.regularRates.get(workweek);
  if (!regular) return {};
  return { regularRate: formatExactRate(regular.rate, context.pack.currency), regularRateDerivation: regular.derivation };
}

/**
 * 주휴수당 (근로기준법 제55조①, 시행령 제30조): for a contract of at least 15 h a week and attendance on every
 * contractual workday of the week (the scheduled days, or the contract's weekdays when nothing was scheduled;
 * lateness is not absence, approved leave is attendance), one contractual day's hours: weekly ÷ 40 × 8, at most 8.
 */
export function applyWeeklyHolidayAllowance(context: Context): WeeklyHolidayDecision[] {
  const rule = ruleOf(context.pack, 'pay.weekly_holiday_allowance');
  if (!rule) return [];
  const { input, pack, model, book } = context;
  const { weeklyMinutes } = input.contract;
  const worked = new Set(context.segments.map((segment) => segment.workday));
  const leave = new Set(input.attendance.approvedLeaveDates);
  const decisions: WeeklyHolidayDecision[] = [];
  for (const workweek of context.weeks.filter((week) => inPeriod(context, weekEnd(week)))) {
    const days = Array.from({ length: 7 }, (_, i) => addDays(workweek, i));
    if (!context.facts.applies(rule, weekEnd(workweek))) continue;
    if (weeklyMinutes < rule.minContractWeeklyMinutes) {
      decisions.push({ workweek, eligible: false, reason: `contract ${formatMinutes(weeklyMinutes, pack.locale)} < ${formatMinutes(rule.minContractWeeklyMinutes, pack.locale)}` });
      continue;
    }
    const scheduled = [...new Set(input.schedule.map((shift) => model.workdayOf(shift.start)))].filter((date) => days.includes(date));
    const due = scheduled.length > 0 ? scheduled : days.filter((date) => input.contract.workdays.includes(weekdayOf(date)));
    const absent = due.filter((date) => !worked.has(date) && !leave.has(date)).sort();
    if (absent.length > 0) {
      decisions.push({ workweek, eligible: false, reason: `absent on ${absent.join(', ')}` });
      continue;
    }
    const wage = wageAt(input, input.contract.position, weekEnd(workweek));
    // Σ weekly × fullDay ÷ fullTimeWeekly minutes, capped at a full day, kept exact until the amount is rounded.
    const scaled = Math.min(weeklyMinutes * rule.fullDayMinutes, rule.fullDayMinutes * rule.fullTimeWeeklyMinutes);
    const amount = divide(BigInt(scaled) * BigInt(wage.hourlyRate), BigInt(rule.fullTimeWeeklyMinutes) * 60n, pack.moneyRounding);
    const minutes = Math.floor(scaled / rule.fullTimeWeeklyMinutes);
    decisions.push({ workweek, eligible: true, reason: `attended ${due.join(', ')}` });
    book.addAmount(
      rule,
      { workweek, from: workweek, to: weekEnd(workweek), minutes, rate: wholeRate(wage.hourlyRate), percent: 100, amount, payDate: weekEnd(workweek) },
      { contractHours: formatMinutes(weeklyMinutes, pack.locale) },
    );
  }
  return decisions;
}
