// Staffing suggested per site-local hour and position (pure: unit-tested without AWS). For every hour the forecast
// expects trade in, each position needs max(its minimum while trading, ceil(the hour's forecast driver ÷ what one
// person handles in an hour)); the hours before the first and after the last trading hour that the position asks for
// (prep, close) get its minimum, at least one person. Labour hours are the people-hours, their cost the positions'
// current base rates (the mean of the rates the position's people hold), labour % that cost ÷ the forecast net sales.
// A closed day (the calendar's) suggests nobody. The forecast is the mean: a percentile (upper80) would cover the
// busier days the mean under-staffs, at the cost of over-staffing the others; the targets' minimums are the floor.
import { mulDivHalfUp } from '#shared/money';
import type { EventData } from '#shared/contracts';
import type { DailyPoint } from './daily-series-store';
import { hourlyForecast, type HourlyForecast } from './hourly-forecast-rules';
import { positionRates, type PersonRates } from './pay-rate-rules';

export const STAFFING_DRIVERS = ['covers', 'netSales', 'orders'] as const;
export type StaffingDriver = (typeof STAFFING_DRIVERS)[number];

/** An hour expects trade when at least half an order is forecast in it: a sale is more likely than not. */
export const MIN_TRADING_ORDERS = 0.5;

export interface PositionTarget {
  positionId: string;
  driver: StaffingDriver;
  /** What one person handles in an hour: covers or orders (2 decimals at most), or net sales in minor units. */
  perPersonHour: number;
  /** People the position needs in every trading hour, however quiet. */
  minimum: number;
  /** Hours before the first trading hour to staff (prep). */
  prepHours?: number;
  /** Hours after the last trading hour to staff (close). */
  closeHours?: number;
}

/** One hour's forecast means: net sales in minor units, orders and covers as counts. */
export interface HourDemand {
  hour: string;
  netSales: number;
  orders: number;
  covers: number;
}

export interface DayDemand {
  date: string;
  hours: readonly HourDemand[];
}

export interface SeriesModel {
  method: string;
  parameters: Record<string, number | number[]>;
}

/** The hourly forecast of the three figures, and the model behind each. */
export interface HourlyDemand {
  currency: string | null;
  days: readonly DayDemand[];
  models: Partial<Record<StaffingDriver, SeriesModel>>;
}

/**
 * The three hourly forecasts (hourly-forecast-rules.ts, one per figure, same history and horizon) as one demand per
 * day and hour; an hour the model has no value for counts as no demand. Undefined when the site has no history.
 */
export function hourlyDemandOf(forecasts: Record<StaffingDriver, HourlyForecast>): HourlyDemand | undefined {
  const { netSales, orders, covers } = forecasts;
  if (!netSales.history || !orders.history || !covers.history) return undefined;
  const valueAt = (forecast: HourlyForecast, day: number, hour: number) => forecast.forecast[day]?.hours[hour]?.mean ?? 0;
  return {
    currency: netSales.currency,
    days: netSales.forecast.map((day, d) => ({
      date: day.date,
      hours: day.hours.map((hour, h) => ({ hour: hour.hour, netSales: hour.mean ?? 0, orders: valueAt(orders, d, h), covers: valueAt(covers, d, h) })),
    })),
    models: {
      netSales: { method: netSales.method, parameters: netSales.parameters },
      orders: { method: orders.method, parameters: orders.parameters },
      covers: { method: covers.method, parameters: covers.parameters },
    },
  };
}

/** The positions' current base hourly rates in one currency. */
export interface PositionRates {
  currency: string;
  hourlyRate: ReadonlyMap<string, number>;
}

export interface StaffingHour extends HourDemand {
  /** False for a prep or close hour: staffed, but no trade expected. */
  trading: boolean;
  positions: Array<{ positionId: string; people: number }>;
}

