// DynamoDB access for the iot table only. Keys (every one starts with the site):
//   SITE#{site} / DEVICE#{device}              a unit: settings + live state; `version` guards every write
//   SITE#{site} / SETTINGS                     HACCP settings (time zone, check times)
//   SITE#{site} / INCIDENT#{incident}          an excursion and its corrective actions (ids sort by start)
//   SITE#{site}#DEVICE#{device} / R#{t}        a raw reading (TTL 7 days; the sort key is its dedupe key)
//   SITE#{site}#DEVICE#{device} / SEQ#{seq}    dedupe marker of a reading sent without a device time (TTL 1 day)
//   SITE#{site}#DEVICE#{device} / A#{start}    a 15-minute aggregate (TTL 400 days: the HACCP record)
//   SITE#{site}#DEVICE#{device} / C#{at}#{id}  a command and its result (the audit)
//   SITE#{site}#REJECTS / {received}#{device}#{n}   a rejected reading or failed rule message (TTL 30 days)
//   DEVICE-ID#{device} / DEVICE-ID             uniqueness of device ids (= IoT thing names) in the stage
// Index `silence` (silenceShard, silentAt) holds only devices that have reported and are not yet offline; index
// `outbox` is shared/outbox.ts's.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { dynamoDb } from '#shared/aws-clients';
import { BadRequestError, ConflictError } from '#shared/errors';
import type { EventEnvelope } from '#shared/events';
import { commitWithEvents, type OutboxDeps, type TransactItem } from '#shared/outbox';
import { aggregateOf, byBucket, partialOf, type Aggregate, type BucketPartial } from './aggregates';
import type { Limits } from './device-types';
import type { Reading } from './readings';
import type { CommandRecord, CorrectiveAction, DeviceRecord, IncidentRecord, RejectRecord, SiteSettings } from './schemas';

const DAY_S = 24 * 60 * 60;
const READING_TTL_S = 7 * DAY_S;
const SEQ_MARKER_TTL_S = DAY_S;
const AGGREGATE_TTL_S = 400 * DAY_S;
const REJECT_TTL_S = 30 * DAY_S;
const SILENCE_INDEX = 'silence';
export const SILENCE_SHARDS = 4;
/** Parallel writes per ingest batch: enough to overlap round trips, few enough not to throttle one partition. */
const WRITE_CONCURRENCY = 16;
/** Two items per reading at most (a reading without device time has a seq marker), plus the bucket: ≤ 100. */
const READINGS_PER_TRANSACTION = 49;
const TRANSACTION_ATTEMPTS = 6;

/** A randomised pause that grows with the attempt, so racing writers stop colliding. */
export const jitter = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** Math.min(attempt, 5)));

const iso = (ms: number) => new Date(ms).toISOString();
const seconds = (ms: number) => Math.floor(ms / 1000);

export const deviceKey = (siteId: string, deviceId: string) => ({ pk: `SITE#${siteId}`, sk: `DEVICE#${deviceId}` });
export const settingsKey = (siteId: string) => ({ pk: `SITE#${siteId}`, sk: 'SETTINGS' });
const incidentKey = (siteId: string, incidentId: string) => ({ pk: `SITE#${siteId}`, sk: `INCIDENT#${incidentId}` });
export const deviceIdClaimKey = (deviceId: string) => ({ pk: `DEVICE-ID#${deviceId}`, sk: 'DEVICE-ID' });
export const seriesPk = (siteId: string, deviceId: string) => `SITE#${siteId}#DEVICE#${deviceId}`;
const rejectsPk = (siteId: string) => `SITE#${siteId}#REJECTS`;
const readingSk = (r: Pick<Reading, 't' | 'deviceTime'>) => `R#${iso(r.t)}${r.deviceTime ? '' : '#r'}`;
const aggregateSk = (start: number) => `A#${iso(start)}`;

function silenceShardOf(deviceId: string): string {
  return `SILENCE#${createHash('sha256').update(deviceId).digest()[0]! % SILENCE_SHARDS}`;
}

function isConditionFailure(error: unknown): boolean {
  if (error instanceof ConditionalCheckFailedException) return true;
  return error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed');
}

