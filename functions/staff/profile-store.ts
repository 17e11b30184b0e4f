// Staff profiles (table.ts has the layout):
//   SITE#{site}#STAFF / PROFILE#{user}   positions and wages, employment, pay pack, version
// A create is conditional on absence, an edit on the version read: a concurrent edit is a 409, never a lost update.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { isConditionFailure, queryPage, VersionConflictError } from '#shared/dynamodb';
import { ConflictError } from '#shared/errors';
import type { ProfileRecord } from './schemas';
import { partitions, staffKeys, staffPrefixes } from './table';

export class ProfileStore {
  constructor(private readonly table: string) {}

  async get(siteId: string, userId: string): Promise<ProfileRecord | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: staffKeys.profile(siteId, userId) }));
    return Item ? profileOf(Item) : undefined;
  }

  /** Writes `profile` (its version already the next one): on absence when it is 1, else on the version before. */
  async put(profile: ProfileRecord): Promise<void> {
    const created = profile.version === 1;
    try {
      await dynamoDb().send(
        new PutCommand({
          TableName: this.table,
          Item: { ...staffKeys.profile(profile.siteId, profile.userId), ...profile },
          ...(created
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :read', ExpressionAttributeValues: { ':read': profile.version - 1 } }),
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      if (created) throw new ConflictError('This person already has a staff profile at the site: send expectedVersion to edit it');
      throw new VersionConflictError('staff profile', { expectedVersion: profile.version - 1 });
    }
  }

  /** A page of the site's profiles, in user id order. */
  async page(siteId: string, limit: number, cursor: string | undefined): Promise<{ profiles: ProfileRecord[]; nextCursor?: string }> {
    const page = await queryPage(
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': partitions.staff(siteId), ':prefix': staffPrefixes.profiles },
        Limit: limit,
      },
      cursor,
    );
    return { profiles: page.items.map(profileOf), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }
}

function profileOf(item: Record<string, unknown>): ProfileRecord {
  const { pk: _pk, sk: _sk, ...profile } = item;
  return profile as unknown as ProfileRecord;
}
