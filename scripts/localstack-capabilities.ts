// What a running LocalStack can do for Brigade, asked of LocalStack itself: its tiers differ in services
// (README "LocalStack"), and a service outside the licence answers HTTP 501 rather than failing to connect.
// Used by scripts/localstack.ts before deploying and testing; the integration tests read the result from
// BRIGADE_CAPABILITIES (tests/integration/support/target.ts).
import { ApiGatewayV2Client, GetApisCommand, type Api } from '@aws-sdk/client-apigatewayv2';
import { DescribeEndpointCommand, IoTClient } from '@aws-sdk/client-iot';
import { GetThingShadowCommand, IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';

export type Capability = 'httpApi' | 'websocketApi' | 'iot' | 'iotData';
export type Capabilities = Record<Capability, boolean>;

export const ALL_CAPABILITIES: Capabilities = { httpApi: true, websocketApi: true, iot: true, iotData: true };

/** Why a suite is skipped when its capability is missing: what the tier lacks and which tier has it. */
export const MISSING_REASON: Record<Capability, string> = {
  httpApi: 'API Gateway v2 HTTP APIs are not in this LocalStack tier (needs localstack-pro with a Base licence or higher)',
  websocketApi: 'API Gateway v2 WebSocket APIs are not in this LocalStack tier (needs localstack-pro with a Base licence or higher)',
  iot: 'IoT Core (MQTT broker, topic rules, registry) is not in this LocalStack tier (needs localstack-pro with a Base licence or higher)',
  iotData: 'the IoT data plane (device shadows) is not in this LocalStack tier (LocalStack lists IoT Data under Ultimate)',
};

export interface ServiceProbe {
  available: boolean;
  /** LocalStack's own words when it refused, or what was found. */
  detail: string;
}

export interface LocalStackReport {
  apiGatewayV2: ServiceProbe & { apis: Api[] };
  iot: ServiceProbe & { endpointAddress?: string };
  iotData: ServiceProbe;
}

export class LocalStackUnreachableError extends Error {}

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * A modelled AWS error (ResourceNotFound, NotFound, …) means the service answered, so the tier has it. LocalStack
 * answers a service outside the licence, or left out of SERVICES, with HTTP 501 (InternalFailure). No answer at all
 * is not a tier question: it throws.
 */
export function classifyProbeError(error: unknown, endpoint: string): ServiceProbe {
  const e = error as SdkError;
  const status = e.$metadata?.httpStatusCode;
  if (status === undefined) {
    throw new LocalStackUnreachableError(
      `LocalStack did not answer at ${endpoint} (${e.code ?? e.name ?? 'error'}: ${e.message ?? String(error)}); start it with: docker compose up -d`,
    );
  }
  if (status === 501) return { available: false, detail: e.message || `HTTP 501 ${e.name ?? ''}`.trim() };
  return { available: true, detail: `answered ${e.name ?? 'an error'} (HTTP ${status})` };
}

async function probe<T>(endpoint: string, call: () => Promise<T>, found: (result: T) => string): Promise<ServiceProbe & { result?: T }> {
  try {
    const result = await call();
    return { available: true, detail: found(result), result };
  } catch (error) {
    return classifyProbeError(error, endpoint);
  }
}

export interface ProbeOptions {
  endpoint: string;
  region: string;
}

export async function probeLocalStack({ endpoint, region }: ProbeOptions): Promise<LocalStackReport> {
  // LocalStack ignores the secret; 'test' keys can never reach a real account.
  const config = { endpoint, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  const apigw = new ApiGatewayV2Client(config);
  const iot = new IoTClient(config);
  const iotData = new IoTDataPlaneClient(config);
  try {
    const apis = await probe(endpoint, () => apigw.send(new GetApisCommand({})), (r) => `${r.Items?.length ?? 0} API(s)`);
    const iotEndpoint = await probe(
      endpoint,
      () => iot.send(new DescribeEndpointCommand({ endpointType: 'iot:Data-ATS' })),
      (r) => `MQTT broker at ${r.endpointAddress}`,
    );
    // A thing no one created: a ResourceNotFoundException proves the data plane is there.
    const shadow = await probe(endpoint, () => iotData.send(new GetThingShadowCommand({ thingName: 'brigade-capability-probe' })), () => 'shadow read');
    return {
      apiGatewayV2: { available: apis.available, detail: apis.detail, apis: apis.result?.Items ?? [] },
      iot: { available: iotEndpoint.available, detail: iotEndpoint.detail, endpointAddress: iotEndpoint.result?.endpointAddress },
      iotData: { available: shadow.available, detail: shadow.detail },
    };
  } finally {
    apigw.destroy();
    iot.destroy();
    iotData.destroy();
  }
}

/** The capabilities of one deployed stage: a tier's services, and the stage's APIs actually deployed there. */
export function capabilitiesOf(report: LocalStackReport, stage: string): Capabilities {
  const apis = stageApis(report, stage);
  return {
    httpApi: report.apiGatewayV2.available && apis.http !== undefined,
    websocketApi: report.apiGatewayV2.available && apis.websocket !== undefined,
    iot: report.iot.available,
    iotData: report.iotData.available,
  };
}

/** The Serverless Framework names a stage's APIs `<stage>-<service>` and `<stage>-<service>-websockets`. */
export function stageApis(report: LocalStackReport, stage: string): { http?: Api; websocket?: Api } {
  const named = (name: string) => report.apiGatewayV2.apis.find((api) => api.Name === name);
  return { http: named(`${stage}-brigade`), websocket: named(`${stage}-brigade-websockets`) };
}

/**
 * LocalStack's broker address is `<account>.iot.<region>.localhost.localstack.cloud:<port>`, the port taken from the
 * external service range (4510-4559) that docker-compose.yml publishes on the edge's host: the edge's host name
 * reaches it without the public DNS name.
 */
export function mqttUrlFor(endpointAddress: string, edgeEndpoint: string): string {
  const port = endpointAddress.split(':').at(-1);
  if (!port || !/^\d+$/.test(port)) throw new Error(`LocalStack's IoT endpoint "${endpointAddress}" names no port`);
  return `mqtt://${new URL(edgeEndpoint).hostname}:${port}`;
}

/** The Lambda architecture that runs natively on this host (LocalStack runs functions in Docker containers). */
export function lambdaArchitectureFor(nodeArch: string): 'arm64' | 'x86_64' {
  return nodeArch === 'arm64' ? 'arm64' : 'x86_64';
}

/** BRIGADE_CAPABILITIES as scripts/localstack.ts writes it; unset means a target that has everything (local, AWS). */
export function capabilitiesFromEnv(value: string | undefined): Capabilities {
  if (!value) return { ...ALL_CAPABILITIES };
  const parsed = JSON.parse(value) as Partial<Capabilities>;
  const capabilities = { ...ALL_CAPABILITIES };
  for (const name of Object.keys(ALL_CAPABILITIES) as Capability[]) {
    if (typeof parsed[name] !== 'boolean') throw new Error(`BRIGADE_CAPABILITIES has no boolean "${name}": ${value}`);
    capabilities[name] = parsed[name];
  }
  return capabilities;
}