export interface StaffingDay {
  date: string;
  closed: boolean;
  netSales: number;
  orders: number;
  covers: number;
  hours: StaffingHour[];
  labourHours: number;
  labourCost?: number;
  labourPercentBps?: number;
}

export interface StaffingSuggestion {
  currency: string | null;
  days: StaffingDay[];
  /** Each target position's rate used, null where none is known (then no day has a cost). */
  rates: Array<{ positionId: string; hourlyRate: number | null }>;
  models: HourlyDemand['models'];
}

const hundredths = (value: number) => Math.round(value * 100);

/**
 * ceil(demand ÷ per person), in whole hundredths so that float noise (1.1 / 0.1 = 11.000000000000002) cannot add a
 * person; money is already whole minor units.
 */
export function peopleFor(demand: number, perPersonHour: number): number {
  const [need, each] = [hundredths(Math.max(0, demand)), hundredths(perPersonHour)];
  if (each <= 0) throw new RangeError('perPersonHour must be positive');
  return Math.ceil(need / each);
}

const hourLabel = (hour: number) => String(hour).padStart(2, '0');
const roundCount = (value: number) => Math.round(value * 100) / 100;

/** Staffs one open day: the trading hours by demand and minimum, the prep and close hours by minimum. */
function dayHours(day: DayDemand, targets: readonly PositionTarget[]): StaffingHour[] {
  const demand = new Map(day.hours.map((hour) => [Number(hour.hour), hour]));
  const tradingHours = day.hours.filter((hour) => hour.orders >= MIN_TRADING_ORDERS);
  const trading = tradingHours.map((hour) => Number(hour.hour));
  if (trading.length === 0) return [];
  const [first, last] = [Math.min(...trading), Math.max(...trading)];
  const people = new Map<number, Map<string, number>>();
  for (const target of targets) {
    for (const figures of tradingHours) {
      const need = Math.max(target.minimum, peopleFor(figures[target.driver], target.perPersonHour));
      people.set(Number(figures.hour), (people.get(Number(figures.hour)) ?? new Map()).set(target.positionId, need));
    }
    const edge = Math.max(1, target.minimum);
    const around = [
      ...Array.from({ length: target.prepHours ?? 0 }, (_, i) => first - 1 - i),
      ...Array.from({ length: target.closeHours ?? 0 }, (_, i) => last + 1 + i),
    ].filter((hour) => hour >= 0 && hour <= 23 && !trading.includes(hour));
    for (const hour of around) people.set(hour, (people.get(hour) ?? new Map()).set(target.positionId, edge));
  }
  return [...people.keys()]
    .sort((a, b) => a - b)
    .map((hour) => {
      const figures = demand.get(hour);
      return {
        hour: hourLabel(hour),
        netSales: figures?.netSales ?? 0,
        orders: figures?.orders ?? 0,
        covers: figures?.covers ?? 0,
        trading: trading.includes(hour),
        positions: targets.flatMap(({ positionId }) => {
          const count = people.get(hour)?.get(positionId) ?? 0;
          return count > 0 ? [{ positionId, people: count }] : [];
        }),
      };
    });
}

/** The people-hours' cost at the positions' rates; undefined when a staffed position has no rate. */
function labourCostOf(hours: readonly StaffingHour[], rates: PositionRates | undefined): number | undefined {
  if (!rates) return hours.length === 0 ? 0 : undefined;
  let cost = 0;
  for (const { positions } of hours) {
    for (const { positionId, people } of positions) {
      const rate = rates.hourlyRate.get(positionId);
      if (rate === undefined) return undefined;
      cost += people * rate;
    }
  }
  return cost;
}

/**
 * The staffing the hourly forecast needs at the targets. `rates` count only in the forecast's currency (or, when the
 * forecast has none, their own); a day has no cost when any staffed position lacks a rate, and no labour % without a
 * cost or without sales. `closed` days suggest nobody and forecast nothing.
 */
