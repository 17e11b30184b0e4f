// How the forecast domain keeps what it learns from events without receipts: a put that keeps the item unless the
// stored one is as new or newer by `attribute` (a version, an `occurredAt`), so redelivery, order and archive replays
// do not matter.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { isConditionFailure } from '#shared/dynamodb';

/** Puts `item` unless the stored one's `attribute` is at least `item[attribute]` (`orEqual`: unless greater); false when kept out. */
export async function putIfNewer(table: string, item: Record<string, unknown>, attribute: string, options: { orEqual?: boolean } = {}): Promise<boolean> {
  try {
    await dynamoDb().send(
      new PutCommand({
        TableName: table,
        Item: item,
        ConditionExpression: `attribute_not_exists(pk) OR #newness ${options.orEqual ? '<=' : '<'} :newness`,
        ExpressionAttributeNames: { '#newness': attribute },
        ExpressionAttributeValues: { ':newness': item[attribute] },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
