import { httpRoute } from '#shared/http';
import { me } from './accounts';

export const handler = httpRoute({ route: 'GET /me' }, async ({ caller }) => ({ body: await me(caller) }));
