// Devices in the iot table (table.ts has the whole layout):
//   SITE#{site} / DEVICE#{device}              a unit: settings + live state; `version` guards every write
//   DEVICE-ID#{device} / DEVICE-ID             uniqueness of device ids (= IoT thing names) in the stage
// Index `silence` (silenceShard, silentAt) holds only devices that have reported and are not yet offline: the
// watch reads each shard for deadlines passed. A change of live state commits the incidents it opens or ends
// (incident-store.ts's items) and its alerts (the outbox) in the same transaction.
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { dynamoDb } from '#shared/clients/dynamodb';
import { batchGetAll, cancellationReasons, isConditionFailure, isTransactionConflict, lostRace, queryAll, VersionConflictError } from '#shared/dynamodb';
import { ConflictError } from '#shared/errors';
import type { EventEnvelope } from '#shared/events';
import { commitWithEvents, type TransactItem } from '#shared/outbox';
import { requestPublishing, type OutboxDeps } from '#shared/outbox-relay';
import { incidentKey } from './incident-store';
import type { DeviceRecord, IncidentRecord } from './schemas';
import { inParallel, sitePk, strip } from './table';

const SILENCE_INDEX = 'silence';
/** DynamoDB's limit of items in one transaction. */
const MAX_TRANSACTION_ITEMS = 100;
/** Device updates in flight at once when a conflicting transaction is split into single writes. */
const EACH_CONCURRENCY = 16;
export const SILENCE_SHARDS = 4;

export const deviceKey = (siteId: string, deviceId: string) => ({ pk: sitePk(siteId), sk: `DEVICE#${deviceId}` });

/** A device as stored, with the silence deadline it is watched by (the one table attribute ingest decides on). */
function deviceOf(item: Record<string, unknown>): DeviceRecord {
  const device = strip<DeviceRecord>(item);
  return typeof item.silentAt === 'number' ? { ...device, silentAt: item.silentAt } : device;
}
/** How ingest names a device within a batch. */
export const deviceRef = (siteId: string, deviceId: string) => `${siteId}/${deviceId}`;
export const deviceIdClaimKey = (deviceId: string) => ({ pk: `DEVICE-ID#${deviceId}`, sk: 'DEVICE-ID' });

function silenceShardOf(deviceId: string): string {
  return `SILENCE#${createHash('sha256').update(deviceId).digest()[0]! % SILENCE_SHARDS}`;
}

export interface DeviceStateChange {
  device: DeviceRecord;
  live: DeviceRecord['live'];
  /**
   * undefined: stop watching for silence (offline, decommissioned); a number: silent after this instant; 'kept':
   * the stored deadline stands (moving it rewrites its index entry, so ingest moves it only when it runs short).
   */
  silentAt?: number | 'kept';
  counters?: { accepted: number; duplicates: number; rejected: number };
  /** SET these too (decommissioning). */
  extra?: Partial<Pick<DeviceRecord, 'status' | 'decommissionedAt' | 'updatedAt'>>;
  incidentPuts: IncidentRecord[];
  incidentEnds: Array<Pick<IncidentRecord, 'incidentId' | 'endedAt' | 'durationMinutes' | 'peakC' | 'endedBy'>>;
  events: EventEnvelope[];
}

export class DeviceStore {
  constructor(
    private readonly table: string,
    private readonly outbox: { topicArn: string; deps: OutboxDeps },
  ) {}

