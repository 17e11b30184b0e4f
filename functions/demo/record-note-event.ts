import { snsEventHandler } from '#shared/sns-consumer';
import { config, store } from './config';
import { noteCreatedDataSchema } from './schemas';

// Subscribed to the events topic with a filter policy on `type`; counts each delivery on the note.
export const handler = snsEventHandler({ tableName: config.TABLE_NAME, consumer: 'demo-note-events' }, async (event) => {
  const { noteId } = noteCreatedDataSchema.parse(event.data);
  await store.countEventDelivery(event.siteId, noteId);
});