/** Lost a race: a condition on what was read no longer holds, or another transaction held the item. */
function lostRace(error: unknown): boolean {
  return (
    isConditionFailure(error) ||
    (error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict'))
  );
}

/** Cursors carry only a sort key; the partition is always the one the route names, so a cursor cannot leave it. */
function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(String(key.sk)).toString('base64url') : undefined;
}

function decodeCursor(pk: string, cursor: string | undefined, prefix: string): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  const sk = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!sk.startsWith(prefix)) throw new BadRequestError('cursor is not valid here');
  return { pk, sk };
}

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, expiresAt: _e, silenceShard: _s, silentAt: _a, ...rest } = item;
  return rest as T;
}

const MAX_KEPT_PAYLOAD_CHARS = 16 * 1024;

function keepable(payload: unknown): unknown {
  const json = JSON.stringify(payload) ?? 'undefined';
  return json.length <= MAX_KEPT_PAYLOAD_CHARS ? payload : { truncatedJson: json.slice(0, MAX_KEPT_PAYLOAD_CHARS) };
}

async function inParallel<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A stored reading as the excursion re-evaluation needs it: device time, value, IoT Core's receive time. */
export interface StoredReading {
  t: number;
  temperatureC: number;
  receivedAt: number;
}

export interface DeviceStateChange {
  device: DeviceRecord;
  live: DeviceRecord['live'];
  /** undefined: stop watching for silence (offline, decommissioned); a number: silent after this instant. */
  silentAt?: number;
  counters?: { accepted: number; duplicates: number; rejected: number };
  /** SET these too (decommissioning). */
  extra?: Partial<Pick<DeviceRecord, 'status' | 'decommissionedAt' | 'updatedAt'>>;
  incidentPuts: IncidentRecord[];
  incidentEnds: Array<Pick<IncidentRecord, 'incidentId' | 'endedAt' | 'durationMinutes' | 'peakC' | 'endedBy'>>;
  events: EventEnvelope[];
}

export class IotStore {
  constructor(
    private readonly table: string,
    private readonly outbox: { topicArn: string; deps: OutboxDeps },
  ) {}

  // ---- devices ----

