import { snsEventHandler } from '#shared/sns-consumer';
import { logger } from '#shared/logger';
import { config, store } from './config';
import { siteSnapshotSchema, userSnapshotSchema } from './schemas';

// user.* and site.* snapshots from the users domain → the directory routing reads. Versioned, so order and
// redelivery do not matter; a snapshot that does not parse is a contract break: logged, not retried forever.
export const handler = snsEventHandler({ tableName: config.TABLE_NAME, consumer: 'directory' }, async (event) => {
  const isUser = event.type.startsWith('user.');
  const parsed = isUser ? userSnapshotSchema.safeParse(event.data) : siteSnapshotSchema.safeParse(event.data);
  if (!parsed.success) {
    logger.error('directory event does not match its contract', { issues: parsed.error.issues });
    return;
  }
  const applied = isUser
    ? await store.applyUserSnapshot(userSnapshotSchema.parse(parsed.data))
    : await store.applySiteSnapshot(siteSnapshotSchema.parse(parsed.data));
  logger.info(applied ? 'directory updated' : 'directory already newer', { version: parsed.data.version });
});
