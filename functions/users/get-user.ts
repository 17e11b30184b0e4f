import { getUser } from './accounts';
import { userParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'GET /users/{userId}', params: userParamsSchema }, async ({ caller, params }) => ({
  body: await getUser(caller, params.userId),
}));
