// The notifications table holds several aggregates, each behind its own store (docs/notifications.md, "Table"):
//   inbox-store.ts      USER#{user} / NOTIF#{id}, and the sparse index `unread`
//   settings-store.ts   USER#{user} / SETTINGS, SITE#{site} / SETTINGS, SITE#{site} / SMS#{hour}
//   directory-store.ts  USER#{user} / PROFILE, SITE#{site} / SITE, SITE#{site} / MEMBER#{user}, OWNERS / USER#{user}
//   alert-store.ts      ALERT#{alert} / ALERT, and the sparse index `escalations`
//   connections.ts      USER#{user} / CONN#{connection}, CONN#{connection} / CONN
//   EVENT#{consumer}#{eventId} / RECEIPT: the SNS consumers' idempotency receipts (shared/sns-consumer.ts)
// What they share: reading one item as its record, and writes whose failed condition is an answer, not an error.
import { GetCommand, type PutCommand, type UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { isConditionFailure } from '#shared/dynamodb';

export interface TableKey {
  pk: string;
  sk: string;
}

/** Inbox items and alerts are kept 90 days. */
export const NOTIFICATION_TTL_SECONDS = 90 * 24 * 3600;
export const nowSeconds = () => Math.floor(Date.now() / 1000);
export const userPk = (userId: string) => `USER#${userId}`;

/** The record an item holds, without the table's keys, index keys and TTL. */
export function recordOf<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, expiresAt: _e, unreadPk: _u, unreadSk: _us, escalationShard: _es, escalationDueAt: _ed, deliveryLeaseUntil: _dl, ...rest } = item;
  return rest as T;
}

export async function getRecord<T>(tableName: string, key: TableKey): Promise<T | undefined> {
  const { Item } = await dynamoDb().send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  return Item ? recordOf<T>(Item) : undefined;
}

/** A conditional write: true if it happened, false if its condition did not hold; any other failure is thrown. */
export async function conditionally(command: PutCommand | UpdateCommand): Promise<boolean> {
  try {
    await dynamoDb().send(command as PutCommand);
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
