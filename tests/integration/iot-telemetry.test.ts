// Telemetry end to end: a device publishes over MQTT → the TelemetryRule (SQL with WHERE) → ingestTelemetry →
// DynamoDB, read back through the API. Validation, duplicates, buckets sealed from the stored readings, the error
// action, and the CLI clients.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { MqttClient } from 'mqtt';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { api, describeNeeding, describeWithCommands, dynamo, eventually, isLocal, mqttClient, tableName, uniqueId } from './support/target';
import { bearer, createSite, createUser, type TestUser } from './support/identity';
import { connectDevice, registerDevice, waitForReadingAt, type RegisteredDevice } from './support/iot';

const run = promisify(execFile);

describeNeeding('iot')('telemetry: MQTT → IoT topic rule → ingest → DynamoDB', () => {
  let siteId: string;
  let manager: TestUser;
  let staff: TestUser;
  let registered: RegisteredDevice;
  let device: MqttClient;
  let topic: string;
  const deviceId = uniqueId('fridge');

  beforeAll(async () => {
    siteId = await createSite();
    [manager, staff] = await Promise.all([createUser('manager', [siteId]), createUser('staff', [siteId])]);
    registered = await registerDevice(siteId, manager, { deviceId, type: 'fridge', name: 'Walk-in' });
    topic = registered.connection.telemetryTopic;
    device = await connectDevice(registered);
  });
  afterAll(async () => {
    await device.endAsync();
  });

  const readings = async () => {
    const res = await api('GET', `/sites/${siteId}/devices/${deviceId}/readings?limit=500&order=asc`, { headers: bearer(staff) });
    return res.json.readings as Array<{ at: string; temperatureC: number; seq?: number; doorOpen?: boolean }>;
  };
  const rejects = async () => (await api('GET', `/sites/${siteId}/telemetry-rejects`, { headers: bearer(manager) })).json.rejects as Array<Record<string, any>>;
  const deviceView = async () => (await api('GET', `/sites/${siteId}/devices/${deviceId}`, { headers: bearer(staff) })).json;

  it('a reading published at QoS 1 is stored through the rule, with site and device from the topic', async () => {
    expect(topic).toBe(`brigade/${siteId}/devices/${deviceId}/telemetry`);
    const t = Date.now() - 60_000;
    await device.publishAsync(topic, JSON.stringify({ t, temperatureC: 3.5, seq: 1, batteryPct: 88 }), { qos: 1 });
    const view = await waitForReadingAt(siteId, deviceId, t, staff);
    expect(view).toMatchObject({ status: 'ok', lastReading: { temperatureC: 3.5 }, batteryPct: 88, readings: { accepted: 1 } });
    expect(await readings()).toEqual([expect.objectContaining({ at: new Date(t).toISOString(), temperatureC: 3.5, seq: 1 })]);
  });

  it('a message that is neither a reading nor a batch does not match the WHERE clause', async () => {
    const t = Date.now() - 50_000;
    await device.publishAsync(topic, JSON.stringify({ doorOpen: true, seq: 2 }), { qos: 1 });
    await device.publishAsync(topic, JSON.stringify({ t, temperatureC: 4, seq: 3 }), { qos: 1 });
    await waitForReadingAt(siteId, deviceId, t, staff);
    expect((await readings()).map((r) => r.seq)).toEqual([1, 3]);
    expect((await rejects()).filter((r) => r.deviceId === deviceId)).toEqual([]);
  });

  it('a batch: valid readings are stored; malformed ones are counted and kept for inspection, and ingest goes on', async () => {
    const t = Date.now() - 40_000;
    await device.publishAsync(
      topic,
      JSON.stringify({
        readings: [
          { t, temperatureC: 4.1, doorOpen: true },
          { t: t + 1000, temperatureC: 'warm' },
          { t: t + 2000 },
          { t: Date.now() + 3_600_000, temperatureC: 4 },
          { t: t + 3000, temperatureC: 4.3 },
        ],
      }),
      { qos: 1 },
    );
    const view = await waitForReadingAt(siteId, deviceId, t + 3000, staff);
    expect(view.readings).toEqual({ accepted: 4, duplicates: 0, rejected: 3 });
    expect((await readings()).map((r) => r.temperatureC)).toEqual([3.5, 4, 4.1, 4.3]);
    const kept = (await rejects()).filter((r) => r.deviceId === deviceId);
    expect(kept.map((r) => r.reason).sort()).toEqual([
      't: more than 5 minutes in the future',
      'temperatureC: Invalid input: expected number, received string',
      'temperatureC: Invalid input: expected number, received undefined',
    ]);
    expect(kept.every((r) => r.kind === 'invalid-reading')).toBe(true);
  });

  it('duplicate QoS 1 deliveries do not double readings', async () => {
    const t = Date.now() - 30_000;
    const batch = JSON.stringify({ readings: [0, 1, 2].map((i) => ({ t: t + i * 1000, temperatureC: 3 + i / 10, seq: 10 + i })) });
    // The same message again, as a QoS 1 redelivery carries it (DUP set), and once more concurrently.
    await Promise.all([
      device.publishAsync(topic, batch, { qos: 1 }),
      device.publishAsync(topic, batch, { qos: 1, dup: true }),
      device.publishAsync(topic, batch, { qos: 1 }),
    ]);
    await waitForReadingAt(siteId, deviceId, t + 2000, staff);
    const view = await eventually(async () => {
      const v = await deviceView();
      return v.readings.accepted + v.readings.duplicates === 4 + 9 ? v : undefined;
    }, 10_000, 'all three deliveries ingested');
    expect(view.readings).toMatchObject({ accepted: 7, duplicates: 6 });
    expect((await readings()).filter((r) => r.seq !== undefined && r.seq >= 10).map((r) => r.seq)).toEqual([10, 11, 12]);
  });

  it('a reading without a device time is deduplicated by its seq', async () => {
    const before = (await readings()).length;
    await device.publishAsync(topic, JSON.stringify({ temperatureC: 3.9, seq: 99 }), { qos: 1 });
    await device.publishAsync(topic, JSON.stringify({ temperatureC: 3.9, seq: 99 }), { qos: 1, dup: true });
    await eventually(async () => ((await deviceView()).readings.duplicates === 7 ? true : undefined), 10_000, 'the redelivery counted as a duplicate');
    expect((await readings()).length).toBe(before + 1);
  });

  it('15-minute aggregates follow the stored readings', async () => {
    const res = await api('GET', `/sites/${siteId}/devices/${deviceId}/aggregates`, { headers: bearer(staff) });
    expect(res.status).toBe(200);
    const total = (res.json.aggregates as Array<{ count: number }>).reduce((sum, a) => sum + a.count, 0);
    expect(total).toBe((await readings()).length);
    expect(res.json.bucketMinutes).toBe(15);
  });

  it('a non-JSON payload goes to the error action with its original bytes', async () => {
    await device.publishAsync(topic, 'temp=3.5;oops', { qos: 1 });
    const kept = await eventually(async () => (await rejects()).find((r) => r.kind === 'rule-error' && r.deviceId === deviceId), 10_000, 'rule error');
    expect(Buffer.from(kept.payload.base64OriginalPayload, 'base64').toString()).toBe('temp=3.5;oops');
    expect(kept.payload).toMatchObject({ ruleName: `brigade_${process.env.BRIGADE_STAGE}_telemetry`, topic, clientId: deviceId });
  });

  it('readings of an unregistered device are kept as rejects, not stored', async () => {
    const stranger = uniqueId('stranger');
    const client = await mqttClient(stranger);
    await client.publishAsync(`brigade/${siteId}/devices/${stranger}/telemetry`, JSON.stringify({ temperatureC: 2 }), { qos: 1 });
    await client.endAsync();
    const kept = await eventually(async () => (await rejects()).find((r) => r.deviceId === stranger), 10_000, 'unknown-device reject');
    expect(kept).toMatchObject({ kind: 'unknown-device', payload: { temperatureC: 2 } });
  });

  it('read APIs: bounded ranges, pagination, staff of other sites refused', async () => {
    const page = await api('GET', `/sites/${siteId}/devices/${deviceId}/readings?limit=2`, { headers: bearer(staff) });
    expect(page.json.readings).toHaveLength(2);
    const next = await api('GET', `/sites/${siteId}/devices/${deviceId}/readings?limit=2&cursor=${page.json.nextCursor}`, { headers: bearer(staff) });
    expect(Date.parse(next.json.readings[0].at)).toBeLessThan(Date.parse(page.json.readings[1].at));
    const tooLong = await api('GET', `/sites/${siteId}/devices/${deviceId}/readings?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z`, { headers: bearer(staff) });
    expect(tooLong.status).toBe(400);
    const foreignCursor = await api('GET', `/sites/${siteId}/devices/${deviceId}/readings?cursor=${Buffer.from('INCIDENT#x').toString('base64url')}`, { headers: bearer(staff) });
    expect(foreignCursor.status).toBe(400);
    const outsider = await createUser('staff', [await createSite()]);
    expect((await api('GET', `/sites/${siteId}/devices/${deviceId}/readings`, { headers: bearer(outsider) })).status).toBe(403);
    expect((await api('GET', `/sites/${siteId}/devices/nope/readings`, { headers: bearer(staff) })).status).toBe(404);
  });
});

