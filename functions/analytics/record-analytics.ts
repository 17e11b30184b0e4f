import { parseEvent } from '#shared/contracts';
import { logger } from '#shared/logger';
import { snsEventHandler } from '#shared/sns-consumer';
import { config, salesStore, sitesStore, stateStore } from './config';
import { ANALYTICS_EVENTS } from './analytics-events';
import { operationsDelta } from './operations-rules';
import { salesDelta, type Delta } from './sales-rules';
import { EpochMovedError } from './sales-store';

// Every event analytics counts (the filter policies in functions.yml; a rebuild replays the same through this
// function): orders' sales, staff's labour, inventory's waste and food cost, IoT's food-safety incidents, and the
// state that prices them (menu recipes, ingredient costs, pay rates). The rules are pure (sales-rules.ts,
// operations-rules.ts); the receipt is written in the counters' own transaction (sales-store.ts), so a redelivered
// event counts once and a failed one counts nothing.

/** How long an event waits for a rebuild's deletion of the site's figures before SNS retries it. */
const RESET_WAIT_MS = 60_000;

export const handler = snsEventHandler({ tableName: config.TABLE_NAME, consumer: 'analytics', claimEvents: false }, async (envelope) => {
  const parsed = parseEvent(envelope, ANALYTICS_EVENTS);
  if (!parsed.success) {
    // A contract breach never parses on a retry: logged, not retried into the dead-letter queue.
    logger.error('event rejected', { issues: parsed.issues });
    return;
  }
  const { event } = parsed;
  const siteId = event.siteId;
  switch (event.type) {
    case 'menu.item-changed':
      return void (await stateStore.applyMenuItem(siteId, event.data));
    case 'staff.pay-rates-changed':
      return void (await stateStore.applyRates(siteId, event.data));
    case 'inventory.movement-recorded': {
      const { itemId, itemName, unit, averageCost, at, movementId } = event.data;
      await stateStore.applyCost(siteId, { ingredientId: itemId, name: itemName, unit, averageCost, at, movementId });
      break;
    }
  }
  const rates = event.type === 'staff.clocked-out' ? await stateStore.rates(siteId, event.data.userId) : undefined;
  for (let fresh = false, deadline = Date.now() + RESET_WAIT_MS; ; fresh = true) {
    const site = await sitesStore.get(siteId, { fresh });
    const delta: Delta | undefined =
      event.type === 'order.paid' || event.type === 'payment.refunded' || event.type === 'order.voided'
        ? salesDelta(event, site.timeZone)
        : operationsDelta(event, site.timeZone, { businessDay: site.businessDay, ...(rates ? { rates } : {}), ...(site.currency ? { currency: site.currency } : {}) });
    if (!delta) return;
    try {
      if (!site.resetting) {
        const counted = await salesStore.record(siteId, 'analytics', event.id, delta, site.epoch);
        logger.info(counted ? 'figures recorded' : 'event already counted', { type: event.type, day: delta.businessDay });
        return;
      }
    } catch (error) {
      if (!(error instanceof EpochMovedError)) throw error;
    }
    // A rebuild moved the epoch or is deleting the figures: wait for it, then count in the new epoch.
    if (Date.now() > deadline) throw new Error(`analytics of site ${siteId} still resetting after ${RESET_WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
});
