// Each user's notification settings, and each site's escalation policy and SMS cap.
import { logger } from '#shared/logger';
import { settingsStore } from './config';
import { emailStatus, subscribeEmail, unsubscribeEmail } from './email';
import { DEFAULT_SITE_SETTINGS, DEFAULT_USER_SETTINGS, type SiteSettings, type UserSettings, type UserSettingsRecord } from './schemas';
import { smsHour } from './sms';

async function settingsView(record: UserSettingsRecord | undefined) {
  return {
    ...(record?.settings ?? DEFAULT_USER_SETTINGS),
    email: { status: await emailStatus(record?.emailSubscription) },
    version: record?.version ?? 0,
    updatedAt: record?.updatedAt ?? null,
  };
}

export async function getUserSettings(userId: string) {
  return settingsView(await settingsStore.getUserSettings(userId));
}

/**
 * Replaces the settings. Turning email on (or changing the address) subscribes the address to the email topic;
 * turning it off (or changing it) unsubscribes the old one once the new settings are saved.
 */
export async function putUserSettings(userId: string, settings: UserSettings) {
  const current = await settingsStore.getUserSettings(userId);
  const wanted = settings.channels.email.enabled ? settings.channels.email.address : undefined;
  const kept = current?.emailSubscription?.address === wanted ? current?.emailSubscription : undefined;
  const added = wanted && !kept ? await subscribeEmail(userId, wanted) : undefined;
  const subscription = kept ?? added;
  const record: UserSettingsRecord = {
    userId,
    settings,
    ...(subscription && { emailSubscription: subscription }),
    updatedAt: new Date().toISOString(),
    version: (current?.version ?? 0) + 1,
  };
  try {
    await settingsStore.putUserSettings(record, current?.version ?? 0);
  } catch (error) {
    if (added) await unsubscribeEmail(added); // lost a race (409): the winner's settings keep their own subscription
    throw error;
  }
  // The old address stops receiving only once the new settings are saved.
  if (current?.emailSubscription && !kept) await unsubscribeEmail(current.emailSubscription);
  logger.info('notification settings saved', { userId, version: record.version });
  return settingsView(record);
}

export async function getSiteSettings(siteId: string) {
  const stored = await settingsStore.getSiteSettings(siteId);
  const { escalation, smsPerHour } = stored ?? DEFAULT_SITE_SETTINGS;
  const hour = smsHour(Date.now());
  return {
    siteId,
    escalation,
    smsPerHour,
    smsThisHour: { hour, sent: await settingsStore.smsSent(siteId, hour) },
    updatedAt: stored?.updatedAt ?? null,
    updatedBy: stored?.updatedBy ?? null,
  };
}

export async function putSiteSettings(siteId: string, settings: SiteSettings, updatedBy: string) {
  await settingsStore.putSiteSettings(siteId, settings, updatedBy);
  return getSiteSettings(siteId);
}