describeNeeding('iot')('telemetry: 15-minute buckets sealed from the stored readings', () => {
  const BUCKET_MS = 15 * 60_000;
  let siteId: string;
  let manager: TestUser;
  let device: MqttClient;
  let topic: string;
  const deviceId = uniqueId('sealed');
  // Two hours ago, at the start of a bucket: well within the 24 hours a reading may be late.
  const start = Math.floor((Date.now() - 2 * 60 * 60_000) / BUCKET_MS) * BUCKET_MS;
  const next = start + BUCKET_MS;
  // An hour ago: where the race below writes, after both.
  const later = Math.floor((Date.now() - 60 * 60_000) / BUCKET_MS) * BUCKET_MS;

  beforeAll(async () => {
    siteId = await createSite();
    manager = await createUser('manager', [siteId]);
    const registered = await registerDevice(siteId, manager, { deviceId, type: 'fridge', name: 'Reach-in' });
    topic = registered.connection.telemetryTopic;
    device = await connectDevice(registered);
  });
  afterAll(async () => {
    await device.endAsync();
  });

  const counts = async () => {
    const res = await api('GET', `/sites/${siteId}/devices/${deviceId}/aggregates?from=${new Date(start).toISOString()}&to=${new Date(next).toISOString()}`, {
      headers: bearer(manager),
    });
    expect(res.status).toBe(200);
    return (res.json.aggregates as Array<{ start: string; count: number; maxC: number }>).map((a) => [a.start, a.count, a.maxC]);
  };
  /** The bucket item as sealed in the table (undefined while it is the open one). */
  const sealed = async (at: number) =>
    (await dynamo.send(new GetCommand({ TableName: tableName('iot'), Key: { pk: `SITE#${siteId}#DEVICE#${deviceId}`, sk: `A#${new Date(at).toISOString()}` }, ConsistentRead: true }))).Item;
  const publish = (readings: Array<[number, number]>, dup = false) =>
    device.publishAsync(topic, JSON.stringify({ readings: readings.map(([t, temperatureC]) => ({ t, temperatureC })) }), { qos: 1, dup });

  it('a batch reaching the next bucket seals the one before with its readings; the open one is computed when read', async () => {
    await publish([[start + 60_000, 3], [start + 120_000, 4], [start + 180_000, 3.5], [next + 60_000, 2]]);
    await waitForReadingAt(siteId, deviceId, next + 60_000, manager);
    expect(await sealed(start)).toMatchObject({ count: 3, minC: 3, maxC: 4, sumC: 10.5 });
    expect(await sealed(next)).toBeUndefined();
    expect(await counts()).toEqual([
      [new Date(start).toISOString(), 3, 4],
      [new Date(next).toISOString(), 1, 2],
    ]);
  });

  it('a redelivered batch counts nothing twice; a late reading seals its bucket again, with it', async () => {
    await publish([[start + 60_000, 3], [start + 120_000, 4], [start + 180_000, 3.5], [next + 60_000, 2]], true);
    await eventually(async () => ((await deviceView()).readings.duplicates === 4 ? true : undefined), 10_000, 'the redelivery ingested');
    expect((await sealed(start))?.count).toBe(3);
    await publish([[start + 10 * 60_000, 7.5]]);
    await eventually(async () => ((await sealed(start))?.count === 4 ? true : undefined), 10_000, 'the late reading sealed in');
    expect(await sealed(start)).toMatchObject({ count: 4, maxC: 7.5, outOfRangeCount: 1 });
    expect(await counts()).toEqual([
      [new Date(start).toISOString(), 4, 7.5],
      [new Date(next).toISOString(), 1, 2],
    ]);
  });

  it('one-reading messages in random order, in concurrent batches across a bucket boundary: each counts once', async () => {
    // 200 readings 5 s apart from an hour ago: 180 in one bucket, 20 in the next, published at once in shuffled
    // order, so the device's messages race in several batches and late ones land in the bucket already sealed.
    const times = Array.from({ length: 200 }, (_, i) => later + i * 5_000);
    const shuffled = times.map((t) => ({ t, key: Math.random() })).sort((a, b) => a.key - b.key).map(({ t }) => t);
    await Promise.all(shuffled.map((t) => device.publishAsync(topic, JSON.stringify({ t, temperatureC: 3 + (t % 7) / 10 }), { qos: 1 })));
    await eventually(async () => ((await deviceView()).readings.accepted >= 5 + 200 ? true : undefined), 30_000, 'all 200 readings stored');
    const bucket = async (at: number) => {
      const res = await api('GET', `/sites/${siteId}/devices/${deviceId}/aggregates?from=${new Date(at).toISOString()}&to=${new Date(at).toISOString()}`, {
        headers: bearer(manager),
      });
      return (res.json.aggregates as Array<{ count: number }>)[0]?.count;
    };
    // The first bucket is sealed with all 180 (the last batch to commit on it sealed it); the second is open.
    expect((await sealed(later))?.count).toBe(180);
    expect(await bucket(later)).toBe(180);
    expect(await bucket(later + BUCKET_MS)).toBe(20);
    expect(await sealed(later + BUCKET_MS)).toBeUndefined();
    // The bucket the device left when the race began was sealed as it moved on.
    expect((await sealed(next))?.count).toBe(1);
  });

  it('a unit reporting faster than its interval keeps its silence deadline: its index entry is not rewritten per batch', async () => {
    const stored = async () =>
      (await dynamo.send(new GetCommand({ TableName: tableName('iot'), Key: { pk: `SITE#${siteId}`, sk: `DEVICE#${deviceId}` }, ConsistentRead: true }))).Item!;
    const before = await stored();
    expect(before.silentAt).toEqual(expect.any(Number));
    const t = later + 996_000; // in the open bucket, after the race's last reading
    await publish([[t, 3.25]]);
    await waitForReadingAt(siteId, deviceId, t, manager);
    const after = await stored();
    expect(after.version).toBeGreaterThan(before.version); // the live state moved on
    expect(after.silentAt).toBe(before.silentAt); // the deadline did not: it is less than an interval short
  });

  it('decommissioning seals the open bucket: the HACCP record keeps it after the raw readings expire', async () => {
    expect((await api('DELETE', `/sites/${siteId}/devices/${deviceId}`, { headers: bearer(manager) })).status).toBe(200);
    expect(await sealed(later + BUCKET_MS)).toMatchObject({ count: 21 });
  });

  const deviceView = async () => (await api('GET', `/sites/${siteId}/devices/${deviceId}`, { headers: bearer(manager) })).json;
});

