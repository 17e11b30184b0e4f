// Where the integration tests send their traffic: everything comes from the environment, so the same tests
// run against the embedded local cloud, LocalStack or a deployed AWS stage.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient } from '@aws-sdk/client-sns';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { connectAsync, type MqttClient } from 'mqtt';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { capabilitiesFromEnv, MISSING_REASON, type Capability } from '../../../scripts/localstack-capabilities';

export const target = process.env.BRIGADE_TARGET ?? 'local';
export const isLocal = target === 'local';
export const stage = process.env.BRIGADE_STAGE ?? target;
export const apiUrl = required('BRIGADE_API_URL');
export const region = process.env.AWS_REGION ?? 'us-east-1';
export const tableName = (domain: string) => `brigade-${stage}-${domain}`;
export const topicArn = (name: string) =>
  `arn:aws:sns:${region}:${process.env.BRIGADE_ACCOUNT_ID ?? '000000000000'}:brigade-${stage}-${name}`;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the integration tests through npm run test:integration`);
  return value;
}

const endpoint = (service: string) => process.env[`AWS_ENDPOINT_URL_${service}`] ?? process.env.AWS_ENDPOINT_URL;
const clientConfig = (service: string) => ({ region, ...(endpoint(service) ? { endpoint: endpoint(service) } : {}) });

export const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig('DYNAMODB')));
export const sns = new SNSClient(clientConfig('SNS'));
export const sqs = new SQSClient(clientConfig('SQS'));
/** HTTP/1.1, as scripts/aws-clients.ts explains. */
export const kinesis = new KinesisClient({ ...clientConfig('KINESIS'), requestHandler: new NodeHttpHandler() });
/** A queue's URL by name (the stack's queues are named brigade-{stage}-…). */
export const queueUrl = async (name: string) => (await sqs.send(new GetQueueUrlCommand({ QueueName: `brigade-${stage}-${name}` }))).QueueUrl!;
export const iotData = new IoTDataPlaneClient({
  ...clientConfig('IOT_DATA_PLANE'),
  ...(process.env.IOT_DATA_ENDPOINT ? { endpoint: `https://${process.env.IOT_DATA_ENDPOINT}` } : {}),
});

const hasCommand = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/**
 * For tests that drive external CLI clients (aws, mosquitto_pub). CI installs them (.ci/run sets CI=true), so
 * there a missing one fails the test; on a developer machine without them the suite is skipped, naming them.
 */
export const describeWithCommands = (commands: string[]) =>
  commands.every(hasCommand) || process.env.CI === 'true'
    ? describe
    : (name: string, fn: () => void) => describe.skip(`${name} (needs ${commands.join(', ')})`, fn);

/** Tests that read local-only inspection endpoints skip elsewhere, saying why. */
export const describeLocal = isLocal ? describe : describe.skip;
export const itLocal = (name: string, reason: string, fn: () => Promise<void>) =>
  isLocal ? it(name, fn) : it.skip(`${name} (skipped on ${target}: ${reason})`, fn);

/**
 * What the target can run: everything locally and on AWS; on LocalStack what its tier has, probed by
 * `npm run test:localstack` (scripts/localstack.ts) and passed in BRIGADE_CAPABILITIES.
 */
export const capabilities = capabilitiesFromEnv(process.env.BRIGADE_CAPABILITIES);

/** A suite that needs a capability the target lacks is skipped, with the reason in its name. */
export const describeNeeding = (...needed: Capability[]) => {
  const missing = needed.find((capability) => !capabilities[capability]);
  return missing === undefined
    ? describe
    : (name: string, fn: () => void) => describe.skip(`${name} (skipped on ${target}: ${MISSING_REASON[missing]})`, fn);
};

/** Locally plain MQTT; on AWS IoT Core (mqtts://<endpoint>:8883) with a device certificate from the env. */
export async function mqttClient(clientId: string): Promise<MqttClient> {
  const url = required('BRIGADE_MQTT_URL');
  const file = (name: string) => (process.env[name] ? readFileSync(process.env[name]!) : undefined);
  return connectAsync(url, {
    clientId,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: 5_000,
    cert: file('BRIGADE_MQTT_CERT_FILE'),
    key: file('BRIGADE_MQTT_KEY_FILE'),
    ca: file('BRIGADE_MQTT_CA_FILE'),
  });
}

export async function api(method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; rawBody?: string } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined = init.rawBody;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${apiUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json: json as any };
}

/** Polls until `check` returns a value other than undefined, or fails with the last value seen. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function uniqueId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
