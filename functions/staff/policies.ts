// Who may call each route of this domain (deny by default: a route missing here answers 403 to everyone). The
// review table of every domain's policies is docs/access-policies.md (`npm run routes` writes it).
import { protectedRoutes } from '#shared/http';
import { EVERYONE, MANAGERS, type Policy } from '#shared/policies';

const OWN = 'staff: their own only (another person’s is a 404, as a missing one); managers and owners: anyone at the site (profiles.ts mayActFor)';

export const policies = {
  // staff: profiles with positions and effective-dated wages, the time clock (functions/staff). Every route names its
  // site in the path and a profile or clock is looked up under that site only, so another site's is a 404. Wages are
  // in the profile: only managers, owners and the person see them.
  'PUT /sites/{siteId}/staff/{userId}': { roles: MANAGERS, site: 'path', object: 'the user must be an active member of the site in staff’s directory (404/422); wage history is appended, never rewritten (422)' },
  'GET /sites/{siteId}/staff': { roles: EVERYONE, site: 'path', object: 'staff: a list of their own profile only' },
  'GET /sites/{siteId}/staff/{userId}': { roles: EVERYONE, site: 'path', object: OWN },
  'POST /sites/{siteId}/staff/{userId}/clock-in': { roles: EVERYONE, site: 'path', object: `${OWN}; managers punch on the kitchen tablet` },
  'POST /sites/{siteId}/staff/{userId}/clock-out': { roles: EVERYONE, site: 'path', object: OWN },
  'POST /sites/{siteId}/staff/{userId}/break-start': { roles: EVERYONE, site: 'path', object: OWN },
  'POST /sites/{siteId}/staff/{userId}/break-end': { roles: EVERYONE, site: 'path', object: OWN },
  'GET /sites/{siteId}/staff/{userId}/punches': { roles: EVERYONE, site: 'path', object: OWN },
  'GET /sites/{siteId}/staff/on-the-clock': { roles: MANAGERS, site: 'path' },
} as const satisfies Record<string, Policy>;

// Pure, as in every domain: a bundle that builds no route drops it.
export const httpRoute = /* @__PURE__ */ protectedRoutes(policies);
