import { accessTokenSettingsFromEnv, verifyAccessToken } from '#shared/access-token';
import { logger } from '#shared/logger';
import { connections } from './config';
import { connectionToken, websocketRoute, type ConnectEvent } from './realtime';

const tokenSettings = accessTokenSettingsFromEnv();

// `$connect`: the token is checked like on every HTTP route; a 401 refuses the upgrade.
export const handler = websocketRoute<ConnectEvent>('$connect', async (event) => {
  const caller = await verifyAccessToken(connectionToken(event), tokenSettings);
  const { connectionId, connectedAt } = event.requestContext;
  await connections.add({ userId: caller.userId, connectionId, sessionId: caller.sessionId, issuedAt: caller.issuedAt }, connectedAt);
  logger.info('realtime connection opened', { userId: caller.userId });
});
