// Who may call each route of this domain (deny by default: a route missing here answers 403 to everyone). The
// review table of every domain's policies is docs/access-policies.md (`npm run routes` writes it).
import { routesFor } from '#shared/http';
import { EVERYONE, type Policy } from '#shared/policies';

export const policies = {
  // demo (walking skeleton)
  'POST /demo/sites/{siteId}/notes': { roles: EVERYONE, site: 'path' },
  'GET /demo/sites/{siteId}/notes/{noteId}': { roles: EVERYONE, site: 'path' },
} as const satisfies Record<string, Policy>;

export const { httpRoute, publicRoute } = routesFor(policies);
