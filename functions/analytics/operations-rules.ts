// What the other domains' operational events add to a site's figures, pure (sales-rules.ts has the orders side):
//
//   staff.clocked-out             labour: seconds worked, by position and person, spread over the site-local hours
//                                 worked; its cost at the person's pay rate for the position that day, when known
//   inventory.movement-recorded   waste (value, count, by reason) and food cost: depletion by orders (`sale`) at
//                                 the average cost, less `sale-return`; on the movement's business day
//   iot.excursion-started/ended   food safety: incidents (and critical ones) and seconds out of range, on the
//                                 business day the excursion started
//
// Every figure is filed on the business day by the rule orders file orders by (`businessDayOf`, the site's
// `menu.settings-changed`): labour on the business day its shift began, so a shift clocked in at 00:30 before a
// 04:00 start is the day before's, like the orders of that hour. Its hours are wall-clock hours under that day (a
// shift 22:00–02:00 fills 22, 23, 00 and 01).
import type { EventData, EventOfAny } from '#shared/contracts';
import { mulDivHalfUp } from '#shared/money';
import { businessDayOf, wallClock } from '#shared/time';
import { add, type Counters, type Delta } from './sales-rules';

/** The operational events recorded as figures (record-analytics.ts). */
export const OPERATIONS_EVENTS = ['staff.clocked-out', 'inventory.movement-recorded', 'iot.excursion-started', 'iot.excursion-ended'] as const;
export type OperationsEvent = EventOfAny<(typeof OPERATIONS_EVENTS)[number]>;

/** A person's pay rates as staff published them (RATES item): per position, effective from a date. */
export type PayRates = EventData<'staff.pay-rates-changed'>;

/** The rate of `positionId` on `date`: the latest `from` on or before it; undefined when none applies. */
export function rateOn(rates: PayRates | undefined, positionId: string, date: string): number | undefined {
  let best: { from: string; hourlyRate: number } | undefined;
  for (const rate of rates?.rates ?? []) if (rate.positionId === positionId && rate.from <= date && (!best || rate.from > best.from)) best = rate;
  return best?.hourlyRate;
}

// Every time zone's offset is a whole number of quarter hours, so a site-local hour never changes inside a UTC quarter.
const QUARTER_MS = 900_000;

/**
 * `worked` seconds spread over the site-local hours between `start` and `end` in proportion to the time spent in
 * each: breaks are not itemised in the event, so each hour carries its share. Largest remainders keep the sum exact.
 */
export function spreadOverHours(start: number, end: number, worked: number, timeZone: string): Map<string, number> {
  const spans = new Map<string, number>();
  for (let at = start; at < end; ) {
    const boundary = Math.min(end, (Math.floor(at / QUARTER_MS) + 1) * QUARTER_MS);
    const hour = wallClock(at, timeZone).time.slice(0, 2);
    spans.set(hour, (spans.get(hour) ?? 0) + (boundary - at));
    at = boundary;
  }
  const total = end - start;
  const shares = new Map<string, number>();
  if (total <= 0 || worked <= 0) return shares;
  const exact = [...spans].map(([hour, ms]) => ({ hour, exact: (worked * ms) / total }));
  for (const { hour, exact: value } of exact) shares.set(hour, Math.floor(value));
  let rest = worked - [...shares.values()].reduce((sum, s) => sum + s, 0);
  for (const { hour } of [...exact].sort((a, b) => (b.exact % 1) - (a.exact % 1) || a.hour.localeCompare(b.hour))) {
    if (rest <= 0) break;
    shares.set(hour, shares.get(hour)! + 1);
    rest -= 1;
  }
  return shares;
}

/** How a site's days are reckoned: orders' business-day rule, or the calendar date in the site's zone until known. */
export interface BusinessDayRule {
  timeZone: string;
  /** Local HH:MM a business day starts; 00:00 is the calendar date. */
  startsAt: string;
}

