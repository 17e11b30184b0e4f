// DynamoDB access for the users domain: its own table, and the revocations table it alone writes.
//   USER#{id} / USER                 the user          EMAIL#{email} / EMAIL     uniqueness sentinel → userId
//   USER#{id} / SESSION#{sid}        a session         REFRESH#{hash} / REFRESH  a refresh token (hash only)
//   INVITE#{hash} / INVITE           an invitation     THROTTLE#{kind}#{key}#{window} / THROTTLE
//   SITES / SITE#{siteId}            a site            SITE#{siteId} / MEMBER#{userId}  site membership
//   SITE#{siteId or *}#OUTBOX#{eventId} / OUTBOX       a directory event not yet published (shared/outbox.ts)
// Index: outbox (outboxShard, outboxAt) is the outbox relay's.
// Every change of a user or a site commits its directory events (events.ts) in the same transaction.
import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { conditionFailedAt, isConditionFailure, isTransactionConflict, queryAll, queryPage, VersionConflictError } from '#shared/dynamodb';
import { ConflictError } from '#shared/errors';
import type { EventEnvelope } from '#shared/events';
import type { Role } from '#shared/identity';
import { commitWithEvents, type TransactItem } from '#shared/outbox';
import { requestPublishing } from '#shared/outbox-relay';
import { ACCESS_TOKEN_TTL_SECONDS } from './signing-keys';
import type { SessionRecord, SiteRecord, UserRecord } from './schemas';

export interface InviteRecord {
  email: string;
  role: Role;
  sites: string[];
  invitedBy: string;
  status: 'pending' | 'used';
  expiresAt: number;
}

export interface RefreshRecord {
  userId: string;
  sessionId: string;
  status: 'active' | 'rotated';
  expiresAt: number;
}

export const INVITE_UNUSABLE = 'This invitation cannot be used';
const nowSeconds = () => Math.floor(Date.now() / 1000);
const userKey = (userId: string) => ({ pk: `USER#${userId}`, sk: 'USER' });
const emailKey = (email: string) => ({ pk: `EMAIL#${email}`, sk: 'EMAIL' });
const sessionKey = (userId: string, sessionId: string) => ({ pk: `USER#${userId}`, sk: `SESSION#${sessionId}` });
const refreshKey = (hash: string) => ({ pk: `REFRESH#${hash}`, sk: 'REFRESH' });
const inviteKey = (hash: string) => ({ pk: `INVITE#${hash}`, sk: 'INVITE' });
const siteKey = (siteId: string) => ({ pk: 'SITES', sk: `SITE#${siteId}` });
const memberKey = (siteId: string, userId: string) => ({ pk: `SITE#${siteId}`, sk: `MEMBER#${userId}` });

export class UsersStore {
  constructor(
    private readonly table: string,
    private readonly revocationsTable: string,
    private readonly topicArn: string,
  ) {}

  /** The writes and their events in one transaction, then the events published (shared/outbox.ts). */
  private commit(items: TransactItem[], events: EventEnvelope[]): Promise<void> {
    return commitWithEvents({ tableName: this.table, topicArn: this.topicArn }, items, events, requestPublishing());
  }

