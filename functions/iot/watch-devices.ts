import { scheduledJob } from '#shared/jobs';
import { watchDevices } from './monitor';

// Scheduled every minute (serverless-offline runs the schedule locally too): silent devices → offline alerts,
// then the alerts outbox relay. The time is always the function's own clock. Most minutes do nothing: those
// runs are not logged.
export const handler = scheduledJob('watch-devices', ({ now, correlationId }) => watchDevices(now.getTime(), correlationId), {
  quiet: ({ offline, relayed }) => offline.length === 0 && relayed.published + relayed.failed === 0,
});
