// What analytics knows of each site, from events (never another domain's table): the users domain's snapshots give
// the time zone (hours of day) and the currency; orders' `menu.settings-changed` gives the business-day rule every
// figure is filed by (the zone orders reckon days in and the local time a day starts).
//   SITES / SITE#{site}     time zone, currency, version; dayTimeZone, dayStartsAt, settingsVersion
// Each is applied only when newer than the one held (its own version), so order and redelivery do not matter.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { isConditionFailure } from '#shared/dynamodb';
import type { EventData } from '#shared/contracts';
import type { SiteSnapshot } from '#shared/contracts/users';
import type { BusinessDayRule } from './operations-rules';
import { analyticsKeys } from './table';

/** What learn-sites.ts subscribes to (its filter policy in functions.yml). */
export const SITE_EVENTS = ['site.created', 'site.updated', 'menu.settings-changed'] as const;

export interface SiteFacts {
  timeZone: string;
  /** How its days are reckoned: orders' rule once learnt, calendar dates in `timeZone` until then. */
  businessDay: BusinessDayRule;
  currency?: string;
  /** Moves on with each rebuild: receipts are per epoch, so a replayed event counts again in the new figures. */
  epoch: number;
  /** A rebuild is deleting the site's figures: counting waits (sales-store.ts checks it in every transaction). */
  resetting: boolean;
}

/** Until a site's event has arrived its hours and days are UTC's. */
const UNKNOWN_SITE: SiteFacts = { timeZone: 'UTC', businessDay: { timeZone: 'UTC', startsAt: '00:00' }, epoch: 0, resetting: false };

// A time zone changes rarely; a warm function keeps what it read for a minute. Until both the time zone and the
// business-day rule have arrived (a new site: the two events race its first figures), only for a few seconds.
const CACHE_MS = 60_000;
const INCOMPLETE_CACHE_MS = 5_000;

export class SitesStore {
  private readonly cache = new Map<string, { facts: SiteFacts; until: number }>();

  constructor(private readonly table: string) {}

  /** Applies a site snapshot unless a newer one is stored; false when it was not newer. */
  async apply(site: SiteSnapshot): Promise<boolean> {
    this.cache.delete(site.siteId);
    try {
      await dynamoDb().send(
        new UpdateCommand({
          TableName: this.table,
          Key: analyticsKeys.site(site.siteId),
          // Names as placeholders: `timeZone` is a DynamoDB reserved word.
          UpdateExpression: 'SET #zone = :zone, #currency = :currency, version = :v',
          // A rebuild may have made the item (its epoch) before any snapshot came.
          ConditionExpression: 'attribute_not_exists(version) OR version < :v',
          ExpressionAttributeNames: { '#zone': 'timeZone', '#currency': 'currency' },
          ExpressionAttributeValues: { ':zone': site.timeZone, ':currency': site.currency, ':v': site.version },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Applies orders' settings (the business-day rule) unless newer ones are stored; false when not newer. */
  async applyBusinessDay(siteId: string, settings: EventData<'menu.settings-changed'>): Promise<boolean> {
    this.cache.delete(siteId);
    try {
      await dynamoDb().send(
        new UpdateCommand({
          TableName: this.table,
          Key: analyticsKeys.site(siteId),
          UpdateExpression: 'SET dayTimeZone = :zone, dayStartsAt = :starts, settingsVersion = :v',
          ConditionExpression: 'attribute_not_exists(settingsVersion) OR settingsVersion < :v',
          ExpressionAttributeValues: { ':zone': settings.timeZone, ':starts': settings.businessDayStartsAt, ':v': settings.version },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** `fresh`: skip the container's cache (after a transaction found another epoch). */
  async get(siteId: string, options: { fresh?: boolean } = {}): Promise<SiteFacts> {
    const cached = this.cache.get(siteId);
    if (!options.fresh && cached && cached.until > Date.now()) return cached.facts;
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: analyticsKeys.site(siteId), ConsistentRead: options.fresh ?? false }));
    const timeZone = (Item?.timeZone as string | undefined) ?? UNKNOWN_SITE.timeZone;
    const facts: SiteFacts = Item
      ? {
          timeZone,
          businessDay:
            typeof Item.dayStartsAt === 'string'
              ? { timeZone: (Item.dayTimeZone as string | undefined) ?? timeZone, startsAt: Item.dayStartsAt }
              : { timeZone, startsAt: '00:00' },
          ...(typeof Item.currency === 'string' ? { currency: Item.currency } : {}),
          epoch: (Item.epoch as number | undefined) ?? 0,
          resetting: Item.resetting !== undefined,
        }
      : UNKNOWN_SITE;
    const complete = typeof Item?.timeZone === 'string' && typeof Item.dayStartsAt === 'string';
    this.cache.set(siteId, { facts, until: Date.now() + (complete ? CACHE_MS : INCOMPLETE_CACHE_MS) });
    return facts;
  }
}
