// The notifications consumer's fast path: the per-container directory cache (TTL and its bound, unstaffed sites
// read afresh, concurrent misses shared) and the batched revocation check (one BatchGetItem for every recipient).
import { dynamo } from './fixtures/stub-dynamodb';
import { createDirectoryCache, DIRECTORY_CACHE_TTL_MS, type DirectoryReader } from '../../functions/notifications/directory-cache';
import { revokedSessions, revokedSessionsOfUsers } from '../../functions/shared/access-token';
import type { Member, SiteSnapshot } from '../../functions/notifications/schemas';

jest.mock('../../functions/shared/clients/dynamodb', () => jest.requireActual('./fixtures/stub-dynamodb').stubbedClients);

const site: SiteSnapshot = { siteId: 's1', name: 'Bistro', timeZone: 'Europe/Paris', currency: 'EUR', version: 1 } as SiteSnapshot;
const manager = (userId: string): Member => ({ userId, role: 'manager', status: 'active' });

function fakeDirectory(members: Member[], owners: Member[] = []) {
  const reads = { getSite: 0, siteMembers: 0, owners: 0 };
  const state = { site: site as SiteSnapshot | undefined, members, owners };
  const reader: DirectoryReader = {
    getSite: async () => (reads.getSite++, state.site),
    siteMembers: async () => (reads.siteMembers++, [...state.members]),
    owners: async () => (reads.owners++, [...state.owners]),
  };
  return { reader, reads, state };
}

describe('directory cache', () => {
  it('reads a staffed site once per TTL: a member added is seen at most DIRECTORY_CACHE_TTL_MS later', async () => {
    let clock = 1_000_000;
    const { reader, reads, state } = fakeDirectory([manager('m1')]);
    const cache = createDirectoryCache(reader, { now: () => clock });
    expect((await cache.siteDirectory('s1')).members.map((m) => m.userId)).toEqual(['m1']);
    state.members.push(manager('m2'));
    clock += DIRECTORY_CACHE_TTL_MS - 1;
    expect((await cache.siteDirectory('s1')).members.map((m) => m.userId)).toEqual(['m1']);
    expect(reads).toEqual({ getSite: 1, siteMembers: 1, owners: 1 });
    clock += 1;
    expect((await cache.siteDirectory('s1')).members.map((m) => m.userId)).toEqual(['m1', 'm2']);
    expect(reads).toEqual({ getSite: 2, siteMembers: 2, owners: 2 });
  });

  it('keeps each site apart and the owners once for all of them', async () => {
    const { reader, reads } = fakeDirectory([manager('m1')], [{ userId: 'o1', role: 'owner', status: 'active' }]);
    const cache = createDirectoryCache(reader, { now: () => 0 });
    await cache.siteDirectory('s1');
    await cache.siteDirectory('s2');
    expect((await cache.siteDirectory('s1')).owners.map((o) => o.userId)).toEqual(['o1']);
    expect(reads).toEqual({ getSite: 2, siteMembers: 2, owners: 1 });
  });

  it('reads a site without an active manager (its snapshots still arriving) afresh every time', async () => {
    const { reader, reads, state } = fakeDirectory([{ userId: 'st1', role: 'staff', status: 'active' }]);
    const cache = createDirectoryCache(reader, { now: () => 0 });
    await cache.siteDirectory('s1');
    state.members.push(manager('m1'));
    expect((await cache.siteDirectory('s1')).members.map((m) => m.userId)).toEqual(['st1', 'm1']);
    await cache.siteDirectory('s1'); // staffed now: cached
    expect(reads.siteMembers).toBe(2);
  });

  it('fresh: true skips the cache (a caller that found nobody where it expected someone)', async () => {
    const { reader, reads } = fakeDirectory([manager('m1')]);
    const cache = createDirectoryCache(reader, { now: () => 0 });
    await cache.siteDirectory('s1');
    await cache.siteDirectory('s1', { fresh: true });
    expect(reads).toEqual({ getSite: 2, siteMembers: 2, owners: 2 });
  });

  it('a burst of concurrent misses shares one read', async () => {
    const { reader, reads } = fakeDirectory([manager('m1')]);
    const cache = createDirectoryCache(reader, { now: () => 0 });
    await Promise.all(Array.from({ length: 50 }, () => cache.siteDirectory('s1')));
    expect(reads).toEqual({ getSite: 1, siteMembers: 1, owners: 1 });
  });

  it('forgets a failed read at once, so the next event retries instead of failing for the TTL', async () => {
    const { reader, reads } = fakeDirectory([manager('m1')]);
    let failNext = true;
    const flaky: DirectoryReader = {
      ...reader,
      siteMembers: async (siteId) => {
        if (failNext) {
          failNext = false;
          throw new Error('ProvisionedThroughputExceededException');
        }
        return reader.siteMembers(siteId);
      },
    };
    const cache = createDirectoryCache(flaky, { now: () => 0 });
    await expect(cache.siteDirectory('s1')).rejects.toThrow('ProvisionedThroughputExceeded');
    expect((await cache.siteDirectory('s1')).members).toEqual([manager('m1')]);
    expect(reads.siteMembers).toBe(1);
  });
});

describe('revokedSessionsOfUsers', () => {
  beforeEach(() => dynamo.reset());

  it('checks every user and every session in one BatchGetItem and says why each revoked one is', async () => {
    dynamo.answer = () => ({
      Responses: {
        revocations: [
          { pk: 'SESSION#u1-old' }, // logged out
          { pk: 'USER#u2', revokedBefore: 200 }, // deactivated or changed at 200
        ],
      },
    });
    const revoked = await revokedSessionsOfUsers(
      new Map([
        ['u1', [{ sessionId: 'u1-old', issuedAt: 100 }, { sessionId: 'u1-new', issuedAt: 100 }]],
        ['u2', [{ sessionId: 'u2-before', issuedAt: 150 }, { sessionId: 'u2-after', issuedAt: 250 }]],
        ['u3', [{ sessionId: 'u3-a', issuedAt: 100 }]],
      ]),
      'revocations',
    );
    expect(dynamo.sent).toHaveLength(1);
    const keys = dynamo.sent[0]!.input.RequestItems.revocations.Keys.map((k: { pk: string }) => k.pk).sort();
    expect(keys).toEqual(['SESSION#u1-new', 'SESSION#u1-old', 'SESSION#u2-after', 'SESSION#u2-before', 'SESSION#u3-a', 'USER#u1', 'USER#u2', 'USER#u3']);
    expect(dynamo.sent[0]!.input.RequestItems.revocations.ConsistentRead).toBe(true);
    expect(revoked).toEqual(
      new Map([
        ['u1', new Map([['u1-old', 'session']])],
        ['u2', new Map([['u2-before', 'user']])],
      ]),
    );
  });

  it('remembers a revoked session: asked again, it reads nothing for it', async () => {
    dynamo.answer = () => ({ Responses: { revocations: [{ pk: 'SESSION#gone-for-good' }] } });
    await revokedSessions('u9', [{ sessionId: 'gone-for-good', issuedAt: 1 }], 'revocations');
    dynamo.reset();
    await expect(revokedSessions('u9', [{ sessionId: 'gone-for-good', issuedAt: 1 }], 'revocations')).resolves.toEqual(new Map([['gone-for-good', 'session']]));
    expect(dynamo.sent).toEqual([]);
  });
});
