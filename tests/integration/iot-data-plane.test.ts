import { GetThingShadowCommand, PublishCommand } from '@aws-sdk/client-iot-data-plane';
import type { MqttClient } from 'mqtt';
import { api, iotData, mqttClient, uniqueId } from './support/target';
import { bearer, createSite, createUser } from './support/identity';

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

describe('walking skeleton: handlers call the IoT data plane', () => {
  const deviceId = uniqueId('freezer');
  let siteId: string;
  let device: MqttClient;
  let auth: Record<string, string>;

  beforeAll(async () => {
    siteId = await createSite();
    auth = bearer(await createUser('manager', [siteId]));
    device = await mqttClient(deviceId);
    await device.subscribeAsync([
      `brigade/${siteId}/devices/${deviceId}/commands`,
      `$aws/things/${deviceId}/shadow/update/delta`,
      `$aws/things/${deviceId}/shadow/update/accepted`,
    ], { qos: 1 });
  });
  afterAll(async () => {
    await device.endAsync();
  });

  it('Publish through the SDK reaches an MQTT subscriber', async () => {
    const topic = `brigade/${siteId}/devices/${deviceId}/commands`;
    const received = nextMessage(device, topic);
    await iotData.send(new PublishCommand({ topic, qos: 1, payload: Buffer.from(JSON.stringify({ ping: 1 })) }));
    expect(await received).toEqual({ ping: 1 });
  });

  it('a command sets the shadow desired state; the device gets the delta and the command', async () => {
    const delta = nextMessage(device, `$aws/things/${deviceId}/shadow/update/delta`);
    const command = nextMessage(device, `brigade/${siteId}/devices/${deviceId}/commands`);
    const res = await api('POST', `/demo/sites/${siteId}/devices/${deviceId}/commands`, { body: { setpointC: -20, mode: 'defrost' }, headers: auth });
    expect(res.status).toBe(202);
    expect(await delta).toMatchObject({ state: { setpointC: -20, mode: 'defrost' }, version: res.json.shadowVersion });
    expect(await command).toMatchObject({ setpointC: -20, mode: 'defrost', shadowVersion: res.json.shadowVersion });
  });

  it('the device reports over MQTT and the delta clears', async () => {
    const accepted = nextMessage(device, `$aws/things/${deviceId}/shadow/update/accepted`);
    await device.publishAsync(
      `$aws/things/${deviceId}/shadow/update`,
      JSON.stringify({ state: { reported: { setpointC: -20, mode: 'defrost' } } }),
      { qos: 1 },
    );
    await accepted;
    const shadow = await iotData.send(new GetThingShadowCommand({ thingName: deviceId }));
    const document = JSON.parse(Buffer.from(shadow.payload!).toString());
    expect(document.state.reported).toEqual({ setpointC: -20, mode: 'defrost' });
    expect(document.state.delta).toBeUndefined();
  });

  it('an out-of-bounds command → 400 and no shadow change', async () => {
    const res = await api('POST', `/demo/sites/${siteId}/devices/${deviceId}/commands`, { body: { setpointC: 500 }, headers: auth });
    expect(res.status).toBe(400);
  });
});
