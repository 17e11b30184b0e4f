// A device's telemetry in the iot table (table.ts has the whole layout):
//   SITE#{site}#DEVICE#{device} / R#{t}        a raw reading (TTL 7 days; the sort key is its dedupe key:
//                                              `R#{t}` with a device time, `R#{t}#r` with IoT Core's receive time)
//   SITE#{site}#DEVICE#{device} / SEQ#{seq}    dedupe marker of a reading sent without a device time (TTL 1 day)
//   SITE#{site}#DEVICE#{device} / A#{start}    a 15-minute bucket (TTL 400 days: the HACCP record)
// Readings and their buckets' counts and sums are written in transactions (a reading's put is conditional on it
// not existing, and its bucket's ADD is in the same transaction), so a reading counts exactly once however often
// it is delivered. One transaction carries the readings of many devices (up to 100 items): an ingest batch of
// 100 messages is a few round trips, not a few hundred. A bucket's lowest and highest values only ever widen,
// which is safe to repeat: the same update widens them when the batch goes beyond what was read of the bucket,
// on the condition that no one widened it further meanwhile.
import { QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { batchGetAll, cancellationReasons, isConditionFailure, isTransactionConflict, queryAll, queryPage, retryOnConflict } from '#shared/dynamodb';
import type { TransactItem } from '#shared/outbox';
import { aggregateOf, byBucket, partialOf, type Aggregate, type BucketPartial } from './aggregates';
import type { Limits } from './device-types';
import type { Reading } from './readings';
import { DAY_S, inParallel, iso, seconds, seriesPk, strip } from './table';

const READING_TTL_S = 7 * DAY_S;
const SEQ_MARKER_TTL_S = DAY_S;
const AGGREGATE_TTL_S = 400 * DAY_S;
/** Parallel transactions per ingest batch: enough to overlap round trips, few enough not to throttle one partition. */
const WRITE_CONCURRENCY = 8;
/** DynamoDB's limit of items in one transaction. */
const MAX_TRANSACTION_ITEMS = 100;
/** Two items per reading at most (a reading without device time has a seq marker), plus the bucket: ≤ 100. */
const READINGS_PER_TRANSACTION = 49;
const TRANSACTION_ATTEMPTS = 6;

const readingSk = (r: Pick<Reading, 't' | 'deviceTime'>) => `R#${iso(r.t)}${r.deviceTime ? '' : '#r'}`;
const aggregateSk = (start: number) => `A#${iso(start)}`;

/** A stored reading as the excursion re-evaluation needs it: device time, value, IoT Core's receive time. */
export interface StoredReading {
  t: number;
  temperatureC: number;
  receivedAt: number;
}

/** A valid reading with IoT Core's receive time of the message that carried it. */
export type ReceivedReading = Reading & { receivedAt: number };

/** One device's readings of an ingest batch, none twice (readings.ts dedupeKey). */
export interface SeriesReadings {
  siteId: string;
  deviceId: string;
  limits: Limits;
  readings: ReceivedReading[];
  /** Its buckets' stored ranges by start, as read before (readBucketRanges): what the batch must widen. */
  storedRanges: ReadonlyMap<number, { minC?: number; maxC?: number }>;
}

export type SeriesOutcome = { ok: true; stored: ReceivedReading[]; duplicates: ReceivedReading[] } | { ok: false; error: unknown };

/** The lowest and highest value a batch brings to one bucket. */
export interface BucketRange {
  siteId: string;
  deviceId: string;
  start: number;
  minC: number;
  maxC: number;
}

/** A bucket's readings that go into one transaction, with that bucket's count. */
interface WriteUnit {
  series: number;
  start: number;
  readings: ReceivedReading[];
  /** The range the unit's readings span, duplicates included: a retried message completes what a crashed one began. */
  minC: number;
  maxC: number;
  /** Someone widened the bucket further since it was read: widened separately, after the transaction. */
  widenApart?: boolean;
}

export class TelemetryStore {
  constructor(private readonly table: string) {}

  /**
   * Stores each reading not stored yet and adds it to its 15-minute bucket in the same transaction, so a reading
   * is counted exactly once however often it is delivered. Returns, per series (in order), which readings were
   * new and which were already there, or the error that stopped it: one device's failure leaves the others' done.
   */
  async putReadings(series: SeriesReadings[]): Promise<SeriesOutcome[]> {
    const units: WriteUnit[] = series.flatMap(({ readings }, index) =>
      byBucket(readings).flatMap(({ start, readings: group }) =>
        Array.from({ length: Math.ceil(group.length / READINGS_PER_TRANSACTION) }, (_, i) => {
          const chunk = group.slice(i * READINGS_PER_TRANSACTION, (i + 1) * READINGS_PER_TRANSACTION);
          const temperatures = chunk.map((r) => r.temperatureC);
          return { series: index, start, readings: chunk, minC: Math.min(...temperatures), maxC: Math.max(...temperatures) };
        }),
      ),
    );
    const stored = series.map(() => [] as ReceivedReading[]);
    const duplicates = series.map(() => [] as ReceivedReading[]);
    const errors = new Map<number, unknown>();
    await inParallel(packTransactions(units, (unit) => this.unitItems(series[unit.series]!, unit).length), WRITE_CONCURRENCY, async (transaction) => {
      try {
        const outcome = await this.writeUnits(series, transaction);
        for (const unit of transaction) stored[unit.series]!.push(...unit.readings);
        for (const [unit, already] of outcome) duplicates[unit.series]!.push(...already);
        for (const unit of transaction.filter((u) => u.widenApart)) {
          const { siteId, deviceId } = series[unit.series]!;
          await this.widenAll({ siteId, deviceId, start: unit.start, minC: unit.minC, maxC: unit.maxC }, undefined);
        }
      } catch (error) {
        for (const unit of transaction) errors.set(unit.series, error);
      }
    });
    return series.map((_, index) =>
      errors.has(index) ? { ok: false, error: errors.get(index) } : { ok: true, stored: stored[index]!, duplicates: duplicates[index]! },
    );
  }

  /**
   * One transaction of write units until it commits: readings found already stored are taken out (their units
   * keep only the new ones, and count only those); a conflict with a concurrent transaction is retried shortly.
   * Leaves each unit with the readings it stored and returns the ones that were already there.
   */
  private async writeUnits(series: SeriesReadings[], units: WriteUnit[]): Promise<Map<WriteUnit, ReceivedReading[]>> {
    const already = new Map<WriteUnit, ReceivedReading[]>();
    let pending = units;
    await retryOnConflict(
      async () => {
        for (;;) {
          // A unit whose readings are all stored already still widens its bucket (a retry completing a crashed one).
          pending = pending.filter((unit) => unit.readings.length > 0 || this.widening(series[unit.series]!, unit));
          if (pending.length === 0) return;
          const items = pending.map((unit) => ({ unit, items: this.unitItems(series[unit.series]!, unit) }));
          try {
            await dynamoDb().send(new TransactWriteCommand({ TransactItems: items.flatMap((u) => u.items.map((i) => i.item)) }));
            return;
          } catch (error) {
            const reasons = cancellationReasons(error);
            if (!reasons?.includes('ConditionalCheckFailed')) throw error;
            // The items are each unit's readings (and seq markers), then its bucket: find whose condition failed.
            const failedItems = items.flatMap((u) => u.items.map((i) => ({ ...i, unit: u.unit }))).filter((_, index) => reasons[index] === 'ConditionalCheckFailed');
            for (const { unit } of failedItems.filter((i) => !i.reading)) unit.widenApart = true;
            const failed = new Set(failedItems.map((i) => i.reading));
            for (const unit of pending) {
              const found = unit.readings.filter((reading) => failed.has(reading));
              if (found.length === 0) continue;
              already.set(unit, [...(already.get(unit) ?? []), ...found]);
              unit.readings = unit.readings.filter((reading) => !failed.has(reading));
            }
          }
        }
      },
      { attempts: TRANSACTION_ATTEMPTS, retryIf: isTransactionConflict },
    );
    return already;
  }

  /** A unit's transaction items, each with the reading it belongs to (none for the bucket's). */
  private unitItems(series: SeriesReadings, unit: WriteUnit): Array<{ item: TransactItem; reading?: ReceivedReading }> {
    const { siteId, deviceId, limits } = series;
    return [
      ...unit.readings.flatMap((reading) => this.readingItems(siteId, deviceId, reading).map((item) => ({ item, reading }))),
      { item: this.bucketAdd(siteId, deviceId, partialOf(unit.start, unit.readings, limits), this.widening(series, unit)) },
    ];
  }

  /** The bucket's bounds the unit moves beyond what was read of it (none once it is to be widened apart). */
  private widening(series: SeriesReadings, unit: WriteUnit): { minC?: number; maxC?: number } | undefined {
    if (unit.widenApart) return undefined;
    const stored = series.storedRanges.get(unit.start);
    const minC = stored?.minC === undefined || unit.minC < stored.minC ? unit.minC : undefined;
    const maxC = stored?.maxC === undefined || unit.maxC > stored.maxC ? unit.maxC : undefined;
    return minC === undefined && maxC === undefined ? undefined : { minC, maxC };
  }

  /** The stored lowest and highest values of these buckets, in one read: what a batch's write has to widen. */
  async readBucketRanges(buckets: Array<{ siteId: string; deviceId: string; start: number }>): Promise<Map<string, Map<number, { minC?: number; maxC?: number }>>> {
    const ranges = new Map<string, Map<number, { minC?: number; maxC?: number }>>();
    if (buckets.length === 0) return ranges;
    const items = await batchGetAll(this.table, buckets.map((b) => ({ pk: seriesPk(b.siteId, b.deviceId), sk: aggregateSk(b.start) })), { consistentRead: true });
    for (const item of items) {
      const series = ranges.get(String(item.pk)) ?? new Map<number, { minC?: number; maxC?: number }>();
      series.set(Number(item.start), { minC: item.minC as number | undefined, maxC: item.maxC as number | undefined });
      ranges.set(String(item.pk), series);
    }
    return ranges;
  }

  private readingItems(siteId: string, deviceId: string, reading: ReceivedReading): TransactItem[] {
    const pk = seriesPk(siteId, deviceId);
    const { deviceTime: _d, receivedAt, ...fields } = reading;
    const put = (item: Record<string, unknown>): TransactItem => ({
      Put: { TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
    });
    const items = [put({ pk, sk: readingSk(reading), ...fields, receivedAt, expiresAt: seconds(reading.t) + READING_TTL_S })];
    // Without a device time, a redelivery arrives with a new receive time: its seq is what identifies it.
    if (!reading.deviceTime && reading.seq !== undefined) {
      items.push(put({ pk, sk: `SEQ#${reading.seq}`, expiresAt: seconds(receivedAt) + SEQ_MARKER_TTL_S }));
    }
    return items;
  }

  private bucketAdd(siteId: string, deviceId: string, partial: BucketPartial, widen?: { minC?: number; maxC?: number }): TransactItem {
    const sets = ['#start = :start', 'expiresAt = :expiresAt'];
    const conditions: string[] = [];
    const values: Record<string, unknown> = {
      ':start': partial.start,
      ':expiresAt': seconds(partial.start) + AGGREGATE_TTL_S,
      ':count': partial.count,
      ':sum': partial.sumC,
      ':door': partial.doorOpenCount,
      ':out': partial.outOfRangeCount,
    };
    // Widening on what was read: if someone widened further meanwhile, the condition fails and it is done apart.
    if (widen?.minC !== undefined) {
      sets.push('minC = :minC');
      conditions.push('(attribute_not_exists(minC) OR minC > :minC)');
      values[':minC'] = widen.minC;
    }
    if (widen?.maxC !== undefined) {
      sets.push('maxC = :maxC');
      conditions.push('(attribute_not_exists(maxC) OR maxC < :maxC)');
      values[':maxC'] = widen.maxC;
    }
    return {
      Update: {
        TableName: this.table,
        Key: { pk: seriesPk(siteId, deviceId), sk: aggregateSk(partial.start) },
        UpdateExpression: `SET ${sets.join(', ')} ADD #count :count, sumC :sum, doorOpenCount :door, outOfRangeCount :out`,
        ...(conditions.length > 0 && { ConditionExpression: conditions.join(' AND ') }),
        ExpressionAttributeNames: { '#start': 'start', '#count': 'count' },
        ExpressionAttributeValues: values,
      },
    };
  }

  /** Widens one bucket's lowest and highest values to include these, reading it first unless `current` is given. */
  private async widenAll(range: BucketRange, current: { minC?: number; maxC?: number } | undefined): Promise<void> {
    const key = { pk: seriesPk(range.siteId, range.deviceId), sk: aggregateSk(range.start) };
    const stored = current ?? (await this.readBucketRanges([range])).get(key.pk)?.get(range.start);
    await this.widen(key, 'minC', range.minC, stored?.minC);
    await this.widen(key, 'maxC', range.maxC, stored?.maxC);
  }

  private async widen(key: { pk: string; sk: string }, attribute: 'minC' | 'maxC', value: number, current: number | undefined): Promise<void> {
    const wider = attribute === 'minC' ? '>' : '<';
    if (current !== undefined && !(wider === '>' ? current > value : current < value)) return;
    try {
      await dynamoDb().send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: `SET ${attribute} = :value`,
          ConditionExpression: `attribute_not_exists(${attribute}) OR ${attribute} ${wider} :value`,
          ExpressionAttributeValues: { ':value': value },
        }),
      );
    } catch (error) {
      // A concurrent batch widened it at least as far: nothing left to do.
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** A device's readings with sort keys from `fromSk` to `toSk`, read consistently, only what evaluation needs. */
  private readingsBetween(siteId: string, deviceId: string, fromSk: string, toSk: string) {
    return {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': seriesPk(siteId, deviceId), ':from': fromSk, ':to': toSk },
      ProjectionExpression: '#t, temperatureC, receivedAt',
      ExpressionAttributeNames: { '#t': 't' },
      ConsistentRead: true,
    };
  }

  /**
   * Readings before `before`, newest first, until `stop` says so or `maxItems` were looked at. Returns what was
   * looked at and whether the scan reached the first reading there is.
   */
  async scanBack(
    siteId: string,
    deviceId: string,
    before: number,
    maxItems: number,
    stop: (reading: StoredReading) => boolean,
  ): Promise<{ readings: StoredReading[]; stopped: boolean; exhausted: boolean }> {
    const readings: StoredReading[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamoDb().send(
        new QueryCommand({
          ...this.readingsBetween(siteId, deviceId, 'R#', `R#${iso(before)}`),
          ScanIndexForward: false,
          Limit: Math.min(200, maxItems - readings.length),
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const reading = item as StoredReading;
        if (reading.t >= before) continue;
        readings.push(reading);
        if (stop(reading)) return { readings, stopped: true, exhausted: false };
      }
      start = page.LastEvaluatedKey;
    } while (start && readings.length < maxItems);
    return { readings, stopped: false, exhausted: start === undefined };
  }

  /** Readings from `from` (inclusive) on, oldest first; undefined when there are more than `maxItems`. */
  async readingsFrom(siteId: string, deviceId: string, from: number, maxItems: number): Promise<StoredReading[] | undefined> {
    const readings: StoredReading[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamoDb().send(
        new QueryCommand({
          ...this.readingsBetween(siteId, deviceId, `R#${iso(from)}`, 'R#~'),
          Limit: Math.min(500, maxItems + 1 - readings.length),
          ExclusiveStartKey: start,
        }),
      );
      readings.push(...((page.Items ?? []) as StoredReading[]));
      if (readings.length > maxItems) return undefined;
      start = page.LastEvaluatedKey;
    } while (start);
    return readings;
  }

  /** A page of readings in [from, to]; the cursor is valid for the same device, range and order only. */
  async listReadings(siteId: string, deviceId: string, range: { from: number; to: number }, page: { limit: number; order: 'asc' | 'desc'; cursor?: string }) {
    const { items, nextCursor } = await queryPage(
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': seriesPk(siteId, deviceId), ':from': `R#${iso(range.from)}`, ':to': `R#${iso(range.to)}~` },
        ScanIndexForward: page.order === 'asc',
        Limit: page.limit,
      },
      page.cursor,
    );
    return { items: items.map((item) => strip<Record<string, unknown>>(item)), nextCursor };
  }

  async listAggregates(siteId: string, deviceId: string, from: number, to: number): Promise<Aggregate[]> {
    const items = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': seriesPk(siteId, deviceId), ':from': aggregateSk(from), ':to': aggregateSk(to) },
    });
    return (
      items
        .map((item) => strip<BucketPartial>(item))
        // A bucket counted but not widened yet (its batch is still being ingested) is left out until it is.
        .filter((b) => typeof b.minC === 'number' && typeof b.maxC === 'number')
        .map(aggregateOf)
    );
  }
}

/**
 * Groups write units into transactions of at most 100 items, in order, never two units of one bucket in the same
 * transaction (DynamoDB refuses two operations on one item in a transaction).
 */
function packTransactions(units: WriteUnit[], sizeOf: (unit: WriteUnit) => number): WriteUnit[][] {
  const transactions: Array<{ units: WriteUnit[]; size: number; buckets: Set<string> }> = [];
  for (const unit of units) {
    const size = sizeOf(unit);
    const bucket = `${unit.series}|${unit.start}`;
    let open = transactions.find((t) => t.size + size <= MAX_TRANSACTION_ITEMS && !t.buckets.has(bucket));
    if (!open) {
      open = { units: [], size: 0, buckets: new Set() };
      transactions.push(open);
    }
    open.units.push(unit);
    open.size += size;
    open.buckets.add(bucket);
  }
  return transactions.map((t) => t.units);
}
