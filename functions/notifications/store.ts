// DynamoDB access for the notifications domain: its own table only (key layout in docs/notifications.md).
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { dynamoDb } from '#shared/aws-clients';
import { BadRequestError, ConflictError } from '#shared/errors';
import type { TransactItem } from '#shared/outbox';
import type {
  AlertRecord,
  Delivery,
  EscalationStep,
  Member,
  NotificationRecord,
  OutboundChannel,
  SiteSettings,
  SiteSnapshot,
  UserSettingsRecord,
  UserSnapshot,
} from './schemas';

type Item = Record<string, unknown>;

const ESCALATION_SHARDS = 4;
const UNREAD_INDEX = 'unread';
const ESCALATIONS_INDEX = 'escalations';
/** Inbox items are kept 90 days; receipts and counters much less. */
const NOTIFICATION_TTL_SECONDS = 90 * 24 * 3600;
const SMS_COUNTER_TTL_SECONDS = 3 * 3600;

const userPk = (userId: string) => `USER#${userId}`;
const notificationKey = (userId: string, notificationId: string) => ({ pk: userPk(userId), sk: `NOTIF#${notificationId}` });
const settingsKey = (userId: string) => ({ pk: userPk(userId), sk: 'SETTINGS' });
const profileKey = (userId: string) => ({ pk: userPk(userId), sk: 'PROFILE' });
const siteKey = (siteId: string) => ({ pk: `SITE#${siteId}`, sk: 'SITE' });
const memberKey = (siteId: string, userId: string) => ({ pk: `SITE#${siteId}`, sk: `MEMBER#${userId}` });
const ownerKey = (userId: string) => ({ pk: 'OWNERS', sk: `USER#${userId}` });
const siteSettingsKey = (siteId: string) => ({ pk: `SITE#${siteId}`, sk: 'SETTINGS' });
const smsCounterKey = (siteId: string, hour: string) => ({ pk: `SITE#${siteId}`, sk: `SMS#${hour}` });
const alertKey = (alertId: string) => ({ pk: `ALERT#${alertId}`, sk: 'ALERT' });
const escalationShard = (alertId: string) => `ESC#${createHash('sha256').update(alertId).digest()[0]! % ESCALATION_SHARDS}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Sorts by time (base-36 milliseconds of the event) and is the same for the same event and user, so a redelivered
 * event finds its notification already written instead of writing a second one.
 */
export function notificationIdFor(eventId: string, userId: string, occurredAt: string): string {
  const time = Date.parse(occurredAt).toString(36).padStart(9, '0');
  return `${time}-${createHash('sha256').update(`${eventId}\n${userId}`).digest('hex').slice(0, 16)}`;
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || error instanceof TransactionCanceledException;
}

function strip<T>(item: Item): T {
  const { pk: _pk, sk: _sk, expiresAt: _e, unreadPk: _u, unreadSk: _us, escalationShard: _es, escalationDueAt: _ed, ...rest } = item;
  return rest as T;
}

/** Cursors carry only the sort key; the partition is always the caller's own, so a cursor cannot leave it. */
const encodeCursor = (key: Item | undefined) => (key ? Buffer.from(String(key.sk)).toString('base64url') : undefined);
function decodeCursor(pk: string, cursor: string | undefined, index?: string): Item | undefined {
  if (cursor === undefined) return undefined;
  const sk = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!sk.startsWith('NOTIF#')) throw new BadRequestError('cursor is not valid here');
  const base = { pk, sk };
  return index === UNREAD_INDEX ? { ...base, unreadPk: `UNREAD#${pk.slice('USER#'.length)}`, unreadSk: sk } : base;
}

export class NotificationsStore {
  constructor(private readonly table: string) {}

