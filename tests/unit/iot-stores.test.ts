// The iot stores against a stubbed DynamoDB client: what a failed write means (the device or incident changed →
// VersionConflictError, which the services retry; throttling or validation → neither), readings already stored
// are duplicates while a concurrent transaction is retried, buckets are sealed from their stored readings (only
// over a seal that counted fewer), and the readings cursor carries its window.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { BadRequestError } from '#shared/errors';
import { DeviceStore, type DeviceStateChange } from '../../functions/iot/device-store';
import { IncidentStore } from '../../functions/iot/incident-store';
import type { DeviceRecord, IncidentRecord } from '../../functions/iot/schemas';
import { TelemetryStore, type ReceivedReading } from '../../functions/iot/telemetry-store';
import { pagedTimeRange, windowCursor } from '../../functions/iot/time-range';
import { cancelled, dynamo } from './fixtures/stub-dynamodb';

jest.mock('../../functions/shared/clients/dynamodb', () => jest.requireActual('./fixtures/stub-dynamodb').stubbedClients);

const TABLE = 'brigade-test-iot';
const devices = new DeviceStore(TABLE, { topicArn: 'arn:aws:sns:us-east-1:000000000000:brigade-test-alerts', deps: {} as never });
const telemetry = new TelemetryStore(TABLE);
const incidents = new IncidentStore(TABLE);

beforeEach(() => dynamo.reset());

const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

/** What a write ends in: the class of the error, or 'written'. */
async function outcome(write: () => Promise<unknown>) {
  try {
    await write();
    return 'written';
  } catch (error) {
    return (error as Error).constructor.name === 'Error' ? (error as Error).name : (error as Error).constructor.name;
  }
}

const device = {
  siteId: 's1',
  deviceId: 'd1',
  type: 'fridge',
  name: 'Walk-in',
  limits: { minC: 0, maxC: 5 },
  gracePeriodMinutes: 15,
  reportingIntervalSeconds: 60,
  status: 'active',
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'u1',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 7,
  settingsVersion: 2,
  live: { monitor: {} },
} as DeviceRecord;
/** A change of the device item alone: a single conditional update, no transaction. */
const stateChange = (): DeviceStateChange => ({ device, live: device.live, incidentPuts: [], incidentEnds: [], events: [] });

