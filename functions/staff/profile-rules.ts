// Staff profiles' rules, pure. Wages are effective-dated: a position's wages are a list ordered by `from`, and the
// wage on a day is the last one whose `from` is on or before it. A raise appends; history is never rewritten, so a
// period paid (or locked, in the timesheet slice) under an old wage recomputes the same.
import { UnprocessableError } from '#shared/errors';
import type { DirectoryUser } from './directory-store';
import { hourlyRatesOf } from './payroll-input-from-records';
import type { RulePack } from './payroll-pack-schema';
import type { Position, ProfileRecord, Wage } from './schemas';

/** The wage in force on a site-local `date`, or undefined before the first one. */
export function wageOn(wages: readonly Wage[], date: string): Wage | undefined {
  let current: Wage | undefined;
  for (const wage of wages) {
    if (wage.from > date) break;
    current = wage;
  }
  return current;
}

/**
 * An edit may add positions, mark one inactive and append wages, never rewrite or drop what was stored: each stored
 * position stays, its stored wages stay as they were and in front, and a new wage starts after the last stored one.
 */
export function assertHistoryKept(stored: readonly Position[], next: readonly Position[]): void {
  for (const [index, before] of stored.entries()) {
    const nextIndex = next.findIndex((p) => p.positionId === before.positionId);
    if (nextIndex < 0) {
      throw new UnprocessableError(`Position ${before.positionId} has a wage history: mark it inactive instead of removing it`, { field: `positions` , positionId: before.positionId, storedAt: index });
    }
    const after = next[nextIndex]!;
    const rewritten = before.wages.findIndex((wage, i) => !sameWage(wage, after.wages[i]));
    if (rewritten >= 0) {
      throw new UnprocessableError(`Wages are effective-dated: append a new wage instead of changing ${before.positionId}'s wage from ${before.wages[rewritten]!.from}`, {
        field: `positions.${nextIndex}.wages.${rewritten}`,
      });
    }
  }
}

const sameWage = (a: Wage, b: Wage | undefined) => b !== undefined && a.from === b.from && a.kind === b.kind && a.amount === b.amount;

/** The position a clock-in without one works: the profile's first active position. */
export function positionToWork(positions: readonly Position[], asked: string | undefined): string {
  const active = positions.filter((p) => p.active);
  if (asked === undefined) {
    const first = active[0];
    if (!first) throw new UnprocessableError('The staff profile has no active position to clock in for', { field: 'positionId' });
    return first.positionId;
  }
  if (!active.some((p) => p.positionId === asked)) throw new UnprocessableError(`Not an active position of this staff profile: ${asked}`, { field: 'positionId' });
  return asked;
}

/** Why the directory refuses `user` a staff profile at `siteId`, or undefined for an active member of the site. */
export function whyNoProfileAt(user: DirectoryUser, siteId: string): string | undefined {
  if (user.status !== 'active') return 'is deactivated';
  if (user.role !== 'owner' && !user.sites.includes(siteId)) return 'does not work at this site';
  return undefined;
}

export interface PayRates {
  currency: string;
  rates: Array<{ positionId: string; from: string; hourlyRate: number }>;
}

/**
 * What analytics may know of a profile's pay (staff.pay-rates-changed): each wage as the hourly rate payroll and the
 * schedule's labour cost use, in the pack's currency, the one payroll pays in. Not the employment, pack or payslips.
 */
export function payRatesOf(profile: Pick<ProfileRecord, 'positions' | 'employment'>, pack: Pick<RulePack, 'jurisdiction' | 'currency'>): PayRates {
  return { currency: pack.currency.code, rates: hourlyRatesOf(profile, pack) };
}
