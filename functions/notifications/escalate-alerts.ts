import { logger } from '#shared/logger';
import { escalateDueAlerts } from './escalation';

// Scheduled every minute: pages the next level for critical alerts nobody acknowledged in time.
export const handler = async (): Promise<{ due: number; paged: number }> => {
  logger.resetKeys(); // a run of its own, not the last event's context
  const result = await escalateDueAlerts();
  if (result.due > 0) logger.info('escalation sweep', { ...result });
  return result;
};
