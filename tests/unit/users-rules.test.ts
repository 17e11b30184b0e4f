import { ForbiddenError, NotFoundError } from '../../functions/shared/errors';
import type { Caller, Role } from '../../functions/shared/identity';
import { assertMayGrant, assertMayManage, assertMayView } from '../../functions/users/rules';

const caller = (userId: string, role: Role, sites: string[] = []): Caller => ({ userId, role, sites, sessionId: `s-${userId}`, issuedAt: 0 });
const subject = (userId: string, role: Role, sites: string[] = []) => ({ userId, role, sites });

const owner = caller('owner-1', 'owner');
const managerA = caller('manager-a', 'manager', ['site-a']);
const staffA = caller('staff-a', 'staff', ['site-a']);

/** Runs `act` and returns what it threw as { type, status, message }, or 'allowed'. */
function outcome(act: () => void) {
  try {
    act();
    return 'allowed';
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof ForbiddenError) {
      return { type: error.constructor.name, status: error.statusCode, message: error.message };
    }
    throw error;
  }
}
const NOT_FOUND = { type: 'NotFoundError', status: 404, message: 'User not found' };
const forbidden = (message: string) => ({ type: 'ForbiddenError', status: 403, message });

describe('assertMayView: self, owners see all, managers see their sites; anything else looks absent', () => {
  it.each([
    ['staff, themselves', staffA, subject('staff-a', 'staff', ['site-a'])],
    ['a manager with no sites, themselves', caller('m0', 'manager'), subject('m0', 'manager')],
    ['an owner, a user of any site', owner, subject('x', 'staff', ['site-z'])],
    ['an owner, a user with no site', owner, subject('x', 'manager')],
    ['an owner, another owner', owner, subject('owner-2', 'owner')],
    ['a manager, staff of their site', managerA, subject('x', 'staff', ['site-a'])],
    ['a manager, someone sharing one of several sites', caller('m', 'manager', ['site-b', 'site-a']), subject('x', 'staff', ['site-c', 'site-a'])],
    ['a manager, a fellow manager of their site', managerA, subject('m2', 'manager', ['site-a'])],
  ])('%s → allowed', (_, who, target) => {
    expect(outcome(() => assertMayView(who, target))).toBe('allowed');
  });

  it.each([
    ['staff, a colleague of the same site', staffA, subject('staff-a2', 'staff', ['site-a'])],
    ['staff, their manager', staffA, subject('manager-a', 'manager', ['site-a'])],
    ['a manager, staff of another site only', managerA, subject('x', 'staff', ['site-b'])],
    ['a manager, a user with no site', managerA, subject('x', 'staff')],
    ['a manager, the owner (who belongs to no site)', managerA, subject('owner-1', 'owner')],
  ])('%s → 404', (_, who, target) => {
    expect(outcome(() => assertMayView(who, target))).toEqual(NOT_FOUND);
  });
});

describe('assertMayManage: visible, not yourself, and outranked', () => {
  it.each([
    ['an owner, staff', owner, subject('x', 'staff', ['site-z'])],
    ['an owner, a manager', owner, subject('x', 'manager', ['site-z'])],
    ['an owner, another owner', owner, subject('owner-2', 'owner')],
    ['a manager, staff of their site', managerA, subject('x', 'staff', ['site-a', 'site-b'])],
  ])('%s → allowed', (_, who, target) => {
    expect(outcome(() => assertMayManage(who, target))).toBe('allowed');
  });

  it.each([
    ['staff, a colleague', staffA, subject('staff-a2', 'staff', ['site-a'])],
    ['a manager, staff of another site', managerA, subject('x', 'staff', ['site-b'])],
  ])('not visible (%s) → 404 before any 403, so nothing leaks', (_, who, target) => {
    expect(outcome(() => assertMayManage(who, target))).toEqual(NOT_FOUND);
  });

  it.each([
    ['staff', staffA, subject('staff-a', 'staff', ['site-a'])],
    ['a manager', managerA, subject('manager-a', 'manager', ['site-a'])],
    ['an owner', owner, subject('owner-1', 'owner')],
  ])('%s managing themselves → 403', (_, who, target) => {
    expect(outcome(() => assertMayManage(who, target))).toEqual(forbidden('You cannot change your own role, sites or status'));
  });

  it.each([
    ['a manager, a fellow manager of their site', managerA, subject('m2', 'manager', ['site-a'])],
    ['a manager, an owner who shares their site', managerA, subject('owner-2', 'owner', ['site-a'])],
  ])('%s → 403', (_, who, target) => {
    expect(outcome(() => assertMayManage(who, target))).toEqual(forbidden('Your role may not manage this user'));
  });
});

describe('assertMayGrant: owners grant anything; managers grant staff on their own sites only', () => {
  it.each([
    ['owner', 'owner', []],
    ['manager', 'manager', ['site-z']],
    ['staff', 'staff', ['site-a', 'site-z']],
  ] as const)('an owner grants %s → allowed', (_, role, sites) => {
    expect(outcome(() => assertMayGrant(owner, role, [...sites]))).toBe('allowed');
  });

  it('a manager grants staff on their own sites → allowed', () => {
    expect(outcome(() => assertMayGrant(caller('m', 'manager', ['site-a', 'site-b']), 'staff', ['site-a', 'site-b']))).toBe('allowed');
  });

  it.each([
    ['a manager granting manager', managerA, 'manager'],
    ['a manager granting owner', managerA, 'owner'],
    ['staff granting staff', staffA, 'staff'],
    ['staff granting owner', staffA, 'owner'],
  ] as const)('%s → 403', (_, who, role) => {
    expect(outcome(() => assertMayGrant(who, role, ['site-a']))).toEqual(forbidden('Only owners grant the owner or manager role'));
  });

  it('a manager granting staff on a site they are not in → 403 naming it, even alongside their own', () => {
    expect(outcome(() => assertMayGrant(managerA, 'staff', ['site-b']))).toEqual(forbidden('Not a member of site site-b'));
    expect(outcome(() => assertMayGrant(managerA, 'staff', ['site-a', 'site-c']))).toEqual(forbidden('Not a member of site site-c'));
  });

  it('a manager granting staff with no site at all → 403', () => {
    expect(outcome(() => assertMayGrant(managerA, 'staff', []))).toEqual(forbidden('Managers must grant at least one of their sites'));
  });
});
