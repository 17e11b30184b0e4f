// A device's telemetry in the iot table (table.ts has the whole layout):
//   SITE#{site}#DEVICE#{device} / R#{t}        a raw reading (TTL 7 days; the sort key is its dedupe key:
//                                              `R#{t}` with a device time, `R#{t}#r` with IoT Core's receive time)
//   SITE#{site}#DEVICE#{device} / SEQ#{seq}    dedupe marker of a reading sent without a device time (TTL 1 day)
//   SITE#{site}#DEVICE#{device} / A#{start}    a sealed 15-minute bucket (TTL 400 days: the HACCP record)
// A reading's put is conditional on it not existing, so a redelivery finds it stored and it is kept once; one
// transaction carries the readings of many devices (up to 100 items). The exception: readings later than every
// reading a committed batch counted (`SeriesReadings.countedThrough`, which only the telemetry stream's one batch
// per device at a time makes safe) are new by construction and go out in BatchWriteItems, without a condition.
// Buckets are not counted reading by reading: a bucket is sealed, computed from the readings stored in it, once
// the device has moved past it (or fell silent, or was decommissioned), and sealed again if a late
// reading lands in it. Stored readings only ever grow within their 7 days, so of two seals the one that counted
// more is the right one: a seal only replaces a bucket that counted fewer readings. The open bucket (the one
// holding the device's last reading) is computed from its readings when read.
import { PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { batchWriteAll, cancellationReasons, chunk, isConditionFailure, isTransactionConflict, queryAll, queryPage, retryOnConflict } from '#shared/dynamodb';
import type { TransactItem } from '#shared/outbox';
import { aggregateOf, BUCKET_MS, bucketStart, partialOf, type Aggregate, type AggregatedReading, type BucketPartial } from './aggregates';
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
/** DynamoDB's limit of items in one BatchWriteItem. */
const BATCH_WRITE_ITEMS = 25;
const TRANSACTION_ATTEMPTS = 6;
/** Buckets of one device sealed at once (a device flushing hours of readings closes many). */
const SEAL_CONCURRENCY = 4;

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
  readings: ReceivedReading[];
  /**
   * The device's last reading counted by a committed batch, when the caller knows no other batch of this device
   * runs meanwhile (the stream hands a device's records to one invocation at a time). A reading with a device
   * time after it was counted by no one: it is written without a condition and counted as new. An earlier attempt
   * of the same batch may have written it already, but it counted nothing (its device update did not commit).
   */
  countedThrough?: number;
}

export type SeriesOutcome = { ok: true; stored: ReceivedReading[]; duplicates: ReceivedReading[] } | { ok: false; error: unknown };

/** What sealing or reading a device's buckets needs of it: its series, its limits, its last reading. */
export interface BucketDevice {
  siteId: string;
  deviceId: string;
  limits: Limits;
  live?: { lastReading?: { t: number } };
}

/** One reading's items (the reading, and its seq marker when it has no device time). */
interface ReadingWrite {
  series: number;
  reading: ReceivedReading;
  items: TransactItem[];
}

/** A reading known to be new (`countedThrough`): its one item, written without a condition. */
interface NewReadingWrite {
  series: number;
  reading: ReceivedReading;
  item: Record<string, unknown>;
}

export class TelemetryStore {
  constructor(private readonly table: string) {}

