import { NotFoundError } from '#shared/errors';
import { store } from './config';
import { noteParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'GET /demo/sites/{siteId}/notes/{noteId}', params: noteParamsSchema }, async ({ params }) => {
  const note = await store.getNote(params.siteId, params.noteId);
  if (!note) throw new NotFoundError('Note not found');
  return { body: note };
});
