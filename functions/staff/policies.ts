// Who may call each route of this domain (deny by default: a route missing here answers 403 to everyone). The
// review table of every domain's policies is docs/access-policies.md (`npm run routes` writes it).
import { protectedRoutes } from '#shared/http';
import { EVERYONE, MANAGERS, OWNERS, type Policy } from '#shared/policies';

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
  // staff settings: everyone at the site reads the rules they are held to; managers set them.
  'GET /sites/{siteId}/staff/settings': { roles: EVERYONE, site: 'path' },
  'PUT /sites/{siteId}/staff/settings': { roles: MANAGERS, site: 'path', object: 'expectedVersion of the settings read (409 when stale)' },
  // schedules, availability and time off (docs/staff.md "Schedules"): staff see the site's published shifts (no
  // wages) and act on their own availability, requests, claims and swaps; managers write and publish the schedule.
  'GET /sites/{siteId}/staff/{userId}/availability': { roles: EVERYONE, site: 'path', object: OWN },
  'PUT /sites/{siteId}/staff/{userId}/availability': { roles: EVERYONE, site: 'path', object: `${OWN}; by version (409 when stale)` },
  'POST /sites/{siteId}/staff/{userId}/time-off': { roles: EVERYONE, site: 'path', object: `${OWN}; 409 when it overlaps a pending or approved request` },
  'GET /sites/{siteId}/staff/{userId}/time-off': { roles: EVERYONE, site: 'path', object: OWN },
  'POST /sites/{siteId}/staff/{userId}/time-off/{requestId}/cancel': { roles: EVERYONE, site: 'path', object: `${OWN}; pending requests only (409)` },
  'POST /sites/{siteId}/staff/{userId}/time-off/{requestId}/decision': { roles: MANAGERS, site: 'path', object: 'pending requests only (409)' },
  'GET /sites/{siteId}/time-off': { roles: MANAGERS, site: 'path' },
  'GET /sites/{siteId}/schedule': { roles: EVERYONE, site: 'path', object: 'staff: published shifts only, without wages, costs or flags; managers: drafts, flags and the labour cost' },
  'POST /sites/{siteId}/schedule/shifts': { roles: MANAGERS, site: 'path', object: 'the person needs a profile with the position; conflicts refused or flagged (schedule-rules.ts)' },
  'PUT /sites/{siteId}/schedule/shifts/{shiftId}': { roles: MANAGERS, site: 'path', object: 'by version (409 when stale); conflicts as on create' },
  'DELETE /sites/{siteId}/schedule/shifts/{shiftId}': { roles: MANAGERS, site: 'path', object: 'drafts only, by version (409)' },
  'POST /sites/{siteId}/schedule/copy': { roles: MANAGERS, site: 'path', object: 'copies become drafts through the same checks as a create; refused ones are reported, not written' },
  'POST /sites/{siteId}/schedule/publish': { roles: MANAGERS, site: 'path', object: 'conditional on each shift’s version (409 on a concurrent edit)' },
  'POST /sites/{siteId}/schedule/shifts/{shiftId}/claim': { roles: EVERYONE, site: 'path', object: 'the caller takes a published open shift of one of their positions; one of two concurrent claims wins (409)' },
  'POST /sites/{siteId}/schedule/shifts/{shiftId}/swap': { roles: EVERYONE, site: 'path', object: 'the shift’s own person only (another’s is a 404)' },
  'POST /sites/{siteId}/schedule/shifts/{shiftId}/swap/decision': { roles: MANAGERS, site: 'path', object: 'conflicts checked for the colleague' },
  // punch edits, timesheets, payroll exports and payslips (docs/staff.md "Timesheets and payroll"): staff ask for
  // corrections of their own punches and read their own timesheet and payslip; managers decide, approve and export.
  'POST /sites/{siteId}/staff/{userId}/punch-edits': { roles: EVERYONE, site: 'path', object: `${OWN}; pending until a manager approves; 409 on a locked pay period` },
  'GET /sites/{siteId}/staff/{userId}/punch-edits': { roles: EVERYONE, site: 'path', object: OWN },
  'POST /sites/{siteId}/staff/{userId}/punch-edits/{editId}/approve': { roles: MANAGERS, site: 'path', object: 'not on the caller’s own punches unless an owner (403); pending only (409); 409 on a locked pay period' },
  'POST /sites/{siteId}/staff/{userId}/punch-edits/{editId}/decline': { roles: MANAGERS, site: 'path', object: 'not on the caller’s own punches unless an owner (403); pending only (409)' },
  'GET /sites/{siteId}/timesheets': { roles: EVERYONE, site: 'path', object: 'staff: their own timesheet only' },
  'GET /sites/{siteId}/timesheets/{periodFrom}/{userId}': { roles: EVERYONE, site: 'path', object: OWN },
  'POST /sites/{siteId}/timesheets/{periodFrom}/{userId}/approve': { roles: MANAGERS, site: 'path', object: 'not the caller’s own timesheet unless an owner (403); 409 while edits wait, while clocked in, when locked' },
  'POST /sites/{siteId}/timesheets/{periodFrom}/{userId}/recompute': { roles: MANAGERS, site: 'path', object: 'locked timesheets only (409)' },
  'POST /sites/{siteId}/timesheets/{periodFrom}/{userId}/reopen': { roles: OWNERS, site: 'path', object: 'locked timesheets only (409); the reason and what had been locked are kept' },
  'GET /sites/{siteId}/payroll/{periodFrom}': { roles: MANAGERS, site: 'path', object: 'locked timesheets only; open ones are listed as excluded' },
  'GET /sites/{siteId}/payroll/{periodFrom}/{userId}/payslip': { roles: EVERYONE, site: 'path', object: `${OWN}; locked timesheets only (409)` },
} as const satisfies Record<string, Policy>;

// Pure, as in every domain: a bundle that builds no route drops it.
export const httpRoute = /* @__PURE__ */ protectedRoutes(policies);