  /**
   * Stores each reading not stored yet (a put conditional on it not existing). Returns, per series (in order),
   * which readings were new and which were already there, or the error that stopped it: one device's failure
   * leaves the others' done.
   */
  async putReadings(series: SeriesReadings[]): Promise<SeriesOutcome[]> {
    const known: NewReadingWrite[] = [];
    const checked: ReadingWrite[] = [];
    series.forEach(({ siteId, deviceId, readings, countedThrough }, index) => {
      for (const reading of readings) {
        if (countedThrough !== undefined && reading.deviceTime && reading.t > countedThrough) {
          known.push({ series: index, reading, item: this.readingItem(siteId, deviceId, reading) });
        } else {
          checked.push({ series: index, reading, items: this.readingItems(siteId, deviceId, reading) });
        }
      }
    });
    const stored = series.map(() => [] as ReceivedReading[]);
    const duplicates = series.map(() => [] as ReceivedReading[]);
    const errors = new Map<number, unknown>();
    const newWrites = chunk(known, BATCH_WRITE_ITEMS).map((writes) => ({ kind: 'new' as const, writes }));
    const checkedWrites = packTransactions(checked).map((writes) => ({ kind: 'checked' as const, writes }));
    await inParallel([...newWrites, ...checkedWrites], WRITE_CONCURRENCY, async (request) => {
      try {
        if (request.kind === 'new') {
          await batchWriteAll(this.table, request.writes.map(({ item }) => ({ put: item })));
          for (const write of request.writes) stored[write.series]!.push(write.reading);
          return;
        }
        const already = await this.writeReadings(request.writes);
        for (const write of request.writes) (already.has(write) ? duplicates : stored)[write.series]!.push(write.reading);
      } catch (error) {
        for (const write of request.writes) errors.set(write.series, error);
      }
    });
    return series.map((_, index) =>
      errors.has(index) ? { ok: false, error: errors.get(index) } : { ok: true, stored: stored[index]!, duplicates: duplicates[index]! },
    );
  }

  /**
   * One transaction of readings until it commits: readings found already stored are taken out and the rest is
   * written again; a conflict with a concurrent transaction is retried shortly. Returns the ones already there.
   */
  private async writeReadings(writes: ReadingWrite[]): Promise<Set<ReadingWrite>> {
    const already = new Set<ReadingWrite>();
    await retryOnConflict(
      async () => {
        for (;;) {
          const pending = writes.filter((write) => !already.has(write));
          if (pending.length === 0) return;
          const items = pending.flatMap((write) => write.items.map((item) => ({ item, write })));
          try {
            await dynamoDb().send(new TransactWriteCommand({ TransactItems: items.map((i) => i.item) }));
            return;
          } catch (error) {
            const reasons = cancellationReasons(error);
            if (!reasons?.includes('ConditionalCheckFailed')) throw error;
            // A reading or its seq marker exists: that reading was stored before.
            items.forEach(({ write }, index) => reasons[index] === 'ConditionalCheckFailed' && already.add(write));
          }
        }
      },
      { attempts: TRANSACTION_ATTEMPTS, retryIf: isTransactionConflict },
    );
    return already;
  }

  private readingItem(siteId: string, deviceId: string, reading: ReceivedReading): Record<string, unknown> {
    const { deviceTime: _d, receivedAt, ...fields } = reading;
    return { pk: seriesPk(siteId, deviceId), sk: readingSk(reading), ...fields, receivedAt, expiresAt: seconds(reading.t) + READING_TTL_S };
  }

