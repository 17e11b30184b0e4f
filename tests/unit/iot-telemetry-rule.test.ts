// The telemetry topic rule exactly as functions/iot/resources.yml declares it, run by the local rule engine with a fake
// broker and Lambda: what reaches ingest, and what reaches the error action in AWS's error-message shape.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startRuleEngine } from '../../local-cloud/iot/rule-engine';
import type { LocalBroker, MessageMeta } from '../../local-cloud/types';

const resources = parse(readFileSync(join(__dirname, '../../functions/iot/resources.yml'), 'utf8')).Resources;
const payload = resources.TelemetryRule.Properties.TopicRulePayload;

function fakeBroker() {
  const subscribers: Array<(topic: string, payload: Buffer, meta: MessageMeta) => void> = [];
  const broker: LocalBroker = {
    publish: async () => undefined,
    subscribe: async (_filter, onMessage) => {
      subscribers.push(onMessage);
      return () => undefined;
    },
  };
  const send = (topic: string, body: string) => subscribers.forEach((s) => s(topic, Buffer.from(body), { qos: 1, retain: false, clientId: 'walkin-1' }));
  return { broker, send };
}

describe('the telemetry topic rule', () => {
  const invocations: Array<{ fn: string; event: any }> = [];
  let failIngest = false;
  const { broker, send } = fakeBroker();
  let engine: Awaited<ReturnType<typeof startRuleEngine>>;

  beforeAll(async () => {
    engine = await startRuleEngine({
      rules: [
        {
          name: 'telemetry',
          sql: payload.Sql,
          sqlVersion: payload.AwsIotSqlVersion,
          disabled: false,
          actions: [{ lambda: { functionName: 'ingest' } }],
          errorAction: { lambda: { functionName: 'record-rule-error' } },
        },
      ],
      broker,
      invokeLambda: async (fn, event) => {
        invocations.push({ fn, event });
        return fn === 'ingest' && failIngest ? { ok: false, error: 'Error: DynamoDB unavailable' } : { ok: true, payload: null };
      },
      log: () => undefined,
    });
  });
  afterAll(() => engine.stop());
  beforeEach(() => {
    invocations.length = 0;
    failIngest = false;
  });

  const topic = 'brigade/demo-bistro/devices/walkin-1/telemetry';
  const run = async (body: string, on = topic) => {
    send(on, body);
    await engine.idle();
    return invocations;
  };

  it('uses SQL 2016-03-23 and has an error action', () => {
    expect(payload.AwsIotSqlVersion).toBe('2016-03-23');
    expect(payload.ErrorAction.Lambda.FunctionArn['Fn::GetAtt'][0]).toBe('RecordRuleErrorLambdaFunction');
  });

  it('hands ingest the reading with site, device, receive time and client id; the topic wins over the payload', async () => {
    const [call] = await run(JSON.stringify({ t: 1, temperatureC: 3.5, seq: 1, siteId: 'someone-else' }));
    expect(call).toEqual({
      fn: 'ingest',
      event: { t: 1, temperatureC: 3.5, seq: 1, siteId: 'demo-bistro', deviceId: 'walkin-1', receivedAt: expect.any(Number), clientId: 'walkin-1' },
    });
  });

  it('passes batches; a message with neither a reading nor a batch does not match the WHERE clause', async () => {
    expect((await run(JSON.stringify({ readings: [{ t: 1, temperatureC: 3 }] })))[0]!.event.readings).toHaveLength(1);
    invocations.length = 0;
    expect(await run(JSON.stringify({ doorOpen: true }))).toEqual([]);
    expect(await run(JSON.stringify({ temperatureC: 3 }), 'brigade/demo-bistro/devices/walkin-1/status')).toEqual([]);
  });

  it('a non-JSON payload goes to the error action with its original bytes', async () => {
    const [call] = await run('temp=3.5;oops');
    expect(call!.fn).toBe('record-rule-error');
    expect(call!.event).toMatchObject({ ruleName: 'telemetry', topic, clientId: 'walkin-1', failures: [{ failedAction: 'RuleEvaluation' }] });
    expect(Buffer.from(call!.event.base64OriginalPayload, 'base64').toString()).toBe('temp=3.5;oops');
  });

  it('a failing ingest goes to the error action, naming the failed Lambda action', async () => {
    failIngest = true;
    const calls = await run(JSON.stringify({ temperatureC: 3 }));
    expect(calls.map((c) => c.fn)).toEqual(['ingest', 'record-rule-error']);
    expect(calls[1]!.event.failures).toEqual([{ failedAction: 'LambdaAction', failedResource: expect.stringContaining(':function:ingest'), errorMessage: 'Error: DynamoDB unavailable' }]);
  });
});
