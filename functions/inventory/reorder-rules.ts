// Reorder suggestions from the forecast, pure: how much of an item to order now so that stock lasts until the
// delivery after the next one, with safety stock for the forecast's uncertainty. Quantities are milli-base units
// (units.ts), money integer minor units.
//
// The cycle. An order sent now arrives with the supplier's next delivery D1 (delivery-rules.nextDelivery: cut-off,
// lead time, delivery weekdays); the next order can at best arrive with the following delivery D2. What is ordered
// now must cover the days from today until D2 arrives:
//   lead L   = days from today (site-local) to D1: the supplier's `leadTimeDays`, plus the wait for a delivery
//              weekday, plus a day when today's cut-off has passed (the stock on hand must last that long too)
//   review R = days from D1 to D2 (the next order opportunity that brings anything later)
// An item without a preferred supplier has no schedule: L = 0 and R = 7 (a week's demand), in base units, unpriced.
//
// The target. demand = Σ forecast daily use over the L + R days from today; safety = z × σ of that total, σ being
// the forecast's `cumulativeSd` at the window's last day; target = demand + safety. Days past the forecast's horizon
// are taken at the mean of its last (up to) 7 days, and σ grows with the square root of the days (as for
// independent days); the suggestion says how many days were extended. A forecast made yesterday starts yesterday:
// its past days are skipped, and σ at the window's end then also counts them (a little more safety, never less).
// z is the one-sided normal quantile of the service level (the chance that one cycle's demand stays within
// target): 95 % → 1.645.
//
// The suggestion. suggested = max(0, target − sellable on-hand − still to come on open POs), rounded up to whole
// packs of the preferred supplier's offer, at its pack price. Stock sold below zero counts as none (as the drafts).
//
// The fallback. Without a forecast for the item, with one older than FRESH_FORECAST_DAYS, or in a unit that does
// not convert for the item, the target is its par (basis `par`), as the automatic drafts always did; the reason
// says which.
import { localDateOf, zonedTimeToInstant } from '#shared/time';
import { followingDeliveryDate, nextDelivery, type DeliverySchedule } from './delivery-rules';
import type { ItemRecord } from './schemas';
import { MILLI, unitSize, UnitConversionError, type BaseUnit } from './units';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A forecast older than this is stale: the item falls back to par. */
export const FRESH_FORECAST_DAYS = 2;
/** The review period without a supplier schedule. */
export const DEFAULT_REVIEW_DAYS = 7;
/** Days past the horizon are extended at the mean of the forecast's last week. */
const EXTENSION_WINDOW_DAYS = 7;

/** One-sided service levels and their normal quantiles z (Φ⁻¹(level), to 4 decimals). */
export const SERVICE_LEVELS = { '0.9': 1.2816, '0.95': 1.6449, '0.975': 1.96, '0.98': 2.0537, '0.99': 2.3263, '0.995': 2.5758 } as const;
export type ServiceLevel = keyof typeof SERVICE_LEVELS;
export const DEFAULT_SERVICE_LEVEL: ServiceLevel = '0.95';

/** One ingredient's series of a forecast run, as inventory keeps it: thousandths of `unit` (integers). */
export interface IngredientForecast {
  runId: string;
  /** When the run computed it, epoch ms. */
  createdAt: number;
  /** The site-local date of `daily[0]`. */
  from: string;
  unit: BaseUnit;
  /** Expected use per day, thousandths of `unit`. */
  daily: readonly number[];
  /** σ of the total use over the first h + 1 days, thousandths of `unit`. */
  cumulativeSd: readonly number[];
}

export interface SupplierTerms {
  schedule: DeliverySchedule;
  /** The supplier's pack of the item, when it sells it. */
  offer?: { packUnit: string; packSize: number; packPrice: number };
}

export interface ReorderCycle {
  /** Days from today to the next delivery. */
  leadDays: number;
  /** Days from the next delivery to the following one. */
  reviewDays: number;
  nextDelivery?: { deliveryDate: string; arrivesAt: number; orderBy: number };
  followingDelivery?: { deliveryDate: string; arrivesAt: number };
}

