import { z } from 'zod';
import { loadConfig } from '#shared/config';
import { NotificationsStore } from './store';

export const config = loadConfig(
  z.object({
    TABLE_NAME: z.string().min(1),
    /** Where email goes out: users' addresses are subscribed to it with a filter on their `recipient` id. */
    EMAIL_TOPIC_ARN: z.string().startsWith('arn:'),
    /** The WebSocket API's management endpoint (https://{api}.execute-api.{region}.amazonaws.com/{stage}). */
    WEBSOCKET_API_ENDPOINT: z.url(),
    /** Revoked sessions and users (written by the users domain): a push closes connections they opened. */
    REVOCATIONS_TABLE: z.string().min(1),
    STAGE: z.string().min(1),
  }),
);

export const store = new NotificationsStore(config.TABLE_NAME);
