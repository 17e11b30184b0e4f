// The iot stores against a stubbed DynamoDB client: what a failed write means (the device or incident changed →
// VersionConflictError, which the services retry; throttling or validation → neither), readings already stored
// are duplicates while a concurrent transaction on their bucket is retried, and the readings cursor carries its
// window.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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
  const series = (deviceId = 'd1', of = readings) => ({ siteId: 's1', deviceId, limits: device.limits, readings: of, storedRanges: new Map() });
  const transactions = () => dynamo.sent.filter((c) => c instanceof TransactWriteCommand) as TransactWriteCommand[];

  it('a reading whose condition failed is a duplicate; the others are written in a second transaction', async () => {
    let calls = 0;
    dynamo.answer = (command) => {
      if (command instanceof TransactWriteCommand && calls++ === 0) throw cancelled('None', 'ConditionalCheckFailed', 'None', 'None');
      return {};
    };
    const result = await telemetry.putReadings([series()]);
    expect(result).toEqual([{ ok: true, stored: [readings[0], readings[2]], duplicates: [readings[1]] }]);
    // The second transaction: two readings and their bucket, counted once each.
    const second = transactions()[1]!.input.TransactItems!;
    expect(second).toHaveLength(3);
    expect(second[2]!.Update!.ExpressionAttributeValues).toMatchObject({ ':count': 2 });
  });

  it('many devices share a transaction (≤ 100 items), each bucket counted once in it', async () => {
    dynamo.answer = () => ({});
    const devices = Array.from({ length: 40 }, (_, d) => series(`d${d}`));
    const result = await telemetry.putReadings(devices);
    expect(result.every((r) => r.ok && r.stored.length === 3)).toBe(true);
    // 40 devices × (3 readings + 1 bucket) = 160 items: two transactions, not 40.
    expect(transactions().map((c) => c.input.TransactItems!.length)).toEqual([100, 60]);
    const counts = transactions().flatMap((c) => c.input.TransactItems!.filter((i) => i.Update).map((i) => i.Update!.ExpressionAttributeValues![':count']));
    expect(counts).toEqual(Array(40).fill(3));
  });

  it('the bucket is widened in the same update when the batch goes beyond what was read of it; if raced, apart', async () => {
    let calls = 0;
    dynamo.answer = (command) => {
      // The bucket (item 3) was widened further by someone else between the read and the write.
      if (command instanceof TransactWriteCommand && calls++ === 0) throw cancelled('None', 'None', 'None', 'ConditionalCheckFailed');
      return {};
    };
    const widened = { ...series(), storedRanges: new Map([[t - (t % 900_000), { minC: 3.5, maxC: 4 }]]) };
    expect(await telemetry.putReadings([widened])).toEqual([{ ok: true, stored: readings, duplicates: [] }]);
    const [first, second] = transactions().map((c) => c.input.TransactItems![3]!.Update!);
    expect(first!.UpdateExpression).toContain('minC = :minC');
    expect(first!.ConditionExpression).toBe('(attribute_not_exists(minC) OR minC > :minC)');
    expect(second!.UpdateExpression).not.toContain('minC');
    // Widened apart: re-read, then a conditional write only if still wider.
    expect(dynamo.sent.filter((c) => c instanceof UpdateCommand).map((c) => (c as UpdateCommand).input.ConditionExpression)).toEqual([
      'attribute_not_exists(minC) OR minC > :value',
      'attribute_not_exists(maxC) OR maxC < :value',
    ]);
  });

  it('a concurrent transaction on the bucket is retried; one that keeps conflicting fails its devices only', async () => {
    let calls = 0;
    dynamo.answer = (command) => {
      if (command instanceof TransactWriteCommand && calls++ < 2) throw cancelled('None', 'None', 'None', 'TransactionConflict');
      return {};
    };
    expect(await telemetry.putReadings([series()])).toEqual([{ ok: true, stored: readings, duplicates: [] }]);
    expect(transactions()).toHaveLength(3);

    dynamo.reset();
    dynamo.answer = (command) => {
      if (command instanceof TransactWriteCommand) throw cancelled('None', 'None', 'None', 'TransactionConflict');
      return {};
    };
    const [failed] = await telemetry.putReadings([series()]);
    expect(failed).toMatchObject({ ok: false });
    expect(await outcome(() => Promise.reject((failed as { error: unknown }).error))).toBe('TransactionCanceledException');
    expect(transactions()).toHaveLength(6);
  });

  it('a transaction cancelled for another reason fails at once', async () => {
    dynamo.answer = (command) => {
      if (command instanceof TransactWriteCommand) throw cancelled('None', 'ValidationError', 'None', 'None');
      return {};
    };
    expect(await telemetry.putReadings([series()])).toEqual([{ ok: false, error: expect.anything() }]);
    expect(transactions()).toHaveLength(1);
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
