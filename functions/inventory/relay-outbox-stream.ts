import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { outboxStreamHandler } from '#shared/outbox-relay';
import { logger } from '#shared/logger';
import { reviewAvailability } from './availability';
import { config, outboxTarget } from './config';
import { inventoryOutboxDeps } from './low-stock-publishing';

// Invoked by the inventory table's stream with new outbox items only (functions.yml filter): movements and
// depletions commit their events and return; this publishes them to SNS seconds later, then reviews auto-86 for
// the items they moved (availability.ts). A failed review fails the batch: the stream retries it, the events are
// published again under the same ids (consumers deduplicate) and the review runs again.
const publish = outboxStreamHandler(outboxTarget, inventoryOutboxDeps(config.ALERTS_TOPIC_ARN));

/** Items moved per site, from the movement events of the batch. */
function movedItems(event: DynamoDBStreamEvent): Map<string, Set<string>> {
  const moved = new Map<string, Set<string>>();
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== 'INSERT' || image?.eventType?.S !== 'inventory.movement-recorded' || !image.event?.S) continue;
    const { siteId, data } = JSON.parse(image.event.S) as { siteId: string; data: { itemId: string } };
    moved.set(siteId, (moved.get(siteId) ?? new Set()).add(data.itemId));
  }
  return moved;
}

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const published = await publish(event);
  for (const [siteId, ingredientIds] of movedItems(event)) {
    const { takenOff, restored } = await reviewAvailability(siteId, { ingredientIds }, `auto-86:${siteId}`);
    if (takenOff.length + restored.length > 0) logger.info('menu availability announced', { siteId, takenOff, restored });
  }
  return published;
}
