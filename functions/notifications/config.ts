import * as z from 'zod';
import { loadConfig } from '#shared/config';
import { AlertStore } from './alert-store';
import { ConnectionStore } from './connections';
import { DirectoryStore } from './directory-store';
import { InboxStore } from './inbox-store';
import { SettingsStore } from './settings-store';

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

// One table, one store per aggregate (table.ts lists their key layouts).
export const inboxStore = new InboxStore(config.TABLE_NAME);
export const settingsStore = new SettingsStore(config.TABLE_NAME);
export const directoryStore = new DirectoryStore(config.TABLE_NAME);
export const alertStore = new AlertStore(config.TABLE_NAME);
export const connections = new ConnectionStore(config.TABLE_NAME);
