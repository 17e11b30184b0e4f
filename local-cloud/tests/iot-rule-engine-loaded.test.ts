// What the rule engine reports as loaded (ListTopicRules' source): every rule, disabled ones too, with its FROM filter.
import { startRuleEngine } from '../iot/rule-engine';
import type { LocalBroker } from '../types';

describe('rule engine loaded rules', () => {
  it('lists enabled and disabled rules with their topic filter and load time', async () => {
    const subscribed: string[] = [];
    const broker: LocalBroker = {
      publish: async () => undefined,
      subscribe: async (filter) => {
        subscribed.push(filter);
        return () => undefined;
      },
    };
    const before = Date.now();
    const engine = await startRuleEngine({
      rules: [
        { name: 'telemetry', sql: "SELECT * FROM 'brigade/+/devices/+/telemetry'", disabled: false, actions: [] },
        { name: 'retired', sql: "select * from 'legacy/#' where x > 1", disabled: true, actions: [] },
      ],
      broker,
      invokeLambda: async () => ({ ok: true, payload: null }),
      log: () => undefined,
    });
    const loaded = engine.loaded();
    expect(loaded).toEqual([
      { ruleName: 'telemetry', topicPattern: 'brigade/+/devices/+/telemetry', ruleDisabled: false, createdAt: expect.any(Number) },
      { ruleName: 'retired', topicPattern: 'legacy/#', ruleDisabled: true, createdAt: expect.any(Number) },
    ]);
    expect(loaded[0]!.createdAt).toBeGreaterThanOrEqual(before);
    expect(subscribed).toEqual(['brigade/+/devices/+/telemetry']);
    await engine.stop();
  });
});
