import { me } from './accounts';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'GET /me' }, async ({ caller }) => ({ body: await me(caller) }));
