// `npm run menu-settings:republish -- --stage prod`: publishes every site's current ordering settings as
// menu.settings-changed on the stage's events topic, so analytics learns the business-day rule of sites whose
// settings were set before orders published them (it files their days as calendar dates until then). Safe to run
// again: event ids are per site and settings version, and analytics applies a version only if it is newer.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { menuSettingsEvent } from '../functions/orders/events';
import type { MenuSettingsRecord } from '../functions/orders/schemas';
import { dynamoDb } from '../functions/shared/clients/dynamodb';
import { publishEvent } from '../functions/shared/event-publisher';
import { eventsTopicArn, stageArgs } from './aws-target';

async function main() {
  const { stage, ordersTable } = stageArgs();
  const topicArn = await eventsTopicArn(stage);
  const context = { correlationId: `menu-settings-republish-${randomUUID()}` };
  let published = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamoDb().send(
      new ScanCommand({ TableName: ordersTable, FilterExpression: 'sk = :settings', ExpressionAttributeValues: { ':settings': 'SETTINGS' }, ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? []) {
      await publishEvent(topicArn, menuSettingsEvent(item as MenuSettingsRecord, context));
      published++;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  console.log(`published ${published} sites' menu settings on ${topicArn}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
