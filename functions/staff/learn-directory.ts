import { parseEvent } from '#shared/contracts';
import { logger } from '#shared/logger';
import { snsEventHandler } from '#shared/sns-consumer';
import { config, directoryStore } from './config';
import { DIRECTORY_EVENTS } from './directory-store';

// The users domain's site and user snapshots → staff's copy of the directory, each applied only if newer than the
// one held (versioned, so order and redelivery do not matter). Claimed by event id.
export const handler = snsEventHandler({ tableName: config.TABLE_NAME, consumer: 'directory' }, async (envelope) => {
  const parsed = parseEvent(envelope, DIRECTORY_EVENTS);
  if (!parsed.success) {
    // A contract breach never parses on a retry: logged, not retried into the dead-letter queue.
    logger.error('directory event rejected', { issues: parsed.issues });
    return;
  }
  const { event } = parsed;
  const applied = event.type === 'site.created' || event.type === 'site.updated' ? await directoryStore.applySite(event.data) : await directoryStore.applyUser(event.data);
  logger.info(applied ? 'directory learnt' : 'directory already newer', { type: event.type, version: event.data.version });
});
