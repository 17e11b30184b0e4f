// Amazon SQS (standard queues) on the edge port, in both protocols its clients speak: awsJson1.0
// (`X-Amz-Target: AmazonSQS.<Action>`, @aws-sdk/client-sqs v3 and recent AWS CLIs) and the Query protocol
// (form-encoded, XML answers: AWS CLI v2 builds before the JSON switch, such as Debian's awscli 2.9).
// Operations: CreateQueue, GetQueueUrl, GetQueueAttributes, ListQueues, SendMessage[Batch], ReceiveMessage (long
// polling), DeleteMessage[Batch], ChangeMessageVisibility, PurgeQueue. Queues are in memory (queue.ts).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { queryErrorXml, signingService } from '../unknown-operation';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type EdgeService } from '../types';
import { DEFAULT_SETTINGS, Queue, type MessageAttributeValue, type QueueMessage, type QueueSettings } from './queue';

const SQS_XML_NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';
const JSON_TARGET_PREFIX = 'AmazonSQS.';
const MAX_BATCH_ENTRIES = 10;
const MAX_WAIT_S = 20;
const MAX_VISIBILITY_S = 43_200;
/** Long polling also wakes this often, for messages whose visibility timeout ran out. */
const LONG_POLL_RECHECK_MS = 100;

type Json = Record<string, unknown>;