  async getDevice(siteId: string, deviceId: string): Promise<DeviceRecord | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: deviceKey(siteId, deviceId), ConsistentRead: true }));
    return Item ? deviceOf(Item) : undefined;
  }

  /** Several devices in one consistent read (an ingest batch's); a device not found is absent from the map. */
  async getDevices(keys: Array<{ siteId: string; deviceId: string }>): Promise<Map<string, DeviceRecord>> {
    if (keys.length === 0) return new Map();
    const items = await batchGetAll(this.table, keys.map((k) => deviceKey(k.siteId, k.deviceId)), { consistentRead: true });
    return new Map(
      items.map((item) => {
        const device = deviceOf(item);
        return [deviceRef(device.siteId, device.deviceId), device];
      }),
    );
  }

  async listDevices(siteId: string): Promise<DeviceRecord[]> {
    const items = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': sitePk(siteId), ':prefix': 'DEVICE#' },
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
   * decided on; otherwise a VersionConflictError. A device that reports moves its version on too: the caller
   * re-reads and re-applies.
   */
  async saveSettings(device: DeviceRecord, silentAt?: number): Promise<void> {
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
    try {
      await dynamoDb().send(
        new UpdateCommand({
          TableName: this.table,
          Key: deviceKey(device.siteId, device.deviceId),
          UpdateExpression: `SET ${sets.join(', ')}${device.location === undefined ? ' REMOVE #location' : ''}`,
          ConditionExpression: 'version = :expected',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new VersionConflictError('device');
      throw error;
    }
  }

  /**
   * Applies a change of live state decided on `change.device` (at its version), with the incidents and events
   * it causes, atomically. A VersionConflictError when the device changed meanwhile (or another transaction
   * held it): the caller re-reads and decides again.
   */
  async commitStateChange(change: DeviceStateChange): Promise<void> {
    const deviceUpdate = this.liveUpdate(change);
    const items: TransactItem[] = [
      { Update: deviceUpdate },
      ...change.incidentPuts.map((incident) => ({
        Put: { TableName: this.table, Item: { ...incidentKey(incident.siteId, incident.incidentId), ...incident }, ConditionExpression: 'attribute_not_exists(pk)' },
      })),
      ...change.incidentEnds.map((end) => ({
        Update: {
          TableName: this.table,
          Key: incidentKey(change.device.siteId, end.incidentId),
          UpdateExpression: 'SET endedAt = :endedAt, durationMinutes = :duration, peakC = :peak, endedBy = :by, version = version + :one',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(endedAt)',
          ExpressionAttributeValues: { ':endedAt': end.endedAt, ':duration': end.durationMinutes, ':peak': end.peakC, ':by': end.endedBy, ':one': 1 },
        },
      })),
    ];
    try {
      if (items.length === 1 && change.events.length === 0) await dynamoDb().send(new UpdateCommand(deviceUpdate));
      else await commitWithEvents({ tableName: this.table, topicArn: this.outbox.topicArn }, items, change.events, requestPublishing(this.outbox.deps));
    } catch (error) {
      if (lostRace(error)) throw new VersionConflictError('device');
      throw error;
    }
  }

  /**
   * Commits state changes that touch only their device item (no incident, no alert: an ingest batch's common
   * case), up to 100 devices per transaction, each conditional on the version it was decided on. Returns the
   * changes that lost their race (the device moved on meanwhile): the caller re-reads those devices and decides
   * again. The others are committed. A transaction that conflicts with another batch's write is split into single
   * writes, so only the devices that batch moved on lose, not the hundred that share the transaction.
   */
  async commitLiveStates(changes: DeviceStateChange[]): Promise<DeviceStateChange[]> {
    const lost: DeviceStateChange[] = [];
    for (let i = 0; i < changes.length; i += MAX_TRANSACTION_ITEMS) {
      let pending = changes.slice(i, i + MAX_TRANSACTION_ITEMS);
      while (pending.length > 0) {
        try {
          if (pending.length === 1) await dynamoDb().send(new UpdateCommand(this.liveUpdate(pending[0]!)));
          else await dynamoDb().send(new TransactWriteCommand({ TransactItems: pending.map((change) => ({ Update: this.liveUpdate(change) })) }));
          break;
        } catch (error) {
          const reasons = cancellationReasons(error);
          if (isConditionFailure(error) && pending.length === 1) {
            lost.push(...pending);
            break;
          }
          if (reasons?.includes('ConditionalCheckFailed')) {
            // Nothing of a cancelled transaction was written: the others go again without the devices that moved on.
            lost.push(...pending.filter((_, index) => reasons[index] === 'ConditionalCheckFailed'));
            pending = pending.filter((_, index) => reasons[index] !== 'ConditionalCheckFailed');
          } else if (isTransactionConflict(error)) {
            // Another batch is writing some of these devices: one by one, only those it moved on are lost.
            lost.push(...(await this.commitEach(pending)));
            break;
          } else throw error;
        }
      }
    }
    return lost;
  }

  /** Each change on its own (conditional on its version); returns those whose device moved on. */
  private async commitEach(changes: DeviceStateChange[]): Promise<DeviceStateChange[]> {
    const outcomes = await inParallel(changes, EACH_CONCURRENCY, async (change) => {
      try {
        await dynamoDb().send(new UpdateCommand(this.liveUpdate(change)));
        return undefined;
      } catch (error) {
        if (isConditionFailure(error) || isTransactionConflict(error)) return change;
        throw error;
      }
    });
    return outcomes.filter((change) => change !== undefined);
  }

  /** The device item's part of a state change: live state, silence deadline, counters, guarded by the version. */
  private liveUpdate(change: DeviceStateChange) {
    const { device } = change;
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':live': change.live, ':expected': device.version, ':next': device.version + 1 };
    const sets = ['live = :live', 'version = :next'];
    const removes: string[] = [];
    const adds: string[] = [];
    if (change.silentAt === undefined) removes.push('silenceShard', 'silentAt');
    else if (change.silentAt !== 'kept') {
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
    return {
      TableName: this.table,
      Key: deviceKey(device.siteId, device.deviceId),
      UpdateExpression: [`SET ${sets.join(', ')}`, removes.length ? `REMOVE ${removes.join(', ')}` : '', adds.length ? `ADD ${adds.join(', ')}` : '']
        .filter(Boolean)
        .join(' '),
      ConditionExpression: 'version = :expected',
      ...(Object.keys(names).length > 0 && { ExpressionAttributeNames: names }),
      ExpressionAttributeValues: values,
    };
  }

  /** Devices whose silence deadline has passed, from one shard of the sparse `silence` index (keys only). */
  async silentDevices(shard: number, now: number): Promise<Array<{ siteId: string; deviceId: string }>> {
    const items = await queryAll({
      TableName: this.table,
      IndexName: SILENCE_INDEX,
      KeyConditionExpression: 'silenceShard = :shard AND silentAt <= :now',
      ExpressionAttributeValues: { ':shard': `SILENCE#${shard}`, ':now': now },
    });
    return items.map((item) => ({ siteId: String(item.pk).slice('SITE#'.length), deviceId: String(item.sk).slice('DEVICE#'.length) }));
  }
}
