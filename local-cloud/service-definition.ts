// Reads the resolved Serverless service (serverless.yml + resources/) exactly as a deploy would see it, and
// extracts what the local cloud must create: tables, topics, subscriptions, queues, Kinesis streams, IoT topic rules
// and the event source mappings (sqs and kinesis events). The service is the project this folder sits in (its parent
// directory).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './types';

const exec = promisify(execFile);
export const PROJECT_ROOT = join(__dirname, '..');
export const OSLS_BIN = join(PROJECT_ROOT, 'node_modules', 'osls', 'bin', 'serverless.js');

type Cfn = Record<string, unknown>;
interface CfnResource { Type: string; Properties?: Cfn }
interface ServerlessFunction { name: string; handler: string; events?: Array<Record<string, unknown>> }
export interface ResolvedService {
  service: string;
  custom?: Record<string, unknown>;
  provider: { stage: string; region?: string };
  functions: Record<string, ServerlessFunction>;
  resources?: { Resources?: Record<string, CfnResource> };
}

export interface TableDefinition { logicalId: string; properties: Cfn }
export interface TopicDefinition { logicalId: string; name: string; arn: string }
/** A function subscribed to a topic, or one of the service's queues (the queue's ARN). */
export type SubscriptionDefinition = { topicArn: string; attributes: Record<string, string> } & (
  | { protocol: 'lambda'; functionName: string }
  | { protocol: 'sqs'; queueArn: string }
);
export interface RuleAction {
  lambda?: { functionName: string };
  republish?: { topic: string; qos: 0 | 1 };
  /** The queue's name; with useBase64 the message body is the base64 of the SELECT output's JSON. */
  sqs?: { queueName: string; useBase64: boolean };
  /** The stream's name; the partition key is a substitution template (`${topic(2)}/${topic(4)}`). */
  kinesis?: { streamName: string; partitionKey: string };
}
/** An AWS::SQS::Queue with the attributes the local emulator honours (CreateQueue's names, string values). */
export interface QueueDefinition {
  logicalId: string;
  name: string;
  arn: string;
  attributes: Record<string, string>;
}
/** A function's `sqs` event: Lambda's event source mapping. */
export interface SqsEventDefinition {
  functionName: string;
  queueName: string;
  batchSize?: number;
  maximumBatchingWindowS?: number;
  reportBatchItemFailures: boolean;
  maximumConcurrency?: number;
  enabled: boolean;
}
/** An AWS::Kinesis::Stream. */
export interface KinesisStreamDefinition {
  logicalId: string;
  name: string;
  arn: string;
  shardCount: number;
  /** RetentionPeriodHours (AWS's default 24): how long GetRecords can read a record again. */
  retentionHours: number;
}
/** A function's `stream` event of type kinesis: Lambda's Kinesis event source mapping. */
export interface KinesisEventDefinition {
  functionName: string;
  streamName: string;
  batchSize: number;
  maximumBatchingWindowS: number;
  parallelizationFactor: number;
  startingPosition: 'LATEST' | 'TRIM_HORIZON';
  reportBatchItemFailures: boolean;
  /** -1: retry until the record expires (AWS's default). */
  maximumRetryAttempts: number;
  /** The SQS queue (`destinations.onFailure`) that gets the batch's place in the stream when its retries run out. */
  onFailureQueueName?: string;
  enabled: boolean;
}
export interface RuleDefinition {
  name: string;
  sql: string;
  sqlVersion?: string;
  disabled: boolean;
  actions: RuleAction[];
  errorAction?: RuleAction;
}

export interface LocalCloudDefinition {
  tables: TableDefinition[];
  topics: TopicDefinition[];
  subscriptions: SubscriptionDefinition[];
  rules: RuleDefinition[];
  queues: QueueDefinition[];
  sqsEvents: SqsEventDefinition[];
  kinesisStreams: KinesisStreamDefinition[];
  kinesisEvents: KinesisEventDefinition[];
  functionNames: string[];
}

/** Shards an ON_DEMAND stream gets locally (AWS starts one with 4). */
export const ON_DEMAND_SHARDS = 4;

