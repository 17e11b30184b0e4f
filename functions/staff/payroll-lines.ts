// Pay lines and findings, the engine's two outputs. Minute-based entries are collected for every workweek the
// period touches (weekly rules need the whole week) and grouped into one line per rule, workweek, rate and
// multiplier for the workdays inside the period; each line's exact amount is rounded once by the pack's rule.
import { addDays } from '#shared/time';
import { amountFor, formatExactRate, formatMinutes, formatMoney, render, type Rate } from './payroll-money';
import type { RuleOf, RulePack } from './payroll-pack-schema';

export type PaidRule = RuleOf<
  | 'pay.base'
  | 'pay.differential'
  | 'pay.bonus'
  | 'pay.minimum_wage'
  | 'pay.premium'
  | 'pay.meal_premium'
  | 'pay.rest_premium'
  | 'pay.split_shift'
  | 'pay.reporting_time'
  | 'pay.weekly_holiday_allowance'
>;

export interface PayLine {
  ruleId: string;
  payCode: string;
  /** First date of the workweek the line belongs to, and the workdays it covers. */
  workweek: string;
  from: string;
  to: string;
  /** Quantity in minutes (0 for amount-only lines such as a bonus). */
  minutes: number;
  /** Basis rate in minor units per hour; a regular rate that is not whole is shown rounded half-up (the amount uses it exactly). */
  rate: number;
  /** 100 for straight time; 50 for a +50 % premium on top of it. */
  percent: number;
  amount: number;
  legalRefs: string[];
  legalBasisTags: string[];
  explanation: string;
}

export interface Finding {
  ruleId: string;
  severity: 'violation' | 'notice';
  /** The workday, or the first date of the workweek, judged. */
  date: string;
  measure: string;
  limit: number;
  actual: number;
  legalRefs: string[];
  explanation: string;
}

interface TimedEntry {
  rule: PaidRule;
  workweek: string;
  date: string;
  minutes: number;
  rate: Rate;
  percent: number;
  vars: Record<string, string>;
}

export function weekLabel(workweek: string): string {
  return `${workweek}..${addDays(workweek, 6).slice(5)}`;
}

function rateText(rate: Rate, pack: RulePack): string {
  return rate.num % rate.den === 0n ? formatMoney(rate.num / rate.den, pack.currency) : formatExactRate(rate, pack.currency);
}

export class LineBook {
  private readonly timed: TimedEntry[] = [];
  private readonly fixed: PayLine[] = [];

  constructor(
    private readonly pack: RulePack,
    private readonly period: { from: string; to: string },
  ) {}

  private inPeriod(date: string): boolean {
    return date >= this.period.from && date <= this.period.to;
  }

  /** Minutes at a rate, on one workday; kept for the whole week, paid when the workday is in the period. */
  addMinutes(rule: PaidRule, entry: Omit<TimedEntry, 'rule' | 'vars'> & { vars?: Record<string, string> }): void {
    if (entry.minutes > 0) this.timed.push({ rule, vars: {}, ...entry });
  }

  /** Σ minutes × rate × percent of a week's entries (minor units × 60, exact), for rules matching `which`. */
  weekEarnings(workweek: string, which: (rule: PaidRule) => boolean, date?: string): bigint {
    let sum = 0n;
    for (const entry of this.timed) {
      if (entry.workweek !== workweek || !which(entry.rule) || (date !== undefined && entry.date !== date)) continue;
      sum += (BigInt(entry.minutes) * entry.rate.num * BigInt(entry.percent)) / (entry.rate.den * 100n);
    }
    return sum;
  }

  /** A line whose amount is decided by its rule (bonus, make-up, split-shift offset, 주휴); paid when `payDate` is in the period. */
  addAmount(
    rule: PaidRule,
    line: { workweek: string; from: string; to: string; minutes: number; rate: Rate; percent: number; amount: number; payDate: string },
    vars: Record<string, string>,
  ): void {
    if (!this.inPeriod(line.payDate) || line.amount <= 0) return;
    this.fixed.push(this.line(rule, line, vars));
  }

  private line(
    rule: PaidRule,
    line: { workweek: string; from: string; to: string; minutes: number; rate: Rate; percent: number; amount: number },
    vars: Record<string, string>,
  ): PayLine {
    const { currency, locale } = this.pack;
    return {
      ruleId: rule.id,
      payCode: rule.payCode,
      workweek: line.workweek,
      from: line.from,
      to: line.to,
      minutes: line.minutes,
      rate: Number((2n * line.rate.num + line.rate.den) / (2n * line.rate.den)),
      percent: line.percent,
      amount: line.amount,
      legalRefs: [...rule.legalRefs],
      legalBasisTags: [...rule.legalBasisTags],
      explanation: render(rule.explain, {
        hours: formatMinutes(line.minutes, locale),
        rate: rateText(line.rate, this.pack),
        percent: String(line.percent),
        amount: formatMoney(line.amount, currency),
        week: weekLabel(line.workweek),
        from: line.from,
        to: line.to,
        ...vars,
      }),
    };
  }

  lines(): PayLine[] {
    const groups = new Map<string, { first: TimedEntry; minutes: number; from: string; to: string }>();
    for (const entry of this.timed) {
      if (!this.inPeriod(entry.date)) continue;
      const key = [entry.rule.id, entry.workweek, entry.rate.num, entry.rate.den, entry.percent, JSON.stringify(entry.vars)].join('|');
      const group = groups.get(key);
      if (!group) groups.set(key, { first: entry, minutes: entry.minutes, from: entry.date, to: entry.date });
      else {
        group.minutes += entry.minutes;
        if (entry.date < group.from) group.from = entry.date;
        if (entry.date > group.to) group.to = entry.date;
      }
    }
    const timedLines = [...groups.values()].map(({ first, minutes, from, to }) =>
      this.line(
        first.rule,
        {
          workweek: first.workweek,
          from,
          to,
          minutes,
          rate: first.rate,
          percent: first.percent,
          amount: amountFor(minutes, first.rate, first.percent, this.pack.moneyRounding),
        },
        first.vars,
      ),
    );
    const order = new Map(this.pack.rules.map((rule, index) => [rule.id, index]));
    return [...timedLines, ...this.fixed].sort(
      (a, b) =>
        a.workweek.localeCompare(b.workweek) ||
        order.get(a.ruleId)! - order.get(b.ruleId)! ||
        a.from.localeCompare(b.from) ||
        a.rate - b.rate,
    );
  }
}
