import { logger } from '#shared/logger';
import { store } from './config';
import { ruleErrorSchema } from './schemas';

// The topic rule's error action: keeps the failed message (original payload, base64) for inspection.
export const handler = async (event: unknown): Promise<void> => {
  const failure = ruleErrorSchema.parse(event);
  logger.warn('topic rule failed', { ruleName: failure.ruleName, topic: failure.topic, failures: failure.failures });
  await store.putRuleError(failure, new Date());
};