export function staffingSuggestion(demand: HourlyDemand, targets: readonly PositionTarget[], rates: PositionRates | undefined, closed: ReadonlySet<string>): StaffingSuggestion {
  const usable = rates && (demand.currency === null || rates.currency === demand.currency) ? rates : undefined;
  const currency = demand.currency ?? usable?.currency ?? null;
  const days = demand.days.map((day): StaffingDay => {
    if (closed.has(day.date)) return { date: day.date, closed: true, netSales: 0, orders: 0, covers: 0, hours: [], labourHours: 0 };
    const hours = dayHours(day, targets);
    const netSales = day.hours.reduce((sum, hour) => sum + hour.netSales, 0);
    const labourCost = labourCostOf(hours, usable);
    return {
      date: day.date,
      closed: false,
      netSales,
      orders: roundCount(day.hours.reduce((sum, hour) => sum + hour.orders, 0)),
      covers: roundCount(day.hours.reduce((sum, hour) => sum + hour.covers, 0)),
      hours,
      labourHours: hours.reduce((sum, hour) => sum + hour.positions.reduce((n, p) => n + p.people, 0), 0),
      ...(labourCost !== undefined ? { labourCost } : {}),
      ...(labourCost !== undefined && netSales > 0 ? { labourPercentBps: mulDivHalfUp(labourCost, 10_000, netSales) } : {}),
    };
  });
  return {
    currency,
    days,
    rates: targets.map(({ positionId }) => ({ positionId, hourlyRate: usable?.hourlyRate.get(positionId) ?? null })),
    models: demand.models,
  };
}

/** The `forecast.staffing-suggested` event's data for a run: the suggestion without the per-hour figures. */
export function staffingSuggestedEvent(run: { runId: string; createdAt: string }, suggestion: StaffingSuggestion): EventData<'forecast.staffing-suggested'> {
  return {
    runId: run.runId,
    createdAt: run.createdAt,
    ...(suggestion.currency ? { currency: suggestion.currency } : {}),
    days: suggestion.days.map((day) => ({
      date: day.date,
      closed: day.closed,
      netSales: day.netSales,
      covers: day.covers,
      hours: day.hours.map(({ hour, positions }) => ({ hour, positions })),
      labourHours: day.labourHours,
      ...(day.labourCost !== undefined ? { labourCost: day.labourCost } : {}),
      ...(day.labourPercentBps !== undefined ? { labourPercentBps: day.labourPercentBps } : {}),
    })),
  };
}

export type StaffingForecast = { reason: 'no-data'; days: [] } | ({ history: { from: string; to: string } } & StaffingSuggestion);

/**
 * What a run (or the route) computes from the learnt days with their hours: the three hourly forecasts over `days`,
 * staffed at the targets and costed at the rates the people hold on the first day forecast.
 */
export function staffingForecast(points: readonly DailyPoint[], days: number, targets: readonly PositionTarget[], people: readonly PersonRates[], closed: ReadonlySet<string>): StaffingForecast {
  const forecasts = { netSales: hourlyForecast(points, 'netSales', days, closed), orders: hourlyForecast(points, 'orders', days, closed), covers: hourlyForecast(points, 'covers', days, closed) };
  return staffingFromHourly(forecasts, targets, people, closed);
}

/** The same from the three hourly forecasts already made (a run makes them once for its hourly parts too). */
export function staffingFromHourly(forecasts: Record<StaffingDriver, HourlyForecast>, targets: readonly PositionTarget[], people: readonly PersonRates[], closed: ReadonlySet<string>): StaffingForecast {
  const demand = hourlyDemandOf(forecasts);
  const history = forecasts.netSales.history;
  const first = demand?.days[0];
  if (!demand || !history || !first) return { reason: 'no-data', days: [] };
  const rates = positionRates(people, first.date, demand.currency ?? undefined);
  return { history: { from: history.from, to: history.to }, ...staffingSuggestion(demand, targets, rates, closed) };
}
