// The embedded local cloud: DynamoDB Local, an MQTT broker, SNS, SQS and Kinesis (with Lambda's SQS and Kinesis event
// source mappings), SSM, Secrets Manager, STS, the IoT control and data planes, the IoT topic-rule engine and
// serverless-offline, started in order and stopped in reverse. What it creates comes from the resolved Serverless
// service (what `osls print` prints, handed over by serverless-offline's own osls); what a service needs beyond
// that (its own variables, configuration its functions read, demo data) the caller adds through the options below.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoDbLocal } from './dynamodb-local';
import { startStreamPoller, streamMappingsOf, type StreamPoller } from './dynamodb-streams';
import { startEdgeServer } from './edge-server';
import { startRuleEngine, type RuleEngine } from './iot/rule-engine';
import { createIotDataPlane } from './iot-data';
import { createIotControlPlane, iotPoliciesOf } from './iot-control';
import { createKinesisEmulator, startKinesisEventSources, type KinesisEmulator, type KinesisEventSources } from './kinesis';
import { createLambdaInvoker } from './lambda-invoker';
import { startMqttBroker } from './mqtt-broker';
import { resolvedServiceOf, startOffline } from './offline';
import { assertPortsFree, portsFromEnv, portVariable, type LocalPorts } from './ports';
import { describeLocalCloud, type LocalCloudDefinition, type ResolvedService } from './service-definition';
import { createSnsEmulator, type QueueSender, type SnsEmulator } from './sns';
import { createSqsEmulator, startSqsEventSources, type SqsEmulator, type SqsEventSources } from './sqs';
import { createSecretsManagerEmulator, type SecretsManagerEmulator } from './secrets-manager';
import { createSsmEmulator, type SsmEmulator } from './ssm';
import { createStsEmulator } from './sts';
import { ensureTables } from './tables';
import { LOCAL_REGION } from './types';

/** What `beforeFunctions` gets: the cloud with its resources created, before any function runs. */
export interface LocalCloudBootstrap {
  stage: string;
  ports: LocalPorts;
  /** The resolved Serverless service and what the local cloud read from it. */
  service: ResolvedService;
  definition: LocalCloudDefinition;
  env: Record<string, string>;
  sns: SnsEmulator;
  ssm: SsmEmulator;
  secretsManager: SecretsManagerEmulator;
}

export interface LocalCloudOptions {
  stage?: string;
  /** Keep DynamoDB data on disk here across restarts; in memory when absent. */
  dataDir?: string;
  log?: (message: string, extra?: object) => void;
  /** serverless-offline's own output (build messages, request lines). */
  onOfflineOutput?: (line: string) => void;
  /** Ctrl-C during start-up: whatever already runs is stopped and the start rejects. */
  signal?: AbortSignal;
  /**
   * Variables of the service on top of the AWS ones (region, credentials, endpoints): they go into `env` (what a
   * client of the cloud needs) and to the functions.
   */
  env?: (cloud: { stage: string; ports: LocalPorts }) => Record<string, string>;
  /** Variables for the service's own tooling only (serverless-offline and the osls in it), not into `env`. */
  serviceEnv?: Record<string, string>;
  /**
   * Runs once the tables, topics and subscriptions exist and before the functions start: configuration the
   * functions read (parameters, secrets) goes in here. A rejection stops the cloud and fails the start.
   */
  beforeFunctions?: (cloud: LocalCloudBootstrap) => Promise<void>;
}

export interface LocalCloud {
  stage: string;
  ports: LocalPorts;
  /** Environment a client needs to reach this cloud (SDK, AWS CLI, tests). */
  env: Record<string, string>;
  sns: SnsEmulator;
  rules: RuleEngine;
  /** The SQS emulator (the template's queues) and the functions' `sqs` event source mappings. */
  sqs: SqsEmulator;
  sqsEventSources: SqsEventSources;
  /** The Kinesis emulator (the template's streams) and the functions' kinesis `stream` event source mappings. */
  kinesis: KinesisEmulator;
  kinesisEventSources: KinesisEventSources;
  /** The DynamoDB stream event source mappings (functions' `stream` events). */
  streams: StreamPoller;
  stop(): Promise<void>;
}

