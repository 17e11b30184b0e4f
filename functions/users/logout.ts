import { logout } from './sessions';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'POST /auth/logout' }, async ({ caller }) => {
  await logout(caller);
  return { status: 204 };
});
