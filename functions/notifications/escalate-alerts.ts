import { scheduledJob } from '#shared/jobs';
import { escalateDueAlerts } from './escalation';

// Scheduled every minute: pages the next level for critical alerts nobody acknowledged in time. Most minutes
// nothing is due, and those runs log nothing.
export const handler = scheduledJob('escalate-alerts', ({ now }) => escalateDueAlerts(now.getTime()), { quiet: (result) => result.due === 0 });
