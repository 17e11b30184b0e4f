// Each user's inbox in the notifications table:
//   USER#{userId} / NOTIF#{notificationId}   a notification, with each outbound channel's delivery outcome;
//                                            TTL 90 days; unreadPk = UNREAD#{userId}, unreadSk = NOTIF#{id} while unread;
//                                            deliveryLeaseUntil (epoch ms) while a consumer is delivering its channels
// Index `unread` (unreadPk, unreadSk) is sparse: it holds only unread notifications, so listing unread ones,
// counting them and marking them all read never read the rest. Notification ids sort by event time (below), so
// both the table and the index list a user's inbox newest first.
import { QueryCommand, UpdateCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { dynamoDb } from '#shared/clients/dynamodb';
import { batchGetAll, executeStatements, insertStatement, isConditionFailure, queryPage, updateStatement, type Item } from '#shared/dynamodb';
import type { Delivery, NotificationRecord, OutboundChannel } from './schemas';
import { conditionally, getRecord, NOTIFICATION_TTL_SECONDS, nowSeconds, recordOf, userPk } from './table';

const UNREAD_INDEX = 'unread';
/** Marking read writes one item per notification: pages this size keep `read-all` within a Lambda's patience. */
const MARK_ALL_PAGE = 100;

const notificationKey = (userId: string, notificationId: string) => ({ pk: userPk(userId), sk: `NOTIF#${notificationId}` });
const unreadPk = (userId: string) => `UNREAD#${userId}`;
const MARK_READ = 'SET readAt = if_not_exists(readAt, :at) REMOVE unreadPk, unreadSk';
/**
 * How long the consumer that wrote a notification owns its pending channels: longer than the consumers' timeouts
 * (notifyAlert's batches 30 s, functions.yml; the others 10 s, serverless.yml), so only a consumer that died
 * mid-delivery loses them to a redelivery.
 */
export const DELIVERY_LEASE_MS = 60_000;

/**
 * Sorts by time (base-36 milliseconds of the event) and is the same for the same event and user, so a redelivered
 * event finds its notification already written instead of writing a second one.
 */
export function notificationIdFor(eventId: string, userId: string, occurredAt: string): string {
  const time = Date.parse(occurredAt).toString(36).padStart(9, '0');
  return `${time}-${createHash('sha256').update(`${eventId}\n${userId}`).digest('hex').slice(0, 16)}`;
}

export const hasPending = (notification: Pick<NotificationRecord, 'deliveries'>) =>
  Object.values(notification.deliveries).some((delivery) => delivery?.status === 'pending');

export class InboxStore {
  constructor(private readonly table: string) {}

  /**
   * Writes new notifications, 25 to a round trip, each only if absent; where this event already gave that user
   * one, answers the stored one instead. Each write is the event's claim for that user (no separate receipt): the
   * writer holds a lease on the pending channels until it records their outcomes (recordDeliveries) or
   * DELIVERY_LEASE_MS pass. Outcomes in order; a write that failed is that entry's error only.
   */
  async createNotifications(entries: Array<{ notification: NotificationRecord; nowMs: number }>): Promise<Array<PromiseSettledResult<{ created: boolean; notification: NotificationRecord }>>> {
    const outcomes = await executeStatements(
      entries.map(({ notification, nowMs }) => {
        const key = notificationKey(notification.userId, notification.notificationId);
        return insertStatement(this.table, key, {
          ...notification,
          unreadPk: unreadPk(notification.userId),
          unreadSk: key.sk,
          expiresAt: nowSeconds() + NOTIFICATION_TTL_SECONDS,
          ...(hasPending(notification) && { deliveryLeaseUntil: nowMs + DELIVERY_LEASE_MS }),
        });
      }),
    );
    // Those already there (a redelivery), read back in one call.
    const duplicates = entries.filter((_, i) => !outcomes[i]!.ok && (outcomes[i] as { code: string }).code === 'DuplicateItem');
    const stored = new Map(
      (await batchGetAll(this.table, duplicates.map(({ notification: n }) => notificationKey(n.userId, n.notificationId)), { consistentRead: true })).map((item) => [
        `${item.pk as string}|${item.sk as string}`,
        recordOf<NotificationRecord>(item),
      ]),
    );
    return entries.map(({ notification }, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) return { status: 'fulfilled', value: { created: true, notification } };
      const key = notificationKey(notification.userId, notification.notificationId);
      const existing = outcome.code === 'DuplicateItem' ? stored.get(`${key.pk}|${key.sk}`) : undefined;
      if (existing) return { status: 'fulfilled', value: { created: false, notification: existing } };
      const reason = outcome.code === 'DuplicateItem' ? 'exists but cannot be read' : `not written: ${outcome.code} ${outcome.message ?? ''}`;
      return { status: 'rejected', reason: new Error(`notification ${notification.notificationId} ${reason}`) };
    });
  }

  /**
   * A redelivery found the notification with channels still pending: it takes them over only if no live consumer
   * holds the lease (the writer died, or released it on failure). Returns the notification as it is now if taken,
   * undefined if another consumer is delivering them.
   */
  async takeOverPending(userId: string, notificationId: string, nowMs = Date.now()): Promise<NotificationRecord | undefined> {
    try {
      const { Attributes } = await dynamoDb().send(
        new UpdateCommand({
          TableName: this.table,
          Key: notificationKey(userId, notificationId),
          UpdateExpression: 'SET deliveryLeaseUntil = :until',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(deliveryLeaseUntil) OR deliveryLeaseUntil < :now)',
          ExpressionAttributeValues: { ':until': nowMs + DELIVERY_LEASE_MS, ':now': nowMs },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return recordOf<NotificationRecord>(Attributes ?? {});
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /**
   * A consumer that failed gives its lease back, so the retry of its event may deliver what is still pending. With
   * `owePush`, the realtime push its inbox write recorded as sent (notify.ts) and that it could not make is marked
   * pending again, so the retry makes it.
   */
  async releaseLease(userId: string, notificationId: string, { owePush = false } = {}): Promise<void> {
    await dynamoDb().send(
      new UpdateCommand({
        TableName: this.table,
        Key: notificationKey(userId, notificationId),
        UpdateExpression: `${owePush ? 'SET deliveries.realtime = :pending ' : ''}REMOVE deliveryLeaseUntil`,
        ConditionExpression: 'attribute_exists(pk)',
        ...(owePush && { ExpressionAttributeValues: { ':pending': { status: 'pending' } } }),
      }),
    );
  }

  /**
   * The outcomes of the channels just delivered, one write per notification (which also ends its lease), 25 to a
   * round trip. Outcomes in order; a write that failed is that entry's error only.
   */
  async recordDeliveries(entries: Array<{ userId: string; notificationId: string; deliveries: Partial<Record<OutboundChannel, Delivery>> }>): Promise<Array<PromiseSettledResult<void>>> {
    const writes = entries.filter((e) => Object.keys(e.deliveries).length > 0);
    const outcomes = await executeStatements(
      writes.map(({ userId, notificationId, deliveries }) =>
        updateStatement(this.table, notificationKey(userId, notificationId), {
          set: Object.entries(deliveries).map(([channel, delivery]) => [['deliveries', channel], delivery]),
          remove: ['deliveryLeaseUntil'],
        }),
      ),
    );
    const failed = new Map(writes.flatMap((entry, i) => (outcomes[i]!.ok ? [] : [[entry, outcomes[i] as { code: string; message?: string }]])));
    return entries.map((entry) => {
      const outcome = failed.get(entry);
      return outcome
        ? { status: 'rejected', reason: new Error(`deliveries of ${entry.notificationId} not recorded: ${outcome.code} ${outcome.message ?? ''}`) }
        : { status: 'fulfilled', value: undefined };
    });
  }

  getNotification(userId: string, notificationId: string): Promise<NotificationRecord | undefined> {
    return getRecord<NotificationRecord>(this.table, notificationKey(userId, notificationId));
  }

  /**
   * Newest first; `unread` reads the sparse index. The cursor is bound to this very query (this user, this
   * filter): one from another user's inbox, from the other filter, or altered, is a 400.
   */
  async listInbox(userId: string, page: { unread: boolean; limit: number; cursor?: string }) {
    const query: QueryCommandInput = page.unread
      ? this.unreadOf(userId)
      : {
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :notif)',
          ExpressionAttributeValues: { ':pk': userPk(userId), ':notif': 'NOTIF#' },
          ConsistentRead: true,
        };
    const { items, nextCursor } = await queryPage({ ...query, ScanIndexForward: false, Limit: page.limit }, page.cursor);
    return { notifications: items.map((item) => recordOf<NotificationRecord>(item)), ...(nextCursor && { nextCursor }) };
  }

  /** The query of a user's unread notifications: the sparse index holds only those. */
  private unreadOf(userId: string) {
    return {
      TableName: this.table,
      IndexName: UNREAD_INDEX,
      KeyConditionExpression: 'unreadPk = :pk',
      ExpressionAttributeValues: { ':pk': unreadPk(userId) },
    };
  }

  /** Counted by DynamoDB (Select COUNT), page by page: nothing but the count comes back. */
  async countUnread(userId: string): Promise<number> {
    let count = 0;
    let start: Item | undefined;
    do {
      const page = await dynamoDb().send(new QueryCommand({ ...this.unreadOf(userId), Select: 'COUNT', ExclusiveStartKey: start }));
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return count;
  }

  /** Marks one read; returns the notification as it is now, or undefined if the user has no such notification. */
  async markRead(userId: string, notificationId: string, at: string): Promise<NotificationRecord | undefined> {
    try {
      const result = await dynamoDb().send(
        new UpdateCommand({
          TableName: this.table,
          Key: notificationKey(userId, notificationId),
          UpdateExpression: MARK_READ,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return recordOf<NotificationRecord>(result.Attributes ?? {});
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /**
   * One pass over what is unread now, page after page. Each page follows the previous one's last key rather than
   * querying the index afresh: the index lags the writes, so a fresh query could keep returning the same items.
   */
  async markAllRead(userId: string, at: string): Promise<number> {
    const query: QueryCommandInput = { ...this.unreadOf(userId), ProjectionExpression: 'pk, sk', Limit: MARK_ALL_PAGE };
    let marked = 0;
    let cursor: string | undefined;
    do {
      const page = await queryPage(query, cursor);
      const results = await Promise.all(
        page.items.map((item) =>
          conditionally(
            new UpdateCommand({
              TableName: this.table,
              Key: { pk: item.pk, sk: item.sk },
              UpdateExpression: MARK_READ,
              ConditionExpression: 'attribute_exists(unreadPk)', // false: read meanwhile
              ExpressionAttributeValues: { ':at': at },
            }),
          ),
        ),
      );
      marked += results.filter(Boolean).length;
      cursor = page.nextCursor;
    } while (cursor);
    return marked;
  }
}
