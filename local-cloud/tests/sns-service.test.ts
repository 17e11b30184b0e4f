// The SNS emulator, driven by the real @aws-sdk/client-sns; topics come from the service definition (createTopic).
import type { IncomingMessage } from 'node:http';
import {
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  ListTopicsCommand,
  PublishBatchCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { serveEmulator, serveHttp, type TestServer } from './support/emulator-server';
import { createSnsEmulator, type SnsEmulator, type SnsLambdaEvent } from '../sns';
import type { InvokeResult } from '../types';

const RETRY = { attempts: 3, baseDelayMs: 5 };

interface Invocation {
  functionName: string;
  event: SnsLambdaEvent;
}

interface HttpDelivery {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let emulator: SnsEmulator;
let server: TestServer;
let endpointServer: TestServer;
let endpointUrl: string;
let sns: SNSClient;
let baseUrl: string;
let invocations: Invocation[];
let httpDeliveries: HttpDelivery[];
let logs: Array<{ msg: string; extra?: object }>;
const flakyCalls = new Map<string, number>();
let queued: Array<{ queueArn: string; body: string; attributes: object }>;
let releaseSlow: () => void = () => {};
let slowGate = Promise.resolve();

/** Function names steer the fake invoker: fail-*, throw-*, flaky-* (fails twice, then succeeds) and slow-* (waits for releaseSlow). */
async function fakeInvoke(functionName: string, event: unknown): Promise<InvokeResult> {
  invocations.push({ functionName, event: event as SnsLambdaEvent });
  if (functionName.startsWith('slow-')) await slowGate;
  if (functionName.startsWith('fail-')) return { ok: false, error: 'Unhandled: handler exploded' };
  if (functionName.startsWith('throw-')) throw new Error('connection refused');
  if (functionName.startsWith('flaky-')) {
    const calls = (flakyCalls.get(functionName) ?? 0) + 1;
    flakyCalls.set(functionName, calls);
    if (calls <= 2) return { ok: false, error: `flaky failure ${calls}` };
  }
  return { ok: true, payload: null };
}


beforeAll(async () => {
  emulator = createSnsEmulator({
    invokeLambda: fakeInvoke,
    // A queue named missing-* does not exist.
    queues: {
      send: (queueArn, body, attributes) => {
        if (queueArn.endsWith(':missing-q')) throw new Error(`no queue ${queueArn}`);
        queued.push({ queueArn, body, attributes });
      },
    },
    retry: RETRY,
    log: (msg, extra) => logs.push({ msg, extra }),
  });
  server = await serveEmulator(() => emulator);
  baseUrl = server.baseUrl;
  endpointServer = await serveHttp((req, body, res) => {
    httpDeliveries.push({ path: req.url ?? '', headers: req.headers, body: body.toString('utf8') });
    res.writeHead(req.url === '/fail' ? 500 : 200).end();
  });
  endpointUrl = endpointServer.baseUrl;
  sns = new SNSClient({
    endpoint: baseUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});

beforeEach(() => {
  invocations = [];
  httpDeliveries = [];
  queued = [];
  logs = [];
});

afterAll(async () => {
  await emulator.idle();
  sns.destroy();
  await server.close();
  await endpointServer.close();
});

/** Topics are created as the local cloud creates them, from the service definition: there is no CreateTopic API. */
async function createTopic(name: string): Promise<string> {
  return emulator.createTopic(name);
}

async function subscribeLambda(topicArn: string, functionName: string, attributes?: Record<string, string>): Promise<string> {
  const { SubscriptionArn } = await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'lambda',
      Endpoint: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
      Attributes: attributes,
      ReturnSubscriptionArn: true,
    }),
  );
  return SubscriptionArn!;
}

function stringAttribute(value: string) {
  return { DataType: 'String', StringValue: value };
}

/** The rejection of `promise`, so tests can assert on SDK exceptions. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (err) {
    return err as { name: string; message: string; $metadata: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail');
}

async function rawPost(body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(baseUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  return { status: response.status, text: await response.text() };
}

describe('topics', () => {
  it('creates topics idempotently and lists them', async () => {
    const arn = await createTopic('orders');
    expect(arn).toBe('arn:aws:sns:us-east-1:000000000000:orders');
    expect(await createTopic('orders')).toBe(arn);

    const { Topics } = await sns.send(new ListTopicsCommand({}));
    expect(Topics?.filter((t) => t.TopicArn === arn)).toHaveLength(1);
  });

  it('gets topic attributes, counting the confirmed subscriptions', async () => {
    const arn = await createTopic('attributes-topic');
    await subscribeLambda(arn, 'attributes-fn');
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
    expect(Attributes).toMatchObject({ TopicArn: arn, Owner: '000000000000', DisplayName: '', SubscriptionsConfirmed: '1' });
    expect(JSON.parse(Attributes!.Policy!)).toMatchObject({ Version: '2008-10-17' });
    const missing = await failure(sns.send(new GetTopicAttributesCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:nope' })));
    expect(missing).toMatchObject({ name: 'NotFoundException', $metadata: { httpStatusCode: 404 } });
  });

  it('pages ListTopics by 100 with NextToken', async () => {
    for (let i = 0; i < 105; i++) emulator.createTopic(`paged-${i}`);
    const first = await sns.send(new ListTopicsCommand({}));
    expect(first.Topics).toHaveLength(100);
    expect(first.NextToken).toBeDefined();
    const second = await sns.send(new ListTopicsCommand({ NextToken: first.NextToken }));
    expect(second.NextToken).toBeUndefined();
    const all = [...first.Topics!, ...second.Topics!].map((t) => t.TopicArn);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toContain('arn:aws:sns:us-east-1:000000000000:paged-104');
  });

  it('rejects invalid topic names and unsupported FIFO topics', () => {
    expect(() => emulator.createTopic('has spaces')).toThrow('Invalid parameter: Topic Name');
    expect(() => emulator.createTopic('orders.fifo')).toThrow('FIFO topics are not supported');
  });
});

describe('subscriptions', () => {
  it('subscribes, lists, reads attributes and unsubscribes', async () => {
    const arn = await createTopic('subs-topic');
    const policy = '{"type": ["order.placed"]}';
    const subArn = await subscribeLambda(arn, 'subs-fn', { FilterPolicy: policy });
    expect(subArn).toMatch(/^arn:aws:sns:us-east-1:000000000000:subs-topic:[0-9a-f-]{36}$/);

    const byTopic = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }));
    expect(byTopic.Subscriptions).toEqual([
      {
        SubscriptionArn: subArn,
        Owner: '000000000000',
        Protocol: 'lambda',
        Endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:subs-fn',
        TopicArn: arn,
      },
    ]);
    const all = await sns.send(new ListSubscriptionsCommand({}));
    expect(all.Subscriptions?.map((s) => s.SubscriptionArn)).toContain(subArn);

    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subArn }));
    expect(Attributes).toMatchObject({
      SubscriptionArn: subArn,
      TopicArn: arn,
      Protocol: 'lambda',
      FilterPolicy: policy,
      FilterPolicyScope: 'MessageAttributes',
      RawMessageDelivery: 'false',
      PendingConfirmation: 'false',
    });

    await sns.send(new UnsubscribeCommand({ SubscriptionArn: subArn }));
    const after = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }));
    expect(after.Subscriptions).toEqual([]);
  });

  it('returns the existing subscription for the same endpoint and updates its attributes', async () => {
    const arn = await createTopic('idempotent-subs');
    const first = await subscribeLambda(arn, 'same-fn', { FilterPolicy: '{"a":["1"]}' });
    const second = await subscribeLambda(arn, 'same-fn', { FilterPolicy: '{"a":["2"]}' });
    expect(second).toBe(first);
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: first }));
    expect(Attributes?.FilterPolicy).toBe('{"a":["2"]}');
    expect(emulator.subscribe(arn, 'lambda', 'arn:aws:lambda:us-east-1:000000000000:function:same-fn')).toBe(first);
  });

  it('validates filter policies, scopes and endpoints', async () => {
    const arn = await createTopic('validation-subs');
    const badJson = await failure(subscribeLambda(arn, 'v-fn', { FilterPolicy: '{"type": [' }));
    expect(badJson.name).toBe('InvalidParameterException');
    expect(badJson.message).toMatch(/^Invalid parameter: Attributes Reason: FilterPolicy: failed to parse JSON/);
    expect(badJson.$metadata.httpStatusCode).toBe(400);

    const nested = await failure(subscribeLambda(arn, 'v-fn', { FilterPolicy: '{"a": {"b": ["c"]}}' }));
    expect(nested.message).toContain('does not support nested filter policy');

    const notAnArray = await failure(subscribeLambda(arn, 'v-fn', { FilterPolicy: '{"a": "b"}' }));
    expect(notAnArray.message).toBe('Invalid parameter: Attributes Reason: FilterPolicy: "a" must be an object or an array');

    const badScope = await failure(subscribeLambda(arn, 'v-fn', { FilterPolicyScope: 'Body' }));
    expect(badScope.name).toBe('InvalidParameterException');

    const raw = await failure(subscribeLambda(arn, 'v-fn', { RawMessageDelivery: 'true' }));
    expect(raw.message).toContain('Delivery protocol [lambda] does not support raw message delivery');

    const unknown = await failure(subscribeLambda(arn, 'v-fn', { Colour: 'blue' }));
    expect(unknown.message).toBe('Invalid parameter: Attributes Reason: Unknown attribute Colour');
    // A rejected subscription leaves nothing behind.
    expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }))).Subscriptions).toEqual([]);

    const badSms = await failure(sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sms', Endpoint: '555-1234' })));
    expect(badSms.name).toBe('InvalidParameterException');
    const badQueue = await failure(sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: 'https://sqs.example/q' })));
    expect(badQueue.message).toContain('is not a valid sqs endpoint');
    const application = await failure(sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'application', Endpoint: 'arn:aws:sns:x' })));
    expect(application.message).toContain('application is not supported');
  });

  it('reports missing topics and subscriptions as 404 NotFound', async () => {
    const missingTopic = await failure(subscribeLambda('arn:aws:sns:us-east-1:000000000000:missing', 'fn'));
    expect(missingTopic).toMatchObject({ name: 'NotFoundException', message: 'Topic does not exist', $metadata: { httpStatusCode: 404 } });
    const missingSub = await failure(
      sns.send(new UnsubscribeCommand({ SubscriptionArn: 'arn:aws:sns:us-east-1:000000000000:orders:nope' })),
    );
    expect(missingSub).toMatchObject({ name: 'NotFoundException', message: 'Subscription does not exist' });
  });
});

describe('publish and lambda delivery', () => {
  it('delivers matching messages to the subscribed function in the SNS event shape', async () => {
    const arn = await createTopic('lambda-topic');
    const subArn = await subscribeLambda(arn, 'order-notifier', {
      FilterPolicy: JSON.stringify({ type: ['order.placed'], total: [{ numeric: ['>', 0] }] }),
    });

    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: arn,
        Message: '{"orderId":"o-1"}',
        Subject: 'New order',
        MessageAttributes: {
          type: { DataType: 'String', StringValue: 'order.placed' },
          total: { DataType: 'Number', StringValue: '12.5' },
          tags: { DataType: 'String.Array', StringValue: '["rush"]' },
          blob: { DataType: 'Binary', BinaryValue: Buffer.from('hi') },
        },
      }),
    );
    await sns.send(
      new PublishCommand({ TopicArn: arn, Message: 'ignored', MessageAttributes: { type: stringAttribute('order.cancelled') } }),
    );
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'no attributes' }));
    await emulator.idle();

    expect(invocations).toHaveLength(1);
    const [invocation] = invocations;
    expect(invocation?.functionName).toBe('order-notifier');
    const record = invocation?.event.Records[0];
    expect(record).toMatchObject({ EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: subArn });
    expect(record?.Sns).toMatchObject({
      Type: 'Notification',
      MessageId,
      TopicArn: arn,
      Subject: 'New order',
      Message: '{"orderId":"o-1"}',
      SignatureVersion: '1',
      MessageAttributes: {
        type: { Type: 'String', Value: 'order.placed' },
        total: { Type: 'Number', Value: '12.5' },
        tags: { Type: 'String.Array', Value: '["rush"]' },
        blob: { Type: 'Binary', Value: Buffer.from('hi').toString('base64') },
      },
    });
    expect(new Date(record!.Sns.Timestamp).toISOString()).toBe(record!.Sns.Timestamp);
    expect(record?.Sns.UnsubscribeUrl).toContain(`${baseUrl}/?Action=Unsubscribe&SubscriptionArn=`);
    expect(record?.Sns.SigningCertUrl).toMatch(/^https:\/\//);
  });

  it('answers Publish without waiting for subscribers, and idle() waits for them', async () => {
    const arn = await createTopic('async-topic');
    await subscribeLambda(arn, 'slow-fn');
    slowGate = new Promise((resolve) => (releaseSlow = resolve));
    await expect(sns.send(new PublishCommand({ TopicArn: arn, Message: 'later' }))).resolves.toHaveProperty('MessageId');

    let idle = false;
    const waiting = emulator.idle().then(() => (idle = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(idle).toBe(false);
    releaseSlow();
    await waiting;
    expect(invocations).toHaveLength(1);
  });

  it('fans out to every subscription and uses plain function names as is', async () => {
    const arn = await createTopic('fanout-topic');
    await subscribeLambda(arn, 'fan-a');
    emulator.subscribe(arn, 'lambda', 'fan-b');
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'hello' }));
    await emulator.idle();
    expect(invocations.map((i) => i.functionName).sort()).toEqual(['fan-a', 'fan-b']);
  });

  it('filters on the message body with FilterPolicyScope=MessageBody', async () => {
    const arn = await createTopic('body-topic');
    const policy = { order: { status: ['ready'], restaurant: { id: [{ prefix: 'r-' }] } } };
    await subscribeLambda(arn, 'body-fn', { FilterPolicyScope: 'MessageBody', FilterPolicy: JSON.stringify(policy) });
    for (const status of ['ready', 'cooking']) {
      await sns.send(new PublishCommand({ TopicArn: arn, Message: JSON.stringify({ order: { status, restaurant: { id: 'r-7' } } }) }));
    }
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'not json' }));
    await emulator.idle();
    expect(invocations).toHaveLength(1);
    expect(JSON.parse(invocations[0]!.event.Records[0]!.Sns.Message)).toMatchObject({ order: { status: 'ready' } });
  });

  it('stops filtering when subscribing again clears the filter policy', async () => {
    const arn = await createTopic('clear-policy-topic');
    const subArn = await subscribeLambda(arn, 'clear-fn', { FilterPolicy: '{"type":["x"]}' });
    expect(await subscribeLambda(arn, 'clear-fn', { FilterPolicy: '' })).toBe(subArn);
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'anything' }));
    await emulator.idle();
    expect(invocations).toHaveLength(1);
  });

  it('honours MessageStructure=json per protocol with a default', async () => {
    const arn = await createTopic('structured-topic');
    await subscribeLambda(arn, 'structured-fn');
    emulator.subscribe(arn, 'sms', '+15550001111');
    await sns.send(
      new PublishCommand({
        TopicArn: arn,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'default text', sms: 'short text' }),
      }),
    );
    await emulator.idle();
    expect(invocations[0]?.event.Records[0]?.Sns.Message).toBe('default text');
    expect(emulator.smsMessages().find((m) => m.PhoneNumber === '+15550001111')?.Message).toBe('short text');

    const noDefault = await failure(sns.send(new PublishCommand({ TopicArn: arn, MessageStructure: 'json', Message: '{"sms":"x"}' })));
    expect(noDefault.message).toBe('Invalid parameter: Message Structure - No default entry in JSON message body');
  });

  it('accepts TargetArn as a topic ARN', async () => {
    const arn = await createTopic('target-topic');
    await subscribeLambda(arn, 'target-fn');
    await sns.send(new PublishCommand({ TargetArn: arn, Message: 'via target' }));
    await emulator.idle();
    expect(invocations).toHaveLength(1);
  });
});

describe('PublishBatch', () => {
  it('publishes each entry as a Publish of its own, filter policies and attributes per entry; an entry that fails its checks is Failed and the others go out', async () => {
    const arn = await createTopic('batch-topic');
    await subscribeLambda(arn, 'batch-placed', { FilterPolicy: JSON.stringify({ type: ['order.placed'] }) });
    const result = await sns.send(
      new PublishBatchCommand({
        TopicArn: arn,
        PublishBatchRequestEntries: [
          { Id: 'e0', Message: '{"n":0}', MessageAttributes: { type: stringAttribute('order.placed') } },
          { Id: 'e1', Message: '{"n":1}', MessageAttributes: { type: stringAttribute('order.paid') } },
          { Id: 'e2', Message: '{"n":2}', MessageAttributes: { n: { DataType: 'Number', StringValue: 'abc' } } },
          { Id: 'e3', Message: '{"n":3}', Subject: 'Third', MessageAttributes: { type: stringAttribute('order.placed') } },
        ],
      }),
    );
    await emulator.idle();
    expect(result.Successful?.map((s) => s.Id)).toEqual(['e0', 'e1', 'e3']);
    expect(new Set(result.Successful?.map((s) => s.MessageId)).size).toBe(3);
    expect(result.Failed).toEqual([{ Id: 'e2', Code: 'ParameterValueInvalid', Message: "Could not cast message attribute 'n' value to number.", SenderFault: true }]);
    expect(invocations.map((i) => [i.event.Records[0]!.Sns.Message, i.event.Records[0]!.Sns.Subject])).toEqual([
      ['{"n":0}', null],
      ['{"n":3}', 'Third'],
    ]);
    expect(invocations[1]!.event.Records[0]!.Sns.MessageId).toBe(result.Successful![2]!.MessageId);
  });

  it('refuses a whole batch that is empty, has more than 10 entries, repeats or malforms an id, or passes 256 KiB in all', async () => {
    const arn = await createTopic('batch-limits');
    const entries = (n: number, size = 1) => Array.from({ length: n }, (_, i) => ({ Id: `e${i}`, Message: 'x'.repeat(size) }));
    const cases: Array<[object[], string]> = [
      [[], 'EmptyBatchRequestException'],
      [entries(11), 'TooManyEntriesInBatchRequestException'],
      [[{ Id: 'same', Message: 'a' }, { Id: 'same', Message: 'b' }], 'BatchEntryIdsNotDistinctException'],
      [[{ Id: 'not ok!', Message: 'a' }], 'InvalidBatchEntryIdException'],
      [entries(2, 128 * 1024 + 1), 'BatchRequestTooLongException'],
    ];
    for (const [PublishBatchRequestEntries, name] of cases) {
      const error = await failure(sns.send(new PublishBatchCommand({ TopicArn: arn, PublishBatchRequestEntries: PublishBatchRequestEntries as never })));
      expect(error).toMatchObject({ name, $metadata: { httpStatusCode: 400 } });
    }
    await expect(sns.send(new PublishBatchCommand({ TopicArn: arn, PublishBatchRequestEntries: entries(10) }))).resolves.toMatchObject({ Failed: [] });
    await expect(sns.send(new PublishBatchCommand({ TopicArn: arn, PublishBatchRequestEntries: entries(2, 128 * 1024) }))).resolves.toMatchObject({ Failed: [] });
  });
});

describe('publish validation', () => {
  it('returns 404 NotFound for a missing topic', async () => {
    const err = await failure(sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:nope', Message: 'x' })));
    expect(err).toMatchObject({ name: 'NotFoundException', message: 'Topic does not exist', $metadata: { httpStatusCode: 404 } });
  });

  it('rejects requests without a target, without a message, or with an oversized message', async () => {
    const arn = await createTopic('validation-topic');
    const noTarget = await failure(sns.send(new PublishCommand({ Message: 'x' })));
    expect(noTarget).toMatchObject({ name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } });
    expect(noTarget.message).toContain('TopicArn or TargetArn');

    const empty = await failure(sns.send(new PublishCommand({ TopicArn: arn, Message: '' })));
    expect(empty.message).toBe('Invalid parameter: Empty message');

    const tooBig = await failure(sns.send(new PublishCommand({ TopicArn: arn, Message: 'x'.repeat(256 * 1024 + 1) })));
    expect(tooBig).toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: Message too long' });

    await expect(sns.send(new PublishCommand({ TopicArn: arn, Message: 'x'.repeat(256 * 1024) }))).resolves.toHaveProperty('MessageId');
  });

  it('validates message attributes', async () => {
    const arn = await createTopic('attribute-validation');
    const notNumber = await failure(
      sns.send(new PublishCommand({ TopicArn: arn, Message: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: 'abc' } } })),
    );
    expect(notNumber).toMatchObject({
      name: 'InvalidParameterValueException',
      message: "Could not cast message attribute 'n' value to number.",
    });

    const badType = await failure(
      sns.send(new PublishCommand({ TopicArn: arn, Message: 'x', MessageAttributes: { n: { DataType: 'Date', StringValue: 'today' } } })),
    );
    expect(badType.name).toBe('InvalidParameterValueException');

    const badArray = await failure(
      sns.send(
        new PublishCommand({ TopicArn: arn, Message: 'x', MessageAttributes: { a: { DataType: 'String.Array', StringValue: 'a,b' } } }),
      ),
    );
    expect(badArray.message).toContain("'a' with type 'String.Array'");
  });

  it('answers unknown SNS actions with 400 InvalidAction', async () => {
    const { status, text } = await rawPost('Action=CreatePlatformApplication&Version=2010-03-31&Name=x');
    expect(status).toBe(400);
    expect(text).toContain('<Code>InvalidAction</Code>');
    expect(text).toContain('<Type>Sender</Type>');
    expect(text).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId>/);
  });

  it('leaves requests of other services alone', async () => {
    expect((await rawPost('Action=SendMessage&Version=2012-11-05&QueueUrl=x')).status).toBe(404);
    expect((await fetch(`${baseUrl}/2015-03-31/functions`)).status).toBe(404);
  });
});

describe('retries and dead letters', () => {
  it('retries a failing function and succeeds without a dead letter', async () => {
    const arn = await createTopic('flaky-topic');
    await subscribeLambda(arn, 'flaky-fn');
    const before = emulator.deadLetters().length;
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'eventually' }));
    await emulator.idle();
    expect(invocations).toHaveLength(3);
    expect(emulator.deadLetters()).toHaveLength(before);
    expect(logs.filter((l) => l.msg.includes('failed (attempt'))).toHaveLength(2);
  });

  it('dead-letters a message after the last attempt, with exponential backoff in between', async () => {
    const arn = await createTopic('failing-topic');
    const subArn = await subscribeLambda(arn, 'fail-fn');
    const started = Date.now();
    const { MessageId } = await sns.send(
      new PublishCommand({ TopicArn: arn, Message: 'doomed', Subject: 'Oops', MessageAttributes: { type: stringAttribute('t') } }),
    );
    await emulator.idle();
    expect(Date.now() - started).toBeGreaterThanOrEqual(RETRY.baseDelayMs + RETRY.baseDelayMs * 2);
    expect(invocations).toHaveLength(RETRY.attempts);
    expect(new Set(invocations.map((i) => i.event.Records[0]?.Sns.MessageId))).toEqual(new Set([MessageId]));

    const dead = emulator.deadLetters().find((d) => d.messageId === MessageId);
    expect(dead).toMatchObject({
      subscriptionArn: subArn,
      protocol: 'lambda',
      topicArn: arn,
      message: 'doomed',
      subject: 'Oops',
      messageAttributes: { type: stringAttribute('t') },
      lastError: 'Unhandled: handler exploded',
      attempts: 3,
    });
    expect(Number.isNaN(Date.parse(dead!.failedAt))).toBe(false);
    expect(logs.filter((l) => l.msg.includes('failed (attempt'))).toHaveLength(3);
    expect(logs.some((l) => l.msg.includes('dead-lettered'))).toBe(true);
  });

  it('treats a throwing invoker as a failed attempt', async () => {
    const arn = await createTopic('throwing-topic');
    await subscribeLambda(arn, 'throw-fn');
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: arn, Message: 'x' }));
    await emulator.idle();
    expect(emulator.deadLetters().find((d) => d.messageId === MessageId)).toMatchObject({ lastError: 'connection refused', attempts: 3 });
  });

  it('serves and clears dead letters over HTTP', async () => {
    const listed = (await (await fetch(`${baseUrl}/_local/sns/dead-letters`)).json()) as { deadLetters: unknown[] };
    expect(listed.deadLetters.length).toBe(emulator.deadLetters().length);
    expect(listed.deadLetters.length).toBeGreaterThan(0);
    expect((await fetch(`${baseUrl}/_local/sns/dead-letters`, { method: 'DELETE' })).status).toBe(204);
    expect(emulator.deadLetters()).toEqual([]);
  });
});

describe('HTTP/S subscriptions', () => {
  it('POSTs the standard notification JSON', async () => {
    const arn = await createTopic('http-topic');
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'http', Endpoint: `${endpointUrl}/hook` }));
    const { MessageId } = await sns.send(
      new PublishCommand({ TopicArn: arn, Message: 'hi http', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }),
    );
    await emulator.idle();
    expect(httpDeliveries).toHaveLength(1);
    const [delivery] = httpDeliveries;
    expect(delivery?.path).toBe('/hook');
    expect(delivery?.headers).toMatchObject({
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-message-id': MessageId,
      'x-amz-sns-topic-arn': arn,
      'x-amz-sns-subscription-arn': SubscriptionArn,
    });
    expect(JSON.parse(delivery!.body)).toMatchObject({
      Type: 'Notification',
      MessageId,
      TopicArn: arn,
      Message: 'hi http',
      SignatureVersion: '1',
      MessageAttributes: { k: { Type: 'String', Value: 'v' } },
    });
    expect(JSON.parse(delivery!.body)).toHaveProperty('UnsubscribeURL');
  });

  it('sends only the message with RawMessageDelivery', async () => {
    const arn = await createTopic('raw-topic');
    await sns.send(
      new SubscribeCommand({ TopicArn: arn, Protocol: 'http', Endpoint: `${endpointUrl}/raw`, Attributes: { RawMessageDelivery: 'true' } }),
    );
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'just this' }));
    await emulator.idle();
    expect(httpDeliveries[0]).toMatchObject({ body: 'just this', headers: { 'x-amz-sns-rawdelivery': 'true' } });
  });

  it('sends to a subscribed queue: the notification JSON, or with RawMessageDelivery the message and its attributes', async () => {
    const arn = await createTopic('queue-topic');
    const json = 'arn:aws:sqs:us-east-1:000000000000:json-q';
    const raw = 'arn:aws:sqs:us-east-1:000000000000:raw-q';
    await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: json }));
    await sns.send(
      new SubscribeCommand({
        TopicArn: arn,
        Protocol: 'sqs',
        Endpoint: raw,
        Attributes: { RawMessageDelivery: 'true', FilterPolicy: JSON.stringify({ type: ['wanted'] }) },
      }),
    );
    const attributes = { type: { DataType: 'String', StringValue: 'wanted' } };
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: arn, Message: '{"id":"e-1"}', MessageAttributes: attributes }));
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'filtered out', MessageAttributes: { type: { DataType: 'String', StringValue: 'other' } } }));
    await emulator.idle();
    expect(queued.filter((q) => q.queueArn === raw)).toEqual([{ queueArn: raw, body: '{"id":"e-1"}', attributes }]);
    const toJson = queued.filter((q) => q.queueArn === json);
    expect(toJson).toHaveLength(2);
    expect(JSON.parse(toJson[0]!.body)).toMatchObject({ Type: 'Notification', MessageId, Message: '{"id":"e-1"}', MessageAttributes: { type: { Type: 'String', Value: 'wanted' } } });
    expect(toJson[0]!.attributes).toEqual({});
  });

  it('retries a send to a queue that does not exist and dead-letters the message', async () => {
    const arn = await createTopic('missing-queue-topic');
    emulator.subscribe(arn, 'sqs', 'arn:aws:sqs:us-east-1:000000000000:missing-q');
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: arn, Message: 'x' }));
    await emulator.idle();
    expect(emulator.deadLetters().find((d) => d.messageId === MessageId)).toMatchObject({ protocol: 'sqs', attempts: 3, lastError: 'no queue arn:aws:sqs:us-east-1:000000000000:missing-q' });
  });

  it('retries failing endpoints and dead-letters the message', async () => {
    const arn = await createTopic('http-fail-topic');
    emulator.subscribe(arn, 'http', `${endpointUrl}/fail`);
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: arn, Message: 'x' }));
    await emulator.idle();
    expect(httpDeliveries).toHaveLength(3);
    expect(emulator.deadLetters().find((d) => d.messageId === MessageId)).toMatchObject({ protocol: 'http', attempts: 3 });
    expect(emulator.deadLetters().find((d) => d.messageId === MessageId)?.lastError).toContain('HTTP 500');
  });
});

describe('SMS and email', () => {
  it('records SMS published to a phone number and to sms subscriptions', async () => {
    const arn = await createTopic('sms-topic');
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sms', Endpoint: '+15551234567' }));
    const direct = await sns.send(new PublishCommand({ PhoneNumber: '+15557654321', Message: 'Your table is ready' }));
    const viaTopic = await sns.send(new PublishCommand({ TopicArn: arn, Message: 'Order up', Subject: 'Kitchen' }));
    await emulator.idle();

    const response = await fetch(`${baseUrl}/_aws/sns/sms-messages`);
    const { sms_messages } = (await response.json()) as { sms_messages: Record<string, unknown[]> };
    expect(sms_messages['+15557654321']).toEqual([
      {
        PhoneNumber: '+15557654321',
        TopicArn: null,
        SubscriptionArn: null,
        MessageId: direct.MessageId,
        Message: 'Your table is ready',
        MessageAttributes: {},
        Subject: null,
      },
    ]);
    expect(sms_messages['+15551234567']).toEqual([
      {
        PhoneNumber: '+15551234567',
        TopicArn: arn,
        SubscriptionArn,
        MessageId: viaTopic.MessageId,
        Message: 'Order up',
        MessageAttributes: {},
        Subject: 'Kitchen',
      },
    ]);

    const filtered = (await (await fetch(`${baseUrl}/_aws/sns/sms-messages?phoneNumber=%2B15551234567`)).json()) as {
      sms_messages: Record<string, unknown[]>;
    };
    expect(Object.keys(filtered.sms_messages)).toEqual(['+15551234567']);

    expect((await fetch(`${baseUrl}/_aws/sns/sms-messages`, { method: 'DELETE' })).status).toBe(204);
    expect(emulator.smsMessages()).toEqual([]);
  });

  it('rejects phone numbers that are not E.164', async () => {
    const err = await failure(sns.send(new PublishCommand({ PhoneNumber: '5551234567', Message: 'x' })));
    expect(err).toMatchObject({ name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } });
    expect(err.message).toContain('PhoneNumber');
  });

  it('records emails for email subscriptions without a confirmation step', async () => {
    const arn = await createTopic('email-topic');
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'email', Endpoint: 'chef@example.com' }));
    expect(SubscriptionArn).toMatch(/^arn:aws:sns:/);
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: arn, Message: 'Stock low', Subject: 'Inventory' }));
    await emulator.idle();

    const { emails } = (await (await fetch(`${baseUrl}/_local/sns/emails`)).json()) as { emails: unknown[] };
    expect(emails).toContainEqual(
      expect.objectContaining({
        Email: 'chef@example.com',
        TopicArn: arn,
        SubscriptionArn,
        MessageId,
        Message: 'Stock low',
        Subject: 'Inventory',
      }),
    );
    expect(emulator.emailMessages()).toHaveLength(emails.length);
    expect((await fetch(`${baseUrl}/_local/sns/emails`, { method: 'DELETE' })).status).toBe(204);
    expect(emulator.emailMessages()).toEqual([]);
  });
});
