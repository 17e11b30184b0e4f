// Device control through the IoT data plane: commands become the shadow's desired state; a simulated unit gets
// the delta over MQTT, applies it and reports it back; every command is audited.
import { GetThingShadowCommand, PublishCommand } from '@aws-sdk/client-iot-data-plane';
import type { MqttClient } from 'mqtt';
import { SimulatedDevice } from '../../dev/simulator/simulated-device';
import { api, describeNeeding, eventually, iotData } from './support/target';
import { bearer, createSite, createUser, type TestUser } from './support/identity';
import { connectDevice, registerDevice, type RegisteredDevice } from './support/iot';

function nextMessage(client: MqttClient, topic: string, timeoutMs = 10_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message on ${topic}`)), timeoutMs);
    const onMessage = (received: string, payload: Buffer) => {
      if (received !== topic) return;
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve(JSON.parse(payload.toString()));
    };
    client.on('message', onMessage);
  });
}

describeNeeding('iot', 'iotData')('device control: shadow desired state, the device reports back, audited', () => {
  let siteId: string;
  let manager: TestUser;
  let staff: TestUser;
  let registered: RegisteredDevice;
  let unit: SimulatedDevice;
  let deviceId: string;

  beforeAll(async () => {
    siteId = await createSite();
    [manager, staff] = await Promise.all([createUser('manager', [siteId]), createUser('staff', [siteId])]);
    registered = await registerDevice(siteId, manager, { deviceId: `freezer-${Date.now().toString(36)}`, type: 'freezer', name: 'Walk-in freezer' });
    deviceId = registered.device.deviceId;
    unit = new SimulatedDevice(deviceId, siteId, 'freezer', Date.now(), 3);
    await unit.connect(process.env.BRIGADE_MQTT_URL!);
  });
  afterAll(async () => {
    await unit.stop();
  });

  const path = () => `/sites/${siteId}/devices/${deviceId}`;

  it('Publish through the SDK reaches an MQTT subscriber (the device’s commands topic)', async () => {
    const client = await connectDevice(registered);
    const topic = `brigade/${siteId}/devices/${deviceId}/commands`;
    await client.subscribeAsync(topic, { qos: 1 });
    const received = nextMessage(client, topic);
    await iotData.send(new PublishCommand({ topic, qos: 1, payload: Buffer.from(JSON.stringify({ ping: 1 })) }));
    expect(await received).toEqual({ ping: 1 });
    await client.endAsync();
  });

  it('a setpoint outside the unit’s bounds → 422, audited, and the shadow is not touched', async () => {
    const res = await api('POST', `${path()}/commands`, { body: { setpointC: -5 }, headers: bearer(manager) });
    expect(res.status).toBe(422);
    expect(res.json.error.details.problems).toEqual(['setpointC of a freezer must be between -30 and -18 °C']);
    expect((await api('POST', `${path()}/commands`, { body: { mode: 'turbo' }, headers: bearer(manager) })).status).toBe(422);
    expect((await api('POST', `${path()}/commands`, { body: { setpointC: 'cold' }, headers: bearer(manager) })).status).toBe(400);
    expect((await api('POST', `${path()}/commands`, { body: { setpointC: -20 }, headers: bearer(staff) })).status).toBe(403);
    await expect(iotData.send(new GetThingShadowCommand({ thingName: deviceId }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const audit = await api('GET', `${path()}/commands`, { headers: bearer(staff) });
    expect(audit.json.commands).toEqual([
      expect.objectContaining({ result: 'rejected', request: { mode: 'turbo' }, by: manager.userId, role: 'manager' }),
      expect.objectContaining({ result: 'rejected', request: { setpointC: -5 }, reason: 'setpointC of a freezer must be between -30 and -18 °C' }),
    ]);
  });

  it('a valid command sets the desired state; the simulated unit applies it, reports it, and the delta clears', async () => {
    const res = await api('POST', `${path()}/commands`, { body: { setpointC: -22, mode: 'defrost' }, headers: bearer(manager) });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ desired: { setpointC: -22, mode: 'defrost' }, shadowVersion: expect.any(Number) });

    const view = await eventually(async () => {
      const v = (await api('GET', path(), { headers: bearer(staff) })).json;
      return v.shadow?.reported?.setpointC === -22 ? v : undefined;
    }, 10_000, 'the device reporting the new setpoint');
    expect(view.shadow).toEqual({ desired: { setpointC: -22, mode: 'defrost' }, reported: { setpointC: -22, mode: 'defrost' }, version: expect.any(Number) });
    expect(unit.model.control).toEqual({ setpointC: -22, mode: 'defrost' });
    expect(unit.counters.shadowReports).toBe(1);

    const shadow = JSON.parse(Buffer.from((await iotData.send(new GetThingShadowCommand({ thingName: deviceId }))).payload!).toString());
    expect(shadow.state.delta).toBeUndefined();
    expect(view.recentCommands[0]).toMatchObject({ result: 'accepted', request: { setpointC: -22, mode: 'defrost' }, by: manager.userId, shadowVersion: res.json.shadowVersion });
  });

  it('a unit that was offline gets the pending desired state when it connects', async () => {
    await unit.stop();
    await api('POST', `${path()}/commands`, { body: { setpointC: -19, mode: 'normal' }, headers: bearer(manager) });
    const pending = (await api('GET', path(), { headers: bearer(staff) })).json.shadow;
    expect(pending.delta).toEqual({ setpointC: -19, mode: 'normal' });
    unit = new SimulatedDevice(deviceId, siteId, 'freezer', Date.now(), 3);
    await unit.connect(process.env.BRIGADE_MQTT_URL!);
    const caughtUp = await eventually(async () => {
      const v = (await api('GET', path(), { headers: bearer(staff) })).json;
      return v.shadow.delta === undefined ? v.shadow : undefined;
    }, 10_000, 'the delta to clear');
    expect(caughtUp.reported).toEqual({ setpointC: -19, mode: 'normal' });
  });
});
