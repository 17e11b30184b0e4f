// Staff profiles (table.ts has the layout):
//   SITE#{site}#STAFF / PROFILE#{user}   positions and wages, employment, pay pack, version
// A create is conditional on absence, an edit on the version read: a concurrent edit is a 409, never a lost update.
// The write and the events it causes (staff.pay-rates-changed) are one transaction with their outbox items; the
// table's stream publishes them, so a profile change and its event are never apart.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { isConditionFailure, isTransactionConflict, queryPage, VersionConflictError } from '#shared/dynamodb';
import { ConflictError } from '#shared/errors';
import type { EventEnvelope } from '#shared/events';
import { commitWithEvents, type CommitDeps } from '#shared/outbox';
import type { ProfileRecord } from './schemas';
import { nextVersionCondition, partitions, staffKeys, staffPrefixes } from './table';

export class ProfileStore {
  constructor(
    private readonly table: string,
    private readonly topicArn: string,
  ) {}

  /** `consistent`: an edit decides on it (the version, the history to keep, whether the rates moved). */
  async get(siteId: string, userId: string, options: { consistent?: boolean } = {}): Promise<ProfileRecord | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: staffKeys.profile(siteId, userId), ConsistentRead: options.consistent ?? false }));
    return Item ? profileOf(Item) : undefined;
  }

  /**
   * Writes `profile` (its version already the next one: on absence when it is 1, else on the version before) with
   * `events` in the outbox. `deps.send`: the demo seed's own client (dev/seed/staff.ts).
   */
  async put(profile: ProfileRecord, events: EventEnvelope[], deps: Pick<CommitDeps, 'send'> = {}): Promise<void> {
    const write = { Put: { TableName: this.table, Item: { ...staffKeys.profile(profile.siteId, profile.userId), ...profile }, ...nextVersionCondition(profile.version) } };
    try {
      await commitWithEvents({ tableName: this.table, topicArn: this.topicArn, publishedBy: 'stream' }, [write], events, deps);
    } catch (error) {
      // Another write of the profile in flight (a transaction, unlike a put, can be cancelled by one): a 409 too.
      if (isTransactionConflict(error)) throw new VersionConflictError('staff profile', { expectedVersion: profile.version - 1 });
      if (!isConditionFailure(error)) throw error;
      if (profile.version === 1) throw new ConflictError('This person already has a staff profile at the site: send expectedVersion to edit it');
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
