// Per-device 15-minute aggregates for charts and the HACCP log. A bucket is computed from the readings stored in
// it (each stored once, however often it was delivered), so it counts each exactly once; telemetry-store.ts seals
// it once the device has moved past it.
import { isInRange, type Limits } from './device-types';

export const BUCKET_MS = 15 * 60 * 1000;

/** One bucket's figures, as computed from its readings. */
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

/**
 * The buckets to seal when a device whose last reading was at `lastT` takes these readings: those they fall in,
 * and the one of its last reading, that are before the bucket of its newest reading (which stays open). A late
 * reading in a bucket sealed already has it sealed again.
 */
export function bucketsToSeal(lastT: number | undefined, readings: readonly { t: number }[]): number[] {
  let newest = lastT ?? -Infinity;
  for (const { t } of readings) if (t > newest) newest = t;
  if (newest === -Infinity) return [];
  const open = bucketStart(newest);
  const touched = new Set(readings.map((r) => bucketStart(r.t)));
  if (lastT !== undefined) touched.add(bucketStart(lastT));
  return [...touched].filter((start) => start < open).sort((a, b) => a - b);
}

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
