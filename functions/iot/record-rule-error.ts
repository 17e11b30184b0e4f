import * as z from 'zod';
import { iotRuleHandler } from '#shared/jobs';
import { logger } from '#shared/logger';
import { rejectStore } from './config';
import { describeIssues } from './readings';

/** The message AWS IoT sends a rule's error action. */
const ruleErrorSchema = z.object({
  ruleName: z.string(),
  topic: z.string().default(''),
  clientId: z.string().optional(),
  base64OriginalPayload: z.string().optional(),
  failures: z.array(z.object({ failedAction: z.string(), failedResource: z.string().optional(), errorMessage: z.string() })),
});

const TELEMETRY_TOPIC = /^brigade\/([a-z0-9][a-z0-9-]{0,62})\/devices\/([A-Za-z0-9_-]{1,64})\/telemetry$/;
const MAX_REASON_CHARS = 2000;

// The telemetry rule's error action: a message it could not deliver (not JSON, or ingest kept failing) is kept
// with its original bytes among the site's telemetry rejects.
export const handler = iotRuleHandler(
  'record-rule-error',
  ruleErrorSchema,
  async (failure, job) => {
    const [, siteId = 'unknown', deviceId] = TELEMETRY_TOPIC.exec(failure.topic) ?? [];
    logger.warn('topic rule failed', { ruleName: failure.ruleName, topic: failure.topic, failures: failure.failures });
    await rejectStore.putRejects([
      {
        siteId,
        deviceId,
        receivedAt: job.now.toISOString(),
        kind: 'rule-error',
        reason: failure.failures.map((f) => `${f.failedAction}: ${f.errorMessage}`).join('; ').slice(0, MAX_REASON_CHARS),
        payload: { ruleName: failure.ruleName, topic: failure.topic, clientId: failure.clientId, base64OriginalPayload: failure.base64OriginalPayload },
        position: failure.clientId ?? 'rule',
      },
    ]);
  },
  // Not the shape AWS IoT documents: kept whole under no site, for an operator, rather than retried and lost.
  async (payload, issues, job) => {
    await rejectStore.putRejects([
      {
        siteId: 'unknown',
        receivedAt: job.now.toISOString(),
        kind: 'rule-error',
        reason: `unreadable error-action message: ${describeIssues(issues)}`.slice(0, MAX_REASON_CHARS),
        payload,
        position: 'rule',
      },
    ]);
  },
);
