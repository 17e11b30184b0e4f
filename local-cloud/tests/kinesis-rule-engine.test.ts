// The topic rule's Kinesis action: the SELECT output's JSON put in the stream under the partition key its
// substitution template gives (topic levels, client id, a new uuid); a put that fails (no such stream, an invalid
// key) goes to the error action naming the KinesisAction and the stream, as on AWS.
import { startRuleEngine, substitute, type RuleEngine } from '../iot/rule-engine';
import { createKinesisEmulator } from '../kinesis';
import type { RuleAction } from '../service-definition';
import { fakeBroker } from './support/fake-broker';

const TOPIC = 'brigade/demo-bistro/devices/walkin-1/telemetry';

describe('the Kinesis rule action', () => {
  const kinesis = createKinesisEmulator();
  const shard = kinesis.createStream({ name: 'telemetry', shardCount: 1 }).shards[0]!;
  // A reader that never checkpoints: the shard keeps every record for the test to read.
  shard.addReader(() => 0);
  const errors: any[] = [];
  const { broker, send } = fakeBroker();
  let engine: RuleEngine;

  const rule = (name: string, action: RuleAction) => ({
    name,
    sql: `SELECT *, topic(4) AS deviceId FROM 'brigade/+/devices/+/${name}'`,
    sqlVersion: '2016-03-23',
    disabled: false,
    actions: [action],
    errorAction: { lambda: { functionName: 'record-rule-error' } },
  });

  beforeAll(async () => {
    engine = await startRuleEngine({
      rules: [
        rule('telemetry', { kinesis: { streamName: 'telemetry', partitionKey: '${topic(2)}/${topic(4)}' } }),
        rule('missing', { kinesis: { streamName: 'no-such-stream', partitionKey: '${topic(4)}' } }),
        rule('beyond', { kinesis: { streamName: 'telemetry', partitionKey: '${topic(9)}' } }),
      ],
      broker,
      kinesis,
      invokeLambda: async (_fn, event) => {
        errors.push(event);
        return { ok: true, payload: null };
      },
      log: () => undefined,
    });
  });
  afterAll(() => engine.stop());

  it('puts the SELECT output under the substituted partition key', async () => {
    send(TOPIC, JSON.stringify({ temperatureC: 3.5 }));
    await engine.idle();
    const record = shard.at(shard.end - 1)!;
    expect(record.partitionKey).toBe('demo-bistro/walkin-1');
    expect(JSON.parse(record.data.toString())).toEqual({ temperatureC: 3.5, deviceId: 'walkin-1' });
    expect(errors).toEqual([]);
    expect(engine.stats().telemetry).toMatchObject({ matched: 1, succeeded: 1, failed: 0 });
  });

  it('a put that fails goes to the error action, naming the KinesisAction and the stream', async () => {
    send('brigade/demo-bistro/devices/walkin-1/missing', '{}');
    send('brigade/demo-bistro/devices/walkin-1/beyond', '{}');
    await engine.idle();
    expect(errors.map((e) => e.failures)).toEqual([
      [{ failedAction: 'KinesisAction', failedResource: 'no-such-stream', errorMessage: 'Stream no-such-stream under account 000000000000 not found.' }],
      [{ failedAction: 'KinesisAction', failedResource: 'telemetry', errorMessage: expect.stringMatching(/partitionKey.*greater than or equal to 1/) }],
    ]);
    expect(errors[0]).toMatchObject({ ruleName: 'missing', clientId: 'walkin-1', base64OriginalPayload: Buffer.from('{}').toString('base64') });
  });

  it('substitutes topic(), topic(N), clientid() and newuuid(); a template it cannot substitute stops the start', async () => {
    expect(substitute('${topic()}|${topic(1)}|${ topic( 5 ) }|${topic(6)}|${clientid()}', TOPIC, 'walkin-1')).toBe(`${TOPIC}|brigade|telemetry||walkin-1`);
    expect(substitute('${clientid()}', TOPIC, undefined)).toBe('n/a');
    expect(substitute('${newuuid()}', TOPIC, undefined)).toMatch(/^[0-9a-f-]{36}$/);
    await expect(
      startRuleEngine({
        rules: [rule('t', { kinesis: { streamName: 'telemetry', partitionKey: '${timestamp()}' } })],
        broker,
        kinesis,
        invokeLambda: async () => ({ ok: true, payload: null }),
        log: () => undefined,
      }),
    ).rejects.toThrow('rule "t": substitution template ${timestamp()} is not supported by the local cloud');
  });
});
