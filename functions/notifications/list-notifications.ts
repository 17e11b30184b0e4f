import { httpRoute } from '#shared/http';
import { listInbox } from './inbox';
import { inboxQuerySchema } from './schemas';

export const handler = httpRoute({ route: 'GET /me/notifications', query: inboxQuerySchema }, async ({ caller, query }) => ({
  body: await listInbox(caller.userId, query),
}));
