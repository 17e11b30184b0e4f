// ListThings, ListPolicies and ListTopicRules of the IoT control-plane emulator, through @aws-sdk/client-iot.
import {
  CreateThingCommand,
  InvalidRequestException,
  IoTClient,
  ListPoliciesCommand,
  ListThingsCommand,
  ListTopicRulesCommand,
} from '@aws-sdk/client-iot';
import { createIotControlPlane } from '../iot-control';
import type { LoadedTopicRule } from '../types';
import { rejectionOf, serveEmulator, type TestServer } from './support/emulator-server';

const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] });
const LOADED_AT = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

describe('IoT control-plane listings', () => {
  let server: TestServer;
  let iot: IoTClient;
  let topicRules: LoadedTopicRule[] = [];

  beforeAll(async () => {
    const control = createIotControlPlane({
      brokerAddress: '127.0.0.1:1883',
      edgeAddress: '127.0.0.1:4566',
      policies: [
        { name: 'b-policy', document: POLICY },
        { name: 'a-policy', document: POLICY },
      ],
      topicRules: () => topicRules,
    });
    server = await serveEmulator(() => control);
    iot = new IoTClient({ endpoint: server.baseUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await iot.send(new CreateThingCommand({ thingName: 'fridge-1', attributePayload: { attributes: { siteId: 's1' } } }));
    await iot.send(new CreateThingCommand({ thingName: 'fridge-2', attributePayload: { attributes: { siteId: 's2' } } }));
    await iot.send(new CreateThingCommand({ thingName: 'oven-1', attributePayload: { attributes: { siteId: 's10' } } }));
  });
  afterAll(async () => {
    iot.destroy();
    await server.close();
  });

  it('ListThings lists the registered things, filters by attribute and pages', async () => {
    const all = await iot.send(new ListThingsCommand({}));
    expect(all.things).toEqual([
      { thingName: 'fridge-1', thingArn: 'arn:aws:iot:us-east-1:000000000000:thing/fridge-1', attributes: { siteId: 's1' }, version: 1 },
      { thingName: 'fridge-2', thingArn: 'arn:aws:iot:us-east-1:000000000000:thing/fridge-2', attributes: { siteId: 's2' }, version: 1 },
      { thingName: 'oven-1', thingArn: 'arn:aws:iot:us-east-1:000000000000:thing/oven-1', attributes: { siteId: 's10' }, version: 1 },
    ]);
    expect(all.nextToken).toBeUndefined();

    const exact = await iot.send(new ListThingsCommand({ attributeName: 'siteId', attributeValue: 's1' }));
    expect(exact.things?.map((t) => t.thingName)).toEqual(['fridge-1']);
    const prefix = await iot.send(new ListThingsCommand({ attributeName: 'siteId', attributeValue: 's1', usePrefixAttributeValue: true }));
    expect(prefix.things?.map((t) => t.thingName)).toEqual(['fridge-1', 'oven-1']);

    const first = await iot.send(new ListThingsCommand({ maxResults: 2 }));
    expect(first.things?.map((t) => t.thingName)).toEqual(['fridge-1', 'fridge-2']);
    const second = await iot.send(new ListThingsCommand({ maxResults: 2, nextToken: first.nextToken }));
    expect(second.things?.map((t) => t.thingName)).toEqual(['oven-1']);
    expect(second.nextToken).toBeUndefined();
    expect(await rejectionOf(iot.send(new ListThingsCommand({ nextToken: 'garbage' })))).toBeInstanceOf(InvalidRequestException);
  });

  it('ListPolicies lists the stack policies in name order', async () => {
    const listed = await iot.send(new ListPoliciesCommand({}));
    expect(listed.policies).toEqual([
      { policyName: 'a-policy', policyArn: 'arn:aws:iot:us-east-1:000000000000:policy/a-policy' },
      { policyName: 'b-policy', policyArn: 'arn:aws:iot:us-east-1:000000000000:policy/b-policy' },
    ]);
    const descending = await iot.send(new ListPoliciesCommand({ ascendingOrder: false, pageSize: 1 }));
    expect(descending.policies?.map((p) => p.policyName)).toEqual(['b-policy']);
    expect(descending.nextMarker).toEqual(expect.any(String));
  });

  it('ListTopicRules lists what the rule engine loaded, in AWS shape, with the topic and ruleDisabled filters', async () => {
    expect((await iot.send(new ListTopicRulesCommand({}))).rules).toEqual([]);
    topicRules = [
      { ruleName: 'telemetry', topicPattern: 'brigade/+/devices/+/telemetry', ruleDisabled: false, createdAt: LOADED_AT },
      { ruleName: 'old_rule', topicPattern: 'legacy/#', ruleDisabled: true, createdAt: LOADED_AT },
    ];
    const listed = await iot.send(new ListTopicRulesCommand({}));
    expect(listed.rules).toEqual([
      {
        ruleName: 'telemetry',
        ruleArn: 'arn:aws:iot:us-east-1:000000000000:rule/telemetry',
        topicPattern: 'brigade/+/devices/+/telemetry',
        ruleDisabled: false,
        createdAt: new Date(LOADED_AT),
      },
      {
        ruleName: 'old_rule',
        ruleArn: 'arn:aws:iot:us-east-1:000000000000:rule/old_rule',
        topicPattern: 'legacy/#',
        ruleDisabled: true,
        createdAt: new Date(LOADED_AT),
      },
    ]);
    const enabled = await iot.send(new ListTopicRulesCommand({ ruleDisabled: false }));
    expect(enabled.rules?.map((r) => r.ruleName)).toEqual(['telemetry']);
    const byTopic = await iot.send(new ListTopicRulesCommand({ topic: 'legacy/#' }));
    expect(byTopic.rules?.map((r) => r.ruleName)).toEqual(['old_rule']);
  });
});
