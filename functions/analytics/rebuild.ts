// The first half of a rebuild: a site's figures deleted under a new epoch, so the archive's replay of its events
// (docs/archive.md) counts every one of them again through recordAnalytics, exactly as the live path did.
//
//   1. the site item gets `resetting` and its epoch moves on, in one update: from then on no counting transaction
//      commits (each checks the epoch and the flag, sales-store.ts), and events wait for the reset (record-analytics.ts)
//   2. every item of the site's partition is deleted (figures, hours, menu items, customers, recipes, costs, rates)
//   3. `resetting` is removed: live events count again, under receipts of the new epoch
// An event counted live before step 1 is in the archive, so the replay counts it again under the new epoch; one
// counted live after step 3 has a receipt of the new epoch, so its replay is skipped. Either way once.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { batchWriteAll, queryPage } from '#shared/dynamodb';
import { analyticsKeys } from './table';

export interface ResetResult {
  siteId: string;
  epoch: number;
  deleted: number;
}

export async function resetSiteFigures(table: string, siteId: string, now = new Date()): Promise<ResetResult> {
  const { Attributes } = await dynamoDb().send(
    new UpdateCommand({
      TableName: table,
      Key: analyticsKeys.site(siteId),
      UpdateExpression: 'ADD epoch :one SET resetting = :now',
      ExpressionAttributeValues: { ':one': 1, ':now': now.toISOString() },
      ReturnValues: 'ALL_NEW',
    }),
  );
  let deleted = 0;
  // Page by page: a site's partition may hold years of days and hours.
  for (let cursor: string | undefined, first = true; first || cursor; first = false) {
    const page = await queryPage(
      {
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': analyticsKeys.sitePartition(siteId) },
        ProjectionExpression: 'pk, sk',
      },
      cursor,
    );
    await batchWriteAll(table, page.items.map((item) => ({ delete: { pk: item.pk as string, sk: item.sk as string } })));
    deleted += page.items.length;
    cursor = page.nextCursor;
  }
  await dynamoDb().send(new UpdateCommand({ TableName: table, Key: analyticsKeys.site(siteId), UpdateExpression: 'REMOVE resetting' }));
  return { siteId, epoch: Attributes!.epoch as number, deleted };
}
