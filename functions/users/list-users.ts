import { listUsers } from './accounts';
import { listUsersQuerySchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'GET /users', query: listUsersQuerySchema }, async ({ query }) => {
  const page = await listUsers(query.siteId, query.limit, query.cursor);
  return { body: { users: page.members, nextCursor: page.nextCursor } };
});
