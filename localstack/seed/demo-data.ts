// Demo data for `npm start`. Conditional writes make it idempotent: a restart on a disk-backed store
// seeds nothing twice.
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';

export const DEMO_SITE_ID = 'demo-bistro';

export async function seedDemoData(env: Record<string, string>, stage: string): Promise<{ created: number; existing: number }> {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL,
      region: env.AWS_REGION,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
    }),
  );
  const items = [
    {
      table: `brigade-${stage}-demo`,
      item: {
        pk: `SITE#${DEMO_SITE_ID}#NOTE#welcome`,
        sk: 'NOTE',
        siteId: DEMO_SITE_ID,
        noteId: 'welcome',
        text: 'Welcome to Brigade. Walk-in fridge 1 reports on brigade/demo-bistro/devices/walkin-1/telemetry.',
        createdAt: '2026-01-01T00:00:00.000Z',
        eventDeliveries: 0,
      },
    },
  ];
  let created = 0;
  for (const { table, item } of items) {
    try {
      await db.send(new PutCommand({ TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
      created++;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  db.destroy();
  return { created, existing: items.length - created };
}
