import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { regionFromEnv } from './endpoint';

const clients = new Map<string, ApiGatewayManagementApiClient>();

/**
 * PostToConnection and friends go to one WebSocket API's own management endpoint
 * (https://{apiId}.execute-api.{region}.amazonaws.com/{stage} on AWS), which the deployment passes in, so
 * the endpoint variables do not apply. One client per endpoint, reused.
 */
export function apiGatewayManagementClient(endpoint: string): ApiGatewayManagementApiClient {
  let client = clients.get(endpoint);
  if (!client) {
    client = new ApiGatewayManagementApiClient({ region: regionFromEnv(), endpoint, maxAttempts: 3 });
    clients.set(endpoint, client);
  }
  return client;
}
