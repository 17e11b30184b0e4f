// Who works where, as far as routing needs it: a copy kept from the users domain's user.* and site.* snapshots
// (record-directory-change.ts), in the notifications table:
//   USER#{userId} / PROFILE          the latest user snapshot applied: role, sites, status, name, version
//   SITE#{siteId} / SITE             the latest site snapshot: name, time zone, version
//   SITE#{siteId} / MEMBER#{userId}  a member's role and status (one per site in the user's snapshot)
//   OWNERS / USER#{userId}           owners, who are told about every site
// Snapshots are versioned, so a stale or redelivered one changes nothing whatever order SNS delivers them in.
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { queryAll, retryOnConflict } from '#shared/dynamodb';
import type { TransactItem } from '#shared/outbox';
import type { Member, SiteSnapshot, UserSnapshot } from './schemas';
import { conditionally, getRecord, recordOf, userPk } from './table';

const profileKey = (userId: string) => ({ pk: userPk(userId), sk: 'PROFILE' });
const siteKey = (siteId: string) => ({ pk: `SITE#${siteId}`, sk: 'SITE' });
const memberKey = (siteId: string, userId: string) => ({ pk: `SITE#${siteId}`, sk: `MEMBER#${userId}` });
const ownerKey = (userId: string) => ({ pk: 'OWNERS', sk: `USER#${userId}` });
/** Items in one TransactWriteItems. */
const TRANSACTION_LIMIT = 100;

export class DirectoryStore {
  constructor(private readonly table: string) {}

  /**
   * Applies a user snapshot if it is newer than the one held; returns false for a stale or repeated one. The
   * profile, memberships and owner entry change together, written against the profile version read: a
   * concurrent apply makes this one re-read and decide again.
   */
  applyUserSnapshot(user: UserSnapshot): Promise<boolean> {
    return retryOnConflict(
      async () => {
        const held = await getRecord<UserSnapshot>(this.table, profileKey(user.userId));
        if (held && held.version >= user.version) return false;
        for (const TransactItems of this.userSnapshotTransactions(user, held)) await dynamoDb().send(new TransactWriteCommand({ TransactItems }));
        return true;
      },
      // Retried only when another write won (the profile's condition, or a transaction conflict): throttling or a
      // validation error is thrown as it is, for the SNS redelivery to retry.
      { exhausted: () => new Error(`user ${user.userId}: directory update kept conflicting`) },
    );
  }

  /**
   * One transaction, or two when the change exceeds one (a user moved from 50 sites to 50 others is 102 writes):
   * first the memberships that end, on condition the profile is still the one read; then the new ones with the
   * profile. A newer snapshot applied between the two fails the second (re-read: stale); it wrote every one of
   * its own memberships, so the ended ones removed first are not missed.
   */
  private userSnapshotTransactions(user: UserSnapshot, held: UserSnapshot | undefined): TransactItem[][] {
    const member = { userId: user.userId, role: user.role, status: user.status };
    const heldVersion = held ? { ConditionExpression: 'version = :held', ExpressionAttributeValues: { ':held': held.version } } : { ConditionExpression: 'attribute_not_exists(pk)' };
    const ended: TransactItem[] = (held?.sites ?? [])
      .filter((siteId) => !user.sites.includes(siteId))
      .map((siteId) => ({ Delete: { TableName: this.table, Key: memberKey(siteId, user.userId) } }));
    const current: TransactItem[] = [
      { Put: { TableName: this.table, Item: { ...profileKey(user.userId), ...user }, ...heldVersion } },
      ...user.sites.map((siteId) => ({ Put: { TableName: this.table, Item: { ...memberKey(siteId, user.userId), ...member } } })),
      user.role === 'owner'
        ? { Put: { TableName: this.table, Item: { ...ownerKey(user.userId), ...member } } }
        : { Delete: { TableName: this.table, Key: ownerKey(user.userId) } },
    ];
    if (ended.length === 0 || ended.length + current.length <= TRANSACTION_LIMIT) return [[...current, ...ended]];
    return [[{ ConditionCheck: { TableName: this.table, Key: profileKey(user.userId), ...heldVersion } }, ...ended], current];
  }

  async applySiteSnapshot(site: SiteSnapshot): Promise<boolean> {
    return conditionally(
      new PutCommand({
        TableName: this.table,
        Item: { ...siteKey(site.siteId), ...site },
        ConditionExpression: 'attribute_not_exists(pk) OR version < :version',
        ExpressionAttributeValues: { ':version': site.version },
      }),
    );
  }

  getSite(siteId: string): Promise<SiteSnapshot | undefined> {
    return getRecord<SiteSnapshot>(this.table, siteKey(siteId));
  }

  async siteMembers(siteId: string): Promise<Member[]> {
    const items = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
      ExpressionAttributeValues: { ':pk': `SITE#${siteId}`, ':member': 'MEMBER#' },
    });
    return items.map((item) => recordOf<Member>(item));
  }

  async owners(): Promise<Member[]> {
    const items = await queryAll({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'OWNERS' } });
    return items.map((item) => recordOf<Member>(item));
  }
}
