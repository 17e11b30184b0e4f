import { listSites } from './sites';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'GET /sites' }, async ({ caller }) => ({ body: { sites: await listSites(caller) } }));
