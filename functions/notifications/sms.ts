// SMS through SNS: a direct Publish to the phone number, behind the site's hourly spend guard.
import { PublishCommand } from '@aws-sdk/client-sns';
import { snsClient } from '#shared/clients/sns';
import { logger } from '#shared/logger';
import { settingsStore } from './config';
import { DEFAULT_SITE_SETTINGS, type Delivery } from './schemas';

/** The spend guard's window: the UTC clock hour, e.g. 2026-11-25T14. */
export const smsHour = (instant: number): string => new Date(instant).toISOString().slice(0, 13);

export async function siteSmsCap(siteId: string): Promise<number> {
  return (await settingsStore.getSiteSettings(siteId))?.smsPerHour ?? DEFAULT_SITE_SETTINGS.smsPerHour;
}

/**
 * Sends one SMS if the site has budget left this hour. Over the cap nothing is sent: the caller keeps the
 * notification in the inbox with reason `sms-cap-reached`, and it is logged, so nothing disappears silently.
 */
export async function sendSms(input: { siteId: string; phoneNumber: string; text: string; cap: number; now: number }): Promise<Delivery> {
  const at = new Date(input.now).toISOString();
  if (!(await settingsStore.takeSmsSlot(input.siteId, smsHour(input.now), input.cap))) {
    logger.warn('SMS held back: site hourly cap reached', { siteId: input.siteId, cap: input.cap });
    return { status: 'skipped', reason: 'sms-cap-reached', at };
  }
  try {
    await snsClient().send(
      new PublishCommand({
        PhoneNumber: input.phoneNumber,
        Message: input.text,
        MessageAttributes: {
          // Transactional: delivered for reliability over cost, as alerts need to be.
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        },
      }),
    );
    return { status: 'sent', at };
  } catch (error) {
    logger.error('SMS publish failed', { siteId: input.siteId, error: error as Error });
    return { status: 'failed', reason: (error as Error).name || 'publish-failed', at };
  }
}
