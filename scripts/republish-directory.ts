// `npm run directory:republish -- --stage prod`: publishes every user's and site's current snapshot on the stage's
// events topic (functions/users/events.ts), so a domain deployed after people and sites already existed (e.g.
// notifications on an existing stage) learns the directory. Safe to run again: event ids are per record version
// and subscribers apply a snapshot only if it is newer than what they hold.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { dynamoDb } from '../functions/shared/clients/dynamodb';
import { publishEvent } from '../functions/shared/event-publisher';
import { currentSnapshotEvent } from '../functions/users/events';
import type { SiteRecord, UserRecord } from '../functions/users/schemas';
import { eventsTopicArn, stageArgs } from './aws-target';

async function main() {
  const { stage, usersTable } = stageArgs();
  const topicArn = await eventsTopicArn(stage);
  const sites: SiteRecord[] = [];
  const users: UserRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamoDb().send(
      new ScanCommand({
        TableName: usersTable,
        FilterExpression: 'pk = :sites OR sk = :user',
        ExpressionAttributeValues: { ':sites': 'SITES', ':user': 'USER' },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) (item.pk === 'SITES' ? sites : users).push(item as never);
    start = page.LastEvaluatedKey;
  } while (start);

  const context = { correlationId: `directory-republish-${randomUUID()}` };
  // Sites first: a subscriber meets a site before the people who work there.
  for (const record of [...sites, ...users]) await publishEvent(topicArn, currentSnapshotEvent(record, context));
  console.log(`published ${sites.length} site and ${users.length} user snapshots on ${topicArn}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
