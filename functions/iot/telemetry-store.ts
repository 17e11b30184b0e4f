// A device's telemetry in the iot table (table.ts has the whole layout):
//   SITE#{site}#DEVICE#{device} / R#{t}        a raw reading (TTL 7 days; the sort key is its dedupe key:
//                                              `R#{t}` with a device time, `R#{t}#r` with IoT Core's receive time)
//   SITE#{site}#DEVICE#{device} / SEQ#{seq}    dedupe marker of a reading sent without a device time (TTL 1 day)
//   SITE#{site}#DEVICE#{device} / A#{start}    a 15-minute bucket (TTL 400 days: the HACCP record)
// A reading and its bucket's count and sum are written in one transaction, so a reading counts exactly once
// however often it is delivered; a bucket's lowest and highest values only ever widen, which is safe to repeat.
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/aws-clients';
import { conditionFailedAt, isConditionFailure, isTransactionConflict, queryAll, queryPage, retryOnConflict } from '#shared/dynamodb';
import type { TransactItem } from '#shared/outbox';
import { aggregateOf, byBucket, partialOf, type Aggregate, type BucketPartial } from './aggregates';
import type { Limits } from './device-types';
import type { Reading } from './readings';
import { DAY_S, inParallel, iso, seconds, seriesPk, strip } from './table';

const READING_TTL_S = 7 * DAY_S;
const SEQ_MARKER_TTL_S = DAY_S;
const AGGREGATE_TTL_S = 400 * DAY_S;
/** Parallel transactions per ingest batch: enough to overlap round trips, few enough not to throttle one partition. */
const WRITE_CONCURRENCY = 16;
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

export class TelemetryStore {
  constructor(private readonly table: string) {}

  /**
   * Stores each reading not stored yet and adds it to its 15-minute bucket in the same transaction, so a reading
   * is counted exactly once however often it is delivered. Returns which were new and which were duplicates.
   */
  async putReadings(
    siteId: string,
    deviceId: string,
    receivedAt: number,
    readings: Reading[],
    limits: Limits,
  ): Promise<{ stored: Reading[]; duplicates: Reading[] }> {
    const stored: Reading[] = [];
    const duplicates: Reading[] = [];
    const chunks = byBucket(readings).flatMap(({ start, readings: group }) =>
      Array.from({ length: Math.ceil(group.length / READINGS_PER_TRANSACTION) }, (_, i) => ({
        start,
        readings: group.slice(i * READINGS_PER_TRANSACTION, (i + 1) * READINGS_PER_TRANSACTION),
      })),
    );
    await inParallel(chunks, WRITE_CONCURRENCY, async ({ start, readings: chunk }) => {
      let pending = chunk;
      while (pending.length > 0) {
        // Another transaction on the same bucket (concurrent messages of one device) is worth a retry shortly.
        const already = await retryOnConflict(() => this.writeReadings(siteId, deviceId, receivedAt, start, pending, limits), {
          attempts: TRANSACTION_ATTEMPTS,
          retryIf: isTransactionConflict,
        });
        if (already.size === 0) {
          stored.push(...pending);
          return;
        }
        duplicates.push(...already);
        pending = pending.filter((reading) => !already.has(reading));
      }
    });
    return { stored, duplicates };
  }

  /** One transaction of readings of one bucket: all are written, or none and those already stored are returned. */
  private async writeReadings(siteId: string, deviceId: string, receivedAt: number, start: number, readings: Reading[], limits: Limits): Promise<Set<Reading>> {
    const items = readings.map((reading) => this.readingItems(siteId, deviceId, receivedAt, reading));
    try {
      const add = this.bucketAdd(siteId, deviceId, partialOf(start, readings, limits));
      await dynamoDb().send(new TransactWriteCommand({ TransactItems: [...items.flat(), add] }));
      return new Set();
    } catch (error) {
      // The transaction's items are each reading's items in order: find whose condition failed.
      const already = new Set<Reading>();
      let index = 0;
      readings.forEach((reading, r) => {
        for (let i = 0; i < items[r]!.length; i++) if (conditionFailedAt(error, index++)) already.add(reading);
      });
      if (already.size === 0) throw error;
      return already;
    }
  }

  private readingItems(siteId: string, deviceId: string, receivedAt: number, reading: Reading): TransactItem[] {
    const pk = seriesPk(siteId, deviceId);
    const { deviceTime: _d, ...fields } = reading;
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

  private bucketAdd(siteId: string, deviceId: string, partial: BucketPartial): TransactItem {
    return {
      Update: {
        TableName: this.table,
        Key: { pk: seriesPk(siteId, deviceId), sk: aggregateSk(partial.start) },
        UpdateExpression: 'SET #start = :start, expiresAt = :expiresAt ADD #count :count, sumC :sum, doorOpenCount :door, outOfRangeCount :out',
        ExpressionAttributeNames: { '#start': 'start', '#count': 'count' },
        ExpressionAttributeValues: {
          ':start': partial.start,
          ':expiresAt': seconds(partial.start) + AGGREGATE_TTL_S,
          ':count': partial.count,
          ':sum': partial.sumC,
          ':door': partial.doorOpenCount,
          ':out': partial.outOfRangeCount,
        },
      },
    };
  }

  /** Widens a bucket's lowest and highest values to include these; repeating it changes nothing. */
  async widenBucket(siteId: string, deviceId: string, start: number, minC: number, maxC: number): Promise<void> {
    const key = { pk: seriesPk(siteId, deviceId), sk: aggregateSk(start) };
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    const widen = async (attribute: 'minC' | 'maxC', value: number) => {
      const current = Item?.[attribute] as number | undefined;
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
    };
    await widen('minC', minC);
    await widen('maxC', maxC);
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