  private async get<T>(key: { pk: string; sk: string }): Promise<T | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    return Item as T | undefined;
  }

  private memberItems(user: UserRecord): TransactItem[] {
    return user.sites.map((siteId) => ({
      Put: {
        TableName: this.table,
        Item: { ...memberKey(siteId, user.userId), userId: user.userId, email: user.email, name: user.name, role: user.role, status: user.status },
      },
    }));
  }

  // --- users -------------------------------------------------------------------------------------------

  getUser(userId: string): Promise<UserRecord | undefined> {
    return this.get<UserRecord>(userKey(userId));
  }

  async getUserByEmail(email: string): Promise<UserRecord | undefined> {
    const sentinel = await this.get<{ userId?: string }>(emailKey(email));
    return sentinel?.userId ? this.getUser(sentinel.userId) : undefined; // a bare claim is no user yet
  }

  /**
   * Claims an email for one registration attempt before its password is hashed, so a burst of registrations
   * for one email costs one hash, not one each. A claim left by a crashed attempt lapses after `ttlSeconds`.
   */
  async reserveEmail(email: string, attemptId: string, ttlSeconds: number): Promise<boolean> {
    const now = nowSeconds();
    try {
      await dynamoDb().send(
        new PutCommand({
          TableName: this.table,
          Item: { ...emailKey(email), status: 'reserved', attemptId, reservedUntil: now + ttlSeconds },
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :reserved AND reservedUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':reserved': 'reserved', ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async releaseEmail(email: string, attemptId: string): Promise<void> {
    await dynamoDb()
      .send(
        new DeleteCommand({
          TableName: this.table,
          Key: emailKey(email),
          ConditionExpression: '#status = :reserved AND attemptId = :attempt',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':reserved': 'reserved', ':attempt': attemptId },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  }

  /** The email sentinel's condition makes a second account for one email impossible, however many race. */
  async createUser(user: UserRecord, events: EventEnvelope[], consumeInviteHash?: string, emailReservation?: string): Promise<void> {
    const sentinelCondition = emailReservation
      ? { ConditionExpression: 'attemptId = :attempt', ExpressionAttributeValues: { ':attempt': emailReservation } }
      : { ConditionExpression: 'attribute_not_exists(pk)' };
    const items: TransactItem[] = [
      { Put: { TableName: this.table, Item: { ...emailKey(user.email), userId: user.userId, status: 'registered' }, ...sentinelCondition } },
      { Put: { TableName: this.table, Item: { ...userKey(user.userId), ...user }, ConditionExpression: 'attribute_not_exists(pk)' } },
      ...this.memberItems(user),
    ];
    if (consumeInviteHash) {
      items.unshift({
        Update: {
          TableName: this.table,
          Key: inviteKey(consumeInviteHash),
          UpdateExpression: 'SET #status = :used, usedBy = :user',
          ConditionExpression: '#status = :pending AND expiresAt > :now',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':used': 'used', ':pending': 'pending', ':user': user.userId, ':now': nowSeconds() },
        },
      });
    }
    try {
      await this.commit(items, events);
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(INVITE_UNUSABLE);
      throw error;
    }
  }

  /**
   * Optimistic locking on `version` (`next` is its successor): a concurrent change makes this a 409, never a
   * silent overwrite.
   */
  async replaceUser(previous: UserRecord, next: UserRecord, events: EventEnvelope[]): Promise<void> {
    const removedSites = previous.sites.filter((site) => !next.sites.includes(site));
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: { ...userKey(next.userId), ...next },
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': previous.version },
        },
      },
      ...this.memberItems(next),
      ...removedSites.map((siteId) => ({ Delete: { TableName: this.table, Key: memberKey(siteId, next.userId) } })),
    ];
    try {
      await this.commit(items, events);
    } catch (error) {
      // Another write of the same user committed first, or was committing at the same moment: either way a 409.
      if (conditionFailedAt(error, 0) || isTransactionConflict(error)) throw new VersionConflictError('user');
      throw error;
    }
  }

  /** A cursor is valid only for the site whose members it paged (shared/dynamodb.ts queryPage). */
  async listMembers(siteId: string, limit: number, cursor?: string) {
    const page = await queryPage(
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
        ExpressionAttributeValues: { ':pk': `SITE#${siteId}`, ':member': 'MEMBER#' },
        Limit: limit,
      },
      cursor,
    );
    return {
      members: page.items.map((i) => ({ userId: i.userId as string, email: i.email as string, name: i.name as string, role: i.role as Role, status: i.status as string })),
      nextCursor: page.nextCursor,
    };
  }

  // --- invitations ---------------------------------------------------------------------------------------

  async putInvite(hash: string, invite: InviteRecord): Promise<void> {
    await dynamoDb().send(
      new PutCommand({ TableName: this.table, Item: { ...inviteKey(hash), ...invite }, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  }

  getInvite(hash: string): Promise<InviteRecord | undefined> {
    return this.get<InviteRecord>(inviteKey(hash));
  }

  // --- sessions and refresh tokens -------------------------------------------------------------------------

  async createSession(session: SessionRecord, refreshHash: string): Promise<void> {
    await dynamoDb().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.table, Item: { ...sessionKey(session.userId, session.sessionId), ...session }, ConditionExpression: 'attribute_not_exists(pk)' } },
          {
            Put: {
              TableName: this.table,
              Item: { ...refreshKey(refreshHash), userId: session.userId, sessionId: session.sessionId, status: 'active', expiresAt: session.expiresAt },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  }

  getSession(userId: string, sessionId: string): Promise<SessionRecord | undefined> {
    return this.get<SessionRecord>(sessionKey(userId, sessionId));
  }

  getRefresh(hash: string): Promise<RefreshRecord | undefined> {
    return this.get<RefreshRecord>(refreshKey(hash));
  }

  /**
   * Spends the old refresh token and stores the new one in one transaction, only while the old one is active
   * and its session alive: two concurrent refreshes with one token cannot both succeed.
   */
  async rotateRefresh(oldHash: string, newHash: string, refresh: RefreshRecord): Promise<boolean> {
    const now = nowSeconds();
    try {
      await dynamoDb().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: refreshKey(oldHash),
                UpdateExpression: 'SET #status = :rotated, rotatedAt = :now',
                ConditionExpression: '#status = :active',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':rotated': 'rotated', ':active': 'active', ':now': now },
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { ...refreshKey(newHash), userId: refresh.userId, sessionId: refresh.sessionId, status: 'active', expiresAt: refresh.expiresAt },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: sessionKey(refresh.userId, refresh.sessionId),
                UpdateExpression: 'SET lastUsedAt = :at',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt) AND expiresAt > :now',
                ExpressionAttributeValues: { ':at': new Date().toISOString(), ':now': now },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Every session, page after page: revoking all of them must not stop at the first page. */
  async listSessions(userId: string): Promise<SessionRecord[]> {
    const items = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :session)',
      ExpressionAttributeValues: { ':pk': `USER#${userId}`, ':session': 'SESSION#' },
    });
    return items as SessionRecord[];
  }

  /**
   * Revokes a session: refresh tokens stop working at once (the session check in rotateRefresh), and access
   * tokens too (the marker the auth middleware reads), until they would have expired anyway. The session's item is
   * deleted, not kept marked: a user's session items are read whole at every sign-in and listing, so a client that
   * signs in and out all day must not leave a day of dead sessions behind (items stored before 2026-12-05 may still
   * carry `revokedAt`, which counts as revoked). `false` when it was already gone or revoked.
   */
  async revokeSession(userId: string, sessionId: string, reason: string): Promise<boolean> {
    // The marker first: if the delete then fails, the access tokens are already dead and a retry finishes the job.
    await dynamoDb().send(
      new PutCommand({
        TableName: this.revocationsTable,
        Item: { pk: `SESSION#${sessionId}`, userId, reason, expiresAt: nowSeconds() + ACCESS_TOKEN_TTL_SECONDS + 300 },
      }),
    );
    try {
      await dynamoDb().send(
        new DeleteCommand({
          TableName: this.table,
          Key: sessionKey(userId, sessionId),
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Every access token of this user issued up to now stops working (deactivation, role or site change). */
  async invalidateUserTokens(userId: string, reason: string): Promise<void> {
    const now = nowSeconds();
    await dynamoDb().send(
      new PutCommand({
        TableName: this.revocationsTable,
        Item: { pk: `USER#${userId}`, revokedBefore: now, reason, expiresAt: now + ACCESS_TOKEN_TTL_SECONDS + 300 },
      }),
    );
  }

  // --- login throttling ----------------------------------------------------------------------------------

  async failureCount(key: string): Promise<number> {
    const item = await this.get<{ count: number }>({ pk: `THROTTLE#${key}`, sk: 'THROTTLE' });
    return item?.count ?? 0;
  }

  async recordFailure(key: string, expiresAt: number): Promise<number> {
    const { Attributes } = await dynamoDb().send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `THROTTLE#${key}`, sk: 'THROTTLE' },
        UpdateExpression: 'ADD #count :one SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':one': 1, ':expiresAt': expiresAt },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return (Attributes?.count as number | undefined) ?? 1;
  }

  // --- sites ---------------------------------------------------------------------------------------------

  async createSite(site: SiteRecord, events: EventEnvelope[]): Promise<void> {
    try {
      await this.commit([{ Put: { TableName: this.table, Item: { ...siteKey(site.siteId), ...site }, ConditionExpression: 'attribute_not_exists(pk)' } }], events);
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(`Site ${site.siteId} already exists`);
      throw error;
    }
  }

  getSite(siteId: string): Promise<SiteRecord | undefined> {
    return this.get<SiteRecord>(siteKey(siteId));
  }

  async listSites(): Promise<SiteRecord[]> {
    return (await queryAll({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'SITES' } })) as SiteRecord[];
  }

  /** Optimistic locking on `version`, as replaceUser. */
  async replaceSite(previous: SiteRecord, next: SiteRecord, events: EventEnvelope[]): Promise<void> {
    const put: TransactItem = {
      Put: {
        TableName: this.table,
        Item: { ...siteKey(next.siteId), ...next },
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: { ':version': previous.version },
      },
    };
    try {
      await this.commit([put], events);
    } catch (error) {
      // Another write of the same site committed first, or was committing at the same moment: either way a 409.
      if (conditionFailedAt(error, 0) || isTransactionConflict(error)) throw new VersionConflictError('site');
      throw error;
    }
  }
}
