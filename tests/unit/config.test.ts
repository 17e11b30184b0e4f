import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import * as z from 'zod';
import { csvList, loadConfig, optionalString } from '#shared/config';
import { describeLocalCloud, resolveService, type ResolvedService } from '../../local-cloud/service-definition';

describe('loadConfig', () => {
  const schema = z.object({ TABLE_NAME: z.string().min(1), TOPICS: csvList, MQTT: optionalString });

  it('parses and transforms', () => {
    expect(loadConfig(schema, { TABLE_NAME: 't', TOPICS: 'a, b,,c', MQTT: '' })).toEqual({ TABLE_NAME: 't', TOPICS: ['a', 'b', 'c'], MQTT: undefined });
  });

  it('fails fast naming the variable', () => {
    expect(() => loadConfig(schema, {})).toThrow(/TABLE_NAME/);
  });
});

// resources/domains.js assembles the service from `custom.domains`; Serverless calls it with `{ resolveVariable }`.
describe('the domains resolver', () => {
  const domains = require('../../resources/domains.js') as Record<
    'functions' | 'resources',
    (input: { resolveVariable: (variable: string) => Promise<unknown> }) => Promise<Record<string, any>>
  >;
  /**
   * Reads files as the framework's file() source would (variables inside left unresolved), some replaced; a file's
   * key with `file(path):key`; the telemetry transport param (`stream` unless replaced).
   */
  const resolver = (names: string[], replaced: Record<string, unknown> = {}) => ({
    resolveVariable: async (variable: string) => {
      if (variable === 'self:custom.domains') return names;
      if (variable === 'param:telemetryTransport') return replaced[variable] ?? 'stream';
      const [, file, key] = /^file\((.+?)\)(?::(\w+))?$/.exec(variable) ?? [];
      if (!file) throw new Error(`unexpected variable ${variable}`);
      const content = (replaced[file] ?? parse(readFileSync(join(__dirname, '../..', file), 'utf8'))) as Record<string, unknown>;
      return key ? content[key] : content;
    },
  });

  it('merges each domain’s functions and resources with the shared ones', async () => {
    const functions = await domains.functions(resolver(['users', 'orders']));
    expect(functions).toMatchObject({ login: { role: 'UsersRole' }, createOrder: { role: 'OrdersRole' } });
    const { Resources } = await domains.resources(resolver(['users', 'orders']));
    expect(Object.keys(Resources)).toEqual(expect.arrayContaining(['EventsTopic', 'RevocationsTable', 'UsersTable', 'OrdersRole']));
  });

  it('a function or resource declared twice fails, naming both files (merged, one would replace the other)', async () => {
    await expect(domains.functions(resolver(['users', 'orders'], { 'functions/orders/functions.yml': { login: { handler: 'x.handler' } } }))).rejects.toThrow(
      'functions.login is declared in both functions/users/functions.yml and functions/orders/functions.yml',
    );
    const ordersTakesTheEventsTopic = { Resources: { EventsTopic: { Type: 'AWS::SNS::Topic' } } };
    await expect(domains.resources(resolver(['orders'], { 'functions/orders/resources.yml': ordersTakesTheEventsTopic }))).rejects.toThrow(
      'Resources.EventsTopic is declared in both resources/topics.yml and functions/orders/resources.yml',
    );
  });

  it('every dead-letter queue the functions name gets a depth alarm; one that is not a queue of the stack fails', async () => {
    const { Resources } = await domains.resources(resolver(['gateway', 'users', 'orders', 'iot', 'notifications']));
    expect(Object.keys(Resources).filter((id) => id.endsWith('DepthAlarm')).sort()).toEqual([
      'IotDeadLetterQueueDepthAlarm',
      'NotificationsDeadLetterQueueDepthAlarm',
      'OrdersDeadLetterQueueDepthAlarm',
      'TelemetryDeadLetterQueueDepthAlarm',
    ]);
    const iotWithoutItsQueue = { Resources: { IotTable: { Type: 'AWS::DynamoDB::Table' } } };
    await expect(domains.resources(resolver(['iot'], { 'functions/iot/resources.yml': iotWithoutItsQueue }))).rejects.toThrow(
      'IotDeadLetterQueue is used as a dead-letter queue but is not an AWS::SQS::Queue of this stack',
    );
  });

  it('a resource that resolves to null (the telemetry transport not chosen) is left out', async () => {
    const iot = { Resources: { IotTable: { Type: 'AWS::DynamoDB::Table' }, TelemetryStream: null, IotDeadLetterQueue: { Type: 'AWS::SQS::Queue' }, TelemetryDeadLetterQueue: { Type: 'AWS::SQS::Queue' } } };
    const { Resources } = await domains.resources(resolver(['iot'], { 'functions/iot/resources.yml': iot }));
    expect(Object.keys(Resources)).toContain('IotTable');
    expect(Object.keys(Resources)).not.toContain('TelemetryStream');
  });

  it('a telemetryTransport with no file of its own fails, naming the choices', async () => {
    const typo = resolver(['iot'], { 'param:telemetryTransport': 'sqs' });
    await expect(domains.resources(typo)).rejects.toThrow('telemetryTransport is "sqs": it is one of stream, queue');
    await expect(domains.functions(typo)).rejects.toThrow('telemetryTransport is "sqs": it is one of stream, queue');
  });

  it('a domain without its files fails, naming the file', async () => {
    await expect(domains.functions(resolver(['users', 'nope']))).rejects.toThrow('functions/nope/functions.yml is missing');
    await expect(domains.resources(resolver(['nope']))).rejects.toThrow('functions/nope/resources.yml is missing');
  });
});

