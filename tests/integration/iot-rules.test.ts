import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { api, dynamo, eventually, itLocal, mqttClient, tableName, uniqueId } from './support/target';
import type { MqttClient } from 'mqtt';
import { bearer, createSite, createUser } from './support/identity';

describe('walking skeleton: MQTT → IoT topic rule → Lambda → DynamoDB', () => {
  const deviceId = uniqueId('fridge');
  let siteId: string;
  let topic: string;
  let device: MqttClient;
  let auth: Record<string, string>;

  beforeAll(async () => {
    siteId = await createSite();
    topic = `brigade/${siteId}/devices/${deviceId}/telemetry`;
    auth = bearer(await createUser('staff', [siteId]));
    device = await mqttClient(deviceId);
  });
  afterAll(async () => {
    await device.endAsync();
  });

  const readings = async () =>
    (await api('GET', `/demo/sites/${siteId}/devices/${deviceId}/readings?limit=100`, { headers: auth })).json.readings as Array<{ temperatureC: number; seq?: number }>;

  it('a reading published at QoS 1 is stored through the rule, with siteId/deviceId from the topic', async () => {
    await device.publishAsync(topic, JSON.stringify({ temperatureC: 3.5, seq: 1, t: Date.now() }), { qos: 1 });
    const stored = await eventually(async () => ((await readings()).length === 1 ? await readings() : undefined), 10_000, 'reading');
    expect(stored[0]).toMatchObject({ temperatureC: 3.5, seq: 1 });
  });

  it('a message that does not match the WHERE clause is not delivered', async () => {
    await device.publishAsync(topic, JSON.stringify({ doorOpen: true, seq: 2 }), { qos: 1 });
    await device.publishAsync(topic, JSON.stringify({ temperatureC: 4.0, seq: 3, t: Date.now() }), { qos: 1 });
    const stored = await eventually(async () => {
      const all = await readings();
      return all.some((r) => r.seq === 3) ? all : undefined;
    }, 10_000, 'sentinel reading');
    expect(stored.map((r) => r.seq).sort()).toEqual([1, 3]);
  });

  const ruleErrors = async () => {
    const { Items = [] } = await dynamo.send(
      new QueryCommand({
        TableName: tableName('demo'),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'RULE-ERROR' },
      }),
    );
    return Items.filter((item) => item.topic === topic);
  };

  it('a non-JSON payload goes to the error action with its original bytes', async () => {
    await device.publishAsync(topic, 'temp=3.5;oops', { qos: 1 });
    const [kept] = await eventually(async () => ((await ruleErrors()).length > 0 ? await ruleErrors() : undefined), 10_000, 'rule error');
    expect(Buffer.from(kept!.base64OriginalPayload, 'base64').toString()).toBe('temp=3.5;oops');
    expect(kept!.ruleName).toBe(`brigade_${process.env.BRIGADE_STAGE}_demo_telemetry`);
    expect(kept!.clientId).toBe(deviceId);
  });

  itLocal(
    'a failing Lambda action goes to the error action',
    'AWS invokes rule Lambda actions asynchronously, so function errors reach the function DLQ instead',
    async () => {
      const before = (await ruleErrors()).length;
      await device.publishAsync(topic, JSON.stringify({ temperatureC: 'warm', seq: 4 }), { qos: 1 });
      const errors = await eventually(async () => {
        const all = await ruleErrors();
        return all.length > before ? all : undefined;
      }, 10_000, 'rule error');
      const failure = errors.find((e) => Buffer.from(e.base64OriginalPayload, 'base64').toString().includes('warm'));
      expect(failure!.failures[0]).toMatchObject({ failedAction: 'LambdaAction', errorMessage: expect.stringContaining('temperatureC') });
    },
  );
});
