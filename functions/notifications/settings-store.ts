// What people and sites chose, and the SMS spend each site has used, in the notifications table:
//   USER#{userId} / SETTINGS           a user's channels, severities, quiet hours, site opt-ins, email subscription;
//                                      `version` increments on every save (optimistic: a concurrent save is a 409)
//   SITE#{siteId} / SETTINGS           the site's escalation policy and SMS cap, with who set them and when
//   SITE#{siteId} / SMS#{yyyy-mm-ddThh} SMS sent this UTC hour: the spend guard's counter (TTL 3 h)
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { batchGetAll, VersionConflictError } from '#shared/dynamodb';
import type { SiteSettings, UserSettingsRecord } from './schemas';
import { conditionally, getRecord, nowSeconds, recordOf, userPk } from './table';

const SMS_COUNTER_TTL_SECONDS = 3 * 3600;

const settingsKey = (userId: string) => ({ pk: userPk(userId), sk: 'SETTINGS' });
const siteSettingsKey = (siteId: string) => ({ pk: `SITE#${siteId}`, sk: 'SETTINGS' });
const smsCounterKey = (siteId: string, hour: string) => ({ pk: `SITE#${siteId}`, sk: `SMS#${hour}` });

export type StoredSiteSettings = SiteSettings & { updatedAt: string; updatedBy: string };

export class SettingsStore {
  constructor(private readonly table: string) {}

  getUserSettings(userId: string): Promise<UserSettingsRecord | undefined> {
    return getRecord<UserSettingsRecord>(this.table, settingsKey(userId));
  }

  /** Settings of many users (everyone an event reaches): consistent reads, throttled keys retried. */
  async userSettingsOf(userIds: string[]): Promise<Map<string, UserSettingsRecord>> {
    const items = await batchGetAll(this.table, userIds.map(settingsKey), { consistentRead: true });
    return new Map(items.map((item) => recordOf<UserSettingsRecord>(item)).map((record) => [record.userId, record]));
  }

  /** Optimistic: `expectedVersion` 0 means "none stored yet". A concurrent change → 409. */
  async putUserSettings(record: UserSettingsRecord, expectedVersion: number): Promise<void> {
    const saved = await conditionally(
      new PutCommand({
        TableName: this.table,
        Item: { ...settingsKey(record.userId), ...record },
        ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
        ...(expectedVersion !== 0 && { ExpressionAttributeValues: { ':expected': expectedVersion } }),
      }),
    );
    if (!saved) throw new VersionConflictError('notification settings record', { expectedVersion });
  }

  getSiteSettings(siteId: string): Promise<StoredSiteSettings | undefined> {
    return getRecord<StoredSiteSettings>(this.table, siteSettingsKey(siteId));
  }

  async putSiteSettings(siteId: string, settings: SiteSettings, updatedBy: string): Promise<void> {
    await dynamoDb().send(
      new PutCommand({ TableName: this.table, Item: { ...siteSettingsKey(siteId), ...settings, updatedAt: new Date().toISOString(), updatedBy } }),
    );
  }

  /** Takes one of the site's SMS for this hour, atomically; false once `cap` have been taken. */
  async takeSmsSlot(siteId: string, hour: string, cap: number): Promise<boolean> {
    if (cap <= 0) return false;
    return conditionally(
      new UpdateCommand({
        TableName: this.table,
        Key: smsCounterKey(siteId, hour),
        UpdateExpression: 'ADD sent :one SET expiresAt = if_not_exists(expiresAt, :ttl)',
        ConditionExpression: 'attribute_not_exists(sent) OR sent < :cap',
        ExpressionAttributeValues: { ':one': 1, ':cap': cap, ':ttl': nowSeconds() + SMS_COUNTER_TTL_SECONDS },
      }),
    );
  }

  async smsSent(siteId: string, hour: string): Promise<number> {
    const counter = await getRecord<{ sent?: number }>(this.table, smsCounterKey(siteId, hour));
    return counter?.sent ?? 0;
  }
}