export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const stage = options.stage ?? 'local';
  const log = options.log ?? (() => undefined);
  const ports = portsFromEnv();
  await assertPortsFree(ports);

  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const stopOne of stops.reverse()) await stopOne().catch((error: Error) => log('stop failed', { error: error.message }));
    stops.length = 0;
  };

  try {
    const edgeUrl = `http://127.0.0.1:${ports.edge}`;
    const env: Record<string, string> = {
      // Node 20.19+ is supported locally; Lambda runs nodejs22.x. Keep the SDK's Node 22 notice out of every log line.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_REGION: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL: edgeUrl,
      // Straight to DynamoDB Local: one hop fewer than through the edge port.
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${ports.dynamodb}`,
      // The Lambda invoke API is serverless-offline's, not the edge's: what a function invoking another one (the
      // archive's replay) and a script invoking a function reach.
      AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${ports.lambda}`,
      ...options.env?.({ stage, ports }),
    };
    const childEnv = { ...process.env, ...env, ...portEnv(ports), ...options.serviceEnv };

    const dynamodbStarting = startDynamoDbLocal({ port: ports.dynamodb, dataDir: options.dataDir, onWaiting: (message) => log(message), onAfterStart: (message) => log(message) });
    // Registered before awaiting, so a failure elsewhere during start-up still stops the JVM.
    stops.push(async () => (await dynamodbStarting.catch(() => undefined))?.stop());
    // serverless-offline boots (its own osls and plugins, seconds of CPU) beside DynamoDB Local's JVM: it needs only
    // the ports and variables, known now. Its osls hands over the resolved service as its start begins, so the
    // configuration is resolved once, not again in an `osls print` (offline-resolved-service.cjs). Until the
    // resources below exist nothing invokes a function but its readiness probe (`/health`, which calls nothing).
    const serviceDir = mkdtempSync(join(tmpdir(), 'brigade-service-'));
    stops.push(async () => rmSync(serviceDir, { recursive: true, force: true }));
    const serviceFile = join(serviceDir, 'service.json');
    const offlineAbort = new AbortController();
    const offlineStarting = startOffline({
      stage,
      env: childEnv,
      healthUrl: `http://127.0.0.1:${ports.http}/health`,
      onOutput: options.onOfflineOutput ?? (() => undefined),
      signal: options.signal ? AbortSignal.any([options.signal, offlineAbort.signal]) : offlineAbort.signal,
      serviceFile,
    });
    offlineStarting.catch(() => undefined); // awaited below; a rejection meanwhile is not unhandled
    // A failed start stops it (its readiness wait ends at the abort).
    stops.push(async () => {
      offlineAbort.abort();
      await (await offlineStarting.catch(() => undefined))?.stop();
    });
    const [service, dynamodb] = await Promise.all([resolvedServiceOf(serviceFile, offlineStarting), dynamodbStarting]);
    const definition = describeLocalCloud(service);
    log('dynamodb local ready', { endpoint: dynamodb.endpoint });
    options.signal?.throwIfAborted();

    // The rule engine compiles every rule now (bad SQL stops the start) but only runs once functions answer;
    // until then the edge leaves its paths to the other services and ListTopicRules lists none.
    const running: { rules?: RuleEngine } = {};
    // Devices provisioned through it are held to the stack's IoT policy on the local broker too.
    const iotControl = createIotControlPlane({
      brokerAddress: `127.0.0.1:${ports.mqtt}`,
      edgeAddress: `127.0.0.1:${ports.edge}`,
      policies: iotPoliciesOf(service.resources?.Resources ?? {}),
      topicRules: () => running.rules?.loaded() ?? [],
    });
    const broker = await startMqttBroker(ports.mqtt, iotControl);
    stops.push(() => broker.stop());
    log('mqtt broker ready', { url: broker.url });
    options.signal?.throwIfAborted();

    const invokeLambda = createLambdaInvoker(ports.lambda);
    stops.push(async () => invokeLambda.destroy());
    const sqs = createSqsEmulator({ edgeUrl });
    const queues: QueueSender = {
      send: (queueArn, body, attributes) => {
        const queue = sqs.queue(queueArn);
        if (!queue) throw new Error(`no queue ${queueArn}`);
        queue.send(body, { messageAttributes: attributes });
      },
    };
    const kinesis = createKinesisEmulator();
    const sns = createSnsEmulator({ invokeLambda, queues, log });
    const ssm = createSsmEmulator();
    const secretsManager = createSecretsManagerEmulator();
    const dataPlane = createIotDataPlane({ broker, log });
    await dataPlane.start();
    stops.push(() => dataPlane.stop());

    const edge = await startEdgeServer({
      port: ports.edge,
      dynamodbPort: ports.dynamodb,
      services: [
        sqs,
        kinesis,
        sns,
        ssm,
        secretsManager,
        createStsEmulator(),
        dataPlane,
        iotControl,
        { name: 'iot-rules', handle: (req, body, res) => running.rules?.handle(req, body, res) ?? Promise.resolve(false) },
      ],
      log,
    });
    stops.push(() => edge.stop());
    log('edge ready', { url: edge.url });
    options.signal?.throwIfAborted();

    const created = await ensureTables(dynamodb.client, definition.tables);
    for (const topic of definition.topics) sns.createTopic(topic.name);
    for (const queue of definition.queues) sqs.createQueue(queue.name, queue.attributes);
    for (const stream of definition.kinesisStreams) kinesis.createStream(stream);
    for (const s of definition.subscriptions) {
      if (s.protocol === 'sqs') sns.subscribe(s.topicArn, 'sqs', s.queueArn, s.attributes);
      else sns.subscribe(s.topicArn, 'lambda', `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:${s.functionName}`, s.attributes);
    }
    log('resources created', {
      tables: definition.tables.length,
      newTables: created.length,
      topics: definition.topics.length,
      queues: definition.queues.length,
      streams: definition.kinesisStreams.length,
      subscriptions: definition.subscriptions.length,
    });
    await options.beforeFunctions?.({ stage, ports, service, definition, env, sns, ssm, secretsManager });
    options.signal?.throwIfAborted();

    const offline = await offlineStarting;
    // Stopped before the emulators it calls, as if it had started here (stops run in reverse).
    stops.push(() => offline.stop());
    log('serverless offline ready', { http: `http://127.0.0.1:${ports.http}` });
    options.signal?.throwIfAborted();

    // Before the rule engine: a mapping reads from LATEST, so a record the rules put before it started would be lost.
    const kinesisEventSources = startKinesisEventSources({ kinesis, sqs, invokeLambda, mappings: definition.kinesisEvents, log });
    stops.push(() => kinesisEventSources.stop());
    log('kinesis event sources running', { functions: definition.kinesisEvents.filter((e) => e.enabled).map((e) => e.functionName) });

    const rules = await startRuleEngine({ rules: definition.rules, broker, invokeLambda, queues: sqs, kinesis, log });
    running.rules = rules;
    stops.push(() => rules.stop());
    log('iot rules running', { rules: definition.rules.map((r) => r.name) });
    options.signal?.throwIfAborted();

    // Like the rule engine, only once functions answer; each stream is read from LATEST from here on.
    const mappings = streamMappingsOf(service, definition.tables);
    const streams = await startStreamPoller({ endpoint: `http://127.0.0.1:${ports.dynamodb}`, mappings, invokeLambda, log });
    stops.push(() => streams.stop());
    log('stream mappings running', { functions: mappings.map((m) => m.functionName) });
    options.signal?.throwIfAborted();

    const sqsEventSources = startSqsEventSources({
      sqs,
      invokeLambda,
      mappings: definition.sqsEvents.map(({ queueName, ...mapping }) => ({ ...mapping, queue: queueName })),
      log,
    });
    stops.push(() => sqsEventSources.stop());
    log('sqs event sources running', { functions: definition.sqsEvents.map((e) => e.functionName) });

    return { stage, ports, env, sns, rules, streams, sqs, sqsEventSources, kinesis, kinesisEventSources, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** serverless-offline learns its ports from the same variables the ports were read from (ports.ts). */
function portEnv(ports: LocalPorts): Record<string, string> {
  const offlinePorts = ['http', 'websocket', 'lambda'] as const;
  return Object.fromEntries(offlinePorts.map((name) => [portVariable(name), String(ports[name])]));
}
