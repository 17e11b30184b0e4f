import { scheduledJob } from '#shared/jobs';
import { reviewAllSites } from './low-stock';

// Every 15 minutes (functions.yml): every site's low-stock review, then its automatic drafts (low-stock.ts).
export const handler = scheduledJob('low-stock', ({ now, correlationId }) => reviewAllSites(now.getTime(), correlationId), {
  quiet: (result) => result.opened + result.closed + result.drafted + result.failed === 0,
});
