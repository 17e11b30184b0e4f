// What staff tells analytics of pay, over the running stack: a profile PUT publishes staff.pay-rates-changed through
// the outbox (in the write's transaction, published by the table's stream) with every wage as an hourly cost in the
// pack's currency; a raise publishes the next version with both wages; an edit that changes no rate publishes
// nothing; a person with profiles at two sites gets an event per site; the demo seed publishes its profiles' rates.
import { seedStaffDemo } from '../../dev/seed/staff';
import { bearer, createSite, createUser } from './support/identity';
import { expectStatus } from './support/orders';
import { outboxItems, subscribeHttp, type HttpSubscriber } from './support/sns-subscriber';
import { directoryItem, profileBody, profilePath, putProfile, staffSite, type StaffSite } from './support/staff';
import { api, describeLocal, dynamo, eventually, stage, uniqueId } from './support/target';

jest.setTimeout(120_000);

interface PayRatesEvent {
  id: string;
  type: string;
  siteId: string;
  correlationId: string;
  data: { userId: string; version: number; currency: string; rates: Array<{ positionId: string; from: string; hourlyRate: number }> };
}

let site: StaffSite;
const events: PayRatesEvent[] = [];
const subscribers: HttpSubscriber[] = [];

/** Subscribes to the pay-rates events of `siteIds` (before anything there publishes). */
async function listen(siteIds: string[]) {
  subscribers.push(await subscribeHttp('events', { siteId: siteIds, type: ['staff.pay-rates-changed'] }, (envelope: PayRatesEvent) => events.push(envelope)));
}

const versionOf = (siteId: string, userId: string, version: number) =>
  eventually(async () => events.find((e) => e.siteId === siteId && e.data.userId === userId && e.data.version === version), 20_000, `pay rates v${version} of ${userId}`);

/** Waits until the site's staff outbox holds no pay-rates item: every one committed has been published. */
const outboxDrained = (siteId: string) =>
  eventually(async () => {
    const pending = await outboxItems('staff', { FilterExpression: 'begins_with(pk, :pk)', ExpressionAttributeValues: { ':pk': `SITE#${siteId}#OUTBOX#pay-rates:` } });
    return pending.length === 0 ? true : undefined;
  }, 20_000, `the outbox of ${siteId} drained`);

const seenVersions = (siteId: string, userId: string) => [...new Set(events.filter((e) => e.siteId === siteId && e.data.userId === userId).map((e) => e.data.version))].sort((a, b) => a - b);

beforeAll(async () => {
  site = await staffSite();
  await listen([site.siteId]);
}, 120_000);

afterAll(async () => {
  await Promise.all(subscribers.map((subscriber) => subscriber.close()));
});

