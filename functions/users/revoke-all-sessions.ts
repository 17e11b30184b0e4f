import { revokeAllSessions } from './sessions';
import { httpRoute } from './policies';

// Signs out everywhere, this session included.
export const handler = httpRoute({ route: 'DELETE /me/sessions' }, async ({ caller }) => {
  await revokeAllSessions(caller.userId, 'revoked-by-user');
  return { status: 204 };
});
