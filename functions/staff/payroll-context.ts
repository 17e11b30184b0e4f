// What every step of the payroll pipeline reads: the pack, the parsed input, the tagged work segments of the
// workweeks the period touches, and the rate look-ups (effective-dated wages, minimum wage by date and place).
import { addDays } from '#shared/time';
import { PayrollInputError, type PayrollInput } from './payroll-input-schema';
import type { LineBook, Finding } from './payroll-lines';
import type { Rate } from './payroll-money';
import type { RuleOf, RulePack } from './payroll-pack-schema';
import type { Facts } from './payroll-tagging';
import type { Segment, WorkModel } from './payroll-time';

export interface Context {
  readonly pack: RulePack;
  readonly input: PayrollInput;
  readonly facts: Facts;
  readonly model: WorkModel;
  /** Tagged segments of every workweek the period touches, chronological. */
  readonly segments: readonly Segment[];
  /** First dates of those workweeks, ascending. */
  readonly weeks: readonly string[];
  readonly book: LineBook;
  readonly findings: Finding[];
  /** The regular rate of each workweek, once computed (FLSA/California). */
  readonly regularRates: Map<string, { rate: Rate; derivation: string }>;
}

export function inPeriod(context: Context, date: string): boolean {
  return date >= context.input.period.from && date <= context.input.period.to;
}

export function weekEnd(workweek: string): string {
  return addDays(workweek, 6);
}

/** The wage of a position on a date: the latest entry effective on or before it, so a raise applies from its date. */
export function wageAt(input: PayrollInput, position: string, date: string): { hourlyRate: number; tipped: boolean } {
  const wage = input.wages
    .filter((w) => w.position === position && w.effectiveFrom <= date)
    .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom))
    .at(-1);
  if (!wage) throw new PayrollInputError('wages', `no wage for position ${position} effective on ${date}`);
  return wage;
}

/** The higher of the pack's statutory minimum wage and the workplace's local one on a date. */
export function minimumWageAt(context: Context, date: string): number {
  const latest = (entries: ReadonlyArray<{ from: string; hourlyRate: number }>) =>
    [...entries].sort((a, b) => a.from.localeCompare(b.from)).filter((entry) => entry.from <= date).at(-1)?.hourlyRate;
  const statutory = latest(context.pack.minimumWage);
  if (statutory === undefined) throw new PayrollInputError('period', `pack ${context.pack.id}@${context.pack.version} has no minimum wage for ${date}`);
  return Math.max(statutory, latest(context.input.workplace.localMinimumWage) ?? 0);
}

export function segmentsByWorkday(segments: readonly Segment[]): Map<string, Segment[]> {
  const days = new Map<string, Segment[]>();
  for (const segment of segments) {
    const day = days.get(segment.workday);
    if (day) day.push(segment);
    else days.set(segment.workday, [segment]);
  }
  return days;
}

export function ruleOf<K extends RulePack['rules'][number]['kind']>(pack: RulePack, kind: K): RuleOf<K> | undefined {
  return pack.rules.find((rule): rule is RuleOf<K> => rule.kind === kind);
}

export function rulesOf<K extends RulePack['rules'][number]['kind']>(pack: RulePack, kind: K): Array<RuleOf<K>> {
  return pack.rules.filter((rule): rule is RuleOf<K> => rule.kind === kind);
}
