// What a route policy says. Each domain keeps its own routes' policies in `functions/<domain>/policies.ts` and
// builds its handlers with the `httpRoute`/`publicRoute` bound to them there, so nothing in shared/ knows a
// domain's routes. A route without a policy answers 403 to everyone (deny by default); a unit test fails for a
// route in a functions.yml missing from its domain's table, and docs/access-policies.md is the generated review
// table of all of them.
//
// `site`: where the route names the site its object belongs to; the kit refuses (403) a caller who is not a
//         member of that site (owners belong to every site).
// `object`: checks on the object itself that only the domain can make (ownership, rank); enforced in the
//         named service function, listed so the whole picture is in one place.
import type { Role } from './identity';

export type Policy =
  | { public: true; why: string }
  | { public?: false; roles: readonly Role[]; site?: 'path' | 'query'; object?: string };

export type PolicyTable = Readonly<Record<string, Policy>>;

export const EVERYONE: readonly Role[] = ['owner', 'manager', 'staff'];
export const MANAGERS: readonly Role[] = ['owner', 'manager'];
export const OWNERS: readonly Role[] = ['owner'];
