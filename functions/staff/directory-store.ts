// What staff knows of the users domain's directory, from its snapshots on the events topic (never its table):
// sites (time zone: punches' local days) and users (name, role, sites, status: whom a profile may be made for).
//   SITES / SITE#{site}     name, time zone, version
//   USER#{user} / USER      name, role, sites, status, version
// A snapshot is applied only when newer than the one held, so order and redelivery do not matter.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { isConditionFailure, queryAll } from '#shared/dynamodb';
import type { SiteSnapshot, UserSnapshot } from '#shared/contracts/users';
import { staffKeys, type TableKey } from './table';

/** What learn-directory.ts subscribes to (its filter policy in functions.yml; tests/unit/staff-rules.test.ts). */
export const DIRECTORY_EVENTS = ['user.registered', 'user.updated', 'site.created', 'site.updated'] as const;

export type DirectoryUser = Omit<UserSnapshot, 'email'>;

/** Until a site's event has arrived its local days are UTC days. */
export const UNKNOWN_SITE_TIME_ZONE = 'UTC';

// A time zone changes rarely; a warm function keeps what it read for a minute.
const CACHE_MS = 60_000;

export class DirectoryStore {
  private readonly zones = new Map<string, { timeZone: string; until: number }>();

  constructor(private readonly table: string) {}

  /** Applies a site snapshot unless a newer one is stored; false when it was not newer. */
  applySite(site: SiteSnapshot): Promise<boolean> {
    this.zones.delete(site.siteId);
    return this.applyNewer(staffKeys.site(site.siteId), { siteId: site.siteId, name: site.name, timeZone: site.timeZone }, site.version);
  }

  /** Applies a user snapshot unless a newer one is stored. The email stays with the users domain: staff needs none. */
  applyUser(user: UserSnapshot): Promise<boolean> {
    const { email: _email, version, ...kept } = user;
    return this.applyNewer(staffKeys.user(user.userId), kept, version);
  }

  async user(userId: string): Promise<DirectoryUser | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: staffKeys.user(userId) }));
    if (!Item) return undefined;
    const { userId: id, name, role, sites, status, version } = Item as DirectoryUser;
    return { userId: id, name, role, sites, status, version };
  }

  /** Every site the directory has published: the sweep of the auto-close job. */
  async siteIds(): Promise<string[]> {
    const items = await queryAll({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': staffKeys.site('').pk }, ProjectionExpression: 'siteId' });
    return items.map((item) => item.siteId as string);
  }

  async timeZoneOf(siteId: string): Promise<string> {
    const cached = this.zones.get(siteId);
    if (cached && cached.until > Date.now()) return cached.timeZone;
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: staffKeys.site(siteId) }));
    const timeZone = (Item?.timeZone as string | undefined) ?? UNKNOWN_SITE_TIME_ZONE;
    this.zones.set(siteId, { timeZone, until: Date.now() + CACHE_MS });
    return timeZone;
  }

  private async applyNewer(key: TableKey, fields: Record<string, unknown>, version: number): Promise<boolean> {
    const names = Object.keys(fields);
    try {
      await dynamoDb().send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          // Attribute names as placeholders: `name`, `role` and `status` are DynamoDB reserved words.
          UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :f${i}`).join(', ')}, version = :v`,
          ConditionExpression: 'attribute_not_exists(pk) OR version < :v',
          ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#f${i}`, name])),
          ExpressionAttributeValues: { ...Object.fromEntries(names.map((name, i) => [`:f${i}`, fields[name]])), ':v': version },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
