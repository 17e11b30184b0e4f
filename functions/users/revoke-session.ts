import { revokeSession } from './sessions';
import { sessionParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'DELETE /me/sessions/{sessionId}', params: sessionParamsSchema }, async ({ caller, params }) => {
  await revokeSession(caller, params.sessionId);
  return { status: 204 };
});
