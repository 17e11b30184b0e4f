// The alerts contract: a subscriber (an HTTP endpoint served by this test, subscribed to the real alerts topic with
// a filter policy on the site) receives every alert type of the catalog, once per fact, each matching its contract
// (functions/shared/contracts/iot.ts) and with the message attributes filter policies read, `severity` included.
// A fridge over MQTT replays an excursion on device time (started, ended), then falls silent (the watch, invoked
// through the local Lambda endpoint, reports it offline) and reports again (online).
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { MqttClient } from 'mqtt';
import { envelopeSchemaOf, type EventType } from '../../functions/shared/contracts/index';
import { iotContract } from '../../functions/shared/contracts/iot';
import { describeLocal, eventually, stage } from './support/target';
import { createSite, createUser } from './support/identity';
import { subscribeHttp, type HttpSubscriber } from './support/sns-subscriber';
import { connectDevice, registerDevice, sleep } from './support/iot';

const MIN = 60_000;
const ALERT_TYPES = Object.keys(iotContract.events) as Array<keyof typeof iotContract.events>;

interface Received {
  envelope: { id: string; type: EventType; source: string; siteId: string; data: Record<string, any> };
  attributes: Record<string, string>;
}

describeLocal('alerts (local: the test serves the HTTP endpoint the topic delivers to)', () => {
  const received: Received[] = [];
  let subscriber: HttpSubscriber | undefined;
  let client: MqttClient | undefined;
  let siteId: string;
  const lambda = new LambdaClient({
    endpoint: `http://127.0.0.1:${process.env.BRIGADE_LAMBDA_PORT ?? '3002'}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

  beforeAll(async () => {
    siteId = await createSite();
    subscriber = await subscribeHttp('alerts', { siteId: [siteId] }, (envelope, attributes) => received.push({ envelope, attributes }));
  }, 60_000);

  afterAll(async () => {
    await client?.endAsync();
    await subscriber?.close();
    lambda.destroy();
  });

  const ofType = (type: string) => received.filter((r) => r.envelope.type === type);
  const waitFor = (type: string) => eventually(async () => ofType(type)[0], 15_000, `${type} alert`);

  it('every alert type is published once per fact, with its contract and its attributes', async () => {
    const manager = await createUser('manager', [siteId]);
    const registered = await registerDevice(siteId, manager, {
      deviceId: `contract-${Math.random().toString(36).slice(2, 10)}`,
      type: 'fridge',
      name: 'Contract fridge',
      location: 'Pastry section',
      gracePeriodMinutes: 1,
      reportingIntervalSeconds: 5, // the shortest: silent after three intervals, 15 s
    });
    client = await connectDevice(registered);
    const topic = registered.connection.telemetryTopic;

    // Device time: in range, 12 °C for two minutes (an excursion once it outlasts the 1-minute grace), back in range.
    const start = Date.now() - 10 * MIN;
    const readings = [3, 12, 12, 12, 3].map((temperatureC, minute) => ({ t: start + minute * MIN, temperatureC, seq: minute }));
    await client.publishAsync(topic, JSON.stringify({ readings }), { qos: 1 });
    const started = await waitFor('iot.excursion-started');
    const ended = await waitFor('iot.excursion-ended');

    await sleep(15_500);
    // Run the watch now rather than wait for its minute. The scheduled run may get there first, so which run marks
    // the device offline is not asserted: that exactly one offline alert arrives is (below).
    await lambda.send(new InvokeCommand({ FunctionName: `brigade-${stage}-watchDevices`, Payload: Buffer.from('{}') }));
    const offline = await waitFor('iot.device-offline');
    await client.publishAsync(topic, JSON.stringify({ t: Date.now(), temperatureC: 3.5, seq: 5 }), { qos: 1 });
    const online = await waitFor('iot.device-online');
    await sleep(1_000); // anything published twice would have arrived by now

    expect(Object.fromEntries(ALERT_TYPES.map((type) => [type, ofType(type).length]))).toEqual(Object.fromEntries(ALERT_TYPES.map((type) => [type, 1])));
    for (const { envelope, attributes } of received) {
      const parsed = envelopeSchemaOf(envelope.type).safeParse(envelope);
      expect({ type: envelope.type, issues: parsed.error?.issues ?? [] }).toEqual({ type: envelope.type, issues: [] });
      expect(attributes).toEqual({ type: envelope.type, siteId, source: 'iot', severity: envelope.data.severity });
    }

    const device = { deviceId: registered.device.deviceId, deviceName: 'Contract fridge', deviceType: 'fridge', location: 'Pastry section' };
    expect(started.envelope.data).toMatchObject({
      ...device,
      severity: 'critical', // 7 °C beyond the limit
      startedAt: new Date(start + MIN).toISOString(),
      detectedAt: new Date(start + 2 * MIN).toISOString(),
      temperatureC: 12,
      peakC: 12,
      limits: { maxC: 5 },
      gracePeriodMinutes: 1,
    });
    expect(ended.envelope.data).toMatchObject({
      ...device,
      severity: 'info',
      incidentId: started.envelope.data.incidentId,
      endedAt: new Date(start + 4 * MIN).toISOString(),
      durationMinutes: 3,
      endedBy: 'reading',
      excursionSeverity: 'critical',
    });
    expect(offline.envelope.data).toMatchObject({ ...device, severity: 'warning', reportingIntervalSeconds: 5 });
    expect(online.envelope.data).toMatchObject({ ...device, severity: 'info', lastSeenAt: offline.envelope.data.lastSeenAt });
  }, 90_000);
});
