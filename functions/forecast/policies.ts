// Who may call each route of this domain (deny by default: a route missing here answers 403 to everyone). The
// review table of every domain's policies is docs/access-policies.md (`npm run routes` writes it).
import { protectedRoutes } from '#shared/http';
import { MANAGERS, type Policy } from '#shared/policies';

export const policies = {
  // forecast: a site's expected sales (functions/forecast). Managers their sites, owners every site; staff 403.
  'GET /sites/{siteId}/forecast/sales': { roles: MANAGERS, site: 'path' },
} as const satisfies Record<string, Policy>;

// Pure, as in every domain: a bundle that builds no route drops it.
export const httpRoute = /* @__PURE__ */ protectedRoutes(policies);