/** An SQS error: `jsonType` is the awsJson `__type`, `queryCode` the Query protocol's code (also sent as x-amzn-query-error). */
export class SqsError extends Error {
  constructor(
    readonly jsonType: string,
    readonly queryCode: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const invalidParameter = (message: string) => new SqsError('InvalidParameterValue', 'InvalidParameterValue', message);
const missingParameter = (name: string) => new SqsError('MissingParameter', 'MissingParameter', `The request must contain the parameter ${name}.`);
const noSuchQueue = () =>
  new SqsError('com.amazonaws.sqs#QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.');

export interface CreateQueueAttributes {
  VisibilityTimeout?: string;
  MessageRetentionPeriod?: string;
  DelaySeconds?: string;
  ReceiveMessageWaitTimeSeconds?: string;
  MaximumMessageSize?: string;
  /** JSON: {"deadLetterTargetArn": "...", "maxReceiveCount": n} */
  RedrivePolicy?: string;
}

export interface SqsEmulator extends EdgeService {
  /** Creates the queue (idempotent for the same attributes, as on AWS) and returns it. */
  createQueue(name: string, attributes?: CreateQueueAttributes): Queue;
  /** By name, URL or ARN. */
  queue(ref: string): Queue | undefined;
  queues(): Queue[];
  sendMessage(ref: string, body: string): QueueMessage;
  /** Receives for an in-process poller (the event source mappings): any `max`, the queue's visibility timeout. */
  receive(queue: Queue, max: number): QueueMessage[];
}

export function createSqsEmulator(options: { edgeUrl: string; region?: string; accountId?: string }): SqsEmulator {
  const region = options.region ?? LOCAL_REGION;
  const accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
  const byName = new Map<string, Queue>();

  const nameOf = (ref: string) => {
    if (ref.startsWith('arn:')) return ref.split(':').pop() ?? '';
    return ref.replace(/\/+$/, '').split('/').pop() ?? '';
  };
  const find = (ref: string) => byName.get(nameOf(ref));
  const mustFind = (ref: string | undefined) => {
    if (!ref) throw missingParameter('QueueUrl');
    const queue = find(ref);
    if (!queue) throw noSuchQueue();
    return queue;
  };
  const deadLetter = (arn: string) => find(arn);

  function createQueue(name: string, attributes: CreateQueueAttributes = {}): Queue {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) {
      throw invalidParameter('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
    }
    if (name.endsWith('.fifo')) throw invalidParameter('FIFO queues are not supported by the local emulator');
    const settings = settingsOf(attributes);
    const existing = byName.get(name);
    if (existing) {
      if (JSON.stringify(existing.settings) !== JSON.stringify(settings)) {
        throw new SqsError('QueueNameExists', 'QueueAlreadyExists', `A queue already exists with the same name and a different value for attribute(s)`);
      }
      return existing;
    }
    const queue = new Queue(name, `arn:aws:sqs:${region}:${accountId}:${name}`, `${options.edgeUrl}/${accountId}/${name}`, settings);
    byName.set(name, queue);
    return queue;
  }

  const actions: Record<string, (input: Json) => Promise<Json> | Json> = {
    CreateQueue: (input) => ({ QueueUrl: createQueue(requiredString(input, 'QueueName'), (input.Attributes ?? {}) as CreateQueueAttributes).url }),
    GetQueueUrl: (input) => {
      const queue = byName.get(requiredString(input, 'QueueName'));
      if (!queue) throw noSuchQueue();
      return { QueueUrl: queue.url };
    },
    ListQueues: (input) => {
      const prefix = typeof input.QueueNamePrefix === 'string' ? input.QueueNamePrefix : '';
      return { QueueUrls: [...byName.values()].filter((q) => q.name.startsWith(prefix)).map((q) => q.url) };
    },
    GetQueueAttributes: (input) => {
      const queue = mustFind(input.QueueUrl as string | undefined);
      const wanted = (input.AttributeNames as string[] | undefined) ?? ['All'];
      const all = attributesOf(queue);
      const Attributes = wanted.includes('All') ? all : Object.fromEntries(Object.entries(all).filter(([name]) => wanted.includes(name)));
      return { Attributes };
    },
    PurgeQueue: (input) => {
      mustFind(input.QueueUrl as string | undefined).purge();
      return {};
    },
    SendMessage: (input) => {
      const queue = mustFind(input.QueueUrl as string | undefined);
      return sentEntry(queue, input);
    },
    SendMessageBatch: (input) => {
      const queue = mustFind(input.QueueUrl as string | undefined);
      const entries = batchEntries(input.Entries);
      const Successful: Json[] = [];
      const Failed: Json[] = [];
      for (const entry of entries) {
        try {
          Successful.push({ Id: entry.Id, ...sentEntry(queue, entry) });
        } catch (error) {
          if (!(error instanceof SqsError)) throw error;
          Failed.push({ Id: entry.Id, SenderFault: true, Code: error.queryCode, Message: error.message });
        }
      }
      return { Successful, Failed };
    },
    ReceiveMessage: async (input) => {
      const queue = mustFind(input.QueueUrl as string | undefined);
      const max = integer(input.MaxNumberOfMessages, 'MaxNumberOfMessages', 1, MAX_BATCH_ENTRIES, 1);
      const visibility = integer(input.VisibilityTimeout, 'VisibilityTimeout', 0, MAX_VISIBILITY_S, queue.settings.visibilityTimeoutS);
      const waitS = integer(input.WaitTimeSeconds, 'WaitTimeSeconds', 0, MAX_WAIT_S, queue.settings.receiveWaitTimeS);
      const deadline = Date.now() + waitS * 1000;
      let messages = queue.receive(max, visibility, deadLetter);
      while (messages.length === 0 && Date.now() < deadline) {
        await queue.waitForMessages(Math.min(LONG_POLL_RECHECK_MS, deadline - Date.now()));
        messages = queue.receive(max, visibility, deadLetter);
      }
      const systemNames = [...((input.AttributeNames as string[] | undefined) ?? []), ...((input.MessageSystemAttributeNames as string[] | undefined) ?? [])];
      const attributeNames = (input.MessageAttributeNames as string[] | undefined) ?? [];
      return { Messages: messages.map((m) => receivedMessage(m, systemNames, attributeNames)) };
    },
    DeleteMessage: (input) => {
      const queue = mustFind(input.QueueUrl as string | undefined);
      deleteByHandle(queue, requiredString(input, 'ReceiptHandle'));
      return {};
    },
    DeleteMessageBatch: (input) => {
      const queue = mustFind(input.QueueUrl as string | undefined);
      const Successful: Json[] = [];
      const Failed: Json[] = [];
      for (const entry of batchEntries(input.Entries)) {
        try {
          deleteByHandle(queue, String(entry.ReceiptHandle ?? ''));
          Successful.push({ Id: entry.Id });
        } catch (error) {
          if (!(error instanceof SqsError)) throw error;
          Failed.push({ Id: entry.Id, SenderFault: true, Code: error.queryCode, Message: error.message });
        }
      }
      return { Successful, Failed };
    },
    ChangeMessageVisibility: (input) => {
      const queue = mustFind(input.QueueUrl as string | undefined);
      const handle = requiredString(input, 'ReceiptHandle');
      if (input.VisibilityTimeout === undefined) throw missingParameter('VisibilityTimeout');
      const timeout = integer(input.VisibilityTimeout, 'VisibilityTimeout', 0, MAX_VISIBILITY_S, 0);
      const message = queue.byReceipt(handle);
      if (!message || message.visibleAt <= Date.now()) {
        throw new SqsError('MessageNotInflight', 'AWS.SimpleQueueService.MessageNotInflight', 'The message referred to is not in flight.');
      }
      queue.changeVisibility(message, timeout);
      return {};
    },
  };

  /** On AWS a stale but well-formed handle deletes nothing and does not fail; an unreadable one fails. */
  function deleteByHandle(queue: Queue, handle: string) {
    if (!handle) throw missingParameter('ReceiptHandle');
    const decoded = Buffer.from(handle, 'base64url').toString('utf8');
    if (!decoded.startsWith(`${queue.name}:`)) {
      throw new SqsError('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);
    }
    queue.delete(handle);
  }

  function sentEntry(queue: Queue, input: Json): Json {
    const body = input.MessageBody;
    if (typeof body !== 'string' || body === '') throw missingParameter('MessageBody');
    if (Buffer.byteLength(body) > queue.settings.maximumMessageSize) {
      throw invalidParameter(`One or more parameters are invalid. Reason: Message must be shorter than ${queue.settings.maximumMessageSize} bytes.`);
    }
    const delayS = integer(input.DelaySeconds, 'DelaySeconds', 0, 900, undefined);
    const message = queue.send(body, { delayS, messageAttributes: (input.MessageAttributes ?? {}) as Record<string, MessageAttributeValue> });
    return { MessageId: message.messageId, MD5OfMessageBody: message.md5OfBody, ...(message.md5OfMessageAttributes && { MD5OfMessageAttributes: message.md5OfMessageAttributes }) };
  }

  async function run(action: string, input: Json): Promise<Json> {
    const handler = actions[action];
    if (!handler) throw new SqsError('UnknownOperationException', 'InvalidAction', `${action} is not supported by the local emulator`);
    return handler(input);
  }

  return {
    name: 'sqs',
    createQueue,
    queue: find,
    queues: () => [...byName.values()],
    sendMessage(ref, body) {
      return mustFind(ref).send(body);
    },
    receive: (queue, max) => queue.receive(max, queue.settings.visibilityTimeoutS, deadLetter),
    async handle(req: IncomingMessage, body: Buffer, res: ServerResponse) {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (req.method === 'POST' && target.startsWith(JSON_TARGET_PREFIX)) {
        await answerJson(res, () => run(target.slice(JSON_TARGET_PREFIX.length), parseJson(body)));
        return true;
      }
      const params = queryParams(req, body);
      if (!params) return false;
      const action = params.get('Action')!;
      await answerQuery(res, action, () => run(action, queryInput(action, params)));
      return true;
    },
  };

  /** The Query protocol requests that are SQS's: signed for sqs, or an SQS action with SQS's API version. */
  function queryParams(req: IncomingMessage, body: Buffer): URLSearchParams | undefined {
    const isForm = req.method === 'POST' && (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
    if (!isForm) return undefined;
    const params = new URLSearchParams(body.toString('utf8'));
    const action = params.get('Action');
    if (!action || !(action in actions)) return undefined;
    if (signingService(req) === 'sqs' || params.get('Version') === '2012-11-05') {
      // The Query protocol addresses the queue by the request path; the parameter wins when both are there.
      const path = new URL(req.url ?? '/', 'http://edge').pathname;
      if (!params.has('QueueUrl') && path.split('/').filter(Boolean).length === 2) params.set('QueueUrl', path);
      return params;
    }
    return undefined;
  }

  function attributesOf(queue: Queue): Record<string, string> {
    const counts = queue.counts();
    const { settings } = queue;
    return {
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(counts.visible),
      ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
      ApproximateNumberOfMessagesDelayed: String(counts.delayed),
      CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
      LastModifiedTimestamp: String(Math.floor(queue.lastModifiedAt / 1000)),
      VisibilityTimeout: String(settings.visibilityTimeoutS),
      MessageRetentionPeriod: String(settings.messageRetentionPeriodS),
      DelaySeconds: String(settings.delayS),
      ReceiveMessageWaitTimeSeconds: String(settings.receiveWaitTimeS),
      MaximumMessageSize: String(settings.maximumMessageSize),
      SqsManagedSseEnabled: 'false',
      ...(settings.redrivePolicy && { RedrivePolicy: JSON.stringify(settings.redrivePolicy) }),
    };
  }
}

function settingsOf(attributes: CreateQueueAttributes): QueueSettings {
  const number = (value: string | undefined, name: string, min: number, max: number, fallback: number) =>
    value === undefined ? fallback : integer(value, name, min, max, fallback);
  let redrivePolicy: QueueSettings['redrivePolicy'];
  if (attributes.RedrivePolicy !== undefined) {
    let parsed: { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
    try {
      parsed = JSON.parse(attributes.RedrivePolicy) as typeof parsed;
    } catch {
      throw invalidParameter('Value for parameter RedrivePolicy is invalid. Reason: Redrive policy is not a valid JSON map.');
    }
    const maxReceiveCount = Number(parsed.maxReceiveCount);
    if (typeof parsed.deadLetterTargetArn !== 'string' || !Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw invalidParameter('Value for parameter RedrivePolicy is invalid. Reason: Redrive policy needs deadLetterTargetArn and maxReceiveCount 1-1000.');
    }
    redrivePolicy = { deadLetterTargetArn: parsed.deadLetterTargetArn, maxReceiveCount };
  }
  return {
    visibilityTimeoutS: number(attributes.VisibilityTimeout, 'VisibilityTimeout', 0, MAX_VISIBILITY_S, DEFAULT_SETTINGS.visibilityTimeoutS),
    messageRetentionPeriodS: number(attributes.MessageRetentionPeriod, 'MessageRetentionPeriod', 60, 1_209_600, DEFAULT_SETTINGS.messageRetentionPeriodS),
    delayS: number(attributes.DelaySeconds, 'DelaySeconds', 0, 900, DEFAULT_SETTINGS.delayS),
    receiveWaitTimeS: number(attributes.ReceiveMessageWaitTimeSeconds, 'ReceiveMessageWaitTimeSeconds', 0, MAX_WAIT_S, DEFAULT_SETTINGS.receiveWaitTimeS),
    maximumMessageSize: number(attributes.MaximumMessageSize, 'MaximumMessageSize', 1024, 262_144, DEFAULT_SETTINGS.maximumMessageSize),
    ...(redrivePolicy && { redrivePolicy }),
  };
}

function receivedMessage(message: QueueMessage, systemNames: string[], attributeNames: string[]): Json {
  const system: Record<string, string> = {
    SenderId: LOCAL_ACCOUNT_ID,
    SentTimestamp: String(message.sentAt),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
  };
  const wantsAll = systemNames.includes('All');
  const Attributes = Object.fromEntries(Object.entries(system).filter(([name]) => wantsAll || systemNames.includes(name)));
  const wantsAllAttributes = attributeNames.includes('All') || attributeNames.includes('.*');
  const MessageAttributes = Object.fromEntries(
    Object.entries(message.messageAttributes).filter(([name]) => wantsAllAttributes || attributeNames.includes(name)),
  );
  return {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    ...(Object.keys(Attributes).length > 0 && { Attributes }),
    ...(Object.keys(MessageAttributes).length > 0 && { MessageAttributes, MD5OfMessageAttributes: message.md5OfMessageAttributes }),
  };
}

function requiredString(input: Json, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') throw missingParameter(name);
  return value;
}

function integer<T extends number | undefined>(value: unknown, name: string, min: number, max: number, fallback: T): number | T {
  if (value === undefined || value === null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalidParameter(`Value ${String(value)} for parameter ${name} is invalid. Reason: Must be between ${min} and ${max}.`);
  }
  return n;
}

function batchEntries(entries: unknown): Json[] {
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new SqsError('EmptyBatchRequest', 'AWS.SimpleQueueService.EmptyBatchRequest', 'There should be at least one entry in the request.');
  }
  if (entries.length > MAX_BATCH_ENTRIES) {
    throw new SqsError('TooManyEntriesInBatchRequest', 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}.`);
  }
  const ids = new Set((entries as Json[]).map((e) => e.Id));
  if (ids.size !== entries.length) {
    throw new SqsError('BatchEntryIdsNotDistinct', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
  }
  return entries as Json[];
}

function parseJson(body: Buffer): Json {
  if (body.length === 0) return {};
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Json;
  } catch {
    // answered below
  }
  throw new SqsError('SerializationException', 'InvalidParameterValue', 'The request body is not a JSON object');
}

async function answerJson(res: ServerResponse, work: () => Promise<Json>): Promise<void> {
  const requestId = randomUUID();
  try {
    const output = await work();
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId });
    res.end(JSON.stringify(output));
  } catch (error) {
    if (!(error instanceof SqsError)) throw error;
    res.writeHead(error.status, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': requestId,
      // awsQueryCompatible clients (client-sqs) take the error code from here.
      'x-amzn-query-error': `${error.queryCode};Sender`,
    });
    res.end(JSON.stringify({ __type: error.jsonType, message: error.message }));
  }
}

// ---- Query protocol: form parameters in, XML out ----

/** Form parameters → the JSON protocol's input shape, so both protocols run the same actions. */
function queryInput(action: string, params: URLSearchParams): Json {
  const input: Json = {};
  for (const name of ['QueueUrl', 'QueueName', 'QueueNamePrefix', 'MessageBody', 'DelaySeconds', 'ReceiptHandle', 'VisibilityTimeout', 'MaxNumberOfMessages', 'WaitTimeSeconds']) {
    const value = params.get(name);
    if (value !== null) input[name] = value;
  }
  const flat: Json = Object.fromEntries(params.entries());
  const groups = (prefix: string) => groupsIn(flat, prefix);
  const list = (prefix: string) => [...params.entries()].filter(([key]) => new RegExp(`^${prefix}\\.\\d+$`).test(key)).map(([, value]) => value);
  const messageAttributes = (entry: Json, prefix: string) => {
    const attributes: Record<string, MessageAttributeValue> = {};
    for (const group of groupsIn(entry, prefix)) {
      attributes[String(group.Name)] = {
        DataType: String(group['Value.DataType']),
        ...(group['Value.StringValue'] !== undefined && { StringValue: String(group['Value.StringValue']) }),
        ...(group['Value.BinaryValue'] !== undefined && { BinaryValue: String(group['Value.BinaryValue']) }),
      };
    }
    return attributes;
  };
  if (action === 'CreateQueue') input.Attributes = Object.fromEntries(groups('Attribute').map((g) => [String(g.Name), String(g.Value)]));
  if (action === 'GetQueueAttributes') input.AttributeNames = list('AttributeName');
  if (action === 'ReceiveMessage') {
    input.AttributeNames = list('AttributeName');
    input.MessageSystemAttributeNames = list('MessageSystemAttributeName');
    input.MessageAttributeNames = list('MessageAttributeName');
  }
  if (action === 'SendMessage') input.MessageAttributes = messageAttributes(flat, 'MessageAttribute');
  if (action === 'SendMessageBatch') {
    input.Entries = groups('SendMessageBatchRequestEntry').map((entry) => ({ ...entry, MessageAttributes: messageAttributes(entry, 'MessageAttribute') }));
  }
  if (action === 'DeleteMessageBatch') input.Entries = groups('DeleteMessageBatchRequestEntry');
  return input;
}

/** `Prefix.N.rest` keys of a flat entry grouped by N. */
function groupsIn(entry: Json, prefix: string): Json[] {
  const byIndex = new Map<number, Json>();
  for (const [key, value] of Object.entries(entry)) {
    const match = new RegExp(`^${prefix}\\.(\\d+)\\.(.+)$`).exec(key);
    if (!match) continue;
    const group = byIndex.get(Number(match[1])) ?? {};
    group[match[2]!] = value;
    byIndex.set(Number(match[1]), group);
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}

async function answerQuery(res: ServerResponse, action: string, work: () => Promise<Json>): Promise<void> {
  const requestId = randomUUID();
  try {
    const output = await work();
    res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
    res.end(
      `<${action}Response xmlns="${SQS_XML_NAMESPACE}"><${action}Result>${resultXml(output)}</${action}Result>` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
    );
  } catch (error) {
    if (!(error instanceof SqsError)) throw error;
    res.writeHead(error.status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
    res.end(queryErrorXml({ code: error.queryCode, message: error.message, senderFault: error.status < 500 }, requestId, SQS_XML_NAMESPACE));
  }
}

/** The Query protocol's flattened XML for the outputs above (lists repeat their member's element name). */
function resultXml(output: Json): string {
  const parts: string[] = [];
  const element = (name: string, value: unknown) => `<${name}>${escapeXml(String(value))}</${name}>`;
  const attributeList = (name: string, attributes: Record<string, unknown>) =>
    Object.entries(attributes)
      .map(([key, value]) => `<${name}>${element('Name', key)}${element('Value', value)}</${name}>`)
      .join('');
  for (const [key, value] of Object.entries(output)) {
    if (key === 'QueueUrls') parts.push(...(value as string[]).map((url) => element('QueueUrl', url)));
    else if (key === 'Attributes') parts.push(attributeList('Attribute', value as Record<string, unknown>));
    else if (key === 'Messages') {
      for (const message of value as Json[]) {
        const { Attributes, MessageAttributes, ...fields } = message;
        const attributes = MessageAttributes as Record<string, MessageAttributeValue> | undefined;
        parts.push(
          `<Message>${Object.entries(fields).map(([k, v]) => element(k, v)).join('')}` +
            attributeList('Attribute', (Attributes ?? {}) as Record<string, unknown>) +
            Object.entries(attributes ?? {})
              .map(
                ([name, a]) =>
                  `<MessageAttribute>${element('Name', name)}<Value>${element('DataType', a.DataType)}` +
                  `${a.StringValue !== undefined ? element('StringValue', a.StringValue) : ''}${a.BinaryValue !== undefined ? element('BinaryValue', a.BinaryValue) : ''}</Value></MessageAttribute>`,
              )
              .join('') +
            `</Message>`,
        );
      }
    } else if (key === 'Successful' || key === 'Failed') {
      const name = key === 'Failed' ? 'BatchResultErrorEntry' : `${'MessageId' in ((value as Json[])[0] ?? {}) ? 'SendMessageBatchResultEntry' : 'DeleteMessageBatchResultEntry'}`;
      for (const entry of value as Json[]) parts.push(`<${name}>${Object.entries(entry).map(([k, v]) => element(k, v)).join('')}</${name}>`);
    } else parts.push(element(key, value));
  }
  return parts.join('');
}

function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
