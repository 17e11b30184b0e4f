// Each user's inbox in the notifications table:
//   USER#{userId} / NOTIF#{notificationId}   a notification, with each outbound channel's delivery outcome;
//                                            TTL 90 days; unreadPk = UNREAD#{userId}, unreadSk = NOTIF#{id} while unread;
//                                            deliveryLeaseUntil (epoch ms) while a consumer is delivering its channels
// Index `unread` (unreadPk, unreadSk) is sparse: it holds only unread notifications, so listing unread ones,
// counting them and marking them all read never read the rest. Notification ids sort by event time (below), so
// both the table and the index list a user's inbox newest first.
import { QueryCommand, UpdateCommand, PutCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { dynamoDb } from '#shared/clients/dynamodb';
import { isConditionFailure, queryPage, type Item } from '#shared/dynamodb';
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
   * Writes a new notification; if this event already gave this user one, returns that one instead. The write is
   * the event's claim for this user (no separate receipt): the writer holds a lease on the pending channels
   * until it records their outcomes (recordDeliveries) or DELIVERY_LEASE_MS pass.
   */
  async createNotification(notification: NotificationRecord, nowMs = Date.now()): Promise<{ created: boolean; notification: NotificationRecord }> {
    const key = notificationKey(notification.userId, notification.notificationId);
    const created = await conditionally(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...key,
          ...notification,
          unreadPk: unreadPk(notification.userId),
          unreadSk: key.sk,
          expiresAt: nowSeconds() + NOTIFICATION_TTL_SECONDS,
          ...(hasPending(notification) && { deliveryLeaseUntil: nowMs + DELIVERY_LEASE_MS }),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    if (created) return { created, notification };
    const existing = await getRecord<NotificationRecord>(this.table, key);
    if (!existing) throw new Error(`notification ${notification.notificationId} exists but cannot be read`);
    return { created, notification: existing };
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

  /** A consumer that failed gives its lease back, so the retry of its event may deliver what is still pending. */
  async releaseLease(userId: string, notificationId: string): Promise<void> {
    await dynamoDb().send(
      new UpdateCommand({
        TableName: this.table,
        Key: notificationKey(userId, notificationId),
        UpdateExpression: 'REMOVE deliveryLeaseUntil',
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  }

  /** The outcomes of the channels just delivered, in one write, which also ends the lease. */
  async recordDeliveries(userId: string, notificationId: string, deliveries: Partial<Record<OutboundChannel, Delivery>>): Promise<void> {
    const channels = Object.keys(deliveries) as OutboundChannel[];
    if (channels.length === 0) return;
    await dynamoDb().send(
      new UpdateCommand({
        TableName: this.table,
        Key: notificationKey(userId, notificationId),
        UpdateExpression: `SET ${channels.map((_, i) => `deliveries.#c${i} = :d${i}`).join(', ')} REMOVE deliveryLeaseUntil`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: Object.fromEntries(channels.map((channel, i) => [`#c${i}`, channel])),
        ExpressionAttributeValues: Object.fromEntries(channels.map((channel, i) => [`:d${i}`, deliveries[channel]])),
      }),
    );
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
