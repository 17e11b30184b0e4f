// A site's HACCP settings in the iot table (table.ts has the whole layout):
//   SITE#{site} / SETTINGS                     time zone and the local times of the AM and PM checks
// Absent until a manager saves them; the HACCP log then uses the defaults (haccp.ts).
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import type { SiteSettings } from './schemas';
import { sitePk, strip } from './table';

export const settingsKey = (siteId: string) => ({ pk: sitePk(siteId), sk: 'SETTINGS' });

export class SettingsStore {
  constructor(private readonly table: string) {}

  async getSettings(siteId: string): Promise<SiteSettings | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: settingsKey(siteId) }));
    return Item ? strip<SiteSettings>(Item) : undefined;
  }

  async putSettings(siteId: string, settings: SiteSettings): Promise<void> {
    await dynamoDb().send(new PutCommand({ TableName: this.table, Item: { ...settingsKey(siteId), ...settings } }));
  }
}
