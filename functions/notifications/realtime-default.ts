import { logger } from '#shared/logger';
import { replyTo, sendToConnection, websocketRoute } from './realtime';

// `$default`: every message a client sends. The route has no route response, so the answer is posted to the connection.
export const handler = websocketRoute('$default', async (event) => {
  const reply = replyTo(event.body);
  if (reply.type === 'error') logger.info('realtime message refused', { code: reply.error.code });
  if ((await sendToConnection(event.requestContext.connectionId, reply)) === 'gone') logger.info('client left before the reply');
});
