// Request bodies, settings and records of the notifications domain; types come from the schemas.
import * as z from 'zod';
import { roleSchema, siteIdSchema } from '#shared/identity';

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export const severitySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severitySchema>;
export const severityRank = (severity: Severity): number => SEVERITIES.indexOf(severity);

/** E.164: "+" then country code and number, 8 to 15 digits, no spaces. What SNS accepts for SMS. */
export const phoneNumberSchema = z.string().regex(/^\+[1-9]\d{7,14}$/, 'must be an E.164 phone number such as +14155550123');
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)');

export const OUTBOUND_CHANNELS = ['realtime', 'sms', 'email'] as const;
export type OutboundChannel = (typeof OUTBOUND_CHANNELS)[number];

const channel = <T extends z.ZodRawShape>(defaults: { enabled: boolean; minSeverity: Severity }, extra: T) =>
  z.strictObject({ enabled: z.boolean().default(defaults.enabled), minSeverity: severitySchema.default(defaults.minSeverity), ...extra });

/** What a user chooses; the inbox always gets everything routed to them, whatever this says. */
export const userSettingsSchema = z
  .strictObject({
    channels: z
      .strictObject({
        realtime: channel({ enabled: true, minSeverity: 'info' }, {}).prefault({}),
        sms: channel({ enabled: false, minSeverity: 'critical' }, { phoneNumber: phoneNumberSchema.optional() }).prefault({}),
        email: channel({ enabled: false, minSeverity: 'warning' }, { address: z.email().max(254).optional() }).prefault({}),
      })
      .prefault({}),
    /** Outbound channels stay silent in this window, in each site's own time zone; critical alerts bypass it. */
    quietHours: z.strictObject({ start: clockTime, end: clockTime }).nullable().default(null),
    /** Per-site opt-ins: a site set to false sends this user nothing but critical alerts. Absent = opted in. */
    sites: z.record(siteIdSchema, z.strictObject({ enabled: z.boolean() })).default({}),
  })
  .superRefine((settings, ctx) => {
    if (settings.channels.sms.enabled && !settings.channels.sms.phoneNumber)
      ctx.addIssue({ code: 'custom', path: ['channels', 'sms', 'phoneNumber'], message: 'required when SMS is enabled' });
    if (settings.channels.email.enabled && !settings.channels.email.address)
      ctx.addIssue({ code: 'custom', path: ['channels', 'email', 'address'], message: 'required when email is enabled' });
    if (settings.quietHours && settings.quietHours.start === settings.quietHours.end)
      ctx.addIssue({ code: 'custom', path: ['quietHours'], message: 'start and end must differ' });
    if (Object.keys(settings.sites).length > 50) ctx.addIssue({ code: 'custom', path: ['sites'], message: 'at most 50 sites' });
  });
export type UserSettings = z.infer<typeof userSettingsSchema>;
export const DEFAULT_USER_SETTINGS: UserSettings = userSettingsSchema.parse({});

/** The email channel's SNS subscription, as the store keeps it next to the settings. */
export interface EmailSubscription {
  address: string;
  /** `pending confirmation` until the recipient confirms (AWS sends them a link). */
  subscriptionArn: string;
}

export interface UserSettingsRecord {
  userId: string;
  settings: UserSettings;
  emailSubscription?: EmailSubscription;
  updatedAt: string;
  version: number;
}

/** A site's policy: when an unacknowledged critical alert escalates, and how many SMS it may send per hour. */
export const siteSettingsSchema = z.strictObject({
  escalation: z
    .strictObject({
      /** Seconds a critical alert may stay unacknowledged before the next level is paged. */
      afterSeconds: z.number().int().min(5).max(24 * 3600).default(600),
      /** Seconds between repeated pages while still unacknowledged. */
      repeatEverySeconds: z.number().int().min(5).max(24 * 3600).default(900),
      /** Pages after the first; then the alert stays in the inboxes, marked as no longer escalating. */
      maxRepeats: z.number().int().min(0).max(10).default(3),
    })
    .prefault({}),
  /** SMS this site may send per clock hour (UTC); beyond it messages stay in the inbox and are logged. */
  smsPerHour: z.number().int().min(0).max(10_000).default(30),
});
export type SiteSettings = z.infer<typeof siteSettingsSchema>;
export const DEFAULT_SITE_SETTINGS: SiteSettings = siteSettingsSchema.parse({});

// --- the directory (from users events) ------------------------------------------------------------------------

export const userSnapshotSchema = z.object({
  userId: z.string().min(1),
  name: z.string(),
  email: z.string(),
  role: roleSchema,
  sites: z.array(siteIdSchema),
  status: z.enum(['active', 'deactivated']),
  version: z.number().int().min(1),
});
export type UserSnapshot = z.infer<typeof userSnapshotSchema>;

export const siteSnapshotSchema = z.object({
  siteId: siteIdSchema,
  name: z.string(),
  timeZone: z.string().min(1),
  version: z.number().int().min(1),
});
export type SiteSnapshot = z.infer<typeof siteSnapshotSchema>;

export interface Member {
  userId: string;
  role: z.infer<typeof roleSchema>;
  status: 'active' | 'deactivated';
}

// --- notifications ------------------------------------------------------------------------------------------

export type DeliveryStatus = 'pending' | 'sent' | 'skipped' | 'failed';
export interface Delivery {
  status: DeliveryStatus;
  /** Why skipped or failed: disabled, below-min-severity, quiet-hours, site-opted-out, no-phone-number, sms-cap… */
  reason?: string;
  at?: string;
}

export interface NotificationRecord {
  notificationId: string;
  userId: string;
  siteId: string;
  eventId: string;
  eventType: string;
  severity: Severity;
  title: string;
  body: string;
  /** Set on critical alerts that need acknowledging; the alert record holds acknowledgement and escalation. */
  alertId?: string;
  createdAt: string;
  readAt?: string;
  deliveries: Record<OutboundChannel, Delivery>;
  data: Record<string, unknown>;
}

export interface EscalationStep {
  at: string;
  /** 1 = first page of the next level, 2… = repeats. */
  step: number;
  level: 'owner';
  recipients: Array<{ userId: string; sms: Delivery }>;
}

export interface AlertRecord {
  alertId: string;
  siteId: string;
  eventId: string;
  title: string;
  createdAt: string;
  /** Who got the alert at first (the site's managers, or its owners if it has none). */
  notified: string[];
  acknowledged?: { by: string; at: string };
  resolvedAt?: string;
  escalation: { status: 'waiting' | 'escalating' | 'stopped'; stopReason?: string; nextAt?: string; steps: EscalationStep[] };
}

export const inboxQuerySchema = z.strictObject({
  unread: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  /** Opaque, from the previous page's `nextCursor`; it holds that page's last keys, so it needs room. */
  cursor: z.string().min(1).max(1024).optional(),
});

export const notificationParamsSchema = z.strictObject({ notificationId: z.string().regex(/^[0-9a-z]{9}-[0-9a-f]{16}$/, 'not a notification id') });
export const siteParamsSchema = z.strictObject({ siteId: siteIdSchema });
