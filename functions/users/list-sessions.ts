import { listSessions } from './sessions';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'GET /me/sessions' }, async ({ caller }) => ({ body: { sessions: await listSessions(caller) } }));
