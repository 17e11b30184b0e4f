import { parseEvent } from '#shared/contracts';
import { logger } from '#shared/logger';
import { snsEventHandler } from '#shared/sns-consumer';
import { config, demandForecastStore } from './config';
import { DEMAND_FORECAST_EVENTS } from './demand-forecast-store';

// The forecast domain's forecast.ingredient-demand → the site's newest run of expected ingredient use, for reorder
// suggestions and the drafts' targets. No receipt: keeping the newest run is conditional, so a redelivery or an
// archive replay of an older run changes nothing.
export const handler = snsEventHandler({ tableName: config.TABLE_NAME, consumer: 'demand-forecast', claimEvents: false }, async (envelope) => {
  const parsed = parseEvent(envelope, DEMAND_FORECAST_EVENTS);
  if (!parsed.success) {
    // A contract breach never parses on a retry: logged, not retried into the dead-letter queue.
    logger.error('demand forecast rejected', { issues: parsed.issues });
    return;
  }
  const { data } = parsed.event;
  const learnt = await demandForecastStore.learn(parsed.event);
  logger.info(learnt ? 'demand forecast learnt' : 'a newer demand forecast is held', { runId: data.runId, createdAt: data.createdAt, ingredients: data.ingredients.length });
});
