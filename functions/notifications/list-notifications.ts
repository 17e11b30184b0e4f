import { listInbox } from './inbox';
import { inboxQuerySchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'GET /me/notifications', query: inboxQuerySchema }, async ({ caller, query }) => ({
  body: await listInbox(caller.userId, query),
}));
