// Who may call each route of this domain (deny by default: a route missing here answers 403 to everyone). The
// review table of every domain's policies is docs/access-policies.md (`npm run routes` writes it).
import { protectedRoutes, publicRoutes } from '#shared/http';
import { EVERYONE, MANAGERS, type Policy } from '#shared/policies';

export const policies = {
  // inventory: stock items, the movement ledger, depletion from orders (functions/inventory). Every route names its
  // site in the path and an item is looked up under that site only, so another site's item answers 404. Staff
  // record what they see and do (receipts, counts, waste, moving stock); managers own the items and correct stock.
  'POST /sites/{siteId}/inventory/items': { roles: MANAGERS, site: 'path' },
  'GET /sites/{siteId}/inventory/items': { roles: EVERYONE, site: 'path' },
  'GET /sites/{siteId}/inventory/items/{itemId}': { roles: EVERYONE, site: 'path' },
  'PATCH /sites/{siteId}/inventory/items/{itemId}': { roles: MANAGERS, site: 'path', object: 'pars, reorder point and archiving are the manager’s' },
  'POST /sites/{siteId}/inventory/items/{itemId}/receipts': { roles: EVERYONE, site: 'path' },
  'POST /sites/{siteId}/inventory/items/{itemId}/counts': { roles: EVERYONE, site: 'path' },
  'POST /sites/{siteId}/inventory/items/{itemId}/waste': { roles: EVERYONE, site: 'path' },
  'POST /sites/{siteId}/inventory/items/{itemId}/transfers': { roles: EVERYONE, site: 'path' },
  'POST /sites/{siteId}/inventory/items/{itemId}/adjustments': { roles: MANAGERS, site: 'path', object: 'a correction with a reason, never by staff' },
  'GET /sites/{siteId}/inventory/items/{itemId}/movements': { roles: EVERYONE, site: 'path' },
  'GET /sites/{siteId}/inventory/on-hand': { roles: EVERYONE, site: 'path' },
  'GET /sites/{siteId}/inventory/depletion-issues': { roles: MANAGERS, site: 'path' },
} as const satisfies Record<string, Policy>;

// Pure: a bundle drops the builder it does not use (a public route's, the access-token verifier).
export const httpRoute = /* @__PURE__ */ protectedRoutes(policies);
export const publicRoute = /* @__PURE__ */ publicRoutes(policies);
