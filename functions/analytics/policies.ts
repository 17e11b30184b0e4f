// Who may call each route of this domain (deny by default: a route missing here answers 403 to everyone). The
// review table of every domain's policies is docs/access-policies.md (`npm run routes` writes it).
import { protectedRoutes } from '#shared/http';
import { EVERYONE, MANAGERS, OWNERS, type Policy } from '#shared/policies';

export const policies = {
  // analytics: a site's figures (functions/analytics). Managers their sites, owners every site; staff only their own
  // performance (`staff/me`), every other report is 403 to them (docs/analytics.md).
  'GET /sites/{siteId}/analytics/dashboard': { roles: MANAGERS, site: 'path' },
  'GET /sites/{siteId}/analytics/sales': { roles: MANAGERS, site: 'path' },
  'GET /sites/{siteId}/analytics/heatmap': { roles: MANAGERS, site: 'path' },
  'GET /sites/{siteId}/analytics/menu': { roles: MANAGERS, site: 'path' },
  'GET /sites/{siteId}/analytics/customers': { roles: MANAGERS, site: 'path', object: 'customer refs only, never a phone or loyalty id' },
  'GET /sites/{siteId}/analytics/staff': { roles: MANAGERS, site: 'path' },
  'GET /sites/{siteId}/analytics/staff/me': { roles: EVERYONE, site: 'path', object: 'the caller’s own figures only' },
  // Owners see every site (shared/identity.ts): one row per site analytics knows, totals per currency.
  'GET /analytics/sites': { roles: OWNERS },
} as const satisfies Record<string, Policy>;

// Pure, as in every domain: a bundle that builds no route drops it.
export const httpRoute = /* @__PURE__ */ protectedRoutes(policies);
