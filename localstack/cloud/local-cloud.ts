// The embedded local cloud: DynamoDB Local, an MQTT broker, SNS, the IoT data plane and topic-rule engine,
// and serverless-offline, started in order and stopped in reverse. `npm start` and the integration tests
// both use this one function.
import { startDynamoDbLocal } from './dynamodb-local';
import { startEdgeServer } from './edge-server';
import { startRuleEngine, type RuleEngine } from './iot/rule-engine';
import { createIotDataPlane } from './iot-data';
import { createIotControlPlane, iotPoliciesOf } from './iot-control';
import { createLambdaInvoker } from './lambda-invoker';
import { startMqttBroker } from './mqtt-broker';
import { startOffline } from './offline';
import { assertPortsFree, portsFromEnv, type LocalPorts } from './ports';
import { describeLocalCloud, resolveService } from './service-definition';
import { createSnsEmulator, type SnsEmulator } from './sns';
import { createSecretsManagerEmulator } from './secrets-manager';
import { keyDocuments, localSigningKeys } from './signing-keys';
import { createSsmEmulator } from './ssm';
import { ensureTables } from './tables';
import { DEMO_SITE_ID, seedDemoData } from '../seed/demo-data';
import { LOCAL_REGION } from './types';

export interface LocalCloudOptions {
  stage?: string;
  /** Keep DynamoDB data on disk here across restarts; in memory when absent. */
  dataDir?: string;
  log?: (message: string, extra?: object) => void;
  /** serverless-offline's own output (build messages, request lines). */
  onOfflineOutput?: (line: string) => void;
  /** Ctrl-C during start-up: whatever already runs is stopped and the start rejects. */
  signal?: AbortSignal;
}

export interface DemoUser { role: string; email: string; password: string; userId: string }

export interface LocalCloud {
  ports: LocalPorts;
  /** Environment a client needs to reach this cloud (SDK, AWS CLI, tests). */
  env: Record<string, string>;
  sns: SnsEmulator;
  rules: RuleEngine;
  /** The seeded demo users (owner, manager, staff of the demo site). */
  demoUsers: DemoUser[];
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
      MQTT_HEALTH_URL: `mqtt://127.0.0.1:${ports.mqtt}`,
      BRIGADE_API_URL: `http://127.0.0.1:${ports.http}`,
      BRIGADE_WEBSOCKET_URL: `ws://127.0.0.1:${ports.websocket}`,
      BRIGADE_MQTT_URL: `mqtt://127.0.0.1:${ports.mqtt}`,
      BRIGADE_STAGE: stage,
    };
    // Locally, serverless-offline runs the TypeScript handlers directly (through tsx) instead of bundling every
    // function first; `osls package` and deploys still bundle each function with esbuild.
    const childEnv = { ...process.env, ...env, ...portEnv(ports), BRIGADE_BUNDLER: process.env.BRIGADE_BUNDLER ?? 'none' };

    const dynamodbStarting = startDynamoDbLocal({ port: ports.dynamodb, dataDir: options.dataDir });
    // Registered before awaiting, so a failure elsewhere during start-up still stops the JVM.
    stops.push(async () => (await dynamodbStarting.catch(() => undefined))?.stop());
    const [service, dynamodb] = await Promise.all([resolveService(stage, childEnv), dynamodbStarting]);
    const definition = describeLocalCloud(service);
    log('dynamodb local ready', { endpoint: dynamodb.endpoint });
    options.signal?.throwIfAborted();

    // Devices provisioned through it are held to the stack's IoT policy on the local broker too.
    const iotControl = createIotControlPlane({
      brokerAddress: `127.0.0.1:${ports.mqtt}`,
      edgeAddress: `127.0.0.1:${ports.edge}`,
      policies: iotPoliciesOf(service.resources?.Resources ?? {}),
    });
    const broker = await startMqttBroker(ports.mqtt, iotControl);
    stops.push(() => broker.stop());
    log('mqtt broker ready', { url: broker.url });
    options.signal?.throwIfAborted();

    const invokeLambda = createLambdaInvoker(ports.lambda);
    stops.push(async () => invokeLambda.destroy());
    const sns = createSnsEmulator({ invokeLambda, log });
    const ssm = createSsmEmulator();
    const secretsManager = createSecretsManagerEmulator();
    if (definition.auth) {
      const documents = keyDocuments(await localSigningKeys(stage));
      secretsManager.putSecret(definition.auth.signingKeysSecret, documents.secret);
      ssm.putParameter(definition.auth.jwksParameter, documents.jwks);
    }
    const dataPlane = createIotDataPlane({ broker, log });
    await dataPlane.start();
    stops.push(() => dataPlane.stop());

    // The rule engine compiles every rule now (bad SQL stops the start) but only runs once functions answer.
    let rules: RuleEngine | undefined;
    const edge = await startEdgeServer({
      port: ports.edge,
      dynamodbPort: ports.dynamodb,
      services: [
        sns,
        ssm,
        secretsManager,
        dataPlane,
        iotControl,
        { name: 'iot-rules', handle: (req, body, res) => (rules ? rules.handle(req, body, res) : Promise.resolve(false)) },
      ],
      log,
    });
    stops.push(() => edge.stop());
    log('edge ready', { url: edge.url });
    options.signal?.throwIfAborted();

    const created = await ensureTables(dynamodb.client, definition.tables);
    for (const topic of definition.topics) sns.createTopic(topic.name);
    for (const s of definition.subscriptions) {
      sns.subscribe(s.topicArn, 'lambda', `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:${s.functionName}`, s.attributes);
    }
    log('resources created', {
      tables: definition.tables.length,
      newTables: created.length,
      topics: definition.topics.length,
      subscriptions: definition.subscriptions.length,
    });

    const offline = await startOffline({
      stage,
      env: childEnv,
      healthUrl: `http://127.0.0.1:${ports.http}/health`,
      onOutput: options.onOfflineOutput ?? (() => undefined),
      signal: options.signal,
    });
    stops.push(() => offline.stop());
    log('serverless offline ready', { http: env.BRIGADE_API_URL });
    options.signal?.throwIfAborted();

    rules = await startRuleEngine({ rules: definition.rules, broker, invokeLambda, log });
    stops.push(() => rules!.stop());
    log('iot rules running', { rules: definition.rules.map((r) => r.name) });
    options.signal?.throwIfAborted();

    const seeded = await seedDemoData(env, stage);
    log('demo data seeded', { created: seeded.created });
    const owner = seeded.credentials.find((c) => c.role === 'owner')!;
    Object.assign(env, { BRIGADE_OWNER_EMAIL: owner.email, BRIGADE_OWNER_PASSWORD: owner.password, BRIGADE_DEMO_SITE: DEMO_SITE_ID });

    return { ports, env, sns, rules, demoUsers: seeded.credentials, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function portEnv(ports: LocalPorts): Record<string, string> {
  return {
    BRIGADE_HTTP_PORT: String(ports.http),
    BRIGADE_WEBSOCKET_PORT: String(ports.websocket),
    BRIGADE_LAMBDA_PORT: String(ports.lambda),
  };
}
