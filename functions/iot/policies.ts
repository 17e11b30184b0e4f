// Who may call each route of this domain (deny by default: a route missing here answers 403 to everyone). The
// review table of every domain's policies is docs/access-policies.md (`npm run routes` writes it).
import { protectedRoutes, publicRoutes } from '#shared/http';
import { EVERYONE, MANAGERS, type Policy } from '#shared/policies';

export const policies = {
  // iot: devices, telemetry, food-safety monitoring, device control (functions/iot). Every route names its site in
  // the path and a device or incident is looked up under that site only, so another site's id answers 404.
  'POST /sites/{siteId}/devices': { roles: MANAGERS, site: 'path', object: 'provisions the IoT thing; the device id is unique in the stage (409)' },
  'GET /sites/{siteId}/devices': { roles: EVERYONE, site: 'path' },
  'GET /sites/{siteId}/devices/{deviceId}': { roles: EVERYONE, site: 'path' },
  'PATCH /sites/{siteId}/devices/{deviceId}': { roles: MANAGERS, site: 'path', object: 'iot/device-types.ts limitProblems: limits within the type’s sane range (422)' },
  'DELETE /sites/{siteId}/devices/{deviceId}': { roles: MANAGERS, site: 'path', object: 'revokes the certificate, deletes the thing; the record and history stay' },
  'GET /sites/{siteId}/devices/{deviceId}/readings': { roles: EVERYONE, site: 'path' },
  'GET /sites/{siteId}/devices/{deviceId}/aggregates': { roles: EVERYONE, site: 'path' },
  'POST /sites/{siteId}/devices/{deviceId}/commands': { roles: MANAGERS, site: 'path', object: 'iot/device-types.ts commandProblems: setpoint/mode within the unit’s bounds (422); every attempt audited' },
  'GET /sites/{siteId}/devices/{deviceId}/commands': { roles: EVERYONE, site: 'path' },
  'GET /sites/{siteId}/food-safety': { roles: EVERYONE, site: 'path' },
  'PUT /sites/{siteId}/food-safety/settings': { roles: MANAGERS, site: 'path' },
  'GET /sites/{siteId}/incidents': { roles: EVERYONE, site: 'path' },
  'GET /sites/{siteId}/incidents/{incidentId}': { roles: EVERYONE, site: 'path' },
  'POST /sites/{siteId}/incidents/{incidentId}/actions': { roles: EVERYONE, site: 'path', object: 'staff record what they did; not on a closed incident (409)' },
  'POST /sites/{siteId}/incidents/{incidentId}/close': { roles: MANAGERS, site: 'path', object: 'iot/incident-store.ts closeIncident: needs a corrective action and the excursion over (422)' },
  'GET /sites/{siteId}/haccp': { roles: EVERYONE, site: 'path' },
  'GET /sites/{siteId}/telemetry-rejects': { roles: MANAGERS, site: 'path' },
} as const satisfies Record<string, Policy>;

// Pure: a bundle drops the builder it does not use (a public route's, the access-token verifier).
export const httpRoute = /* @__PURE__ */ protectedRoutes(policies);
export const publicRoute = /* @__PURE__ */ publicRoutes(policies);
