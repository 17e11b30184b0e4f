import { httpRoute } from '#shared/http';
import { listSites } from './sites';

export const handler = httpRoute({ route: 'GET /sites' }, async ({ caller }) => ({ body: { sites: await listSites(caller) } }));
