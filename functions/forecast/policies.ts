// Who may call each route of this domain (deny by default: a route missing here answers 403 to everyone). The
// review table of every domain's policies is docs/access-policies.md (`npm run routes` writes it).
import { protectedRoutes } from '#shared/http';
import { MANAGERS, type Policy } from '#shared/policies';

export const policies = {
  // forecast: a site's expected sales (functions/forecast). Managers their sites, owners every site; staff 403.
  'GET /sites/{siteId}/forecast/sales': { roles: MANAGERS, site: 'path' },
  // The next 1–7 days hour by hour (site-local hours).
  'GET /sites/{siteId}/forecast/hourly': { roles: MANAGERS, site: 'path' },
  // Forecast runs: what was forecast when, and a run now.
  'GET /sites/{siteId}/forecast/runs': { roles: MANAGERS, site: 'path' },
  'GET /sites/{siteId}/forecast/runs/{runId}': { roles: MANAGERS, site: 'path' },
  'POST /sites/{siteId}/forecast/runs': { roles: MANAGERS, site: 'path' },
  // Forecast against what happened.
  'GET /sites/{siteId}/forecast/accuracy': { roles: MANAGERS, site: 'path' },
  // The site's closures and holidays the forecasts respect.
  'GET /sites/{siteId}/forecast/calendar': { roles: MANAGERS, site: 'path' },
  'PUT /sites/{siteId}/forecast/calendar/days/{date}': { roles: MANAGERS, site: 'path' },
  'DELETE /sites/{siteId}/forecast/calendar/days/{date}': { roles: MANAGERS, site: 'path' },
  'PUT /sites/{siteId}/forecast/calendar/weekly': { roles: MANAGERS, site: 'path' },
  // Staffing suggestions: the site's productivity targets (by version, 409 when stale) and the staffing they give.
  'GET /sites/{siteId}/forecast/targets': { roles: MANAGERS, site: 'path' },
  'PUT /sites/{siteId}/forecast/targets': { roles: MANAGERS, site: 'path', object: 'expectedVersion of the targets read (409 when stale)' },
  'GET /sites/{siteId}/forecast/staffing': { roles: MANAGERS, site: 'path' },
  // Per menu item and per ingredient demand (items' forecasts × learnt recipes) for the next 1–14 days.
  'GET /sites/{siteId}/forecast/items': { roles: MANAGERS, site: 'path' },
  'GET /sites/{siteId}/forecast/ingredients': { roles: MANAGERS, site: 'path' },
} as const satisfies Record<string, Policy>;

// Pure, as in every domain: a bundle that builds no route drops it.
export const httpRoute = /* @__PURE__ */ protectedRoutes(policies);