  private async get<T>(key: { pk: string; sk: string }): Promise<T | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    return Item ? strip<T>(Item) : undefined;
  }

  /** A conditional write: true if it happened, false if its condition did not hold. */
  private async conditionally(command: PutCommand | UpdateCommand): Promise<boolean> {
    try {
      await dynamoDb().send(command as PutCommand);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async queryAll(input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await dynamoDb().send(new QueryCommand({ ...input, TableName: this.table, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  // --- the directory -------------------------------------------------------------------------------------------

  /** Applies a user snapshot if it is newer than the one held; returns false for a stale or repeated one. */
  async applyUserSnapshot(user: UserSnapshot): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const held = await this.get<UserSnapshot>(profileKey(user.userId));
      if (held && held.version >= user.version) return false;
      const member = { userId: user.userId, role: user.role, status: user.status };
      const items: TransactItem[] = [
        {
          Put: {
            TableName: this.table,
            Item: { ...profileKey(user.userId), ...user },
            // Exactly the version read above: a concurrent apply makes this one re-read and decide again.
            ConditionExpression: held ? 'version = :held' : 'attribute_not_exists(pk)',
            ...(held && { ExpressionAttributeValues: { ':held': held.version } }),
          },
        },
        ...user.sites.map((siteId) => ({ Put: { TableName: this.table, Item: { ...memberKey(siteId, user.userId), ...member } } })),
        ...(held?.sites ?? [])
          .filter((siteId) => !user.sites.includes(siteId))
          .map((siteId) => ({ Delete: { TableName: this.table, Key: memberKey(siteId, user.userId) } })),
        user.role === 'owner'
          ? { Put: { TableName: this.table, Item: { ...ownerKey(user.userId), ...member } } }
          : { Delete: { TableName: this.table, Key: ownerKey(user.userId) } },
      ];
      try {
        await dynamoDb().send(new TransactWriteCommand({ TransactItems: items }));
        return true;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new Error(`user ${user.userId}: directory update kept conflicting`);
  }

  async applySiteSnapshot(site: SiteSnapshot): Promise<boolean> {
    return this.conditionally(
      new PutCommand({
        TableName: this.table,
        Item: { ...siteKey(site.siteId), ...site },
        ConditionExpression: 'attribute_not_exists(pk) OR version < :version',
        ExpressionAttributeValues: { ':version': site.version },
      }),
    );
  }

  getSite(siteId: string): Promise<SiteSnapshot | undefined> {
    return this.get<SiteSnapshot>(siteKey(siteId));
  }

  async siteMembers(siteId: string): Promise<Member[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
      ExpressionAttributeValues: { ':pk': `SITE#${siteId}`, ':member': 'MEMBER#' },
    });
    return items.map((item) => strip<Member>(item));
  }

  async owners(): Promise<Member[]> {
    const items = await this.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'OWNERS' } });
    return items.map((item) => strip<Member>(item));
  }

  // --- settings ------------------------------------------------------------------------------------------------

  getUserSettings(userId: string): Promise<UserSettingsRecord | undefined> {
    return this.get<UserSettingsRecord>(settingsKey(userId));
  }

  /** Settings of many users in one round trip or a few (BatchGet takes 100 keys). */
  async userSettingsOf(userIds: string[]): Promise<Map<string, UserSettingsRecord>> {
    const found = new Map<string, UserSettingsRecord>();
    for (let i = 0; i < userIds.length; i += 100) {
      let keys: Item[] = userIds.slice(i, i + 100).map(settingsKey);
      for (let attempt = 0; keys.length > 0 && attempt < 5; attempt++) {
        const result = await dynamoDb().send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true } } }));
        for (const item of result.Responses?.[this.table] ?? []) {
          const record = strip<UserSettingsRecord>(item);
          found.set(record.userId, record);
        }
        keys = (result.UnprocessedKeys?.[this.table]?.Keys ?? []) as Item[];
        if (keys.length) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
      if (keys.length) throw new Error('settings could not be read (throttled)');
    }
    return found;
  }

  /** Optimistic: `expectedVersion` 0 means "none stored yet". A concurrent change → 409. */
  async putUserSettings(record: UserSettingsRecord, expectedVersion: number): Promise<void> {
    const saved = await this.conditionally(
      new PutCommand({
        TableName: this.table,
        Item: { ...settingsKey(record.userId), ...record },
        ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
        ...(expectedVersion !== 0 && { ExpressionAttributeValues: { ':expected': expectedVersion } }),
      }),
    );
    if (!saved) throw new ConflictError('Settings were changed at the same time; read them again');
  }

  getSiteSettings(siteId: string): Promise<(SiteSettings & { updatedAt: string; updatedBy: string }) | undefined> {
    return this.get(siteSettingsKey(siteId));
  }

  async putSiteSettings(siteId: string, settings: SiteSettings, updatedBy: string): Promise<void> {
    await dynamoDb().send(
      new PutCommand({ TableName: this.table, Item: { ...siteSettingsKey(siteId), ...settings, updatedAt: new Date().toISOString(), updatedBy } }),
    );
  }

  // --- the SMS spend guard -------------------------------------------------------------------------------------

  /** Takes one of the site's SMS for this hour, atomically; false once `cap` have been taken. */
  async takeSmsSlot(siteId: string, hour: string, cap: number): Promise<boolean> {
    if (cap <= 0) return false;
    return this.conditionally(
      new UpdateCommand({
        TableName: this.table,
        Key: smsCounterKey(siteId, hour),
        UpdateExpression: 'ADD sent :one SET expiresAt = if_not_exists(expiresAt, :ttl)',
        ConditionExpression: 'attribute_not_exists(sent) OR sent < :cap',
        ExpressionAttributeValues: { ':one': 1, ':cap': cap, ':ttl': nowSeconds() + SMS_COUNTER_TTL_SECONDS },
      }),
    );
  }

  async smsSent(siteId: string, hour: string): Promise<number> {
    const item = await this.get<{ sent?: number }>(smsCounterKey(siteId, hour));
    return item?.sent ?? 0;
  }

  // --- notifications -------------------------------------------------------------------------------------------

  /** Writes a new notification; if this event already gave this user one, returns that one instead. */
  async createNotification(notification: NotificationRecord): Promise<{ created: boolean; notification: NotificationRecord }> {
    const key = notificationKey(notification.userId, notification.notificationId);
    const created = await this.conditionally(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...key,
          ...notification,
          unreadPk: `UNREAD#${notification.userId}`,
          unreadSk: key.sk,
          expiresAt: nowSeconds() + NOTIFICATION_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    if (created) return { created, notification };
    const existing = await this.get<NotificationRecord>(key);
    if (!existing) throw new Error(`notification ${notification.notificationId} exists but cannot be read`);
    return { created, notification: existing };
  }

  async recordDelivery(userId: string, notificationId: string, channel: OutboundChannel, delivery: Delivery): Promise<void> {
    await dynamoDb().send(
      new UpdateCommand({
        TableName: this.table,
        Key: notificationKey(userId, notificationId),
        UpdateExpression: 'SET deliveries.#channel = :delivery',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#channel': channel },
        ExpressionAttributeValues: { ':delivery': delivery },
      }),
    );
  }

  getNotification(userId: string, notificationId: string): Promise<NotificationRecord | undefined> {
    return this.get<NotificationRecord>(notificationKey(userId, notificationId));
  }

  /** Newest first; `unread` reads the sparse index that holds only unread notifications. */
  async listInbox(userId: string, page: { unread: boolean; limit: number; cursor?: string }) {
    const pk = userPk(userId);
    const result = await dynamoDb().send(
      new QueryCommand({
        ...(page.unread
          ? this.unreadOf(userId)
          : {
              TableName: this.table,
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :notif)',
              ExpressionAttributeValues: { ':pk': pk, ':notif': 'NOTIF#' },
              ConsistentRead: true,
            }),
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(pk, page.cursor, page.unread ? UNREAD_INDEX : undefined),
      }),
    );
    return {
      notifications: (result.Items ?? []).map((item) => strip<NotificationRecord>(item)),
      cursor: encodeCursor(result.LastEvaluatedKey),
    };
  }

  /** The query of a user's unread notifications: the sparse index holds only those. */
  private unreadOf(userId: string) {
    return {
      TableName: this.table,
      IndexName: UNREAD_INDEX,
      KeyConditionExpression: 'unreadPk = :pk',
      ExpressionAttributeValues: { ':pk': `UNREAD#${userId}` },
    };
  }

  async countUnread(userId: string): Promise<number> {
    let count = 0;
    let start: Item | undefined;
    do {
      const page = await dynamoDb().send(
        new QueryCommand({
          ...this.unreadOf(userId),
          Select: 'COUNT',
          ExclusiveStartKey: start,
        }),
      );
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
          UpdateExpression: 'SET readAt = if_not_exists(readAt, :at) REMOVE unreadPk, unreadSk',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return strip<NotificationRecord>(result.Attributes ?? {});
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async markAllRead(userId: string, at: string): Promise<number> {
    let marked = 0;
    for (;;) {
      const page = await dynamoDb().send(
        new QueryCommand({
          ...this.unreadOf(userId),
          Limit: 100,
        }),
      );
      const items = page.Items ?? [];
      if (items.length === 0) return marked;
      const results = await Promise.all(
        items.map((item) =>
          this.conditionally(
            new UpdateCommand({
              TableName: this.table,
              Key: { pk: item.pk, sk: item.sk },
              UpdateExpression: 'SET readAt = if_not_exists(readAt, :at) REMOVE unreadPk, unreadSk',
              ConditionExpression: 'attribute_exists(unreadPk)', // false: read meanwhile
              ExpressionAttributeValues: { ':at': at },
            }),
          ),
        ),
      );
      marked += results.filter(Boolean).length;
    }
  }

  // --- alerts and escalation -----------------------------------------------------------------------------------

  /** Records a critical alert with its first escalation due at `dueAt`; a repeated event keeps the first record. */
  createAlert(alert: AlertRecord, dueAt: number | undefined): Promise<boolean> {
    return this.conditionally(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...alertKey(alert.alertId),
          ...alert,
          ...(dueAt !== undefined && { escalationShard: escalationShard(alert.alertId), escalationDueAt: dueAt }),
          expiresAt: nowSeconds() + NOTIFICATION_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  getAlert(alertId: string): Promise<AlertRecord | undefined> {
    return this.get<AlertRecord>(alertKey(alertId));
  }

  /** The first acknowledgement wins and stops the escalation; later ones get the alert as it is. */
  async acknowledgeAlert(alertId: string, by: string, at: string): Promise<AlertRecord | undefined> {
    try {
      const result = await dynamoDb().send(
        new UpdateCommand({
          TableName: this.table,
          Key: alertKey(alertId),
          UpdateExpression: 'SET acknowledged = :ack, escalation.#status = :stopped, escalation.stopReason = :reason REMOVE escalationShard, escalationDueAt, escalation.nextAt',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(acknowledged)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':ack': { by, at }, ':stopped': 'stopped', ':reason': 'acknowledged' },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return strip<AlertRecord>(result.Attributes ?? {});
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return this.getAlert(alertId);
      throw error;
    }
  }

  /**
   * The condition that ended it (back in range) stops the escalation. If the end arrives before the start (SNS
   * does not keep order), a resolved record is left in the alert's place, so the late start never escalates.
   */
  async resolveAlert(alertId: string, siteId: string, at: string): Promise<void> {
    const resolveExisting = () =>
      this.conditionally(
        new UpdateCommand({
          TableName: this.table,
          Key: alertKey(alertId),
          UpdateExpression:
            'SET resolvedAt = if_not_exists(resolvedAt, :at), escalation.#status = :stopped, escalation.stopReason = if_not_exists(escalation.stopReason, :reason) REMOVE escalationShard, escalationDueAt, escalation.nextAt',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':at': at, ':stopped': 'stopped', ':reason': 'resolved' },
        }),
      );
    if (await resolveExisting()) return;
    const placeholder: Partial<AlertRecord> = { alertId, siteId, resolvedAt: at, escalation: { status: 'stopped', stopReason: 'resolved', steps: [] } };
    const placed = await this.conditionally(
      new PutCommand({
        TableName: this.table,
        Item: { ...alertKey(alertId), ...placeholder, expiresAt: nowSeconds() + NOTIFICATION_TTL_SECONDS },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    if (!placed) await resolveExisting(); // the start was recorded in between
  }

  /** Alert ids whose next escalation step is due by `now` (epoch ms), across the index's shards. */
  async dueAlerts(now: number, limit = 100): Promise<string[]> {
    const shards = Array.from({ length: ESCALATION_SHARDS }, (_, i) => `ESC#${i}`);
    const pages = await Promise.all(
      shards.map((shard) =>
        dynamoDb().send(
          new QueryCommand({
            TableName: this.table,
            IndexName: ESCALATIONS_INDEX,
            KeyConditionExpression: 'escalationShard = :shard AND escalationDueAt <= :now',
            ExpressionAttributeValues: { ':shard': shard, ':now': now },
            Limit: limit,
          }),
        ),
      ),
    );
    return pages.flatMap((page) => (page.Items ?? []).map((item) => String(item.pk).slice('ALERT#'.length)));
  }

  /**
   * Claims escalation step `step` of an alert: only if it is still unacknowledged, unresolved and at step − 1,
   * so two sweeps racing page once. `nextDueAt` undefined means this is the last step.
   */
  claimEscalationStep(alertId: string, step: EscalationStep, nextDueAt: number | undefined): Promise<boolean> {
    const set = ['escalation.steps = list_append(escalation.steps, :step)', 'escalation.#status = :status'];
    const values: Item = { ':step': [step], ':before': step.step - 1 };
    let remove = '';
    if (nextDueAt === undefined) {
      set.push('escalation.stopReason = :reason');
      Object.assign(values, { ':status': 'stopped', ':reason': 'max-repeats-reached' });
      remove = ' REMOVE escalationShard, escalationDueAt, escalation.nextAt';
    } else {
      set.push('escalationDueAt = :due', 'escalation.nextAt = :nextAt');
      Object.assign(values, { ':status': 'escalating', ':due': nextDueAt, ':nextAt': new Date(nextDueAt).toISOString() });
    }
    return this.conditionally(
      new UpdateCommand({
        TableName: this.table,
        Key: alertKey(alertId),
        UpdateExpression: `SET ${set.join(', ')}${remove}`,
        ConditionExpression:
          'attribute_exists(escalationDueAt) AND attribute_not_exists(acknowledged) AND attribute_not_exists(resolvedAt) AND size(escalation.steps) = :before',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      }),
    );
  }

  /** Fills in how a claimed step's SMS went (the step was claimed before sending, so it is never sent twice). */
  async recordEscalationOutcome(alertId: string, stepIndex: number, recipients: EscalationStep['recipients']): Promise<void> {
    await dynamoDb().send(
      new UpdateCommand({
        TableName: this.table,
        Key: alertKey(alertId),
        UpdateExpression: `SET escalation.steps[${stepIndex}].recipients = :recipients`,
        ExpressionAttributeValues: { ':recipients': recipients },
      }),
    );
  }
}