describeWithCommands(['mosquitto_pub', 'aws'])('telemetry and provisioning from the CLI clients', () => {
  const mqtt = new URL(process.env.BRIGADE_MQTT_URL ?? 'mqtt://127.0.0.1:1883');
  const aws = (...args: string[]) =>
    run('aws', [...(isLocal ? ['--endpoint-url', process.env.AWS_ENDPOINT_URL!] : []), ...args], { env: { ...process.env, AWS_PAGER: '' } }).then(({ stdout }) => stdout);

  it('mosquitto_pub telemetry goes through the topic rule into the device’s readings', async () => {
    const siteId = await createSite();
    const manager = await createUser('manager', [siteId]);
    const { device } = await registerDevice(siteId, manager, { deviceId: uniqueId('probe'), type: 'hot-holding', name: 'Probe' });
    await run('mosquitto_pub', ['-h', mqtt.hostname, '-p', mqtt.port || '1883', '-q', '1', '-i', device.deviceId,
      '-t', `brigade/${siteId}/devices/${device.deviceId}/telemetry`, '-m', '{"temperatureC":61.5,"seq":7}']);
    const stored = await eventually(async () => {
      const res = await api('GET', `/sites/${siteId}/devices/${device.deviceId}/readings`, { headers: bearer(manager) });
      return res.json.readings.length > 0 ? res.json.readings : undefined;
    }, 10_000, 'reading');
    expect(stored[0]).toMatchObject({ temperatureC: 61.5, seq: 7 });
  });

  it('aws iot describe-thing and list-thing-principals see what provisioning created', async () => {
    const siteId = await createSite();
    const manager = await createUser('manager', [siteId]);
    const registered = await registerDevice(siteId, manager, { deviceId: uniqueId('cli-thing'), type: 'freezer', name: 'Freezer' });
    const thing = JSON.parse(await aws('iot', 'describe-thing', '--thing-name', registered.device.deviceId));
    expect(thing).toMatchObject({ thingName: registered.device.deviceId, attributes: { siteId } });
    const principals = JSON.parse(await aws('iot', 'list-thing-principals', '--thing-name', registered.device.deviceId));
    expect(principals.principals).toEqual([expect.stringContaining(`:cert/${registered.credentials.certificateId}`)]);
  });
});
