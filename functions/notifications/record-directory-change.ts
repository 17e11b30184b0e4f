import { snsEventHandler } from '#shared/sns-consumer';
import { logger } from '#shared/logger';
import { config, directoryStore } from './config';
import { parseEvent } from '#shared/contracts';

const DIRECTORY_EVENTS = ['user.registered', 'user.updated', 'site.created', 'site.updated'] as const;

// user.* and site.* snapshots from the users domain → the directory routing reads. Versioned, so order and
// redelivery do not matter; a snapshot that does not parse is a contract break: logged, not retried forever.
export const handler = snsEventHandler({ tableName: config.TABLE_NAME, consumer: 'directory' }, async (envelope) => {
  const parsed = parseEvent(envelope, DIRECTORY_EVENTS);
  if (!parsed.success) {
    logger.error('directory event does not match its contract', { issues: parsed.issues });
    return;
  }
  const { event } = parsed;
  let applied: boolean;
  if (event.type === 'user.registered' || event.type === 'user.updated') {
    applied = await directoryStore.applyUserSnapshot(event.data);
  } else {
    const { currency: _currency, ...site } = event.data; // the directory holds what routing reads: no currency
    applied = await directoryStore.applySiteSnapshot(site);
  }
  logger.info(applied ? 'directory updated' : 'directory already newer', { version: event.data.version });
});
