// Every site analytics knows (the users domain's snapshots it learnt, sites-store.ts), for the owners' cross-site
// report: owners see every site of the deployment (shared/identity.ts), so "their sites" is all of them. One query
// of the SITES partition: its cost grows with the number of sites.
import { queryAll } from '#shared/dynamodb';
import { config } from './config';
import { analyticsKeys } from './table';

export interface KnownSite {
  siteId: string;
  timeZone: string | null;
  currency: string | null;
}

const SITE_PREFIX = analyticsKeys.site('').sk;

export async function listSites(): Promise<KnownSite[]> {
  const { pk } = analyticsKeys.site('');
  const items = await queryAll({ TableName: config.TABLE_NAME, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } });
  return items
    .map((item) => ({
      siteId: (item.sk as string).slice(SITE_PREFIX.length),
      timeZone: typeof item.timeZone === 'string' ? item.timeZone : null,
      currency: typeof item.currency === 'string' ? item.currency : null,
    }))
    .sort((a, b) => a.siteId.localeCompare(b.siteId));
}
