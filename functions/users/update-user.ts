import { httpRoute } from '#shared/http';
import { updateUser } from './accounts';
import { updateUserSchema, userParamsSchema } from './schemas';

export const handler = httpRoute(
  { route: 'PATCH /users/{userId}', params: userParamsSchema, body: updateUserSchema, bodyLimit: 4096 },
  async ({ caller, params, body, correlationId }) => ({ body: await updateUser(caller, params.userId, body, correlationId) }),
);