const calendarDays = (timeZone: string): BusinessDayRule => ({ timeZone, startsAt: '00:00' });
const dayOf = (iso: string, rule: BusinessDayRule) => businessDayOf(Date.parse(iso), rule.timeZone, rule.startsAt);

function labourDelta(shift: EventData<'staff.clocked-out'>, timeZone: string, rule: BusinessDayRule, hourlyRate: number | undefined): Delta {
  const day: Counters = {};
  const worked = shift.workedSeconds;
  add(day, 'labourSeconds', worked);
  add(day, 'shifts', 1);
  add(day, `position#${shift.positionId}#labourSeconds`, worked);
  add(day, `server#${shift.userId}#labourSeconds`, worked);
  if (shift.autoClosed) add(day, 'autoClosedShifts', 1);
  if (hourlyRate === undefined) add(day, 'labourSecondsUncosted', worked);
  else {
    const cost = mulDivHalfUp(hourlyRate, worked, 3600);
    add(day, 'labourCost', cost);
    add(day, `position#${shift.positionId}#labourCost`, cost);
  }
  const hours = [...spreadOverHours(Date.parse(shift.clockedInAt), Date.parse(shift.clockedOutAt), worked, timeZone)]
    .filter(([, seconds]) => seconds > 0)
    .map(([hour, seconds]) => ({ hour, counters: { labourSeconds: seconds } }));
  // No currency set: the day's currency is its sales' (a rate in another currency is never costed, below).
  return { businessDay: dayOf(shift.clockedInAt, rule), day, hours, items: [] };
}

type Movement = EventData<'inventory.movement-recorded'>;

function movementDelta(movement: Movement, rule: BusinessDayRule): Delta | undefined {
  const day: Counters = {};
  if (movement.kind === 'waste') {
    add(day, 'wasteValue', movement.value);
    add(day, 'wasteCount', 1);
    add(day, `waste#${movement.reason ?? 'unspecified'}#value`, movement.value);
  } else if (movement.kind === 'sale') add(day, 'foodCost', movement.value);
  else if (movement.kind === 'sale-return') add(day, 'foodCost', -movement.value);
  else return undefined;
  return { businessDay: dayOf(movement.at, rule), day, hours: [], items: [] };
}

/**
 * What an operational event adds; undefined when it adds nothing (a receipt of stock, a count). `timeZone` is the
 * site's, for hours of day; `businessDay` its day rule (calendar dates in `timeZone` when not given). `rates` is the
 * person's pay rates for a clock-out (read by the consumer), `currency` the site's: rates in another currency are
 * not costed.
 */
export function operationsDelta(
  event: OperationsEvent,
  timeZone: string,
  context: { rates?: PayRates; currency?: string; businessDay?: BusinessDayRule } = {},
): Delta | undefined {
  const rule = context.businessDay ?? calendarDays(timeZone);
  switch (event.type) {
    case 'staff.clocked-out': {
      // Rates in another currency than the site's would mix currencies in labour %: those hours stay uncosted.
      const sameCurrency = !context.rates || !context.currency || context.rates.currency === context.currency;
      const rate = sameCurrency ? rateOn(context.rates, event.data.positionId, event.data.localDate) : undefined;
      return labourDelta(event.data, timeZone, rule, rate);
    }
    case 'inventory.movement-recorded':
      return movementDelta(event.data, rule);
    case 'iot.excursion-started': {
      const day: Counters = { incidents: 1 };
      if (event.data.severity === 'critical') day.criticalIncidents = 1;
      return { businessDay: dayOf(event.data.startedAt, rule), day, hours: [], items: [] };
    }
    case 'iot.excursion-ended': {
      const seconds = Math.round(event.data.durationMinutes * 60);
      if (seconds === 0) return undefined;
      return { businessDay: dayOf(event.data.startedAt, rule), day: { secondsOutOfRange: seconds }, hours: [], items: [] };
    }
  }
}