  async getDevice(siteId: string, deviceId: string): Promise<DeviceRecord | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: deviceKey(siteId, deviceId), ConsistentRead: true }));
    return Item ? strip<DeviceRecord>(Item) : undefined;
  }

  async listDevices(siteId: string): Promise<DeviceRecord[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `SITE#${siteId}`, ':prefix': 'DEVICE#' },
    });
    return items.map((item) => strip<DeviceRecord>(item));
  }

  /** Claims the device id for the stage and writes the device, or neither (409 when the id is taken). */
  async createDevice(device: DeviceRecord): Promise<void> {
    try {
      await dynamoDb().send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: { ...deviceIdClaimKey(device.deviceId), siteId: device.siteId }, ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName: this.table, Item: { ...deviceKey(device.siteId, device.deviceId), ...device }, ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(`Device id ${device.deviceId} is already in use; device ids are never reused`);
      throw error;
    }
  }

  /** Undoes createDevice after provisioning failed, so the id can be registered again. */
  async forgetDevice(siteId: string, deviceId: string): Promise<void> {
    await dynamoDb().send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: this.table, Key: deviceIdClaimKey(deviceId) } },
          { Delete: { TableName: this.table, Key: deviceKey(siteId, deviceId) } },
        ],
      }),
    );
  }

  /**
   * Writes the settings of `device` (not its live state), if the device is still at the version they were
   * decided on. A device that reports silently moves on too: the caller re-reads and re-applies.
   */
  async saveSettings(device: DeviceRecord, silentAt?: number): Promise<boolean> {
    const names: Record<string, string> = { '#name': 'name', '#location': 'location' };
    const values: Record<string, unknown> = {
      ':name': device.name,
      ':limits': device.limits,
      ':grace': device.gracePeriodMinutes,
      ':interval': device.reportingIntervalSeconds,
      ':updatedAt': device.updatedAt,
      ':expected': device.version,
      ':next': device.version + 1,
      ':settingsVersion': device.settingsVersion,
    };
    const sets = [
      '#name = :name',
      'limits = :limits',
      'gracePeriodMinutes = :grace',
      'reportingIntervalSeconds = :interval',
      'updatedAt = :updatedAt',
      'version = :next',
      'settingsVersion = :settingsVersion',
    ];
    if (device.location !== undefined) {
      sets.push('#location = :location');
      values[':location'] = device.location;
    }
    if (device.thing) {
      sets.push('thing = :thing');
      values[':thing'] = device.thing;
    }
    if (silentAt !== undefined) {
      // A new reporting interval moves the silence deadline of a device being watched.
      sets.push('silentAt = :silentAt');
      values[':silentAt'] = silentAt;
    }
    const update = `SET ${sets.join(', ')}${device.location === undefined ? ' REMOVE #location' : ''}`;
    return this.conditionalUpdate(
      new UpdateCommand({
        TableName: this.table,
        Key: deviceKey(device.siteId, device.deviceId),
        UpdateExpression: update,
        ConditionExpression: 'version = :expected',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  /**
   * Applies a change of live state decided on `change.device` (at its version), with the incidents and events
   * it causes, atomically. False when the device changed meanwhile: the caller re-reads and decides again.
   */
  async commitStateChange(change: DeviceStateChange): Promise<boolean> {
    const { device } = change;
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':live': change.live, ':expected': device.version, ':next': device.version + 1 };
    const sets = ['live = :live', 'version = :next'];
    const removes: string[] = [];
    const adds: string[] = [];
    if (change.silentAt === undefined) removes.push('silenceShard', 'silentAt');
    else {
      sets.push('silenceShard = :shard', 'silentAt = :silentAt');
      values[':shard'] = silenceShardOf(device.deviceId);
      values[':silentAt'] = change.silentAt;
    }
    for (const [key, value] of Object.entries(change.extra ?? {})) {
      names[`#${key}`] = key;
      values[`:${key}`] = value;
      sets.push(`#${key} = :${key}`);
    }
    if (change.counters) {
      adds.push('acceptedReadings :accepted', 'duplicateReadings :duplicates', 'rejectedReadings :rejected');
      Object.assign(values, { ':accepted': change.counters.accepted, ':duplicates': change.counters.duplicates, ':rejected': change.counters.rejected });
    }
    const deviceUpdate = {
      TableName: this.table,
      Key: deviceKey(device.siteId, device.deviceId),
      UpdateExpression: [`SET ${sets.join(', ')}`, removes.length ? `REMOVE ${removes.join(', ')}` : '', adds.length ? `ADD ${adds.join(', ')}` : '']
        .filter(Boolean)
        .join(' '),
      ConditionExpression: 'version = :expected',
      ...(Object.keys(names).length > 0 && { ExpressionAttributeNames: names }),
      ExpressionAttributeValues: values,
    };
    const items: TransactItem[] = [
      { Update: deviceUpdate },
      ...change.incidentPuts.map((incident) => ({
        Put: { TableName: this.table, Item: { ...incidentKey(incident.siteId, incident.incidentId), ...incident }, ConditionExpression: 'attribute_not_exists(pk)' },
      })),
      ...change.incidentEnds.map((end) => ({
        Update: {
          TableName: this.table,
          Key: incidentKey(device.siteId, end.incidentId),
          UpdateExpression: 'SET endedAt = :endedAt, durationMinutes = :duration, peakC = :peak, endedBy = :by, version = version + :one',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(endedAt)',
          ExpressionAttributeValues: { ':endedAt': end.endedAt, ':duration': end.durationMinutes, ':peak': end.peakC, ':by': end.endedBy, ':one': 1 },
        },
      })),
    ];
    try {
      if (items.length === 1 && change.events.length === 0) await dynamoDb().send(new UpdateCommand(deviceUpdate));
      else await commitWithEvents({ tableName: this.table, topicArn: this.outbox.topicArn }, items, change.events, this.outbox.deps);
      return true;
    } catch (error) {
      if (lostRace(error)) return false;
      throw error;
    }
  }

  /** Devices whose silence deadline has passed, from one shard of the sparse `silence` index (keys only). */
  async silentDevices(shard: number, now: number): Promise<Array<{ siteId: string; deviceId: string }>> {
    const items = await this.queryAll({
      IndexName: SILENCE_INDEX,
      KeyConditionExpression: 'silenceShard = :shard AND silentAt <= :now',
      ExpressionAttributeValues: { ':shard': `SILENCE#${shard}`, ':now': now },
    });
    return items.map((item) => ({ siteId: String(item.pk).slice('SITE#'.length), deviceId: String(item.sk).slice('DEVICE#'.length) }));
  }

  // ---- readings and aggregates ----

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
      for (let attempt = 1; pending.length > 0; attempt++) {
        const items = pending.map((reading) => this.readingItems(siteId, deviceId, receivedAt, reading));
        try {
          const add = this.bucketAdd(siteId, deviceId, partialOf(start, pending, limits));
          await dynamoDb().send(new TransactWriteCommand({ TransactItems: [...items.flat(), add] }));
          stored.push(...pending);
          return;
        } catch (error) {
          if (!(error instanceof TransactionCanceledException)) throw error;
          const reasons = error.CancellationReasons ?? [];
          // The transaction's items are each reading's items in order: find whose condition failed.
          let index = 0;
          const exists = new Set<Reading>();
          pending.forEach((reading, r) => {
            for (let i = 0; i < items[r]!.length; i++) if (reasons[index++]?.Code === 'ConditionalCheckFailed') exists.add(reading);
          });
          if (exists.size === 0) {
            // Another transaction on the same bucket (concurrent messages of one device): try again shortly.
            if (attempt >= TRANSACTION_ATTEMPTS || !reasons.some((r) => r.Code === 'TransactionConflict')) throw error;
            await jitter(attempt);
            continue;
          }
          duplicates.push(...exists);
          pending = pending.filter((reading) => !exists.has(reading));
        }
      }
    });
    return { stored, duplicates };
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
      await this.conditionalUpdate(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: `SET ${attribute} = :value`,
          ConditionExpression: `attribute_not_exists(${attribute}) OR ${attribute} ${wider} :value`,
          ExpressionAttributeValues: { ':value': value },
        }),
      );
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

  async listReadings(siteId: string, deviceId: string, range: { from: number; to: number }, page: { limit: number; order: 'asc' | 'desc'; cursor?: string }) {
    const pk = seriesPk(siteId, deviceId);
    const result = await dynamoDb().send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': pk, ':from': `R#${iso(range.from)}`, ':to': `R#${iso(range.to)}~` },
        ScanIndexForward: page.order === 'asc',
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(pk, page.cursor, 'R#'),
      }),
    );
    return { items: (result.Items ?? []).map((item) => strip<Record<string, unknown>>(item)), cursor: encodeCursor(result.LastEvaluatedKey) };
  }

  async listAggregates(siteId: string, deviceId: string, from: number, to: number): Promise<Aggregate[]> {
    const items = await this.queryAll({
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

  // ---- incidents ----

  async getIncident(siteId: string, incidentId: string): Promise<IncidentRecord | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: incidentKey(siteId, incidentId), ConsistentRead: true }));
    return Item ? strip<IncidentRecord>(Item) : undefined;
  }

  /** Which of these incidents exist, and whether each has ended (consistent reads). */
  async knownIncidents(siteId: string, incidentIds: Iterable<string>): Promise<Map<string, { ended: boolean }>> {
    const found = await Promise.all([...new Set(incidentIds)].map(async (id) => [id, await this.getIncident(siteId, id)] as const));
    return new Map(found.flatMap(([id, incident]) => (incident ? [[id, { ended: incident.endedAt !== undefined }] as const] : [])));
  }

  async listIncidents(siteId: string, page: { status?: 'open' | 'closed'; limit: number; cursor?: string }) {
    const pk = `SITE#${siteId}`;
    const result = await dynamoDb().send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ...(page.status && { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } }),
        ExpressionAttributeValues: { ':pk': pk, ':prefix': 'INCIDENT#', ...(page.status && { ':status': page.status }) },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(pk, page.cursor, 'INCIDENT#'),
      }),
    );
    return { incidents: (result.Items ?? []).map((item) => strip<IncidentRecord>(item)), cursor: encodeCursor(result.LastEvaluatedKey) };
  }

  /** Incidents whose ids sort between `fromId` and `toId` (ids sort by start time), oldest first. */
  async incidentsStartedBetween(siteId: string, fromId: string, toId: string): Promise<IncidentRecord[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': `SITE#${siteId}`, ':from': `INCIDENT#${fromId}`, ':to': `INCIDENT#${toId}` },
    });
    return items.map((item) => strip<IncidentRecord>(item));
  }

  /** Appends a corrective action to an open incident at `expectedVersion`; false if it changed meanwhile. */
  async appendAction(incident: IncidentRecord, action: CorrectiveAction): Promise<boolean> {
    return this.conditionalUpdate(
      new UpdateCommand({
        TableName: this.table,
        Key: incidentKey(incident.siteId, incident.incidentId),
        UpdateExpression: 'SET actions = list_append(actions, :action), version = :next',
        ConditionExpression: 'version = :expected AND #status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':action': [action], ':expected': incident.version, ':next': incident.version + 1, ':open': 'open' },
      }),
    );
  }

  async closeIncident(incident: IncidentRecord, closed: Pick<IncidentRecord, 'closedAt' | 'closedBy' | 'closingNote'>): Promise<boolean> {
    return this.conditionalUpdate(
      new UpdateCommand({
        TableName: this.table,
        Key: incidentKey(incident.siteId, incident.incidentId),
        UpdateExpression: 'SET #status = :closed, closedAt = :at, closedBy = :by, closingNote = :note, version = :next',
        // The rule that matters is enforced by the write itself: at least one corrective action, excursion over.
        ConditionExpression: 'version = :expected AND #status = :open AND size(actions) > :zero AND attribute_exists(endedAt)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':closed': 'closed',
          ':open': 'open',
          ':at': closed.closedAt,
          ':by': closed.closedBy,
          ':note': closed.closingNote ?? null,
          ':expected': incident.version,
          ':next': incident.version + 1,
          ':zero': 0,
        },
      }),
    );
  }

  // ---- commands, rejects, settings ----

  async putCommand(command: CommandRecord): Promise<void> {
    await dynamoDb().send(
      new PutCommand({ TableName: this.table, Item: { pk: seriesPk(command.siteId, command.deviceId), sk: `C#${command.at}#${command.commandId}`, ...command } }),
    );
  }

  async listCommands(siteId: string, deviceId: string, limit: number): Promise<CommandRecord[]> {
    const { Items = [] } = await dynamoDb().send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': seriesPk(siteId, deviceId), ':prefix': 'C#' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return Items.map((item) => strip<CommandRecord>(item));
  }

  /**
   * Keyed by receive time, device and position, so a retried message overwrites its own rejects. A payload
   * too big to keep whole is kept as the start of its JSON.
   */
  async putRejects(rejects: Array<RejectRecord & { position: string }>): Promise<void> {
    await inParallel(rejects, WRITE_CONCURRENCY, ({ position, payload, ...reject }) =>
      dynamoDb().send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: rejectsPk(reject.siteId),
            sk: `${reject.receivedAt}#${reject.deviceId ?? '-'}#${position}`,
            ...reject,
            payload: keepable(payload),
            expiresAt: seconds(Date.parse(reject.receivedAt)) + REJECT_TTL_S,
          },
        }),
      ),
    );
  }

  async listRejects(siteId: string, limit: number): Promise<RejectRecord[]> {
    const { Items = [] } = await dynamoDb().send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': rejectsPk(siteId) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return Items.map((item) => strip<RejectRecord>(item));
  }

  async getSettings(siteId: string): Promise<SiteSettings | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: settingsKey(siteId) }));
    return Item ? strip<SiteSettings>(Item) : undefined;
  }

  async putSettings(siteId: string, settings: SiteSettings): Promise<void> {
    await dynamoDb().send(new PutCommand({ TableName: this.table, Item: { ...settingsKey(siteId), ...settings } }));
  }

  // ---- helpers ----

  private async conditionalUpdate(command: UpdateCommand): Promise<boolean> {
    try {
      await dynamoDb().send(command);
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamoDb().send(new QueryCommand({ TableName: this.table, ...input, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
