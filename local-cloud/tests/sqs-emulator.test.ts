// The SQS emulator driven by the real @aws-sdk/client-sqs (awsJson1.0), and the Query protocol the AWS CLI v2
// builds before the JSON switch speak (Debian's awscli 2.9): queues, send and receive, visibility timeout,
// receive count, redrive to the DLQ, batches, errors.
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  SQSServiceException,
} from '@aws-sdk/client-sqs';
import { createSqsEmulator, type SqsEmulator } from '../sqs';
import { rejectionOf, serveEmulator, type TestServer } from './support/emulator-server';

let emulator: SqsEmulator;
let server: TestServer;
let sqs: SQSClient;

beforeAll(async () => {
  server = await serveEmulator(() => emulator);
  sqs = new SQSClient({ endpoint: server.baseUrl, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
});

beforeEach(() => {
  emulator = createSqsEmulator({ edgeUrl: server.baseUrl });
});

afterAll(async () => {
  sqs.destroy();
  await server.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function createQueue(name: string, attributes: Record<string, string> = {}): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return QueueUrl!;
}

async function receive(QueueUrl: string, max = 10, VisibilityTimeout?: number) {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: max, VisibilityTimeout, MessageSystemAttributeNames: ['All'] }),
  );
  return Messages;
}

describe('queues', () => {
  it('CreateQueue is idempotent for the same attributes, refuses other ones; GetQueueUrl, ListQueues and attributes answer', async () => {
    const url = await createQueue('orders', { VisibilityTimeout: '45' });
    expect(url).toBe(`${server.baseUrl}/000000000000/orders`);
    expect(await createQueue('orders', { VisibilityTimeout: '45' })).toBe(url);
    const conflict = await rejectionOf<SQSServiceException>(createQueue('orders', { VisibilityTimeout: '10' }));
    expect(conflict.name).toBe('QueueNameExists');

    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'orders' }))).QueueUrl).toBe(url);
    expect((await sqs.send(new ListQueuesCommand({}))).QueueUrls).toEqual([url]);
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    expect(Attributes).toMatchObject({ QueueArn: 'arn:aws:sqs:us-east-1:000000000000:orders', VisibilityTimeout: '45', ApproximateNumberOfMessages: '0' });
  });

  it('an unknown queue is QueueDoesNotExist, as the SDK models it', async () => {
    const error = await rejectionOf(sqs.send(new SendMessageCommand({ QueueUrl: `${server.baseUrl}/000000000000/nope`, MessageBody: 'x' })));
    expect(error).toBeInstanceOf(QueueDoesNotExist);
    expect(await rejectionOf(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })))).toBeInstanceOf(QueueDoesNotExist);
  });
});

