import { evaluatePolicies, wildcardMatches, type PolicyDocument } from '../iot-control/policy-evaluator';

const arn = (kind: string, name: string) => `arn:aws:iot:us-east-1:000000000000:${kind}/${name}`;
const policy: PolicyDocument = {
  Statement: [
    { Effect: 'Allow', Action: 'iot:Connect', Resource: arn('client', '${iot:Connection.Thing.ThingName}'), Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } },
    { Effect: 'Allow', Action: 'iot:Publish', Resource: [arn('topic', 'brigade/${iot:Connection.Thing.Attributes[siteId]}/devices/${iot:Connection.Thing.ThingName}/telemetry')] },
    { Effect: 'Allow', Action: ['iot:Subscribe'], Resource: arn('topicfilter', '$aws/things/${iot:Connection.Thing.ThingName}/shadow/update/*') },
  ],
};
const fridge = { clientId: 'fridge-1', thing: { thingName: 'fridge-1', attributes: { siteId: 'bistro' } } };

describe('IoT policy evaluation', () => {
  it('substitutes thing variables: a device reaches its own topics only', () => {
    expect(evaluatePolicies([policy], 'iot:Publish', arn('topic', 'brigade/bistro/devices/fridge-1/telemetry'), fridge)).toBe('allow');
    expect(evaluatePolicies([policy], 'iot:Publish', arn('topic', 'brigade/bistro/devices/fridge-2/telemetry'), fridge)).toBe('deny');
    expect(evaluatePolicies([policy], 'iot:Publish', arn('topic', 'brigade/other/devices/fridge-1/telemetry'), fridge)).toBe('deny');
    expect(evaluatePolicies([policy], 'iot:Subscribe', arn('topicfilter', '$aws/things/fridge-1/shadow/update/delta'), fridge)).toBe('allow');
    expect(evaluatePolicies([policy], 'iot:Subscribe', arn('topicfilter', '$aws/things/fridge-2/shadow/update/delta'), fridge)).toBe('deny');
  });

  it('an unresolvable variable (no such attribute, no thing) never matches; conditions are checked', () => {
    const noSite = { clientId: 'fridge-1', thing: { thingName: 'fridge-1', attributes: {} } };
    expect(evaluatePolicies([policy], 'iot:Publish', arn('topic', 'brigade//devices/fridge-1/telemetry'), noSite)).toBe('deny');
    expect(evaluatePolicies([policy], 'iot:Connect', arn('client', 'fridge-1'), fridge)).toBe('allow');
    expect(evaluatePolicies([policy], 'iot:Connect', arn('client', 'fridge-1'), { clientId: 'fridge-1' })).toBe('deny');
  });

  it('an explicit Deny wins; nothing allowed is denied', () => {
    const deny: PolicyDocument = { Statement: { Effect: 'Deny', Action: 'iot:*', Resource: arn('topic', 'brigade/*') } };
    expect(evaluatePolicies([policy, deny], 'iot:Publish', arn('topic', 'brigade/bistro/devices/fridge-1/telemetry'), fridge)).toBe('deny');
    expect(evaluatePolicies([], 'iot:Publish', arn('topic', 'x'), fridge)).toBe('deny');
  });

  it('wildcards: * any run, ? one character, MQTT wildcards literal', () => {
    expect(wildcardMatches('a/*/c', 'a/b/x/c')).toBe(true);
    expect(wildcardMatches('a/?/c', 'a/b/c')).toBe(true);
    expect(wildcardMatches('a/?/c', 'a/bb/c')).toBe(false);
    expect(wildcardMatches('a/+/c', 'a/b/c')).toBe(false);
    expect(wildcardMatches('a.b', 'axb')).toBe(false);
  });
});
