// When the next delivery can come, and whether stock lasts until then, pure. Instants are UTC epoch
// milliseconds; a supplier's order cut-off, its delivery weekdays and delivery time are the site's wall clock in
// its IANA zone (#shared/time), so a 14:00 cut-off stays 14:00 across DST and a late-evening UTC `now` is
// already tomorrow in Asia/Seoul.
//
// Next delivery: an order sent before today's cut-off (local) is placed today, after it tomorrow (a supplier takes
// orders every day; it delivers on its weekdays only). The goods come on the first delivery weekday at least
// `leadTimeDays` after the order day, at the supplier's delivery time, and never at or before `now` (a same-day
// supplier whose van left already delivers on its next weekday).
//
// Low stock: usage is the net depletion (sales less returns) of the last `windowDays` days; the stock needed until
// the delivery arrives is usage × (arrival - now) / window, in exact integer arithmetic. An item is low when its
// on-hand is at or below its reorder point, or below what it needs until the delivery. A low-stock episode opens
// on the first assessment that finds it low and closes on the first that does not (on-hand back above the reorder
// point and lasting until the delivery): an alert fires on opening only, so sales that follow never alert again.
import { addDays, localDateOf, zonedTimeToInstant } from '#shared/time';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
const DAY_MS = 24 * 60 * 60 * 1000;

export interface DeliverySchedule {
  leadTimeDays: number;
  deliveryWeekdays: readonly Weekday[];
  /** HH:MM, site-local: orders sent later are placed the next day. */
  orderCutOff: string;
  /** HH:MM, site-local: when deliveries arrive. */
  deliveryTime: string;
}

export interface NextDelivery {
  /** The cut-off this order must be sent before (instant). */
  orderBy: number;
  /** The local date of the delivery. */
  deliveryDate: string;
  /** When it arrives (instant). */
  arrivesAt: number;
}

const weekdayOf = (date: string): Weekday => WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()]!;

/** The next delivery an order sent at `now` can get from a supplier delivering on `schedule`, at a site in `timeZone`. */
export function nextDelivery(now: number, schedule: DeliverySchedule, timeZone: string): NextDelivery {
  if (schedule.deliveryWeekdays.length === 0) throw new RangeError('a supplier delivers on at least one weekday');
  const today = localDateOf(now, timeZone);
  const todaysCutOff = zonedTimeToInstant(today, schedule.orderCutOff, timeZone);
  const orderDay = now < todaysCutOff ? today : addDays(today, 1);
  const orderBy = now < todaysCutOff ? todaysCutOff : zonedTimeToInstant(orderDay, schedule.orderCutOff, timeZone);
  // Eight days hold every weekday after the earliest date, and the one the van already left on.
  for (let offset = 0; offset <= 7; offset++) {
    const deliveryDate = addDays(orderDay, schedule.leadTimeDays + offset);
    if (!schedule.deliveryWeekdays.includes(weekdayOf(deliveryDate))) continue;
    const arrivesAt = zonedTimeToInstant(deliveryDate, schedule.deliveryTime, timeZone);
    if (arrivesAt > now) return { orderBy, deliveryDate, arrivesAt };
  }
  throw new RangeError('no delivery within a week of the earliest date');
}

/** The delivery date after `deliveryDate` on the supplier's weekdays: what an order placed after this one can get. */
export function followingDeliveryDate(deliveryDate: string, schedule: Pick<DeliverySchedule, 'deliveryWeekdays'>): string {
  if (schedule.deliveryWeekdays.length === 0) throw new RangeError('a supplier delivers on at least one weekday');
  let date = addDays(deliveryDate, 1);
  while (!schedule.deliveryWeekdays.includes(weekdayOf(date))) date = addDays(date, 1);
  return date;
}

/** Net depletion over the last `windowDays` days, in milli-base units. */
export interface Usage {
  depleted: number;
  windowDays: number;
}

export interface StockAssessment {
  low: boolean;
  /** What usage needs from now until the delivery arrives, rounded up to a milli-base unit. */
  neededUntilDelivery: number;
  /** When on-hand runs out at the usage rate; undefined without usage or without stock. */
  runsOutAt?: number;
}

/** Whether `onHand` lasts until `arrivesAt` at `usage`, and stays above the reorder point. */
export function assessStock(input: { onHand: number; reorderPoint: number; usage: Usage; now: number; arrivesAt: number }): StockAssessment {
  const { onHand, reorderPoint, usage, now, arrivesAt } = input;
  if (!Number.isInteger(usage.windowDays) || usage.windowDays < 1) throw new RangeError('the usage window is at least one whole day');
  const windowMs = BigInt(usage.windowDays * DAY_MS);
  const rate = BigInt(Math.max(usage.depleted, 0));
  const demand = rate * BigInt(Math.max(arrivesAt - now, 0));
  const neededUntilDelivery = Number((demand + windowMs - 1n) / windowMs);
  const lasts = BigInt(onHand) * windowMs >= demand;
  return {
    low: onHand <= reorderPoint || !lasts,
    neededUntilDelivery,
    ...(rate > 0n && onHand > 0 ? { runsOutAt: now + Number((BigInt(onHand) * windowMs) / rate) } : {}),
  };
}

/** An item's low-stock state: `episode` counts the episodes opened, so each has its own alert id. */
export interface LowStockEpisode {
  open: boolean;
  episode: number;
  openedAt?: number;
}

export type EpisodeTransition = 'opened' | 'closed';

/** The next episode state after an assessment, and the transition to announce (none while nothing changes). */
export function nextEpisode(current: LowStockEpisode | undefined, low: boolean, now: number): { state: LowStockEpisode; transition?: EpisodeTransition } {
  const state = current ?? { open: false, episode: 0 };
  if (low && !state.open) return { state: { open: true, episode: state.episode + 1, openedAt: now }, transition: 'opened' };
  if (!low && state.open) return { state: { open: false, episode: state.episode }, transition: 'closed' };
  return { state };
}
