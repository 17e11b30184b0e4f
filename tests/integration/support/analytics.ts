// What analytics knows of a site before a test counts anything there: the time zone (the users domain's
// site.created) and the business-day rule (orders' menu.settings-changed). Either may arrive first, and each makes
// the site's item: waiting for the item alone could count a test's events in UTC or on calendar days.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, eventually, tableName } from './target';

export async function analyticsLearntSite(siteId: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
  return eventually(
    async () => {
      const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('analytics'), Key: { pk: 'SITES', sk: `SITE#${siteId}` }, ConsistentRead: true }));
      return Item?.timeZone !== undefined && Item.dayStartsAt !== undefined ? Item : undefined;
    },
    timeoutMs,
    'analytics learnt the site (its time zone and business day)',
  );
}