  private readingItems(siteId: string, deviceId: string, reading: ReceivedReading): TransactItem[] {
    const put = (item: Record<string, unknown>): TransactItem => ({
      Put: { TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
    });
    const items = [put(this.readingItem(siteId, deviceId, reading))];
    // Without a device time, a redelivery arrives with a new receive time: its seq is what identifies it.
    if (!reading.deviceTime && reading.seq !== undefined) {
      items.push(put({ pk: seriesPk(siteId, deviceId), sk: `SEQ#${reading.seq}`, expiresAt: seconds(reading.receivedAt) + SEQ_MARKER_TTL_S }));
    }
    return items;
  }

  /**
   * Seals these buckets of a device: each is computed from the readings stored in it (read consistently) and
   * written unless a seal that counted as many readings is there already. Safe to repeat, and to run
   * concurrently: readings are only ever added, so the seal counting more holds all the other one counted.
   */
  async sealBuckets(device: BucketDevice, starts: Iterable<number>): Promise<void> {
    await inParallel([...new Set(starts)], SEAL_CONCURRENCY, async (start) => {
      const bucket = await this.bucketFromReadings(device, start);
      if (!bucket) return;
      try {
        await dynamoDb().send(
          new PutCommand({
            TableName: this.table,
            Item: { pk: seriesPk(device.siteId, device.deviceId), sk: aggregateSk(start), ...bucket, expiresAt: seconds(start) + AGGREGATE_TTL_S },
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :count',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':count': bucket.count },
          }),
        );
      } catch (error) {
        // Sealed already with every reading this one counted (or more): nothing to do.
        if (!isConditionFailure(error)) throw error;
      }
    });
  }

  /**
   * Seals the bucket of the device's last reading: when it falls silent or is decommissioned, no later reading
   * will, and its readings expire after 7 days.
   */
  async sealOpenBucket(device: BucketDevice): Promise<void> {
    const lastT = device.live?.lastReading?.t;
    if (lastT !== undefined) await this.sealBuckets(device, [bucketStart(lastT)]);
  }

  /** A bucket computed from the readings stored in it; undefined when it holds none. */
  private async bucketFromReadings(device: BucketDevice, start: number): Promise<BucketPartial | undefined> {
    const readings = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': seriesPk(device.siteId, device.deviceId), ':from': `R#${iso(start)}`, ':to': `R#${iso(start + BUCKET_MS - 1)}~` },
      ProjectionExpression: '#t, temperatureC, doorOpen',
      ExpressionAttributeNames: { '#t': 't' },
      ConsistentRead: true,
    });
    return readings.length === 0 ? undefined : partialOf(start, readings as unknown as AggregatedReading[], device.limits);
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

  /** Readings from `from` (inclusive) on, oldest first: at most the first `maxItems`, and whether that is all of them. */
  async readingsFrom(siteId: string, deviceId: string, from: number, maxItems: number): Promise<{ readings: StoredReading[]; complete: boolean }> {
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
      if (readings.length > maxItems) return { readings: readings.slice(0, maxItems), complete: false };
      start = page.LastEvaluatedKey;
    } while (start);
    return { readings, complete: true };
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

  /**
   * A device's buckets starting in [from, to]: the sealed ones, and the open one (holding its last reading)
   * computed from its readings now. Of a sealed and a computed open bucket, the one counting more is kept: the
   * open bucket's readings expire after 7 days, its seal (when it fell silent) does not.
   */
  async listAggregates(device: BucketDevice, from: number, to: number): Promise<Aggregate[]> {
    const items = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': seriesPk(device.siteId, device.deviceId), ':from': aggregateSk(from), ':to': aggregateSk(to) },
    });
    const buckets = new Map(items.map((item) => strip<BucketPartial>(item)).map((bucket) => [bucket.start, bucket]));
    const lastT = device.live?.lastReading?.t;
    const open = lastT === undefined ? undefined : bucketStart(lastT);
    if (open !== undefined && open >= from && open <= to) {
      const computed = await this.bucketFromReadings(device, open);
      if (computed && computed.count > (buckets.get(open)?.count ?? 0)) buckets.set(open, computed);
    }
    return [...buckets.values()].sort((a, b) => a.start - b.start).map(aggregateOf);
  }
}

/** Groups readings into transactions of at most 100 items, in order; a reading's items stay together. */
function packTransactions(writes: ReadingWrite[]): ReadingWrite[][] {
  const transactions: ReadingWrite[][] = [];
  let open: ReadingWrite[] = [];
  let size = 0;
  for (const write of writes) {
    if (size + write.items.length > MAX_TRANSACTION_ITEMS) {
      transactions.push(open);
      open = [];
      size = 0;
    }
    open.push(write);
    size += write.items.length;
  }
  if (open.length > 0) transactions.push(open);
  return transactions;
}
