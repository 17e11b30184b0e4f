// The positions' current base hourly rates from the people's learnt rates (pure). Each person's rate at a position on
// a day is their latest one from on or before it; the position's rate is the MEAN of its people's, rounded half up:
// suggested hours are not given to anyone in particular, and the mean is what an hour costs when any of them may
// work it (the median would ignore what one senior cook adds to the bill). Only one currency counts: the one asked
// for (the site's sales currency), else the one most people are paid in.
import { mulDivHalfUp } from '#shared/money';
import type { PositionRates } from './staffing-rules';

export interface PersonRates {
  userId: string;
  currency: string;
  rates: Array<{ positionId: string; from: string; hourlyRate: number }>;
}

/** The rate each person holds at each position on `date`; undefined when nobody has a rate in the currency. */
export function positionRates(people: readonly PersonRates[], date: string, currency?: string): PositionRates | undefined {
  const counts = new Map<string, number>();
  for (const person of people) counts.set(person.currency, (counts.get(person.currency) ?? 0) + 1);
  const chosen = currency ?? [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  const held = new Map<string, number[]>();
  for (const person of people.filter((p) => p.currency === chosen)) {
    const current = new Map<string, { from: string; hourlyRate: number }>();
    for (const rate of person.rates) {
      const known = current.get(rate.positionId);
      if (rate.from <= date && (!known || rate.from > known.from)) current.set(rate.positionId, rate);
    }
    for (const [positionId, rate] of current) held.set(positionId, [...(held.get(positionId) ?? []), rate.hourlyRate]);
  }
  if (!chosen || held.size === 0) return undefined;
  const hourlyRate = new Map([...held].map(([positionId, rates]) => [positionId, mulDivHalfUp(rates.reduce((sum, r) => sum + r, 0), 1, rates.length)]));
  return { currency: chosen, hourlyRate };
}
