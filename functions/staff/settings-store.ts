// A site's staff settings (table.ts): SITE#{site}#STAFF / SETTINGS, written on condition of the version read.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { isConditionFailure, VersionConflictError } from '#shared/dynamodb';
import { DEFAULT_STAFF_SETTINGS, type StaffSettingsRecord } from './settings';
import { staffKeys } from './table';

export class SettingsStore {
  constructor(private readonly table: string) {}

  /** The site's settings, or the defaults at version 0 when it never set any. */
  async get(siteId: string): Promise<StaffSettingsRecord> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: staffKeys.settings(siteId) }));
    if (!Item) return { siteId, ...DEFAULT_STAFF_SETTINGS, version: 0 };
    const { pk: _pk, sk: _sk, ...settings } = Item;
    return { ...DEFAULT_STAFF_SETTINGS, ...(settings as StaffSettingsRecord) };
  }

  /** Writes `settings` (its version already the next one) on condition of the one before (absent at 0). */
  async put(settings: StaffSettingsRecord): Promise<void> {
    try {
      await dynamoDb().send(
        new PutCommand({
          TableName: this.table,
          Item: { ...staffKeys.settings(settings.siteId), ...settings },
          ...(settings.version === 1
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :read', ExpressionAttributeValues: { ':read': settings.version - 1 } }),
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      throw new VersionConflictError('staff settings', { expectedVersion: settings.version - 1 });
    }
  }
}
