// A site's productivity targets in the forecast table, one item written on condition of the version read:
//   SITE#{site}#TARGETS / TARGETS     positions [{ positionId, driver, perPersonHour, minimum, prepHours?, closeHours? }],
//                                     version, updatedAt, updatedBy
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { isConditionFailure, VersionConflictError } from '#shared/dynamodb';
import type { PositionTarget } from './staffing-rules';

export interface TargetsRecord {
  siteId: string;
  positions: PositionTarget[];
  version: number;
  updatedAt: string;
  updatedBy: string;
}

const key = (siteId: string) => ({ pk: `SITE#${siteId}#TARGETS`, sk: 'TARGETS' });

/** The item targets are kept as: the route's put and the demo seed write the same. */
export const targetsItem = (targets: TargetsRecord) => ({ ...key(targets.siteId), ...targets });

export class TargetStore {
  constructor(private readonly table: string) {}

  async get(siteId: string): Promise<TargetsRecord | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: key(siteId) }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...record } = Item;
    return record as TargetsRecord;
  }

  /** Writes `targets` (its version already the next one) on condition of the one before (absent at 1). */
  async put(targets: TargetsRecord): Promise<void> {
    try {
      await dynamoDb().send(
        new PutCommand({
          TableName: this.table,
          Item: targetsItem(targets),
          ...(targets.version === 1
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :read', ExpressionAttributeValues: { ':read': targets.version - 1 } }),
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      throw new VersionConflictError('productivity targets', { expectedVersion: targets.version - 1 });
    }
  }
}
