import * as z from 'zod';
import { loadConfig } from '#shared/config';
import { UsersStore } from './store';

export const config = loadConfig(
  z.object({
    TABLE_NAME: z.string().min(1),
    REVOCATIONS_TABLE: z.string().min(1),
    EVENTS_TOPIC_ARN: z.string().startsWith('arn:'),
    JWT_ISSUER: z.string().min(1),
    JWT_AUDIENCE: z.string().min(1),
    SIGNING_KEYS_SECRET_NAME: z.string().min(1),
    LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
    LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(50),
    LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(60).default(900),
    SESSION_TTL_HOURS: z.coerce.number().min(1).max(24 * 30).default(24),
    /** Live sessions a user keeps: a sign-in past it revokes the least recently used (sessions.ts). */
    MAX_SESSIONS_PER_USER: z.coerce.number().int().min(1).max(1000).default(50),
    INVITE_TTL_HOURS: z.coerce.number().min(1).max(24 * 30).default(72),
    OUTBOX_RELAY_MIN_AGE_SECONDS: z.coerce.number().int().min(1).default(30),
  }),
);

export const store = new UsersStore(config.TABLE_NAME, config.REVOCATIONS_TABLE, config.EVENTS_TOPIC_ARN);
export const outboxTarget = { tableName: config.TABLE_NAME, topicArn: config.EVENTS_TOPIC_ARN };
export const tokenSettings = { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, signingKeysSecret: config.SIGNING_KEYS_SECRET_NAME };