describeLocal('staff.pay-rates-changed', () => {
  it('a create publishes v1 with every wage; a raise v2 with both wages; an edit that moves no rate nothing; a salary its hourly rate', async () => {
    const { siteId, manager, staff } = site;
    const path = profilePath(siteId, staff.userId);
    const bartender = { positionId: 'bartender', wages: [{ from: '2026-03-01', kind: 'hourly', amount: 1900 }] };
    const created = await putProfile(siteId, manager, staff.userId, profileBody({ positions: [{ positionId: 'server', wages: [{ from: '2026-01-01', kind: 'hourly', amount: 1650 }] }, bartender] }));
    const v1 = await versionOf(siteId, staff.userId, 1);
    expect(v1).toMatchObject({ id: `pay-rates:${siteId}:${staff.userId}:v1`, data: { currency: 'USD' } });
    expect(v1.data.rates).toEqual([
      { positionId: 'server', from: '2026-01-01', hourlyRate: 1650 },
      { positionId: 'bartender', from: '2026-03-01', hourlyRate: 1900 },
    ]);
    expect(v1.data).not.toHaveProperty('employment');

    const raisedServer = { positionId: 'server', wages: [{ from: '2026-01-01', kind: 'hourly', amount: 1650 }, { from: '2026-07-01', kind: 'hourly', amount: 1800 }] };
    const raised = await expectStatus(api('PUT', path, { body: profileBody({ positions: [raisedServer, bartender], expectedVersion: created.version }), headers: bearer(manager) }), 200);
    const v2 = await versionOf(siteId, staff.userId, raised.json.version);
    expect(v2.id).toBe(`pay-rates:${siteId}:${staff.userId}:v2`);
    expect(v2.data.rates.filter((r) => r.positionId === 'server')).toEqual([
      { positionId: 'server', from: '2026-01-01', hourlyRate: 1650 },
      { positionId: 'server', from: '2026-07-01', hourlyRate: 1800 },
    ]);

    // Another rest day, more contracted hours and the bartender retired: all hourly, so no rate moves and nothing leaves.
    const quiet = profileBody({ positions: [raisedServer, { ...bartender, active: false }], employment: { type: 'part-time', weeklyHours: 30, weeklyDays: 4, restDay: 'mon' }, expectedVersion: 2 });
    await expectStatus(api('PUT', path, { body: quiet, headers: bearer(manager) }), 200);
    // A shift lead on a monthly salary at the contracted 30 h: 520,000 × 12 ÷ 52 ÷ 30 = 4,000 an hour.
    const promoted = profileBody({
      positions: [raisedServer, { ...bartender, active: false }, { positionId: 'shift-lead', wages: [{ from: '2026-12-01', kind: 'monthly', amount: 520_000 }] }],
      employment: { type: 'part-time', weeklyHours: 30, weeklyDays: 4, restDay: 'mon' },
      expectedVersion: 3,
    });
    await expectStatus(api('PUT', path, { body: promoted, headers: bearer(manager) }), 200);
    const v4 = await versionOf(siteId, staff.userId, 4);
    expect(v4.data.rates.at(-1)).toEqual({ positionId: 'shift-lead', from: '2026-12-01', hourlyRate: 4000 });
    // The stream publishes a table's outbox in order, so v3's event, had there been one, came before v4's.
    expect(seenVersions(siteId, staff.userId)).toEqual([1, 2, 4]);
    await outboxDrained(siteId);
  });

  it('a KR monthly wage leaves as its 통상시급 in won (÷ 209 h at 40 h a week)', async () => {
    const { siteId, manager, colleague } = site;
    await putProfile(siteId, manager, colleague.userId, profileBody({
      positions: [{ positionId: 'line-cook', wages: [{ from: '2026-01-01', kind: 'monthly', amount: 2_156_880 }] }],
      employment: { type: 'full-time', weeklyHours: 40, weeklyDays: 5, restDay: 'sun' },
      payPack: 'kr.lsa@2026.1.0',
    }));
    const v1 = await versionOf(siteId, colleague.userId, 1);
    expect(v1.data).toEqual({ userId: colleague.userId, version: 1, currency: 'KRW', rates: [{ positionId: 'line-cook', from: '2026-01-01', hourlyRate: 10_320 }] });
  });

  it('concurrent writes of one profile: one create, one edit of a version wins; the rest are 409, and one event each', async () => {
    const { siteId, manager } = site;
    const person = await createUser('staff', [siteId]);
    await directoryItem({ pk: `USER#${person.userId}`, sk: 'USER' });
    const path = profilePath(siteId, person.userId);
    const creates = await Promise.all(Array.from({ length: 4 }, () => api('PUT', path, { body: profileBody(), headers: bearer(manager) })));
    expect(creates.map((res) => res.status).sort()).toEqual([201, 409, 409, 409]);
    const raise = (amount: number) => profileBody({ positions: [{ positionId: 'server', wages: [{ from: '2026-01-01', kind: 'hourly', amount: 1650 }, { from: '2026-12-01', kind: 'hourly', amount }] }], expectedVersion: 1 });
    const edits = await Promise.all([1700, 1750, 1800, 1850].map((amount) => api('PUT', path, { body: raise(amount), headers: bearer(manager) })));
    expect(edits.map((res) => res.status).sort()).toEqual([200, 409, 409, 409]);
    const winner = edits.find((res) => res.status === 200)!.json.positions[0].wages[1].amount as number;
    expect((await versionOf(siteId, person.userId, 2)).data.rates.at(-1)).toEqual({ positionId: 'server', from: '2026-12-01', hourlyRate: winner });
    await outboxDrained(siteId);
    expect(seenVersions(siteId, person.userId)).toEqual([1, 2]);
  });

  it('a person with profiles at two sites: one event each, ids apart, so neither is taken for the other’s duplicate', async () => {
    const second = await createSite();
    await listen([second]);
    const both = await createUser('manager', [site.siteId, second]);
    await putProfile(site.siteId, site.manager, both.userId);
    await putProfile(second, both, both.userId, profileBody({ positions: [{ positionId: 'host', wages: [{ from: '2026-01-01', kind: 'hourly', amount: 1500 }] }] }));
    const [here, there] = await Promise.all([versionOf(site.siteId, both.userId, 1), versionOf(second, both.userId, 1)]);
    expect(here.id).not.toBe(there.id);
    expect(here.data.rates).toEqual([{ positionId: 'server', from: '2026-01-01', hourlyRate: 1650 }]);
    expect(there.data.rates).toEqual([{ positionId: 'host', from: '2026-01-01', hourlyRate: 1500 }]);
  });

  it('the demo seed publishes its four profiles’ rates through the same outbox, and a second seeding publishes none', async () => {
    const demoSite = uniqueId('seeded');
    await listen([demoSite]);
    const staffMember = { userId: uniqueId('demo-staff-member'), name: 'Demo staff' };
    await seedStaffDemo(dynamo, stage, demoSite, 'America/New_York', staffMember);
    const people = [staffMember.userId, 'demo-staff-cook', 'demo-staff-dish', 'demo-staff-bar'];
    const seeded = await Promise.all(people.map((userId) => versionOf(demoSite, userId, 1)));
    expect(seeded.every((event) => event.correlationId.startsWith('demo-seed-') && event.data.currency === 'USD')).toBe(true);
    expect(seeded[0]!.data.rates).toEqual([
      { positionId: 'server', from: '2026-01-01', hourlyRate: 1650 },
      { positionId: 'server', from: '2026-07-01', hourlyRate: 1800 },
      { positionId: 'bartender', from: '2026-01-01', hourlyRate: 1900 },
    ]);
    expect(seeded[1]!.data.rates).toEqual([
      { positionId: 'line-cook', from: '2026-01-01', hourlyRate: 2100 },
      { positionId: 'line-cook', from: '2026-10-01', hourlyRate: 2250 },
      { positionId: 'prep-cook', from: '2026-01-01', hourlyRate: 1900 },
    ]);

    // Profiles are there: nothing is written again, so no event either.
    expect(await seedStaffDemo(dynamo, stage, demoSite, 'America/New_York', staffMember)).toBe(0);
    await outboxDrained(demoSite);
    expect(people.map((userId) => seenVersions(demoSite, userId))).toEqual([[1], [1], [1], [1]]);
  });
});
