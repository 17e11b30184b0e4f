import * as z from 'zod';
import { timeZoneSchema } from '#shared/time';
import { roleSchema, siteIdSchema } from '#shared/identity';

export const emailSchema = z.email().max(254).transform((e) => e.trim().toLowerCase());
// Length only here: the strength rules (common passwords, email) live in passwords.ts with their reasons.
export const passwordSchema = z.string().min(12, 'must be at least 12 characters').max(256);
const opaqueToken = z.string().regex(/^[A-Za-z0-9_-]{32,128}$/, 'malformed token');
const userId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const loginSchema = z.strictObject({ email: emailSchema, password: z.string().min(1).max(256) });
export const refreshSchema = z.strictObject({ refreshToken: opaqueToken });
export const registerSchema = z.strictObject({
  inviteToken: opaqueToken,
  name: z.string().trim().min(1).max(100),
  password: passwordSchema,
});
export const changePasswordSchema = z.strictObject({ currentPassword: z.string().min(1).max(256), newPassword: passwordSchema });

/**
 * The most sites one user works at. Their token carries the list, and the notifications directory applies a user's
 * memberships in one DynamoDB transaction (at most 100 writes, two when sites change).
 */
export const MAX_SITES_PER_USER = 50;

export const inviteSchema = z.strictObject({
  email: emailSchema,
  role: roleSchema,
  sites: z.array(siteIdSchema).max(MAX_SITES_PER_USER).default([]),
});
export type InviteRequest = z.infer<typeof inviteSchema>;

export const userParamsSchema = z.object({ userId });
export const sessionParamsSchema = z.object({ sessionId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
export const listUsersQuerySchema = z.object({
  siteId: siteIdSchema,
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(1024).optional(),
});
export const updateUserSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    role: roleSchema.optional(),
    sites: z.array(siteIdSchema).max(MAX_SITES_PER_USER).optional(),
  })
  .refine((u) => Object.keys(u).length > 0, 'nothing to update');
export type UserUpdate = z.infer<typeof updateUserSchema>;

export const createSiteSchema = z.strictObject({
  siteId: siteIdSchema,
  name: z.string().trim().min(1).max(100),
  timeZone: timeZoneSchema,
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'),
});
export type SiteInput = z.infer<typeof createSiteSchema>;
export const siteParamsSchema = z.object({ siteId: siteIdSchema });
export const updateSiteSchema = createSiteSchema
  .omit({ siteId: true })
  .partial()
  .refine((s) => Object.keys(s).length > 0, 'nothing to update');

export const userStatusSchema = z.enum(['active', 'deactivated']);
export interface UserRecord {
  userId: string;
  email: string;
  name: string;
  role: z.infer<typeof roleSchema>;
  sites: string[];
  status: z.infer<typeof userStatusSchema>;
  passwordHash: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}
/** What any response may show of a user: listed field by field, never the record. */
export function publicUser(user: UserRecord) {
  return {
    userId: user.userId,
    email: user.email,
    name: user.name,
    role: user.role,
    sites: user.sites,
    status: user.status,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

/**
 * The next version of a user or site record: every change goes through here, so every change bumps `version`
 * (optimistic locking, and the order of the directory events other domains keep).
 */
export function successor<R extends { version: number; updatedAt: string }>(record: R, changes: NoInfer<Partial<Omit<R, 'version' | 'updatedAt'>>>, at = new Date()): R {
  return { ...record, ...changes, updatedAt: at.toISOString(), version: record.version + 1 };
}

export interface SiteRecord {
  siteId: string;
  name: string;
  timeZone: string;
  currency: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}
export function publicSite(site: SiteRecord) {
  return { siteId: site.siteId, name: site.name, timeZone: site.timeZone, currency: site.currency, createdAt: site.createdAt, updatedAt: site.updatedAt };
}

export interface SessionRecord {
  userId: string;
  sessionId: string;
  createdAt: string;
  expiresAt: number;
  lastUsedAt: string;
  revokedAt?: string;
  userAgent?: string;
  ip?: string;
}
