// The week's rhythm over a range: for each weekday (Monday first) and site-local hour, the average net sales, orders,
// covers and labour hours per occurrence of that weekday in the range (a range of 4 Mondays divides Monday's sums
// by 4, whether or not the site sold on each). Sales per labour hour shows where staffing and demand part ways.
// Reads the range's hour items, one query: at most 24 per day, 92 days (schemas.ts).
import { addDays } from '#shared/time';
import { perLabourHour, sumCounters, type Counters } from './sales-rules';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const HOURS = Array.from({ length: 24 }, (_, hour) => String(hour).padStart(2, '0'));

export interface HeatmapCell {
  weekday: (typeof WEEKDAYS)[number];
  hour: string;
  /** Averages per occurrence of the weekday in the range, half up (money in minor units). */
  netSales: number;
  orders: number;
  covers: number;
  labourHours: number;
  salesPerLabourHour: number | null;
}

const weekdayOf = (date: string) => WEEKDAYS[(new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7]!;

/** The grid from the range's hour counters (`hours`: date → hour → counters). Pure; every cell present. */
export function heatmapOf(from: string, to: string, hours: ReadonlyMap<string, ReadonlyMap<string, Counters>>): HeatmapCell[] {
  const occurrences = new Map<string, number>();
  const sums = new Map<string, Counters[]>();
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const weekday = weekdayOf(date);
    occurrences.set(weekday, (occurrences.get(weekday) ?? 0) + 1);
    for (const [hour, counters] of hours.get(date) ?? []) sums.set(`${weekday}#${hour}`, [...(sums.get(`${weekday}#${hour}`) ?? []), counters]);
  }
  const average = (value: number, weekday: string) => Math.round(value / (occurrences.get(weekday) ?? 1));
  return WEEKDAYS.flatMap((weekday) =>
    HOURS.map((hour) => {
      const total = sumCounters(sums.get(`${weekday}#${hour}`) ?? []);
      const labourSeconds = total.labourSeconds ?? 0;
      return {
        weekday,
        hour,
        netSales: average(total.netSales ?? 0, weekday),
        orders: Math.round(((total.orders ?? 0) * 100) / (occurrences.get(weekday) ?? 1)) / 100,
        covers: Math.round(((total.covers ?? 0) * 100) / (occurrences.get(weekday) ?? 1)) / 100,
        labourHours: Math.round((labourSeconds / 3600 / (occurrences.get(weekday) ?? 1)) * 100) / 100,
        salesPerLabourHour: perLabourHour(total.netSales ?? 0, labourSeconds),
      };
    }),
  );
}

