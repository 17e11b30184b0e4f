// Per-device 15-minute aggregates for charts and the HACCP log. Counts and sums are added in the same
// transaction that stores the readings (so a reading counts exactly once, however often it is delivered);
// lowest and highest only ever widen, which is safe to repeat.
import { isInRange, type Limits } from './device-types';

export const BUCKET_MS = 15 * 60 * 1000;

/** What a batch adds to one bucket. */
export interface BucketPartial {
  start: number;
  count: number;
  sumC: number;
  minC: number;
  maxC: number;
  doorOpenCount: number;
  outOfRangeCount: number;
}

/** A bucket as the API shows it. */
export interface Aggregate {
  /** Bucket start, epoch ms (device time). */
  start: number;
  count: number;
  minC: number;
  maxC: number;
  avgC: number;
  doorOpenCount: number;
  outOfRangeCount: number;
}

export interface AggregatedReading {
  t: number;
  temperatureC: number;
  doorOpen?: boolean;
}

export const bucketStart = (t: number) => Math.floor(t / BUCKET_MS) * BUCKET_MS;

/** The readings grouped by bucket, oldest bucket first. */
export function byBucket<R extends { t: number }>(readings: readonly R[]): Array<{ start: number; readings: R[] }> {
  const groups = new Map<number, R[]>();
  for (const reading of readings) {
    const start = bucketStart(reading.t);
    groups.set(start, [...(groups.get(start) ?? []), reading]);
  }
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([start, group]) => ({ start, readings: group }));
}

export function partialOf(start: number, readings: readonly AggregatedReading[], limits: Limits): BucketPartial {
  const temperatures = readings.map((r) => r.temperatureC);
  return {
    start,
    count: readings.length,
    // Summed in hundredths: readings carry two decimals, and integer sums do not drift.
    sumC: temperatures.reduce((sum, t) => sum + Math.round(t * 100), 0) / 100,
    minC: Math.min(...temperatures),
    maxC: Math.max(...temperatures),
    doorOpenCount: readings.filter((r) => r.doorOpen).length,
    outOfRangeCount: readings.filter((r) => !isInRange(limits, r.temperatureC)).length,
  };
}

/** The API view of a stored bucket. */
export function aggregateOf(stored: Omit<BucketPartial, 'start'> & { start: number }): Aggregate {
  const { sumC, ...rest } = stored;
  return { ...rest, avgC: Math.round((sumC / stored.count) * 100) / 100 };
}
