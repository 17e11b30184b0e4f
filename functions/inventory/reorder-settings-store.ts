// A site's reorder settings (table.ts has the whole layout):
//   SITE#{site}#SETTINGS / REORDER    the service level of the safety stock, who set it and when
// Until a manager sets it, the default (95 %) applies. A setting is one value: the last PUT wins.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { DEFAULT_SERVICE_LEVEL, SERVICE_LEVELS, type ServiceLevel } from './reorder-rules';
import { inventoryKeys } from './table';

export interface ReorderSettings {
  /** The chance that a cycle's demand stays within the target, e.g. 0.95. */
  serviceLevel: number;
  /** Its one-sided normal quantile. */
  z: number;
  updatedAt?: string;
  updatedBy?: string;
}

const settingsOf = (level: ServiceLevel, rest: Pick<ReorderSettings, 'updatedAt' | 'updatedBy'> = {}): ReorderSettings => ({ serviceLevel: Number(level), z: SERVICE_LEVELS[level], ...rest });

export class ReorderSettingsStore {
  constructor(private readonly table: string) {}

  async get(siteId: string): Promise<ReorderSettings> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: inventoryKeys.reorderSettings(siteId) }));
    const level = String(Item?.serviceLevel ?? DEFAULT_SERVICE_LEVEL);
    // A level no longer offered falls back to the default rather than to no safety stock.
    if (!(level in SERVICE_LEVELS)) return settingsOf(DEFAULT_SERVICE_LEVEL);
    return settingsOf(level as ServiceLevel, Item?.updatedAt ? { updatedAt: Item.updatedAt as string, updatedBy: Item.updatedBy as string } : {});
  }

  async put(siteId: string, serviceLevel: number, by: string, now: string): Promise<ReorderSettings> {
    await dynamoDb().send(new PutCommand({ TableName: this.table, Item: { ...inventoryKeys.reorderSettings(siteId), siteId, serviceLevel, updatedAt: now, updatedBy: by } }));
    return settingsOf(String(serviceLevel) as ServiceLevel, { updatedAt: now, updatedBy: by });
  }
}
