// The one place SDK clients are built. Endpoints come from the standard variables
// (AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL), so the same code reaches AWS, LocalStack
// and the embedded local cloud; nothing else in the code knows which one it is talking to.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { IoTClient, DescribeEndpointCommand } from '@aws-sdk/client-iot';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';

export type ServiceEnvSuffix = 'DYNAMODB' | 'SNS' | 'IOT' | 'IOT_DATA_PLANE' | 'SSM' | 'SECRETS_MANAGER';

export function endpointFor(service: ServiceEnvSuffix, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const specific = env[`AWS_ENDPOINT_URL_${service}`]?.trim();
  const general = env.AWS_ENDPOINT_URL?.trim();
  return specific || general || undefined;
}

const regionFromEnv = () => process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';

function baseConfig(service: ServiceEnvSuffix) {
  const endpoint = endpointFor(service);
  return {
    region: regionFromEnv(),
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: 3,
  };
}

// Lazily built and then reused for the life of the execution environment; no network at import time.
let dynamo: DynamoDBDocumentClient | undefined;
let sns: SNSClient | undefined;
let iot: IoTClient | undefined;
let iotData: Promise<IoTDataPlaneClient> | undefined;
let ssm: SSMClient | undefined;
let secretsManager: SecretsManagerClient | undefined;
const apiGatewayManagement = new Map<string, ApiGatewayManagementApiClient>();

export function ssmClient(): SSMClient {
  ssm ??= new SSMClient(baseConfig('SSM'));
  return ssm;
}

export function secretsManagerClient(): SecretsManagerClient {
  secretsManager ??= new SecretsManagerClient(baseConfig('SECRETS_MANAGER'));
  return secretsManager;
}

export function dynamoDb(): DynamoDBDocumentClient {
  dynamo ??= DynamoDBDocumentClient.from(new DynamoDBClient(baseConfig('DYNAMODB')), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return dynamo;
}

export function snsClient(): SNSClient {
  sns ??= new SNSClient(baseConfig('SNS'));
  return sns;
}

export function iotClient(): IoTClient {
  iot ??= new IoTClient(baseConfig('IOT'));
  return iot;
}

/**
 * On AWS the data plane lives at an account-specific ATS endpoint: taken from IOT_DATA_ENDPOINT when the
 * deployment sets it, otherwise looked up once with DescribeEndpoint on first use (not at cold start).
 */
export function iotDataClient(): Promise<IoTDataPlaneClient> {
  iotData ??= (async () => {
    const config = baseConfig('IOT_DATA_PLANE');
    if (config.endpoint) return new IoTDataPlaneClient(config);
    const host =
      process.env.IOT_DATA_ENDPOINT?.trim() ||
      (await iotClient().send(new DescribeEndpointCommand({ endpointType: 'iot:Data-ATS' }))).endpointAddress;
    if (!host) throw new Error('IoT data endpoint could not be determined');
    return new IoTDataPlaneClient({ ...config, endpoint: host.startsWith('http') ? host : `https://${host}` });
  })().catch((error: unknown) => {
    iotData = undefined; // let the next call try again instead of caching a failure
    throw error;
  });
  return iotData;
}

/**
 * PostToConnection and friends go to one WebSocket API's own management endpoint
 * (https://{apiId}.execute-api.{region}.amazonaws.com/{stage} on AWS), which the deployment passes in, so
 * the endpoint variables above do not apply. One client per endpoint, reused.
 */
export function apiGatewayManagementClient(endpoint: string): ApiGatewayManagementApiClient {
  let client = apiGatewayManagement.get(endpoint);
  if (!client) {
    client = new ApiGatewayManagementApiClient({ region: regionFromEnv(), endpoint, maxAttempts: 3 });
    apiGatewayManagement.set(endpoint, client);
  }
  return client;
}
