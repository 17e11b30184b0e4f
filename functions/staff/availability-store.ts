// A person's recurring weekly availability (table.ts): SITE#{site}#AVAILABILITY / USER#{user}, one item, written on
// condition of the version read (absent at 0). The schedule reads it to refuse shifts outside it.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { isConditionFailure, VersionConflictError } from '#shared/dynamodb';
import type { WeeklyAvailability } from './schedule-rules';
import { nextVersionCondition, staffKeys } from './table';

export interface AvailabilityRecord {
  siteId: string;
  userId: string;
  days: WeeklyAvailability;
  /** 0: never set, available at any time. */
  version: number;
  updatedAt?: string;
  updatedBy?: string;
}

export class AvailabilityStore {
  constructor(private readonly table: string) {}

  async get(siteId: string, userId: string): Promise<AvailabilityRecord> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: staffKeys.availability(siteId, userId) }));
    if (!Item) return { siteId, userId, days: {}, version: 0 };
    const { pk: _pk, sk: _sk, ...record } = Item;
    return record as AvailabilityRecord;
  }

  /** Writes `record` (its version the next one) on condition of the version before it. */
  async put(record: AvailabilityRecord): Promise<void> {
    try {
      await dynamoDb().send(
        new PutCommand({
          TableName: this.table,
          Item: { ...staffKeys.availability(record.siteId, record.userId), ...record },
          ...nextVersionCondition(record.version),
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      throw new VersionConflictError('availability', { expectedVersion: record.version - 1 });
    }
  }
}