describe('the telemetry transport (`telemetryTransport`, osls print --stage local with BRIGADE_TELEMETRY_TRANSPORT)', () => {
  type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;
  let stream: ResolvedService & { resources: { Resources: Resources } };
  let queue: ResolvedService & { resources: { Resources: Resources } };
  beforeAll(async () => {
    const resolve = (transport: string) => resolveService('local', { ...process.env, BRIGADE_BUNDLER: 'none', BRIGADE_TELEMETRY_TRANSPORT: transport });
    [stream, queue] = (await Promise.all([resolve('stream'), resolve('queue')])) as [typeof stream, typeof stream];
  }, 90_000);
  const telemetryIds = (service: typeof stream) => Object.keys(service.resources.Resources).filter((id) => id.startsWith('Telemetry')).sort();

  it('stream: a Kinesis stream keyed by device, read in ordered batches; behind = IteratorAge', () => {
    expect(telemetryIds(stream)).toEqual(['TelemetryDeadLetterQueue', 'TelemetryDeadLetterQueueDepthAlarm', 'TelemetryIngestBehindAlarm', 'TelemetryRule', 'TelemetryRuleErrorInvokePermission', 'TelemetryRuleRole', 'TelemetryStream']);
    const definition = describeLocalCloud(stream);
    expect(definition.kinesisEvents.map((e) => [e.functionName, e.streamName, e.onFailureQueueName])).toEqual([['brigade-local-ingestTelemetry', 'brigade-local-iot-telemetry', 'brigade-local-iot-telemetry-dlq']]);
    expect(definition.sqsEvents.filter((e) => e.functionName.endsWith('ingestTelemetry'))).toEqual([]);
    expect(stream.resources.Resources.TelemetryRuleRole!.Properties.Policies[0].PolicyDocument.Statement).toEqual([{ Effect: 'Allow', Action: 'kinesis:PutRecord', Resource: { 'Fn::GetAtt': ['TelemetryStream', 'Arn'] } }]);
  });

  it('queue: an SQS queue read in batches of 100, its messages in the DLQ after 5 receives; behind = the oldest message\'s age; no stream', () => {
    expect(telemetryIds(queue)).toEqual(['TelemetryDeadLetterQueue', 'TelemetryDeadLetterQueueDepthAlarm', 'TelemetryIngestBehindAlarm', 'TelemetryQueue', 'TelemetryRule', 'TelemetryRuleErrorInvokePermission', 'TelemetryRuleRole']);
    const { Resources } = queue.resources;
    expect(Resources.TelemetryQueue!.Properties).toMatchObject({ QueueName: 'brigade-local-iot-telemetry', VisibilityTimeout: 360, RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['TelemetryDeadLetterQueue', 'Arn'] }, maxReceiveCount: 5 } });
    expect(Resources.TelemetryIngestBehindAlarm!.Properties).toMatchObject({ Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 60, AlarmActions: [{ Ref: 'OpsAlarmsTopic' }] });
    expect(Resources.TelemetryRule!.Properties.TopicRulePayload.Actions).toEqual([{ Sqs: { QueueUrl: { Ref: 'TelemetryQueue' }, RoleArn: { 'Fn::GetAtt': ['TelemetryRuleRole', 'Arn'] }, UseBase64: false } }]);
    expect(Resources.TelemetryRuleRole!.Properties.Policies[0].PolicyDocument.Statement).toEqual([{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': ['TelemetryQueue', 'Arn'] } }]);
    const ingestRead = Resources.IotRole!.Properties.Policies[0].PolicyDocument.Statement.filter((s: { Resource: unknown }) => JSON.stringify(s.Resource).includes('TelemetryQueue'));
    expect(ingestRead.map((s: { Action: string[] }) => s.Action)).toEqual([['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility']]);
    expect(JSON.stringify(Resources)).not.toContain('TelemetryStream');
    // The local cloud runs the same: the rule's SQS action, the queue's event source, no stream.
    const definition = describeLocalCloud(queue);
    expect(definition.kinesisStreams).toEqual([]);
    expect(definition.kinesisEvents).toEqual([]);
    expect(definition.sqsEvents.filter((e) => e.functionName.endsWith('ingestTelemetry'))).toEqual([
      expect.objectContaining({ queueName: 'brigade-local-iot-telemetry', batchSize: 100, maximumBatchingWindowS: 1, reportBatchItemFailures: true }),
    ]);
  });
});

describe('the resolved service (osls print --stage local)', () => {
  let service: ResolvedService & { resources: { Resources: Record<string, { Type: string; Properties: Record<string, any> }> } };
  beforeAll(async () => {
    service = (await resolveService('local', { ...process.env, BRIGADE_BUNDLER: 'none' })) as typeof service;
  }, 60_000);
  const resourcesOf = (type: string) => Object.entries(service.resources.Resources).filter(([, resource]) => resource.Type === type);
  const statusEnvironment = () => (service.functions.status as unknown as { environment: { STATUS_TABLES: string; STATUS_TOPICS: string } }).environment;

  it('/status checks every table and every topic of the stage', () => {
    const tables = resourcesOf('AWS::DynamoDB::Table').map(([, table]) => table.Properties.TableName);
    const topics = resourcesOf('AWS::SNS::Topic').map(([, topic]) => `arn:aws:sns:us-east-1:000000000000:${topic.Properties.TopicName}`);
    // The two a hand-kept list once missed.
    expect(tables).toContain('brigade-local-notifications');
    expect(topics).toContain('arn:aws:sns:us-east-1:000000000000:brigade-local-notification-email');
    expect(statusEnvironment().STATUS_TABLES.split(',').sort()).toEqual(tables.sort());
    expect(statusEnvironment().STATUS_TOPICS.split(',').sort()).toEqual(topics.sort());
  });

  it('every function behind the HTTP API ends before the API gives up on it (30 s), so none completes after its 503', () => {
    const provider = service.provider as { timeout?: number };
    const http = Object.entries(service.functions).filter(([, fn]) => (fn.events ?? []).some((event) => 'httpApi' in event));
    expect(http.length).toBeGreaterThan(100);
    const tooLong = http.map(([name, fn]) => [name, (fn as { timeout?: number }).timeout ?? provider.timeout ?? 6] as const).filter(([, timeout]) => timeout >= 30);
    expect(tooLong).toEqual([]);
  });

  it('X-Ray active tracing on every function, and every role the functions run as may send traces', () => {
    expect((service.provider as { tracing?: unknown }).tracing).toEqual({ lambda: true });
    const roles = new Set(Object.values(service.functions).map((fn) => (fn as unknown as { role: string }).role));
    expect(roles.size).toBeGreaterThanOrEqual(5);
    for (const role of roles) {
      expect(service.resources.Resources[role]!.Properties.ManagedPolicyArns).toContain('arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess');
    }
  });

  it('the HTTP API writes a JSON access log with the request id, route, status, latency and integration error', () => {
    const format = (service.provider as { logs?: { httpApi?: { format?: string } } }).logs?.httpApi?.format;
    const fields = JSON.parse(format ?? 'null') as Record<string, string>;
    expect(fields).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      responseLatencyMs: '$context.responseLatency',
      integrationError: '$context.integrationErrorMessage',
    });
  });

  it('alarms page the ops topic: the API 5xx, Lambda errors and throttles, telemetry ingest behind its stream, and the depth of every queue a function uses as its DLQ', () => {
    const alarms = resourcesOf('AWS::CloudWatch::Alarm');
    for (const [, alarm] of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: 'OpsAlarmsTopic' }]);
    const on = (namespace: string, metric: string) => alarms.filter(([, a]) => a.Properties.Namespace === namespace && a.Properties.MetricName === metric);
    expect(on('AWS/ApiGateway', '5xx').map(([, a]) => a.Properties.Dimensions)).toEqual([[{ Name: 'ApiId', Value: { Ref: 'HttpApi' } }]]);
    expect(on('AWS/Lambda', 'Errors')).toHaveLength(1);
    expect(on('AWS/Lambda', 'Throttles')).toHaveLength(1);
    expect(on('AWS/Lambda', 'IteratorAge').map(([, a]) => [a.Properties.Dimensions, a.Properties.Threshold])).toEqual([
      [[{ Name: 'FunctionName', Value: 'brigade-local-ingestTelemetry' }], 60_000],
    ]);

    const deadLetterQueues = new Set<string>();
    type OnFailure = { onFailure?: { arn: { 'Fn::GetAtt': [string] } } };
    for (const fn of Object.values(service.functions) as Array<{ destinations?: OnFailure; events?: Array<{ sns?: { redrivePolicy?: { deadLetterTargetRef: string } }; stream?: { destinations?: OnFailure } }> }>) {
      const onFailure = fn.destinations?.onFailure?.arn['Fn::GetAtt'][0];
      if (onFailure) deadLetterQueues.add(onFailure);
      for (const event of fn.events ?? []) {
        if (event.sns?.redrivePolicy) deadLetterQueues.add(event.sns.redrivePolicy.deadLetterTargetRef);
        const streamFailure = event.stream?.destinations?.onFailure?.arn['Fn::GetAtt'][0];
        if (streamFailure) deadLetterQueues.add(streamFailure);
      }
    }
    expect([...deadLetterQueues].sort()).toEqual([
      'AnalyticsDeadLetterQueue',
      'ForecastDeadLetterQueue',
      'InventoryDeadLetterQueue',
      'IotDeadLetterQueue',
      'NotificationsDeadLetterQueue',
      'OrdersDeadLetterQueue',
      'StaffDeadLetterQueue',
      'TelemetryDeadLetterQueue',
    ]);
    // And the queues' own redrive targets (the archive queue's).
    for (const [, queue] of resourcesOf('AWS::SQS::Queue')) {
      const target = queue.Properties.RedrivePolicy?.deadLetterTargetArn?.['Fn::GetAtt']?.[0];
      if (target) deadLetterQueues.add(target);
    }
    expect(deadLetterQueues).toContain('TelemetryDeadLetterQueue');
    expect(deadLetterQueues).toContain('ArchiveDeadLetterQueue');
    const watched = on('AWS/SQS', 'ApproximateNumberOfMessagesVisible').map(([, a]) => a.Properties.Dimensions[0].Value['Fn::GetAtt'][0]);
    expect(watched.sort()).toEqual([...deadLetterQueues].sort());
  });

  it('the ops topic takes an email subscription only when BRIGADE_ALARM_EMAIL is set', () => {
    const emailSubscriptions = resourcesOf('AWS::SNS::Subscription').filter(([, s]) => s.Properties.Protocol === 'email');
    expect(emailSubscriptions.map(([, s]) => (s as { Condition?: string }).Condition)).toEqual(['HasAlarmEmail']);
    const conditions = (service.resources as unknown as { Conditions: Record<string, unknown> }).Conditions;
    expect(conditions.HasAlarmEmail).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [process.env.BRIGADE_ALARM_EMAIL ?? '', ''] }] });
  });

  it('/status reads metadata only: its role has no data action', () => {
    expect(service.functions.status).toMatchObject({ role: 'GatewayRole' });
    const statements = service.resources.Resources.GatewayRole!.Properties.Policies.flatMap(
      (policy: { PolicyDocument: { Statement: Array<{ Action: string | string[] }> } }) => policy.PolicyDocument.Statement,
    );
    const actions = statements.flatMap((statement: { Action: string | string[] }) => statement.Action);
    // iot:Publish is the data plane's liveness probe, on brigade/status/ping only.
    expect(actions.sort()).toEqual(['dynamodb:DescribeTable', 'iot:Publish', 'sns:GetTopicAttributes']);
  });
});
