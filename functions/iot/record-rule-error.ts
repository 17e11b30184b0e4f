import { z } from 'zod';
import { logger } from '#shared/logger';
import { store } from './config';

/** The message AWS IoT sends a rule's error action. */
const ruleErrorSchema = z.object({
  ruleName: z.string(),
  topic: z.string().default(''),
  clientId: z.string().optional(),
  base64OriginalPayload: z.string().optional(),
  failures: z.array(z.object({ failedAction: z.string(), failedResource: z.string().optional(), errorMessage: z.string() })),
});

const TELEMETRY_TOPIC = /^brigade\/([a-z0-9][a-z0-9-]{0,62})\/devices\/([A-Za-z0-9_-]{1,64})\/telemetry$/;

// The telemetry rule's error action: a message it could not deliver (not JSON, or ingest kept failing) is kept
// with its original bytes among the site's telemetry rejects.
export const handler = async (event: unknown): Promise<void> => {
  const failure = ruleErrorSchema.parse(event);
  const [, siteId = 'unknown', deviceId] = TELEMETRY_TOPIC.exec(failure.topic) ?? [];
  logger.warn('topic rule failed', { ruleName: failure.ruleName, topic: failure.topic, failures: failure.failures });
  const receivedAt = new Date().toISOString();
  await store.putRejects([
    {
      siteId,
      deviceId,
      receivedAt,
      kind: 'rule-error',
      reason: failure.failures.map((f) => `${f.failedAction}: ${f.errorMessage}`).join('; ').slice(0, 2000),
      payload: { ruleName: failure.ruleName, topic: failure.topic, clientId: failure.clientId, base64OriginalPayload: failure.base64OriginalPayload },
      position: failure.clientId ?? 'rule',
    },
  ]);
};
