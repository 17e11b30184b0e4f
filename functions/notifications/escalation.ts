// Escalation: a critical alert nobody acknowledged pages the next level (the owners) by SMS, then repeats at the
// site's interval, a bounded number of times, until someone acknowledges it or the condition ends. A scheduled
// sweep finds due alerts through a sparse index; each step is claimed with a condition before anything is sent,
// so two sweeps racing page once.
import { logger } from '#shared/logger';
import { recordNotificationSent } from '#shared/metrics';
import { alertStore, directoryStore, settingsStore } from './config';
import { nextStepDue, smsText } from './routing';
import { DEFAULT_SITE_SETTINGS, type AlertRecord, type Delivery, type EscalationStep } from './schemas';
import { sendSms, siteSmsCap } from './sms';

export async function escalateDueAlerts(now = Date.now()): Promise<{ due: number; paged: number }> {
  const due = await alertStore.dueAlerts(now);
  let paged = 0;
  for (const alertId of due) {
    try {
      if (await escalate(alertId, now)) paged++;
    } catch (error) {
      // One alert's failure must not hold back the others; it stays due and the next sweep tries again.
      logger.error('escalation step failed', { alertId, error: error as Error });
    }
  }
  return { due: due.length, paged };
}

async function escalate(alertId: string, now: number): Promise<boolean> {
  const alert = await alertStore.getAlert(alertId);
  if (!alert || alert.acknowledged || alert.resolvedAt) return false;
  const policy = (await settingsStore.getSiteSettings(alert.siteId))?.escalation ?? DEFAULT_SITE_SETTINGS.escalation;
  const owners = (await directoryStore.owners()).filter((owner) => owner.status === 'active').map((owner) => owner.userId);
  const stepNumber = alert.escalation.steps.length + 1;
  const step: EscalationStep = {
    at: new Date(now).toISOString(),
    step: stepNumber,
    level: 'owner',
    recipients: owners.map((userId) => ({ userId, sms: { status: 'pending' } })),
  };
  if (!(await alertStore.claimEscalationStep(alertId, step, nextStepDue(stepNumber, now, policy)))) return false;

  const recipients = await pageOwners(alert, owners, stepNumber, now);
  await alertStore.recordEscalationOutcome(alertId, stepNumber - 1, recipients);
  logger.info('alert escalated', { alertId, step: stepNumber, owners: owners.length });
  return true;
}

/**
 * Escalation is the safety net: it ignores the owners' channel choices and quiet hours, and needs only a phone
 * number. It still counts against the site's SMS cap, which is a spend limit the owner chose.
 */
async function pageOwners(alert: AlertRecord, owners: string[], stepNumber: number, now: number) {
  const settings = await settingsStore.userSettingsOf(owners);
  const site = await directoryStore.getSite(alert.siteId);
  const waited = Math.round((now - Date.parse(alert.createdAt)) / 60_000);
  const text = smsText(site?.name ?? alert.siteId, { severity: 'critical', title: alert.title }, `UNACKNOWLEDGED ${waited} min${stepNumber > 1 ? ` (page ${stepNumber})` : ''}: `);
  const cap = await siteSmsCap(alert.siteId);
  return Promise.all(
    owners.map(async (userId) => {
      const phoneNumber = settings.get(userId)?.settings.channels.sms.phoneNumber;
      const sms: Delivery = phoneNumber
        ? await sendSms({ siteId: alert.siteId, phoneNumber, text, cap, now })
        : { status: 'skipped', reason: 'no-phone-number', at: new Date(now).toISOString() };
      if (sms.status === 'sent') recordNotificationSent('sms');
      return { userId, sms };
    }),
  );
}