describe('device writes are guarded by the version read', () => {
  it('settings: a failed condition is a VersionConflictError; throttling is passed on as it is', async () => {
    dynamo.answer = () => {
      throw conditionFailed();
    };
    expect(await outcome(() => devices.saveSettings(device))).toBe('VersionConflictError');
    dynamo.answer = () => {
      throw throttled();
    };
    expect(await outcome(() => devices.saveSettings(device))).toBe('ThrottlingException');
    const update = dynamo.sent[0] as UpdateCommand;
    expect(update.input).toMatchObject({ ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': 7, ':next': 8 } });
  });

  it('live state: a failed condition is a VersionConflictError; a validation error is not a conflict', async () => {
    dynamo.answer = () => {
      throw conditionFailed();
    };
    expect(await outcome(() => devices.commitStateChange(stateChange()))).toBe('VersionConflictError');
    dynamo.answer = () => {
      throw Object.assign(new Error('bad expression'), { name: 'ValidationException' });
    };
    expect(await outcome(() => devices.commitStateChange(stateChange()))).toBe('ValidationException');
  });

  it('live state: a deadline sets the silence index entry, none removes it, a kept one leaves it alone', async () => {
    const expressions = async (silentAt: DeviceStateChange['silentAt']) => {
      dynamo.reset();
      await devices.commitStateChange({ ...stateChange(), silentAt });
      return (dynamo.sent[0] as UpdateCommand).input.UpdateExpression;
    };
    expect(await expressions(123)).toBe('SET live = :live, version = :next, silenceShard = :shard, silentAt = :silentAt');
    expect(await expressions(undefined)).toBe('SET live = :live, version = :next REMOVE silenceShard, silentAt');
    expect(await expressions('kept')).toBe('SET live = :live, version = :next');
  });

  it('a device read carries the silence deadline it is watched by, and nothing else of the index', async () => {
    dynamo.answer = () => ({ Item: { pk: 'SITE#s1', sk: 'DEVICE#d1', ...device, silenceShard: 'SILENCE#2', silentAt: 99, expiresAt: 5 } });
    const read = await devices.getDevice('s1', 'd1');
    expect(read).toEqual({ ...device, silentAt: 99 });
  });
});

describe('incident writes', () => {
  const incident = { siteId: 's1', incidentId: '0abcdefgh-12345678', status: 'open', actions: [], version: 3 } as unknown as IncidentRecord;

  it('an action on an incident that moved on is a VersionConflictError; the write names the version read', async () => {
    dynamo.answer = () => {
      throw conditionFailed();
    };
    expect(await outcome(() => incidents.appendAction(incident, { actionId: 'a', kind: 'repaired', by: 'u', role: 'staff', at: 'now' }))).toBe('VersionConflictError');
    expect(await outcome(() => incidents.closeIncident(incident, { closedAt: 'now', closedBy: 'u' }))).toBe('VersionConflictError');
    expect((dynamo.sent[1] as UpdateCommand).input.ExpressionAttributeValues).toMatchObject({ ':expected': 3, ':next': 4, ':open': 'open', ':zero': 0 });
  });

  it('no ids: no read at all', async () => {
    expect(await incidents.knownIncidents('s1', [])).toEqual(new Map());
    expect(dynamo.sent).toEqual([]);
  });
});

describe('storing readings', () => {
  const t = Date.parse('2026-01-01T10:00:00Z');
  const readings: ReceivedReading[] = [0, 1, 2].map((i) => ({ t: t + i * 60_000, deviceTime: true, temperatureC: 3, receivedAt: t + 5 * 60_000 }));
  const series = (deviceId = 'd1', of = readings) => ({ siteId: 's1', deviceId, readings: of });
  const transactions = () => dynamo.sent.filter((c) => c instanceof TransactWriteCommand) as TransactWriteCommand[];

  it('a reading whose condition failed is a duplicate; the others are written in a second transaction', async () => {
    let calls = 0;
    dynamo.answer = (command) => {
      if (command instanceof TransactWriteCommand && calls++ === 0) throw cancelled('None', 'ConditionalCheckFailed', 'None');
      return {};
    };
    const result = await telemetry.putReadings([series()]);
    expect(result).toEqual([{ ok: true, stored: [readings[0], readings[2]], duplicates: [readings[1]] }]);
    // The second transaction: the two new readings only, each conditional on not existing; no bucket is counted.
    const second = transactions()[1]!.input.TransactItems!;
    expect(second.map((i) => [i.Put!.Item!.sk, i.Put!.ConditionExpression])).toEqual([
      ['R#2026-01-01T10:00:00.000Z', 'attribute_not_exists(pk)'],
      ['R#2026-01-01T10:02:00.000Z', 'attribute_not_exists(pk)'],
    ]);
  });

  it('a reading without device time is identified by its seq: its marker failing makes it a duplicate', async () => {
    const received: ReceivedReading = { t: t + 10_000, deviceTime: false, seq: 41, temperatureC: 3, receivedAt: t + 10_000 };
    let calls = 0;
    dynamo.answer = (command) => {
      if (command instanceof TransactWriteCommand && calls++ === 0) throw cancelled('None', 'None', 'ConditionalCheckFailed');
      return {};
    };
    expect(await telemetry.putReadings([series('d1', [readings[0]!, received])])).toEqual([{ ok: true, stored: [readings[0]], duplicates: [received] }]);
    expect(transactions()[0]!.input.TransactItems!.map((i) => i.Put!.Item!.sk)).toEqual(['R#2026-01-01T10:00:00.000Z', 'R#2026-01-01T10:00:10.000Z#r', 'SEQ#41']);
    expect(transactions()[1]!.input.TransactItems).toHaveLength(1);
  });

  it('many devices share a transaction (≤ 100 items), and a reading never has its items split across two', async () => {
    dynamo.answer = () => ({});
    const devices = Array.from({ length: 40 }, (_, d) => series(`d${d}`));
    const result = await telemetry.putReadings(devices);
    expect(result.every((r) => r.ok && r.stored.length === 3)).toBe(true);
    // 40 devices × 3 readings = 120 items: two transactions, not 40.
    expect(transactions().map((c) => c.input.TransactItems!.length)).toEqual([100, 20]);

    dynamo.reset();
    // 99 readings with device time, then one with its seq marker: two items that go together into the next one.
    const many = Array.from({ length: 99 }, (_, i) => ({ t: t + i * 1000, deviceTime: true, temperatureC: 3, receivedAt: t }));
    const withSeq: ReceivedReading = { t: t + 200_000, deviceTime: false, seq: 1, temperatureC: 3, receivedAt: t + 200_000 };
    await telemetry.putReadings([series('d1', [...many, withSeq])]);
    expect(transactions().map((c) => c.input.TransactItems!.length)).toEqual([99, 2]);
  });

  it('a concurrent transaction is retried; one that keeps conflicting fails its devices only', async () => {
    let calls = 0;
    dynamo.answer = (command) => {
      if (command instanceof TransactWriteCommand && calls++ < 2) throw cancelled('None', 'None', 'TransactionConflict');
      return {};
    };
    expect(await telemetry.putReadings([series()])).toEqual([{ ok: true, stored: readings, duplicates: [] }]);
    expect(transactions()).toHaveLength(3);

    dynamo.reset();
    dynamo.answer = (command) => {
      if (command instanceof TransactWriteCommand) throw cancelled('None', 'None', 'TransactionConflict');
      return {};
    };
    const [failed] = await telemetry.putReadings([series()]);
    expect(failed).toMatchObject({ ok: false });
    expect(await outcome(() => Promise.reject((failed as { error: unknown }).error))).toBe('TransactionCanceledException');
    expect(transactions()).toHaveLength(6);
  });

  it('a transaction cancelled for another reason fails at once', async () => {
    dynamo.answer = (command) => {
      if (command instanceof TransactWriteCommand) throw cancelled('None', 'ValidationError', 'None');
      return {};
    };
    expect(await telemetry.putReadings([series()])).toEqual([{ ok: false, error: expect.anything() }]);
    expect(transactions()).toHaveLength(1);
  });
});

describe('storing readings known to be new (the stream: one batch of a device at a time)', () => {
  const t = Date.parse('2026-01-01T10:00:00Z');
  const at = (minute: number, more: Partial<ReceivedReading> = {}): ReceivedReading => ({ t: t + minute * 60_000, deviceTime: true, temperatureC: 3, receivedAt: t, ...more });
  const batchWrites = () => dynamo.sent.filter((c) => c instanceof BatchWriteCommand) as BatchWriteCommand[];
  const transactions = () => dynamo.sent.filter((c) => c instanceof TransactWriteCommand) as TransactWriteCommand[];

  it('readings after the last counted one go out in BatchWriteItems of 25 without a condition; the others stay conditional', async () => {
    dynamo.answer = () => ({});
    const late = at(1);
    const received = at(7, { deviceTime: false, seq: 9 });
    const fresh = Array.from({ length: 30 }, (_, i) => at(10 + i));
    const [result] = await telemetry.putReadings([{ siteId: 's1', deviceId: 'd1', readings: [late, received, ...fresh], countedThrough: t + 5 * 60_000 }]);
    expect(result).toEqual({ ok: true, stored: expect.arrayContaining([late, received, ...fresh]), duplicates: [] });
    expect((result as { stored: unknown[] }).stored).toHaveLength(32);
    // 30 new readings: two BatchWriteItems (25 + 5), plain puts of the reading items.
    const puts = batchWrites().map((c) => c.input.RequestItems![TABLE]!);
    expect(puts.map((requests) => requests.length)).toEqual([25, 5]);
    expect(puts[0]![0]).toEqual({ PutRequest: { Item: expect.objectContaining({ pk: 'SITE#s1#DEVICE#d1', sk: 'R#2026-01-01T10:10:00.000Z', temperatureC: 3 }) } });
    // The late one (before the last counted) and the one without device time (new receive time on a redelivery)
    // are put on condition, in a transaction.
    expect(transactions()[0]!.input.TransactItems!.map((i) => [i.Put!.Item!.sk, i.Put!.ConditionExpression])).toEqual([
      ['R#2026-01-01T10:01:00.000Z', 'attribute_not_exists(pk)'],
      ['R#2026-01-01T10:07:00.000Z#r', 'attribute_not_exists(pk)'],
      ['SEQ#9', 'attribute_not_exists(pk)'],
    ]);
  });

  it('a reading at the last counted time is not new; without countedThrough nothing is written unconditionally', async () => {
    dynamo.answer = () => ({});
    await telemetry.putReadings([{ siteId: 's1', deviceId: 'd1', readings: [at(5)], countedThrough: t + 5 * 60_000 }]);
    await telemetry.putReadings([{ siteId: 's1', deviceId: 'd2', readings: [at(6)] }]);
    expect(batchWrites()).toHaveLength(0);
    expect(transactions()).toHaveLength(2);
  });

  it('a BatchWriteItem that keeps failing fails the devices in it only', async () => {
    dynamo.answer = (command) => {
      if (command instanceof BatchWriteCommand) throw throttled();
      return {};
    };
    const result = await telemetry.putReadings([
      { siteId: 's1', deviceId: 'd1', readings: [at(10)], countedThrough: t },
      { siteId: 's1', deviceId: 'd2', readings: [at(10)] },
    ]);
    expect(result).toEqual([{ ok: false, error: expect.anything() }, { ok: true, stored: [at(10)], duplicates: [] }]);
  });
});

describe('sealing buckets from their readings', () => {
  const start = Date.parse('2026-01-01T10:00:00Z');
  const walkIn = { siteId: 's1', deviceId: 'd1', limits: { minC: 0, maxC: 5 } };
  const stored = [
    { t: start + 60_000, temperatureC: 3.25 },
    { t: start + 120_000, temperatureC: 6.5, doorOpen: true },
    { t: start + 180_000, temperatureC: 4 },
  ];
  const queries = () => dynamo.sent.filter((c) => c instanceof QueryCommand) as QueryCommand[];
  const puts = () => dynamo.sent.filter((c) => c instanceof PutCommand) as PutCommand[];

  it('a bucket is computed from the readings stored in it, read consistently, and replaces only a seal that counted fewer', async () => {
    dynamo.answer = (command) => (command instanceof QueryCommand ? { Items: stored } : {});
    await telemetry.sealBuckets(walkIn, [start, start]);
    expect(queries()).toHaveLength(1); // one bucket named twice is sealed once
    expect(queries()[0]!.input).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': 'SITE#s1#DEVICE#d1', ':from': 'R#2026-01-01T10:00:00.000Z', ':to': 'R#2026-01-01T10:14:59.999Z~' },
      ConsistentRead: true,
    });
    expect(puts()[0]!.input).toMatchObject({
      Item: { pk: 'SITE#s1#DEVICE#d1', sk: 'A#2026-01-01T10:00:00.000Z', start, count: 3, sumC: 13.75, minC: 3.25, maxC: 6.5, doorOpenCount: 1, outOfRangeCount: 1 },
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :count',
      ExpressionAttributeValues: { ':count': 3 },
    });
  });

  it('a seal that counted as many is left as it is; a bucket with no readings is not written; other errors are passed on', async () => {
    dynamo.answer = (command) => {
      if (command instanceof QueryCommand) return { Items: stored };
      throw conditionFailed();
    };
    await expect(telemetry.sealBuckets(walkIn, [start])).resolves.toBeUndefined();

    dynamo.reset();
    dynamo.answer = (command) => (command instanceof QueryCommand ? { Items: [] } : {});
    await telemetry.sealBuckets(walkIn, [start]);
    expect(puts()).toHaveLength(0);

    dynamo.reset();
    dynamo.answer = (command) => {
      if (command instanceof QueryCommand) return { Items: stored };
      throw throttled();
    };
    expect(await outcome(() => telemetry.sealBuckets(walkIn, [start]))).toBe('ThrottlingException');
  });

  it('reading buckets: the sealed ones, and the open one computed from its readings unless its seal counts more', async () => {
    const sealed = (at: number, count: number) => ({ pk: 'SITE#s1#DEVICE#d1', sk: `A#${new Date(at).toISOString()}`, start: at, count, sumC: count * 3, minC: 3, maxC: 3, doorOpenCount: 0, outOfRangeCount: 0, expiresAt: 1 });
    const open = start + 900_000;
    const device = { ...walkIn, live: { lastReading: { t: open + 200_000 } } };
    dynamo.answer = (command) => {
      const input = (command as QueryCommand).input;
      if (String(input.ExpressionAttributeValues![':from']).startsWith('A#')) return { Items: [sealed(start, 4), sealed(open, 1)] };
      return { Items: stored.map((r) => ({ ...r, t: r.t + 900_000 })) };
    };
    const figures = await telemetry.listAggregates(device, start, open + 900_000);
    expect(figures.map((a) => [new Date(a.start).toISOString(), a.count, a.avgC])).toEqual([
      ['2026-01-01T10:00:00.000Z', 4, 3],
      ['2026-01-01T10:15:00.000Z', 3, 4.58],
    ]);
    expect(queries()[1]!.input.ExpressionAttributeValues).toMatchObject({ ':from': 'R#2026-01-01T10:15:00.000Z' });

    // Its readings expired (a unit silent for more than 7 days): the seal made when it fell silent is what is shown.
    dynamo.reset();
    dynamo.answer = (command) => {
      const input = (command as QueryCommand).input;
      return { Items: String(input.ExpressionAttributeValues![':from']).startsWith('A#') ? [sealed(open, 5)] : [] };
    };
    expect((await telemetry.listAggregates(device, start, open)).map((a) => a.count)).toEqual([5]);

    // An open bucket outside the range asked for is not read.
    dynamo.reset();
    dynamo.answer = () => ({ Items: [] });
    expect(await telemetry.listAggregates(device, start - 3_600_000, start - 1)).toEqual([]);
    expect(queries()).toHaveLength(1);
  });
});

