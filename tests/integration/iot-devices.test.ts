// The device registry: registration provisions an IoT thing, a certificate and keys (returned once) and the
// device policy through the IoT control plane; decommissioning revokes the certificate and removes the thing.
import {
  DescribeCertificateCommand,
  DescribeThingCommand,
  IoTClient,
  ListAttachedPoliciesCommand,
  ListThingPrincipalsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-iot';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { api, describeNeeding, dynamo, eventually, itLocal, region, stage, tableName, uniqueId } from './support/target';
import { bearer, createSite, createUser, theOwner, type TestUser } from './support/identity';
import { connectDevice, registerDevice, waitForReadingAt, type RegisteredDevice } from './support/iot';

const endpoint = process.env.AWS_ENDPOINT_URL_IOT ?? process.env.AWS_ENDPOINT_URL;
const iot = new IoTClient({ region, ...(endpoint ? { endpoint } : {}) });

describeNeeding('iot')('device registry and provisioning', () => {
  let siteId: string;
  let manager: TestUser;
  let staff: TestUser;
  let registered: RegisteredDevice;
  const deviceId = uniqueId('walkin');

  beforeAll(async () => {
    siteId = await createSite();
    [manager, staff] = await Promise.all([createUser('manager', [siteId]), createUser('staff', [siteId])]);
  });
  afterAll(() => iot.destroy());

  it('a manager registers a unit: a thing, an active certificate with the device policy, and its keys, once', async () => {
    registered = await registerDevice(siteId, manager, { deviceId, type: 'fridge', name: 'Walk-in', location: 'Back of house', limits: { minC: 0, maxC: 4 } });
    expect(registered.device).toMatchObject({ deviceId, siteId, type: 'fridge', limits: { minC: 0, maxC: 4 }, gracePeriodMinutes: 15, status: 'awaiting-data', thingName: deviceId });
    const certificate = new X509Certificate(registered.credentials.certificatePem);
    expect(certificate.checkPrivateKey(createPrivateKey(registered.credentials.privateKey))).toBe(true);
    expect(registered.connection).toMatchObject({ clientId: deviceId, telemetryTopic: `brigade/${siteId}/devices/${deviceId}/telemetry`, endpoint: expect.any(String) });

    const thing = await iot.send(new DescribeThingCommand({ thingName: deviceId }));
    expect(thing.attributes).toEqual({ siteId, stage });
    const { principals } = await iot.send(new ListThingPrincipalsCommand({ thingName: deviceId }));
    expect(principals).toEqual([expect.stringMatching(new RegExp(`:cert/${registered.credentials.certificateId}$`))]);
    const { policies } = await iot.send(new ListAttachedPoliciesCommand({ target: principals![0] }));
    expect(policies!.map((p) => p.policyName)).toEqual([`brigade-${stage}-device`]);
    const described = await iot.send(new DescribeCertificateCommand({ certificateId: registered.credentials.certificateId }));
    expect(described.certificateDescription!.status).toBe('ACTIVE');
  });

  it('the private key is in the registration response only: Brigade stores no copy', async () => {
    const marker = registered.credentials.privateKey.split('\n')[1]!;
    const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: tableName('iot') }));
    expect(JSON.stringify(Items)).not.toContain(marker);
    const view = await api('GET', `/sites/${siteId}/devices/${deviceId}`, { headers: bearer(manager) });
    expect(view.text).not.toContain(marker);
  });

  it('the device connects as its thing and its telemetry is accepted', async () => {
    const client = await connectDevice(registered);
    const t = Date.now();
    await client.publishAsync(registered.connection.telemetryTopic, JSON.stringify({ t, temperatureC: 2.5 }), { qos: 1 });
    const view = await waitForReadingAt(siteId, deviceId, t, staff);
    expect(view.status).toBe('ok');
    await client.endAsync();
  });

  itLocal('the broker holds a device to its policy: another device’s topic closes its connection', 'the local broker enforces the stack’s IoT policy per client id; AWS IoT does the same with the certificate', async () => {
    const client: MqttClient = await connectDevice(registered);
    expect((await client.subscribeAsync(`$aws/things/${deviceId}/shadow/update/delta`, { qos: 1 })).map((g) => g.qos)).toEqual([1]);
    await expect(client.subscribeAsync('$aws/things/someone-else/shadow/update/delta', { qos: 1 })).rejects.toThrow('Subscribe error'); // SUBACK 0x80
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish(`brigade/${siteId}/devices/someone-else/telemetry`, JSON.stringify({ temperatureC: 30 }), { qos: 1 });
    await closed;
    client.end(true);
    const rejects = await api('GET', `/sites/${siteId}/telemetry-rejects`, { headers: bearer(manager) });
    expect(rejects.json.rejects.filter((r: { deviceId: string }) => r.deviceId === 'someone-else')).toEqual([]);
  });

  it('registration is validated: roles, sites, types, limits within sane bounds, unique ids', async () => {
    const body = { deviceId: uniqueId('x'), type: 'freezer', name: 'Freezer' };
    expect((await api('POST', `/sites/${siteId}/devices`, { body, headers: bearer(staff) })).status).toBe(403);
    const otherManager = await createUser('manager', [await createSite()]);
    expect((await api('POST', `/sites/${siteId}/devices`, { body, headers: bearer(otherManager) })).status).toBe(403);
    expect((await api('POST', `/sites/${siteId}/devices`, { body: { ...body, type: 'toaster' }, headers: bearer(manager) })).status).toBe(400);
    expect((await api('POST', `/sites/${siteId}/devices`, { body: { ...body, gracePeriodMinutes: 0 }, headers: bearer(manager) })).status).toBe(400);
    const warm = await api('POST', `/sites/${siteId}/devices`, { body: { ...body, limits: { maxC: -2 } }, headers: bearer(manager) });
    expect(warm.status).toBe(422);
    expect(warm.json.error.details.problems).toEqual(['maxC of a freezer must be between -40 and -12 °C']);
    // Device ids are thing names: unique in the stage, across sites.
    const duplicate = await api('POST', `/sites/${await createSite()}/devices`, { body: { ...body, deviceId }, headers: bearer(await theOwner()) });
    expect(duplicate.status).toBe(409);
  });

  it('settings change within bounds; a stale expectedVersion conflicts', async () => {
    const path = `/sites/${siteId}/devices/${deviceId}`;
    const { settingsVersion } = (await api('GET', path, { headers: bearer(staff) })).json;
    const changed = await api('PATCH', path, { body: { limits: { maxC: 5 }, gracePeriodMinutes: 20, expectedVersion: settingsVersion }, headers: bearer(manager) });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ limits: { maxC: 5 }, gracePeriodMinutes: 20, settingsVersion: settingsVersion + 1 });
    expect((await api('PATCH', path, { body: { name: 'x', expectedVersion: settingsVersion }, headers: bearer(manager) })).status).toBe(409);
    expect((await api('PATCH', path, { body: { limits: { maxC: 20 } }, headers: bearer(manager) })).status).toBe(422);
    expect((await api('PATCH', path, { body: { name: 'x' }, headers: bearer(staff) })).status).toBe(403);
    expect((await api('PATCH', path, { body: {}, headers: bearer(manager) })).status).toBe(400);
  });

  it('the device list shows live status; another site’s staff cannot see it', async () => {
    const list = await api('GET', `/sites/${siteId}/devices`, { headers: bearer(staff) });
    expect(list.json.devices).toEqual([expect.objectContaining({ deviceId, status: 'ok', lastReading: expect.objectContaining({ temperatureC: 2.5 }) })]);
    const outsider = await createUser('staff', [await createSite()]);
    expect((await api('GET', `/sites/${siteId}/devices`, { headers: bearer(outsider) })).status).toBe(403);
    expect((await api('GET', `/sites/${siteId}/devices/nope`, { headers: bearer(staff) })).status).toBe(404);
  });

  it('decommissioning revokes the certificate and removes the thing; the record stays and the id is never reused', async () => {
    const path = `/sites/${siteId}/devices/${deviceId}`;
    expect((await api('DELETE', path, { headers: bearer(staff) })).status).toBe(403);
    const res = await api('DELETE', path, { headers: bearer(manager) });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ lifecycle: 'decommissioned', status: 'decommissioned', decommissionedAt: expect.any(String) });
    const described = await iot.send(new DescribeCertificateCommand({ certificateId: registered.credentials.certificateId }));
    expect(described.certificateDescription!.status).toBe('REVOKED');
    await expect(iot.send(new DescribeThingCommand({ thingName: deviceId }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect((await api('DELETE', path, { headers: bearer(manager) })).json.lifecycle).toBe('decommissioned'); // repeatable

    const again = await api('POST', `/sites/${siteId}/devices`, { body: { deviceId, type: 'fridge', name: 'Again' }, headers: bearer(manager) });
    expect(again.status).toBe(409);
  });

  itLocal('telemetry from a decommissioned device is refused and kept as a reject', 'locally the revoked device can still reach the broker; on AWS its certificate no longer connects', async () => {
    const client = await connectDevice(registered);
    await client.publishAsync(registered.connection.telemetryTopic, JSON.stringify({ temperatureC: 2 }), { qos: 1 });
    await client.endAsync();
    const reject = await eventually(async () => {
      const res = await api('GET', `/sites/${siteId}/telemetry-rejects`, { headers: bearer(manager) });
      return res.json.rejects.find((r: { deviceId: string; kind: string }) => r.deviceId === deviceId && r.kind === 'decommissioned-device');
    }, 10_000, 'decommissioned-device reject');
    expect(reject.reason).toBe(`device ${deviceId} was decommissioned`);
  });
});
