// Customer analysis, pure: customers known by a ref (orders' keyed hash of a phone or loyalty id, never the person)
// over a range. A visit is a day with at least one paid order (the customer item keeps the set of days), so two
// orders on one day are one visit. Per customer the item holds lifetime orders and spend only: the range's
// known-customer sales come from the day counters (`knownCustomers`), not from here.
import { addDays } from '#shared/time';
import { shareBps } from './sales-rules';

export interface KnownCustomer {
  ref: string;
  /** Lifetime paid orders and net sales. */
  orders: number;
  spend: number;
  /** Days with a paid order, sorted. */
  visitDays: readonly string[];
}

/** Visit days from which a customer is a regular (for the lapsed list). */
export const REGULAR_VISITS = 3;
/** How many lapsed regulars the report lists. */
export const LAPSED_LIMIT = 50;

export interface LapsedRegular {
  ref: string;
  /** Visit days up to the range's end. */
  visits: number;
  lastVisit: string;
  daysSinceLastVisit: number;
  /** Lifetime, as the customer's item holds them. */
  orders: number;
  spend: number;
}

export interface CustomerFigures {
  /** Customers with a visit in the range. */
  customers: number;
  /** ... whose first visit ever is in the range, and the others. */
  new: number;
  returning: number;
  /** Customers with 2 visit days or more in the range. */
  repeatCustomers: number;
  /** repeatCustomers ÷ customers, basis points; null without customers. */
  repeatRateBps: number | null;
  /** Visit days in the range, all customers. */
  visits: number;
  /** visits ÷ customers, two decimals; null without customers. */
  averageVisitsPerCustomer: number | null;
  /** Lifetime orders and spend of the customers of the range. */
  lifetime: { orders: number; spend: number };
  /** Regulars (≥ 3 visits up to `to`) whose last visit is more than `lapsedAfterDays` before `to`, most valuable first. */
  lapsedRegulars: LapsedRegular[];
}

const daysFrom = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

export function customerFigures(known: readonly KnownCustomer[], range: { from: string; to: string }, lapsedAfterDays: number): CustomerFigures {
  let customers = 0;
  let newCustomers = 0;
  let repeatCustomers = 0;
  let visits = 0;
  const lifetime = { orders: 0, spend: 0 };
  const lapsed: LapsedRegular[] = [];
  const lapsedBefore = addDays(range.to, -lapsedAfterDays);
  for (const customer of known) {
    const inRange = customer.visitDays.filter((day) => day >= range.from && day <= range.to).length;
    if (inRange > 0) {
      customers += 1;
      visits += inRange;
      if (inRange >= 2) repeatCustomers += 1;
      if ((customer.visitDays[0] ?? range.from) >= range.from) newCustomers += 1;
      lifetime.orders += customer.orders;
      lifetime.spend += customer.spend;
    }
    const upToEnd = customer.visitDays.filter((day) => day <= range.to);
    const lastVisit = upToEnd.at(-1);
    if (lastVisit !== undefined && upToEnd.length >= REGULAR_VISITS && lastVisit < lapsedBefore)
      lapsed.push({ ref: customer.ref, visits: upToEnd.length, lastVisit, daysSinceLastVisit: daysFrom(lastVisit, range.to), orders: customer.orders, spend: customer.spend });
  }
  lapsed.sort((a, b) => b.spend - a.spend || b.visits - a.visits || a.ref.localeCompare(b.ref));
  return {
    customers,
    new: newCustomers,
    returning: customers - newCustomers,
    repeatCustomers,
    repeatRateBps: shareBps(repeatCustomers, customers),
    visits,
    averageVisitsPerCustomer: customers > 0 ? Math.round((visits * 100) / customers) / 100 : null,
    lifetime,
    lapsedRegulars: lapsed.slice(0, LAPSED_LIMIT),
  };
}