export async function resolveService(stage: string, env: NodeJS.ProcessEnv): Promise<ResolvedService> {
  const { stdout } = await exec(process.execPath, [OSLS_BIN, 'print', '--stage', stage, '--format', 'json'], {
    cwd: PROJECT_ROOT,
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as ResolvedService;
}

export function describeLocalCloud(service: ResolvedService): LocalCloudDefinition {
  const region = service.provider.region ?? LOCAL_REGION;
  const resources = service.resources?.Resources ?? {};
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

  // Serverless names a function's CloudFormation resource `<Name>LambdaFunction`; rules refer to it that way.
  const functionByLogicalId = new Map(
    Object.entries(service.functions).map(([key, fn]) => [`${normalizeName(key)}LambdaFunction`, fn.name]),
  );

  const topics = ofType('AWS::SNS::Topic').map(([logicalId, r]) => {
    const name = String(r.Properties?.TopicName ?? `${service.service}-${logicalId}`);
    return { logicalId, name, arn: `arn:aws:sns:${region}:${LOCAL_ACCOUNT_ID}:${name}` };
  });
  const topicArnOf = (ref: unknown): string => {
    if (typeof ref === 'string') return ref;
    const logicalId = (ref as { Ref?: string }).Ref;
    const topic = topics.find((t) => t.logicalId === logicalId);
    if (!topic) throw new Error(`subscription refers to unknown topic ${JSON.stringify(ref)}`);
    return topic.arn;
  };
  const functionOf = (ref: unknown): string => {
    const target = (ref as { 'Fn::GetAtt'?: [string, string]; Ref?: string }) ?? {};
    const logicalId = target['Fn::GetAtt']?.[0] ?? target.Ref;
    const name = typeof ref === 'string' ? ref.split(':').pop() : logicalId && functionByLogicalId.get(logicalId);
    if (!name) throw new Error(`rule action refers to unknown function ${JSON.stringify(ref)}`);
    return name;
  };
  const queues = ofType('AWS::SQS::Queue').map(([logicalId, r]) => {
    const p = r.Properties ?? {};
    const name = String(p.QueueName ?? `${service.service}-${logicalId}`);
    return { logicalId, name, arn: `arn:aws:sqs:${region}:${LOCAL_ACCOUNT_ID}:${name}`, properties: p };
  });
  // A queue is named by its ARN (Fn::GetAtt [Queue, Arn]), its URL (Ref) or a literal ARN/URL.
  const queueOf = nameOfResource(queues, 'queue');
  const kinesisStreams = ofType('AWS::Kinesis::Stream').map(([logicalId, r]) => {
    const name = String(r.Properties?.Name ?? `${service.service}-${logicalId}`);
    const retentionHours = Number(r.Properties?.RetentionPeriodHours ?? 24);
    if (!Number.isInteger(retentionHours) || retentionHours < 24 || retentionHours > 8760) throw new Error(`stream ${logicalId}: RetentionPeriodHours must be an integer from 24 to 8760, got ${JSON.stringify(r.Properties?.RetentionPeriodHours)}`);
    return { logicalId, name, arn: `arn:aws:kinesis:${region}:${LOCAL_ACCOUNT_ID}:stream/${name}`, shardCount: shardCountOf(logicalId, r.Properties ?? {}), retentionHours };
  });
  // A stream is named by its ARN (Fn::GetAtt [Stream, Arn]), its name (Ref) or a literal ARN/name.
  const streamOf = nameOfResource(kinesisStreams, 'stream');
  const actionOf = (action: Record<string, Record<string, unknown>>): RuleAction => {
    if (action.Lambda) return { lambda: { functionName: functionOf(action.Lambda.FunctionArn) } };
    if (action.Sqs) return { sqs: { queueName: queueOf(action.Sqs.QueueUrl, 'rule action'), useBase64: action.Sqs.UseBase64 === true } };
    if (action.Kinesis) {
      // A literal stream name the service does not define fails each message (to the error action), as on AWS.
      return { kinesis: { streamName: streamOf(action.Kinesis.StreamName, 'rule action'), partitionKey: partitionKeyOf(action.Kinesis.PartitionKey) } };
    }
    if (action.Republish) return { republish: { topic: String(action.Republish.Topic), qos: action.Republish.Qos === 1 ? 1 : 0 } };
    throw new Error(`rule action ${Object.keys(action).join(',')} is not supported by the local cloud`);
  };

  const subscriptions: SubscriptionDefinition[] = [];
  const rules: RuleDefinition[] = [];
  const sqsEvents: SqsEventDefinition[] = [];
  const kinesisEvents: KinesisEventDefinition[] = [];
  for (const fn of Object.values(service.functions)) {
    for (const event of fn.events ?? []) {
      if (isKinesisStreamEvent(event.stream)) {
        const kinesisEvent = kinesisEventOf(fn.name, event.stream, streamOf, queueOf);
        if (!kinesisStreams.some((s) => s.name === kinesisEvent.streamName)) {
          throw new Error(`the kinesis stream event of ${fn.name} refers to unknown stream ${JSON.stringify((event.stream as { arn?: unknown }).arn ?? event.stream)}`);
        }
        kinesisEvents.push(kinesisEvent);
      }
      if (event.sqs) {
        const sqs = (typeof event.sqs === 'object' && !('Fn::GetAtt' in (event.sqs as object)) ? event.sqs : { arn: event.sqs }) as Record<string, unknown>;
        const queueName = queueOf(sqs.arn, `the sqs event of ${fn.name}`);
        const batchSize = sqs.batchSize === undefined ? undefined : Number(sqs.batchSize);
        const maximumBatchingWindowS = sqs.maximumBatchingWindow === undefined ? undefined : Number(sqs.maximumBatchingWindow);
        checkSqsBatching(fn.name, queueName, batchSize, maximumBatchingWindowS);
        sqsEvents.push({
          functionName: fn.name,
          queueName,
          batchSize,
          maximumBatchingWindowS,
          reportBatchItemFailures: sqs.functionResponseType === 'ReportBatchItemFailures',
          maximumConcurrency: sqs.maximumConcurrency === undefined ? undefined : Number(sqs.maximumConcurrency),
          enabled: sqs.enabled !== false,
        });
      }
      if (event.sns) {
        const sns = event.sns as Record<string, unknown>;
        const attributes: Record<string, string> = {};
        if (sns.filterPolicy) attributes.FilterPolicy = JSON.stringify(sns.filterPolicy);
        if (sns.filterPolicyScope) attributes.FilterPolicyScope = String(sns.filterPolicyScope);
        const topicArn =
          sns.arn !== undefined
            ? topicArnOf(sns.arn)
            : `arn:aws:sns:${region}:${LOCAL_ACCOUNT_ID}:${String(sns.topicName ?? sns)}`;
        subscriptions.push({ topicArn, protocol: 'lambda', functionName: fn.name, attributes });
      }
      if (event.iot) {
        const iot = event.iot as Record<string, unknown>;
        rules.push({
          name: String(iot.name ?? `${fn.name}_iot`),
          sql: String(iot.sql),
          sqlVersion: iot.sqlVersion as string | undefined,
          disabled: iot.enabled === false,
          actions: [{ lambda: { functionName: fn.name } }],
        });
      }
    }
  }
  for (const [logicalId, r] of ofType('AWS::IoT::TopicRule')) {
    const payload = (r.Properties?.TopicRulePayload ?? {}) as Record<string, unknown>;
    rules.push({
      name: String(r.Properties?.RuleName ?? logicalId),
      sql: String(payload.Sql),
      sqlVersion: payload.AwsIotSqlVersion as string | undefined,
      disabled: payload.RuleDisabled === true,
      actions: ((payload.Actions ?? []) as Array<Record<string, Record<string, unknown>>>).map(actionOf),
      errorAction: payload.ErrorAction ? actionOf(payload.ErrorAction as Record<string, Record<string, unknown>>) : undefined,
    });
  }
  for (const [, r] of ofType('AWS::SNS::Subscription')) {
    const p = r.Properties ?? {};
    const attributes: Record<string, string> = {
      ...(p.FilterPolicy !== undefined && { FilterPolicy: JSON.stringify(p.FilterPolicy) }),
      ...(p.FilterPolicyScope !== undefined && { FilterPolicyScope: String(p.FilterPolicyScope) }),
      ...(p.RawMessageDelivery !== undefined && { RawMessageDelivery: String(p.RawMessageDelivery) }),
    };
    if (p.Protocol === 'lambda') subscriptions.push({ topicArn: topicArnOf(p.TopicArn), protocol: 'lambda', functionName: functionOf(p.Endpoint), attributes });
    if (p.Protocol === 'sqs') {
      const queueName = queueOf(p.Endpoint, 'an SNS subscription');
      subscriptions.push({ topicArn: topicArnOf(p.TopicArn), protocol: 'sqs', queueArn: `arn:aws:sqs:${region}:${LOCAL_ACCOUNT_ID}:${queueName}`, attributes });
    }
  }

  return {
    tables: ofType('AWS::DynamoDB::Table').map(([logicalId, r]) => ({ logicalId, properties: r.Properties ?? {} })),
    topics,
    subscriptions,
    rules,
    queues: queues.map(({ logicalId, name, arn, properties }) => ({ logicalId, name, arn, attributes: queueAttributesOf(properties, queueOf) })),
    sqsEvents,
    kinesisStreams,
    kinesisEvents,
    functionNames: Object.values(service.functions).map((fn) => fn.name),
  };
}

type NameOf = (ref: unknown, what: string) => string;

/**
 * Resolves a reference to one of `resources` to its name: Fn::GetAtt [Id, Arn] or Ref by logical id, or a literal
 * ARN, URL or name (its last `:` or `/` part).
 */
function nameOfResource(resources: ReadonlyArray<{ logicalId: string; name: string }>, kind: string): NameOf {
  return (ref, what) => {
    const target = (ref as { 'Fn::GetAtt'?: [string, string]; Ref?: string }) ?? {};
    const logicalId = target['Fn::GetAtt']?.[0] ?? target.Ref;
    const name = typeof ref === 'string' ? ref.split(/[:/]/).pop() : resources.find((r) => r.logicalId === logicalId)?.name;
    if (!name) throw new Error(`${what} refers to unknown ${kind} ${JSON.stringify(ref)}`);
    return name;
  };
}

/** ShardCount; an ON_DEMAND stream, which has none, gets ON_DEMAND_SHARDS locally. */
function shardCountOf(logicalId: string, properties: Cfn): number {
  const onDemand = (properties.StreamModeDetails as { StreamMode?: unknown } | undefined)?.StreamMode === 'ON_DEMAND';
  const shardCount = Number(properties.ShardCount ?? (onDemand ? ON_DEMAND_SHARDS : 1));
  if (!Number.isInteger(shardCount) || shardCount < 1) throw new Error(`stream ${logicalId}: ShardCount must be a positive integer, got ${JSON.stringify(properties.ShardCount)}`);
  return shardCount;
}

/**
 * A Kinesis action's PartitionKey: a substitution template, literal or in Fn::Sub with `${!…}` escapes (how a
 * template survives CloudFormation). A Fn::Sub with variables of its own is not resolved locally. None: a random key.
 */
function partitionKeyOf(value: unknown): string {
  if (value === undefined) return '${newuuid()}';
  if (typeof value === 'string') return value;
  const sub = (value as { 'Fn::Sub'?: unknown })['Fn::Sub'];
  if (typeof sub === 'string' && !/\$\{(?!!)/.test(sub)) return sub.replace(/\$\{!/g, '${');
  throw new Error(`a Kinesis rule action's PartitionKey ${JSON.stringify(value)} is not supported by the local cloud (a string, or Fn::Sub with only \${!…} escapes)`);
}

/** A function's `stream` event of type kinesis (`type: kinesis`, or a Kinesis ARN without a type). */
export function isKinesisStreamEvent(stream: unknown): boolean {
  if (typeof stream === 'string') return stream.startsWith('arn:aws:kinesis:');
  if (!stream || typeof stream !== 'object') return false;
  const { type, arn } = stream as { type?: unknown; arn?: unknown };
  return type === 'kinesis' || (type === undefined && typeof arn === 'string' && arn.startsWith('arn:aws:kinesis:'));
}

/** The event source mapping of a kinesis `stream` event; what the local mapping does not emulate stops the start. */
function kinesisEventOf(functionName: string, event: unknown, streamOf: NameOf, queueOf: NameOf): KinesisEventDefinition {
  const stream = (typeof event === 'string' ? { arn: event } : event) as Record<string, unknown>;
  const unsupported = (what: string) => new Error(`${functionName}: ${what} on a kinesis stream event is not supported by the local cloud`);
  const bounded = (key: string, fallback: number, min: number, max: number) => {
    const value = Number(stream[key] ?? fallback);
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${functionName}: the kinesis stream event's ${key} must be an integer from ${min} to ${max}, got ${JSON.stringify(stream[key])}`);
    return value;
  };
  if (stream.bisectBatchOnFunctionError === true) throw unsupported('bisectBatchOnFunctionError');
  if (stream.tumblingWindowInSeconds !== undefined && Number(stream.tumblingWindowInSeconds) !== 0) throw unsupported('tumblingWindowInSeconds');
  if (stream.filterPatterns !== undefined) throw unsupported('filterPatterns');
  if (stream.maximumRecordAgeInSeconds !== undefined && Number(stream.maximumRecordAgeInSeconds) !== -1) throw unsupported('maximumRecordAgeInSeconds');
  // Serverless's default starting position for stream events.
  const startingPosition = stream.startingPosition ?? 'TRIM_HORIZON';
  if (startingPosition !== 'LATEST' && startingPosition !== 'TRIM_HORIZON') throw unsupported(`startingPosition ${String(startingPosition)}`);
  return {
    functionName,
    streamName: streamOf(stream.arn, `the kinesis stream event of ${functionName}`),
    batchSize: bounded('batchSize', 100, 1, 10_000),
    maximumBatchingWindowS: bounded('batchWindow', 0, 0, 300),
    parallelizationFactor: bounded('parallelizationFactor', 1, 1, 10),
    startingPosition,
    reportBatchItemFailures: stream.functionResponseType === 'ReportBatchItemFailures',
    maximumRetryAttempts: bounded('maximumRetryAttempts', -1, -1, 10_000),
    ...onFailureOf(functionName, stream.destinations, queueOf),
    enabled: stream.enabled !== false,
  };
}

/**
 * What Lambda's CreateEventSourceMapping refuses for an SQS queue, refused at start instead of at the first deploy:
 * a batch of 1 to 10,000 (10 at most from a FIFO queue), a batching window of 0 to 300 s (none on a FIFO queue), and
 * a batch above 10 only with a window of at least 1 s ("Maximum batch window in seconds must be greater than 0 if
 * maximum batch size is greater than 10").
 */
function checkSqsBatching(functionName: string, queueName: string, batchSize = 10, windowS = 0): void {
  const refuse = (why: string) => new Error(`${functionName}: the sqs event's ${why} (AWS refuses the event source mapping)`);
  const fifo = queueName.endsWith('.fifo');
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > (fifo ? 10 : 10_000)) throw refuse(`batchSize must be an integer from 1 to ${fifo ? 10 : 10_000}, got ${batchSize}`);
  if (!Number.isInteger(windowS) || windowS < 0 || windowS > 300) throw refuse(`maximumBatchingWindow must be an integer from 0 to 300 s, got ${windowS}`);
  if (fifo && windowS > 0) throw refuse('maximumBatchingWindow is not supported on a FIFO queue');
  if (batchSize > 10 && windowS < 1) throw refuse(`batchSize of ${batchSize} needs a maximumBatchingWindow of at least 1 s: above 10, Lambda gathers a batch over a window`);
}

/** `destinations.onFailure`: an SQS queue of the service (an ARN, or { arn, type: sqs }); SNS is not emulated. */
function onFailureOf(functionName: string, destinations: unknown, queueOf: NameOf): { onFailureQueueName?: string } {
  const onFailure = (destinations as { onFailure?: unknown } | undefined)?.onFailure;
  if (onFailure === undefined) return {};
  const { arn, type } = (typeof onFailure === 'string' ? { arn: onFailure } : onFailure) as { arn?: unknown; type?: unknown };
  const isSqs = type === 'sqs' || (type === undefined && typeof arn === 'string' && arn.startsWith('arn:aws:sqs:'));
  if (!isSqs) throw new Error(`${functionName}: an on-failure destination of type ${String(type ?? arn)} on a kinesis stream event is not supported by the local cloud (only sqs)`);
  return { onFailureQueueName: queueOf(arn, `the on-failure destination of ${functionName}`) };
}

/** CreateQueue's attributes from an AWS::SQS::Queue's properties; the redrive target's ARN resolved locally. */
function queueAttributesOf(properties: Cfn, queueOf: NameOf): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const name of ['VisibilityTimeout', 'MessageRetentionPeriod', 'DelaySeconds', 'ReceiveMessageWaitTimeSeconds', 'MaximumMessageSize']) {
    if (properties[name] !== undefined) attributes[name] = String(properties[name]);
  }
  const redrive = properties.RedrivePolicy as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown } | undefined;
  if (redrive) {
    const target = queueOf(redrive.deadLetterTargetArn, 'a redrive policy');
    attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${target}`, maxReceiveCount: Number(redrive.maxReceiveCount) });
  }
  return attributes;
}

/** Serverless's logical-id normalisation: first letter upper-cased, '-' → 'Dash', '_' → 'Underscore'. */
function normalizeName(name: string): string {
  const upper = name.charAt(0).toUpperCase() + name.slice(1);
  return upper.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
}
