// Who the caller is, as proven by a verified access token, and what that means for site access.
import * as z from 'zod';

export const ROLES = ['owner', 'manager', 'staff'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const siteIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1-63 characters of a-z 0-9 -');

export interface Caller {
  userId: string;
  role: Role;
  /** Sites the caller belongs to. Owners see every site whatever this holds. */
  sites: string[];
  sessionId: string;
  issuedAt: number;
}

export function canAccessSite(caller: Caller, siteId: string): boolean {
  return caller.role === 'owner' || caller.sites.includes(siteId);
}

/** Role rank for "may manage": owners manage everyone, managers manage staff, staff manage nobody. */
export function outranks(actor: Role, target: Role): boolean {
  if (actor === 'owner') return true;
  return actor === 'manager' && target === 'staff';
}
