// What inventory knows of its sites, from the users domain's site.created / site.updated snapshots (never its
// table): the IANA time zone (local dates of movements, suppliers' cut-offs and delivery days) and the currency
// (reports). One partition holds every site, so the scheduled jobs list the sites without a Scan:
//   SITES / SITE#{site}    name, time zone, currency, version (a snapshot is applied only when newer)
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { isConditionFailure, queryAll } from '#shared/dynamodb';
import type { SiteSnapshot } from '#shared/contracts/users';
import { inventoryKeys, partitions } from './table';

/** What learn-sites.ts subscribes to (its filter policy in functions.yml; tests/unit/inventory-sites.test.ts). */
export const SITE_EVENTS = ['site.created', 'site.updated'] as const;

export interface SiteProfile {
  siteId: string;
  name: string;
  timeZone: string;
  currency: string;
  version: number;
}

/** Until a site's event has arrived: UTC and no currency (a report then shows minor units only). */
export const UNKNOWN_SITE = { timeZone: 'UTC', currency: undefined } as const;

// A time zone or currency changes rarely; a warm function keeps what it read for a minute.
const CACHE_MS = 60_000;

export class SiteStore {
  private readonly cache = new Map<string, { profile: SiteProfile | undefined; until: number }>();

  constructor(private readonly table: string) {}

  /** Applies a snapshot unless a newer version is stored; false when it was not newer. */
  async apply(site: SiteSnapshot): Promise<boolean> {
    try {
      await dynamoDb().send(
        new UpdateCommand({
          TableName: this.table,
          Key: inventoryKeys.site(site.siteId),
          // `name` and `timeZone` are DynamoDB reserved words.
          UpdateExpression: 'SET siteId = :site, #name = :name, #zone = :zone, currency = :currency, version = :v',
          ConditionExpression: 'attribute_not_exists(pk) OR version < :v',
          ExpressionAttributeNames: { '#name': 'name', '#zone': 'timeZone' },
          ExpressionAttributeValues: { ':site': site.siteId, ':name': site.name, ':zone': site.timeZone, ':currency': site.currency, ':v': site.version },
        }),
      );
      this.cache.delete(site.siteId);
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async get(siteId: string): Promise<SiteProfile | undefined> {
    const cached = this.cache.get(siteId);
    if (cached && cached.until > Date.now()) return cached.profile;
    const { Item: stored } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: inventoryKeys.site(siteId) }));
    const profile = stored ? profileOf(stored) : undefined;
    this.cache.set(siteId, { profile, until: Date.now() + CACHE_MS });
    return profile;
  }

  async timeZoneOf(siteId: string): Promise<string> {
    return (await this.get(siteId))?.timeZone ?? UNKNOWN_SITE.timeZone;
  }

  async currencyOf(siteId: string): Promise<string | undefined> {
    return (await this.get(siteId))?.currency ?? UNKNOWN_SITE.currency;
  }

  /** Every site inventory has heard of, for the scheduled jobs. */
  async all(): Promise<SiteProfile[]> {
    const stored = await queryAll({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': partitions.sites } });
    return stored.map(profileOf);
  }
}

function profileOf(stored: Record<string, unknown>): SiteProfile {
  const { siteId, name, timeZone, currency, version } = stored as unknown as SiteProfile;
  return { siteId, name, timeZone, currency, version };
}