describe('messages', () => {
  it('send, receive (with MD5s the SDK checks), delete; a received message is invisible until deleted', async () => {
    const url = await createQueue('q');
    const sent = await sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: '{"t":1}', MessageAttributes: { kind: { DataType: 'String', StringValue: 'reading' } } }),
    );
    expect(sent.MessageId).toBeDefined();
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }));
    expect(Messages).toHaveLength(1);
    expect(Messages[0]).toMatchObject({ MessageId: sent.MessageId, Body: '{"t":1}', MessageAttributes: { kind: { DataType: 'String', StringValue: 'reading' } } });
    expect(Messages[0]!.Attributes).toMatchObject({ ApproximateReceiveCount: '1' });
    expect(await receive(url)).toEqual([]);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: Messages[0]!.ReceiptHandle }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    expect(Attributes).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('a message not deleted comes back after the visibility timeout with its receive count up; a stale handle deletes nothing', async () => {
    const url = await createQueue('q', { VisibilityTimeout: '1' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'again' }));
    const [first] = await receive(url);
    await sleep(1_100);
    const [second] = await receive(url);
    expect(second).toMatchObject({ MessageId: first!.MessageId, Attributes: expect.objectContaining({ ApproximateReceiveCount: '2' }) });
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first!.ReceiptHandle }));
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: second!.ReceiptHandle, VisibilityTimeout: 0 }));
    expect((await receive(url)).map((m) => m.Body)).toEqual(['again']);
  });

  it('after maxReceiveCount receives the next receive moves the message to the dead-letter queue', async () => {
    const dlqUrl = await createQueue('q-dlq');
    const url = await createQueue('q', {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:q-dlq', maxReceiveCount: 2 }),
    });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    for (let i = 0; i < 2; i++) expect(await receive(url, 10, 0)).toHaveLength(1);
    expect(await receive(url, 10, 0)).toEqual([]);
    const dead = await receive(dlqUrl);
    expect(dead.map((m) => m.Body)).toEqual(['poison']);
    expect(dead[0]!.Attributes!.ApproximateReceiveCount).toBe('1');
  });

  it('batches: up to 10 sent and deleted at once, each entry answered; more than 10 or repeated ids are refused', async () => {
    const url = await createQueue('q');
    const entries = Array.from({ length: 10 }, (_, i) => ({ Id: `e${i}`, MessageBody: `m${i}` }));
    const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
    expect(sent.Successful).toHaveLength(10);
    const received = await receive(url, 10);
    expect(received.map((m) => m.Body)).toEqual(entries.map((e) => e.MessageBody));
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [...received.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })), { Id: 'bad', ReceiptHandle: 'not-a-handle' }],
      }),
    ).catch((error: SQSServiceException) => error);
    // 11 entries: refused whole.
    expect((deleted as SQSServiceException).name).toBe('TooManyEntriesInBatchRequest');
    const ok = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a', ReceiptHandle: received[0]!.ReceiptHandle }, { Id: 'b', ReceiptHandle: 'x' }] }));
    expect(ok.Successful).toEqual([{ Id: 'a' }]);
    expect(ok.Failed).toEqual([expect.objectContaining({ Id: 'b', Code: 'ReceiptHandleIsInvalid', SenderFault: true })]);
    const repeated = await rejectionOf<SQSServiceException>(
      sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'x', MessageBody: '1' }, { Id: 'x', MessageBody: '2' }] })),
    );
    expect(repeated.name).toBe('BatchEntryIdsNotDistinct');
  });

  it('long polling returns as soon as a message arrives; PurgeQueue empties the queue', async () => {
    const url = await createQueue('q');
    const started = Date.now();
    const polling = sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5 }));
    await sleep(200);
    emulator.sendMessage('q', 'late');
    expect((await polling).Messages?.map((m) => m.Body)).toEqual(['late']);
    expect(Date.now() - started).toBeLessThan(2_000);

    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'gone' }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    expect(await receive(url)).toEqual([]);
  });
});

describe('the Query protocol (form-encoded, XML)', () => {
  const query = async (path: string, params: Record<string, string>) => {
    const res = await fetch(`${server.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...params, Version: '2012-11-05' }),
    });
    return { status: res.status, xml: await res.text() };
  };

  it('CreateQueue, SendMessage to the queue path, ReceiveMessage with attributes, DeleteMessage; errors in the Query shape', async () => {
    const created = await query('/', { Action: 'CreateQueue', QueueName: 'cli', 'Attribute.1.Name': 'VisibilityTimeout', 'Attribute.1.Value': '5' });
    expect(created.xml).toContain(`<QueueUrl>${server.baseUrl}/000000000000/cli</QueueUrl>`);
    const sent = await query('/000000000000/cli', { Action: 'SendMessage', MessageBody: '<hi & bye>' });
    expect(sent.xml).toMatch(/<SendMessageResult><MessageId>[0-9a-f-]+<\/MessageId><MD5OfMessageBody>[0-9a-f]{32}<\/MD5OfMessageBody>/);
    const received = await query('/000000000000/cli', { Action: 'ReceiveMessage', 'AttributeName.1': 'All' });
    expect(received.xml).toContain('<Body>&#60;hi &#38; bye&#62;</Body>');
    expect(received.xml).toContain('<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>');
    const handle = /<ReceiptHandle>([^<]+)<\/ReceiptHandle>/.exec(received.xml)![1]!;
    expect((await query('/000000000000/cli', { Action: 'DeleteMessage', ReceiptHandle: handle })).status).toBe(200);
    const missing = await query('/', { Action: 'GetQueueUrl', QueueName: 'nope' });
    expect(missing.status).toBe(400);
    expect(missing.xml).toContain('<Code>AWS.SimpleQueueService.NonExistentQueue</Code>');
  });
});
