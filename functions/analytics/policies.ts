// Who may call each route of this domain (deny by default: a route missing here answers 403 to everyone). The
// review table of every domain's policies is docs/access-policies.md (`npm run routes` writes it).
import { protectedRoutes } from '#shared/http';
import { MANAGERS, type Policy } from '#shared/policies';

export const policies = {
  // analytics: a site's sales figures (functions/analytics). Managers their sites, owners every site; staff are
  // refused (403) until a staff view of their own performance exists (docs/analytics.md).
  'GET /sites/{siteId}/analytics/dashboard': { roles: MANAGERS, site: 'path' },
  'GET /sites/{siteId}/analytics/sales': { roles: MANAGERS, site: 'path' },
} as const satisfies Record<string, Policy>;

// Pure, as in every domain: a bundle that builds no route drops it.
export const httpRoute = /* @__PURE__ */ protectedRoutes(policies);
