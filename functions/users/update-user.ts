import { updateUser } from './accounts';
import { updateUserSchema, userParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'PATCH /users/{userId}', params: userParamsSchema, body: updateUserSchema, bodyLimit: 4096 },
  async ({ caller, params, body, correlationId }) => ({ body: await updateUser(caller, params.userId, body, correlationId) }),
);
