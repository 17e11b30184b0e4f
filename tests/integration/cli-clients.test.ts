// The unchanged AWS CLI and mosquitto clients work against the stack, as a developer would use them.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeWithCommands, isLocal, itLocal, stage, tableName, topicArn, uniqueId } from './support/target';

const run = promisify(execFile);

const mqtt = new URL(process.env.BRIGADE_MQTT_URL ?? 'mqtt://127.0.0.1:1883');
const aws = (...args: string[]) =>
  run('aws', [...(isLocal ? ['--endpoint-url', process.env.AWS_ENDPOINT_URL!] : []), ...args], {
    env: { ...process.env, AWS_PAGER: '' },
  }).then(({ stdout }) => stdout);

describeWithCommands(['aws'])('AWS CLI', () => {
  const work = mkdtempSync(join(tmpdir(), 'brigade-cli-'));

  it('dynamodb describe-table', async () => {
    const out = JSON.parse(await aws('dynamodb', 'describe-table', '--table-name', tableName('orders')));
    expect(out.Table.TableStatus).toBe('ACTIVE');
  });

  it('sns publish with a message attribute', async () => {
    const out = JSON.parse(
      await aws('sns', 'publish', '--topic-arn', topicArn('alerts'), '--message', '{"hello":"cli"}',
        '--message-attributes', '{"type":{"DataType":"String","StringValue":"cli.test"}}'),
    );
    expect(out.MessageId).toEqual(expect.any(String));
  });

  it('iot-data update-thing-shadow and get-thing-shadow', async () => {
    const thing = uniqueId('cli-thing');
    const payload = join(work, 'shadow.json');
    writeFileSync(payload, JSON.stringify({ state: { desired: { setpointC: 4 } } }));
    await aws('iot-data', 'update-thing-shadow', '--thing-name', thing, '--payload', `fileb://${payload}`, join(work, 'update.json'));
    await aws('iot-data', 'get-thing-shadow', '--thing-name', thing, join(work, 'get.json'));
    const shadow = JSON.parse(readFileSync(join(work, 'get.json'), 'utf8'));
    expect(shadow.state.desired).toEqual({ setpointC: 4 });
    expect(shadow.state.delta).toEqual({ setpointC: 4 });
    expect(shadow.version).toBe(1);
  });

  it('iot list-things shows a thing created through the control plane', async () => {
    const thing = uniqueId('cli-listed');
    await aws('iot', 'create-thing', '--thing-name', thing, '--attribute-payload', '{"attributes":{"siteId":"cli"}}');
    try {
      const out = JSON.parse(await aws('iot', 'list-things', '--attribute-name', 'siteId', '--attribute-value', 'cli'));
      expect(out.things).toContainEqual(expect.objectContaining({ thingName: thing, attributes: { siteId: 'cli' } }));
    } finally {
      await aws('iot', 'delete-thing', '--thing-name', thing);
    }
  });

  it('iot list-topic-rules shows the telemetry rule', async () => {
    const out = JSON.parse(await aws('iot', 'list-topic-rules'));
    const rule = (out.rules as Array<{ ruleName: string; createdAt: number | string }>).find((r) => r.ruleName === `brigade_${stage}_telemetry`);
    expect(rule).toEqual({
      ruleName: `brigade_${stage}_telemetry`,
      ruleArn: expect.stringMatching(new RegExp(`^arn:aws:iot:[a-z0-9-]+:\\d{12}:rule/brigade_${stage}_telemetry$`)),
      topicPattern: 'brigade/+/devices/+/telemetry',
      ruleDisabled: false,
      createdAt: expect.anything(),
    });
    // CLI v1 prints the wire's epoch seconds unless cli_timestamp_format=iso8601 is configured.
    const createdAt = typeof rule!.createdAt === 'number' ? rule!.createdAt * 1000 : Date.parse(rule!.createdAt);
    expect(createdAt).toBeGreaterThan(Date.UTC(2020, 0, 1));
  });

  it('iot list-policies shows the device policy', async () => {
    const out = JSON.parse(await aws('iot', 'list-policies'));
    expect(out.policies).toContainEqual({
      policyName: `brigade-${stage}-device`,
      policyArn: expect.stringMatching(new RegExp(`:policy/brigade-${stage}-device$`)),
    });
  });

  it('sts get-caller-identity', async () => {
    const out = JSON.parse(await aws('sts', 'get-caller-identity'));
    expect(out.Account).toMatch(isLocal ? /^000000000000$/ : /^\d{12}$/);
    expect(out.Arn).toMatch(/^arn:aws:(iam|sts)::\d{12}:/);
    expect(out.UserId).toEqual(expect.any(String));
  });

  itLocal('an sns action the emulator lacks is an InvalidAction error', 'AWS has CreateTopic', async () => {
    const failure = await aws('sns', 'create-topic', '--name', uniqueId('cli-topic')).then(
      () => undefined,
      (error: { stderr: string }) => error.stderr,
    );
    expect(failure).toMatch(/\(InvalidAction\) when calling the CreateTopic operation/);
    expect(failure).not.toMatch(/invalid XML/i);
  });
});

describeWithCommands(['aws', 'mosquitto_sub', 'mosquitto_pub'])('mosquitto clients', () => {
  it('mosquitto_sub receives what aws iot-data publish sends', async () => {
    const topic = `brigade/${uniqueId('site')}/devices/cli/commands`;
    const sub = run('mosquitto_sub', ['-h', mqtt.hostname, '-p', mqtt.port || '1883', '-t', topic, '-C', '1', '-W', '10', '-q', '1']);
    await new Promise((r) => setTimeout(r, 500)); // let the subscription land first
    const payload = join(mkdtempSync(join(tmpdir(), 'brigade-cli-')), 'payload.json');
    writeFileSync(payload, '{"setpointC":3}');
    await aws('iot-data', 'publish', '--topic', topic, '--qos', '1', '--payload', `fileb://${payload}`);
    expect(JSON.parse((await sub).stdout)).toEqual({ setpointC: 3 });
  });
});
