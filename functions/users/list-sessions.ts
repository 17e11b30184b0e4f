import { httpRoute } from '#shared/http';
import { listSessions } from './sessions';

export const handler = httpRoute({ route: 'GET /me/sessions' }, async ({ caller }) => ({ body: { sessions: await listSessions(caller) } }));
