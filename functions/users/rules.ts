// Who may do what to whom among users: pure functions, unit-tested, called by the services.
import { ForbiddenError, NotFoundError } from '#shared/errors';
import { canAccessSite, outranks, type Caller, type Role } from '#shared/identity';

interface Subject {
  userId: string;
  role: Role;
  sites: string[];
}

function sharesSite(caller: Caller, target: Subject): boolean {
  return target.sites.some((site) => canAccessSite(caller, site));
}

/** Owners see everyone; managers see users of their sites; everyone sees themselves. Else 404, not 403. */
export function assertMayView(caller: Caller, target: Subject): void {
  if (caller.userId === target.userId || caller.role === 'owner') return;
  if (caller.role === 'manager' && sharesSite(caller, target)) return;
  throw new NotFoundError('User not found');
}

/** Managing (edit, deactivate) needs a higher rank and, for managers, a shared site. Nobody manages themselves. */
export function assertMayManage(caller: Caller, target: Subject): void {
  assertMayView(caller, target);
  if (caller.userId === target.userId) throw new ForbiddenError('You cannot change your own role, sites or status');
  if (!outranks(caller.role, target.role)) throw new ForbiddenError('Your role may not manage this user');
}

/** Granting a role and sites (invite or update): managers grant only staff, only on their own sites. */
export function assertMayGrant(caller: Caller, role: Role, sites: string[]): void {
  if (caller.role === 'owner') return;
  if (caller.role !== 'manager' || role !== 'staff') throw new ForbiddenError('Only owners grant the owner or manager role');
  const foreign = sites.filter((site) => !canAccessSite(caller, site));
  if (foreign.length > 0) throw new ForbiddenError(`Not a member of site ${foreign[0]}`);
  if (sites.length === 0) throw new ForbiddenError('Managers must grant at least one of their sites');
}
