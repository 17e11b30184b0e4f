import { httpRoute } from '#shared/http';
import { getUser } from './accounts';
import { userParamsSchema } from './schemas';

export const handler = httpRoute({ route: 'GET /users/{userId}', params: userParamsSchema }, async ({ caller, params }) => ({
  body: await getUser(caller, params.userId),
}));
