// The directory as routing reads it, remembered per container for a few seconds: a burst of alerts for one site
// reads the site, its members and the owners once, not once per event. The bound (docs/notifications.md,
// "Directory cache"): a change applied to the directory reaches routing at most DIRECTORY_CACHE_TTL_MS later.
// A site that looks unstaffed (unknown, or no active manager) is read afresh every time instead: that is how a
// site looks while its first snapshots are still arriving, and a stale "nobody here" would send its alerts to
// the owners (or nowhere) for the whole TTL.
import type { Member, SiteSnapshot } from './schemas';

export const DIRECTORY_CACHE_TTL_MS = 5_000;

export interface SiteDirectory {
  site: SiteSnapshot | undefined;
  members: Member[];
  owners: Member[];
}

/** The reads the cache stands in front of (DirectoryStore). */
export interface DirectoryReader {
  getSite(siteId: string): Promise<SiteSnapshot | undefined>;
  siteMembers(siteId: string): Promise<Member[]>;
  owners(): Promise<Member[]>;
}

interface Entry<T> {
  value: Promise<T>;
  expiresAt: number;
}

const isStaffed = ({ site, members }: Pick<SiteDirectory, 'site' | 'members'>) =>
  site !== undefined && members.some((m) => m.role === 'manager' && m.status === 'active');

export function createDirectoryCache(reader: DirectoryReader, options: { ttlMs?: number; now?: () => number } = {}) {
  const ttlMs = options.ttlMs ?? DIRECTORY_CACHE_TTL_MS;
  const now = options.now ?? Date.now;
  const sites = new Map<string, Entry<Pick<SiteDirectory, 'site' | 'members'>>>();
  let owners: Entry<Member[]> | undefined;

  // Concurrent misses share one read (the promise is cached, not its value); a failed read is forgotten at once,
  // so the next event retries it instead of failing for the TTL.
  function remember<T>(load: () => Promise<T>, slot: { get(): Entry<T> | undefined; set(entry: Entry<T> | undefined): void }): Promise<T> {
    const entry: Entry<T> = { value: load(), expiresAt: now() + ttlMs };
    slot.set(entry);
    entry.value.catch(() => {
      if (slot.get() === entry) slot.set(undefined);
    });
    return entry.value;
  }

  async function siteOf(siteId: string, fresh: boolean): Promise<Pick<SiteDirectory, 'site' | 'members'>> {
    const cached = sites.get(siteId);
    if (!fresh && cached && cached.expiresAt > now()) {
      const value = await cached.value;
      if (isStaffed(value)) return value;
    }
    return remember(
      async () => {
        const [site, members] = await Promise.all([reader.getSite(siteId), reader.siteMembers(siteId)]);
        return { site, members };
      },
      { get: () => sites.get(siteId), set: (e) => (e ? sites.set(siteId, e) : sites.delete(siteId)) },
    );
  }

  function ownersOf(fresh: boolean): Promise<Member[]> {
    if (!fresh && owners && owners.expiresAt > now()) return owners.value;
    return remember(() => reader.owners(), { get: () => owners, set: (e) => (owners = e) });
  }

  return {
    /**
     * The site, its members and the owners, at most ttlMs old (always read afresh for a site not staffed yet);
     * `fresh` skips the cache, for a caller that found nobody where it expected someone.
     */
    async siteDirectory(siteId: string, options: { fresh?: boolean } = {}): Promise<SiteDirectory> {
      const fresh = options.fresh ?? false;
      const [site, ownerList] = await Promise.all([siteOf(siteId, fresh), ownersOf(fresh)]);
      return { ...site, owners: ownerList };
    },
  };
}
