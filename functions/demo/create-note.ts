import { randomUUID } from 'node:crypto';
import { buildEvent, publishEvent } from '#shared/events';
import { fingerprintOf, idempotencyKeyFrom, withIdempotency } from '#shared/idempotency';
import { config, store } from './config';
import { createNoteSchema, siteParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'POST /demo/sites/{siteId}/notes', params: siteParamsSchema, body: createNoteSchema, bodyLimit: 4 * 1024 },
  async ({ caller, params, body, headers, correlationId }) => {
    const key = idempotencyKeyFrom(headers);
    return withIdempotency(
      { tableName: config.TABLE_NAME, scope: `demo-note#${params.siteId}#${caller.userId}` },
      key,
      fingerprintOf(params, body),
      async () => {
        const note = {
          siteId: params.siteId,
          noteId: randomUUID(),
          text: body.text,
          createdAt: new Date().toISOString(),
          eventDeliveries: 0,
        };
        await store.putNote(note);
        await publishEvent(
          config.EVENTS_TOPIC_ARN,
          buildEvent({ type: 'demo.note-created', source: 'demo', siteId: note.siteId, correlationId, data: { noteId: note.noteId } }),
        );
        return { status: 201, body: note, headers: { location: `/demo/sites/${note.siteId}/notes/${note.noteId}` } };
      },
    );
  },
);
