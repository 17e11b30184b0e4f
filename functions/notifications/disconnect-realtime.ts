import { logger } from '#shared/logger';
import { connections } from './config';
import { websocketRoute } from './realtime';

// `$disconnect`: API Gateway may deliver it more than once, or for a connection already cleaned up; both are fine.
export const handler = websocketRoute('$disconnect', async (event) => {
  const removed = await connections.removeById(event.requestContext.connectionId);
  logger.info('realtime connection closed', { userId: removed?.userId, known: removed !== undefined });
});
