import { scheduledJob } from '#shared/jobs';
import { logger } from '#shared/logger';
import { reviewAvailability } from './availability';
import { siteStore } from './config';
import { reviewAllSites } from './low-stock';

/**
 * Auto-86 over each site's whole menu: the safety net behind the reviews movements trigger (relay-outbox-stream.ts).
 * A movement whose review kept failing, or stock that changed without a movement of the items a dish uses, is
 * judged here within one job period. A site that fails is logged and the others go on.
 */
async function reviewMenus(correlationId: string) {
  const totals = { takenOff: 0, restored: 0, failed: 0 };
  for (const { siteId } of await siteStore.all()) {
    try {
      const { takenOff, restored } = await reviewAvailability(siteId, { wholeMenu: true }, correlationId);
      totals.takenOff += takenOff.length;
      totals.restored += restored.length;
    } catch (error) {
      totals.failed++;
      logger.error('auto-86 review failed for a site', { siteId, error: error as Error });
    }
  }
  return totals;
}

// Every 15 minutes (functions.yml): every site's low-stock review, then its automatic drafts (low-stock.ts), then
// auto-86 over its whole menu.
export const handler = scheduledJob(
  'low-stock',
  async ({ now, correlationId }) => {
    const lowStock = await reviewAllSites(now.getTime(), correlationId);
    const menus = await reviewMenus(correlationId);
    return { ...lowStock, menusTakenOff: menus.takenOff, menusRestored: menus.restored, failed: lowStock.failed + menus.failed };
  },
  { quiet: (result) => result.opened + result.closed + result.drafted + result.menusTakenOff + result.menusRestored + result.failed === 0 },
);
