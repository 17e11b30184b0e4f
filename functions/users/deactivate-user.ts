import { deactivateUser } from './accounts';
import { userParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'POST /users/{userId}/deactivate', params: userParamsSchema }, async ({ caller, params, correlationId }) => ({
  body: await deactivateUser(caller, params.userId, correlationId),
}));