/** What the forecast says about the cycle's days, milli-base units. */
export interface ForecastDemand {
  demand: number;
  safetyStock: number;
  /** σ of the demand over the cycle. */
  sd: number;
  /** Days past the forecast's horizon, taken at its last week's mean. */
  extendedDays: number;
}

export interface ReorderSuggestion {
  itemId: string;
  basis: 'forecast' | 'par';
  reason: string;
  onHand: number;
  onOrder: number;
  cycle: ReorderCycle;
  forecast?: ForecastDemand & { runId: string; createdAt: number };
  /** The level the order fills to: demand + safety stock, or par. */
  target: number;
  /** What is missing to the target, before rounding to packs. */
  shortfall: number;
  /** Whole packs of the offer (undefined without an offer). */
  packs?: number;
  /** packs × pack price, minor units. */
  cost?: number;
  /** What the packs hold (or the shortfall, without an offer), milli-base units. */
  suggested: number;
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

/** The lead and review days of an order sent at `now` to `schedule` (or the defaults without one). */
export function reorderCycle(now: number, schedule: DeliverySchedule | undefined, timeZone: string): ReorderCycle {
  if (!schedule) return { leadDays: 0, reviewDays: DEFAULT_REVIEW_DAYS };
  const today = localDateOf(now, timeZone);
  const next = nextDelivery(now, schedule, timeZone);
  const following = followingDeliveryDate(next.deliveryDate, schedule);
  return {
    leadDays: daysBetween(today, next.deliveryDate),
    reviewDays: daysBetween(next.deliveryDate, following),
    nextDelivery: next,
    followingDelivery: { deliveryDate: following, arrivesAt: zonedTimeToInstant(following, schedule.deliveryTime, timeZone) },
  };
}

/**
 * Demand and σ over `days` days from `today`, in thousandths of the forecast's unit (header: past days skipped,
 * days past the horizon at the last week's mean, σ scaled by √days).
 */
export function demandOver(forecast: Pick<IngredientForecast, 'from' | 'daily' | 'cumulativeSd'>, today: string, days: number): { demand: number; sd: number; extendedDays: number } {
  const { daily, cumulativeSd } = forecast;
  const length = Math.min(daily.length, cumulativeSd.length);
  if (length === 0 || days < 1) return { demand: 0, sd: 0, extendedDays: 0 };
  const start = Math.max(0, daysBetween(forecast.from, today));
  const last = Math.min(start + days - 1, length - 1);
  const covered = Math.max(0, last - start + 1);
  const extendedDays = days - covered;
  let demand = 0;
  for (let i = start; i <= last; i++) demand += daily[i]!;
  if (extendedDays > 0) {
    const week = daily.slice(Math.max(0, length - EXTENSION_WINDOW_DAYS), length);
    const weekTotal = week.reduce((sum, value) => sum + value, 0);
    demand += Number(ceilDiv(BigInt(Math.round(weekTotal)) * BigInt(extendedDays), BigInt(week.length)));
  }
  const sd = cumulativeSd[last]! * Math.sqrt((last + 1 + extendedDays) / (last + 1));
  return { demand, sd, extendedDays };
}

/** z × σ rounded up to a milli-base unit, exactly: z has four decimals (SERVICE_LEVELS). */
export const safetyStockOf = (z: number, sd: number) => Number(ceilDiv(BigInt(Math.round(z * 10_000)) * BigInt(sd), 10_000n));

/** Thousandths of `unit` as milli-base units of the item (half-up); undefined when the unit does not convert. */
function converter(item: Pick<ItemRecord, 'itemId' | 'baseUnit' | 'units'>, unit: BaseUnit): ((thousandths: number) => number) | undefined {
  let size: number;
  try {
    size = unitSize(item, unit);
  } catch (error) {
    if (error instanceof UnitConversionError) return undefined;
    throw error;
  }
  return (thousandths) => Number((BigInt(Math.round(thousandths)) * BigInt(size) + BigInt(MILLI / 2)) / BigInt(MILLI));
}

/** Why the forecast cannot be used for the item, or undefined when it can. */
function unusable(item: Pick<ItemRecord, 'baseUnit'>, forecast: IngredientForecast | undefined, convert: unknown, now: number): string | undefined {
  if (!forecast) return 'no forecast for the item';
  const ageDays = (now - forecast.createdAt) / DAY_MS;
  if (ageDays > FRESH_FORECAST_DAYS) return `the forecast is ${Math.floor(ageDays)} days old (older than ${FRESH_FORECAST_DAYS})`;
  if (!convert) return `the forecast is in ${forecast.unit}, which does not convert for the item (kept in ${item.baseUnit})`;
  return undefined;
}

type Target = Pick<ReorderSuggestion, 'basis' | 'reason' | 'target' | 'forecast'>;

/** The forecast's target over the cycle, or par with the reason the forecast could not be used. */
function targetOf(input: { item: Pick<ItemRecord, 'itemId' | 'baseUnit' | 'units' | 'par'>; forecast?: IngredientForecast; cycle: ReorderCycle; hasSupplier: boolean; z: number; now: number; timeZone: string }): Target {
  const { item, forecast, cycle, z, now, timeZone } = input;
  const convert = forecast ? converter(item, forecast.unit) : undefined;
  const why = unusable(item, forecast, convert, now);
  if (why !== undefined || !forecast || !convert) {
    return { basis: 'par', target: item.par, reason: item.par > 0 ? `par: ${why}` : `${why}, and the item has no par: nothing to fill to` };
  }
  const over = demandOver(forecast, localDateOf(now, timeZone), cycle.leadDays + cycle.reviewDays);
  const demand = convert(over.demand);
  const sd = convert(over.sd);
  const safetyStock = safetyStockOf(z, sd);
  const extended = over.extendedDays;
  return {
    basis: 'forecast',
    target: demand + safetyStock,
    forecast: { demand, safetyStock, sd, extendedDays: extended, runId: forecast.runId, createdAt: forecast.createdAt },
    reason:
      `forecast demand over ${cycle.leadDays} lead + ${cycle.reviewDays} review days, plus safety stock at z ${z}` +
      (extended > 0 ? `; ${extended} day${extended === 1 ? '' : 's'} past the forecast's horizon taken at its last week's mean` : '') +
      (input.hasSupplier ? '' : '; no preferred supplier: a week from today'),
  };
}

/** The suggestion for one item (header). */
export function suggestReorder(input: {
  item: Pick<ItemRecord, 'itemId' | 'baseUnit' | 'units' | 'par'>;
  /** Sellable on-hand over the item's locations (held stock left out). */
  onHand: number;
  onOrder: number;
  supplier?: SupplierTerms;
  forecast?: IngredientForecast;
  z: number;
  now: number;
  timeZone: string;
}): ReorderSuggestion {
  const { item, onOrder, supplier } = input;
  const onHand = Math.max(input.onHand, 0);
  const cycle = reorderCycle(input.now, supplier?.schedule, input.timeZone);
  const { forecast, ...target } = targetOf({ ...input, cycle, hasSupplier: supplier !== undefined });
  const shortfall = Math.max(0, target.target - onHand - onOrder);
  const offer = supplier?.offer;
  const packs = offer ? Number(ceilDiv(BigInt(shortfall), BigInt(offer.packSize))) : undefined;
  return {
    itemId: item.itemId,
    ...target,
    onHand,
    onOrder,
    cycle,
    ...(forecast ? { forecast } : {}),
    shortfall,
    ...(offer && packs !== undefined ? { packs, cost: packs * offer.packPrice, suggested: packs * offer.packSize } : { suggested: shortfall }),
  };
}

/** Until when a forecast made at `createdAt` is fresh. */
export const freshUntil = (createdAt: number) => createdAt + FRESH_FORECAST_DAYS * DAY_MS;
