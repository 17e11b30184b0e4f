import { httpRoute } from '#shared/http';
import { logout } from './sessions';

export const handler = httpRoute({ route: 'POST /auth/logout' }, async ({ caller }) => {
  await logout(caller);
  return { status: 204 };
});
