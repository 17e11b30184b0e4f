// The forecast's suggested staffing beside the schedule (pure). Per site-local hour and position: the people the
// forecast suggests and the people the shifts put on the floor, as the person-minutes of the shifts inside that hour
// ÷ 60 (two decimals: a shift from 11:30 is half a person at 11); planned breaks are not placed in the shift, so they
// are not taken out of any hour. A day's labour % is the schedule's cost of the day ÷ the forecast net sales.
import { addDays, zonedTimeToInstant } from '#shared/time';
import { labourShareBps } from './schedule-rules';
import type { StaffingSuggestionRecord } from './staffing-suggestion-store';

const HOUR_MINUTES = 60;
const MINUTE = 60_000;

export interface FloorShift {
  positionId: string;
  /** UTC instants in milliseconds. */
  start: number;
  end: number;
}

export interface HourBeside {
  hour: string;
  positions: Array<{ positionId: string; suggested: number; scheduled: number }>;
}

const hourLabel = (hour: number) => String(hour).padStart(2, '0');

/** The local hours of `date` as instants [start, end); a skipped DST hour is empty, a repeated one its first pass. */
function hoursOf(date: string, timeZone: string): Array<{ hour: string; start: number; end: number }> {
  return Array.from({ length: 24 }, (_, hour) => ({
    hour: hourLabel(hour),
    start: zonedTimeToInstant(date, `${hourLabel(hour)}:00`, timeZone),
    end: hour === 23 ? zonedTimeToInstant(addDays(date, 1), '00:00', timeZone) : zonedTimeToInstant(date, `${hourLabel(hour + 1)}:00`, timeZone),
  }));
}

/** People on the floor per local hour and position of `date`: hour → position → people (2 decimals). */
export function scheduledPerHour(shifts: readonly FloorShift[], date: string, timeZone: string): Map<string, Map<string, number>> {
  const perHour = new Map<string, Map<string, number>>();
  for (const { hour, start, end } of hoursOf(date, timeZone)) {
    for (const shift of shifts) {
      const minutes = Math.max(0, Math.min(end, shift.end) - Math.max(start, shift.start)) / MINUTE;
      if (minutes <= 0) continue;
      const positions = perHour.get(hour) ?? new Map<string, number>();
      positions.set(shift.positionId, (positions.get(shift.positionId) ?? 0) + minutes);
      perHour.set(hour, positions);
    }
  }
  for (const positions of perHour.values()) for (const [positionId, minutes] of positions) positions.set(positionId, Math.round((minutes / HOUR_MINUTES) * 100) / 100);
  return perHour;
}

/** The suggestion of a day beside its shifts: every hour either has people in, suggested or scheduled. */
export function hoursBeside(suggestion: StaffingSuggestionRecord, scheduled: ReadonlyMap<string, ReadonlyMap<string, number>>): HourBeside[] {
  const suggested = new Map(suggestion.hours.map(({ hour, positions }) => [hour, new Map(positions.map((p) => [p.positionId, p.people]))]));
  const hours = [...new Set([...suggested.keys(), ...scheduled.keys()])].sort();
  return hours.map((hour) => {
    const positionIds = [...new Set([...(suggested.get(hour)?.keys() ?? []), ...(scheduled.get(hour)?.keys() ?? [])])].sort();
    return { hour, positions: positionIds.map((positionId) => ({ positionId, suggested: suggested.get(hour)?.get(positionId) ?? 0, scheduled: scheduled.get(hour)?.get(positionId) ?? 0 })) };
  });
}

/**
 * What the schedule shows of a day's suggestion: the forecast's figures and suggested labour, the hours beside the
 * shifts, and the schedule's cost of the day as a % of the forecast sales (null when the currencies differ, the cost
 * is partly unknown or no sales are forecast).
 */
export function forecastOfDay(suggestion: StaffingSuggestionRecord, shifts: readonly FloorShift[], timeZone: string, schedule: { cost: number; costComplete: boolean; currency: string | null }) {
  const sameCurrency = !suggestion.currency || !schedule.currency || suggestion.currency === schedule.currency;
  return {
    runId: suggestion.runId,
    createdAt: suggestion.createdAt,
    closed: suggestion.closed,
    currency: suggestion.currency ?? null,
    netSales: suggestion.netSales,
    covers: suggestion.covers,
    suggestedLabourHours: suggestion.labourHours,
    suggestedLabourCost: suggestion.labourCost ?? null,
    suggestedLabourPercentBps: suggestion.labourPercentBps ?? null,
    labourPercentOfForecastSales: sameCurrency && schedule.costComplete ? labourShareBps(schedule.cost, suggestion.netSales) : null,
    hours: hoursBeside(suggestion, scheduledPerHour(shifts, suggestion.date, timeZone)),
  };
}