describe('the readings cursor carries its window', () => {
  const bounds = { defaultSpanMs: 86_400_000, maxSpanMs: 7 * 86_400_000 };
  const now = Date.parse('2026-06-01T12:00:00Z');

  it('a next page without from and to pages the window the cursor was issued for, not a window moved with the clock', () => {
    const first = pagedTimeRange({}, bounds, now);
    const cursor = windowCursor(first.range, 'PAGE')!;
    expect(pagedTimeRange({ cursor }, bounds, now + 60_000)).toEqual({ range: first.range, pageCursor: 'PAGE' });
  });

  it('from and to sent with the cursor are the window asked for (the store refuses the page cursor if it is another)', () => {
    const cursor = windowCursor({ from: now - 1000, to: now }, 'PAGE')!;
    expect(pagedTimeRange({ from: now - 2000, cursor }, bounds, now).range).toEqual({ from: now - 2000, to: now });
  });

  it('a cursor of another shape goes to the store whole; a window wider than allowed is a 400', () => {
    expect(pagedTimeRange({ cursor: 'e30' }, bounds, now)).toEqual({ range: { from: now - 86_400_000, to: now }, pageCursor: 'e30' });
    expect(() => pagedTimeRange({ cursor: `0.${now}.PAGE` }, bounds, now)).toThrow(BadRequestError);
    expect(windowCursor({ from: 1, to: 2 }, undefined)).toBeUndefined();
  });
});
