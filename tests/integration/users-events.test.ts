// The directory events contract: a subscriber (an HTTP endpoint served by this test, subscribed to the real events
// topic with a filter policy on the source) receives a snapshot event for each change of a user or a site, with
// the version after the change, each matching its contract in functions/shared/contracts/users.ts and with the
// message attributes filter policies read. Then the outbox: with SNS failing, a site is still created and its event
// arrives later through the scheduled relay. Last, the demo seed's own publishing of the seeded directory (it runs
// at start, before this test can subscribe, so it is run again).
import { envelopeSchemaOf } from '../../functions/shared/contracts/index';
import type { usersContract } from '../../functions/shared/contracts/users';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEMO_SITE_ID, publishDemoDirectory } from '../../dev/seed/demo-data';
import { PROJECT_ROOT } from '../../local-cloud/service-definition';
import { api, describeLocal, eventually, stage, uniqueId } from './support/target';
import { bearer, createSite, inviteToken, login, theOwner } from './support/identity';
import { outboxItems, subscribeHttp, type HttpSubscriber } from './support/sns-subscriber';

type UsersEventType = keyof typeof usersContract.events;

interface Received {
  id: string;
  type: UsersEventType;
  siteId: string;
  source: string;
  correlationId: string;
  data: Record<string, any>;
  raw: unknown;
  attributes: Record<string, string>;
}

const run = promisify(execFile);
let subscriber: HttpSubscriber | undefined;
const received: Received[] = [];

beforeAll(async () => {
  subscriber = await subscribeHttp('events', { source: ['users'] }, (envelope, attributes) => received.push({ ...envelope, raw: envelope, attributes }));
}, 60_000);

afterAll(async () => {
  await subscriber?.close();
});

const eventsOf = (key: 'userId' | 'siteId', value: string) => received.filter((e) => e.data[key] === value);
const settle = () => new Promise((resolve) => setTimeout(resolve, 1_000)); // a duplicate or a stray event would have arrived by now

async function expectStatus(response: Promise<{ status: number; text: string; json: any }>, status: number) {
  const res = await response;
  expect({ status: res.status, body: res.status === status ? '' : res.text }).toEqual({ status, body: '' });
  return res;
}

function expectValid(event: Received): void {
  const parsed = envelopeSchemaOf(event.type).safeParse(event.raw);
  expect({ id: event.id, issues: parsed.error?.issues ?? [] }).toEqual({ id: event.id, issues: [] });
  expect(event.attributes).toEqual({ type: event.type, siteId: event.siteId, source: event.source });
}

describeLocal('directory events (local: the test serves the HTTP endpoint the topic delivers to)', () => {
  it('a site: site.created at version 1, site.updated at version 2; an update that changes nothing publishes nothing', async () => {
    const owner = await theOwner();
    const siteId = await createSite();
    await expectStatus(api('PATCH', `/sites/${siteId}`, { body: { name: 'Renamed', currency: 'CHF' }, headers: bearer(owner) }), 200);
    await expectStatus(api('PATCH', `/sites/${siteId}`, { body: { name: 'Renamed' }, headers: bearer(owner) }), 200);

    const events = await eventually(async () => (eventsOf('siteId', siteId).length >= 2 ? eventsOf('siteId', siteId) : undefined), 10_000, 'site events');
    await settle();
    expect(eventsOf('siteId', siteId).map((e) => [e.id, e.type, e.siteId])).toEqual([
      [`site:${siteId}:v1`, 'site.created', siteId],
      [`site:${siteId}:v2`, 'site.updated', siteId],
    ]);
    expect(events.map((e) => e.data)).toEqual([
      { siteId, name: `Test ${siteId}`, timeZone: 'Europe/Paris', currency: 'EUR', version: 1 },
      { siteId, name: 'Renamed', timeZone: 'Europe/Paris', currency: 'CHF', version: 2 },
    ]);
    for (const event of events) expectValid(event);
  }, 30_000);

  it('a user: registered, password changed (no event), role and sites changed, deactivated; each a full snapshot', async () => {
    const owner = await theOwner();
    const [siteA, siteB] = await Promise.all([createSite(), createSite()]);
    const email = `${uniqueId('directory')}@tests.example`;
    const password = `correct horse ${uniqueId('pw')}`;
    const registered = await expectStatus(
      api('POST', '/auth/register', { body: { inviteToken: await inviteToken('staff', [siteA], email), name: 'Dana Directory', password } }),
      201,
    );
    const userId = registered.json.userId as string;
    const snapshot = { userId, name: 'Dana Directory', email, role: 'staff', sites: [siteA], status: 'active' };
    await eventually(async () => (eventsOf('userId', userId).length >= 1 ? true : undefined), 10_000, 'user.registered');

    // Before the role change: that revokes the user's tokens issued up to its second, a login in it included.
    const session = await login(email, password);
    const newPassword = `battery staple ${uniqueId('pw')}`;
    await expectStatus(api('POST', '/me/password', { body: { currentPassword: password, newPassword }, headers: bearer(session) }), 204);

    await expectStatus(api('PATCH', `/users/${userId}`, { body: { role: 'manager', sites: [siteA, siteB] }, headers: bearer(owner) }), 200);
    await eventually(async () => (eventsOf('userId', userId).length >= 2 ? true : undefined), 10_000, 'user.updated');

    await expectStatus(api('POST', `/users/${userId}/deactivate`, { headers: bearer(owner) }), 200);
    // Deactivating again changes nothing: no write, no event.
    await expectStatus(api('POST', `/users/${userId}/deactivate`, { headers: bearer(owner) }), 200);
    await eventually(async () => (eventsOf('userId', userId).length >= 3 ? true : undefined), 10_000, 'the deactivation');
    await settle();

    const events = eventsOf('userId', userId);
    // The password change is version 2: it bumps the version (optimistic locking) but the directory holds no password.
    expect(events.map((e) => [e.id, e.type, e.siteId])).toEqual([
      [`user:${userId}:v1`, 'user.registered', '*'],
      [`user:${userId}:v3`, 'user.updated', '*'],
      [`user:${userId}:v4`, 'user.updated', '*'],
    ]);
    expect(events.map((e) => e.data)).toEqual([
      { ...snapshot, version: 1 },
      { ...snapshot, role: 'manager', sites: [siteA, siteB], version: 3 },
      { ...snapshot, role: 'manager', sites: [siteA, siteB], status: 'deactivated', version: 4 },
    ]);
    for (const event of events) expectValid(event);
    expect(new Set(events.map((e) => e.correlationId)).size).toBe(3);
    // Published by the requests themselves, so nothing of this user waits in the outbox.
    expect((await outboxOf()).filter((item) => String(item.pk).includes(userId))).toEqual([]);
  }, 60_000);

  it('with SNS failing, the site is still created (201) and its event arrives later through the outbox relay', async () => {
    const edge = process.env.AWS_ENDPOINT_URL!;
    const faults = (body?: object) => fetch(`${edge}/_local/sns/faults`, body ? { method: 'POST', body: JSON.stringify(body) } : undefined);
    const siteId = uniqueId('site');
    // The SDK makes 3 attempts per publish: 3 faults fail one publish completely.
    await faults({ failPublishes: 3 });
    try {
      await createSite(siteId);
      expect(await (await faults()).json()).toEqual({ failPublishes: 0 });
    } finally {
      await faults({ failPublishes: 0 });
    }

    const keptOfSite = async () => (await outboxOf()).filter((item) => String(item.pk).startsWith(`SITE#${siteId}#OUTBOX#`));
    const kept = await keptOfSite();
    expect(kept).toHaveLength(1);
    const event = JSON.parse(kept[0]!.event as string) as Received;
    expect(event).toMatchObject({ type: 'site.created', siteId, data: { siteId, version: 1 } });
    expect(eventsOf('siteId', siteId)).toEqual([]);

    // The relay runs every minute (serverless-offline runs the schedule) and takes items older than 30 s.
    const delivered = await eventually(async () => received.find((e) => e.id === event.id), 120_000, 'the relayed site.created');
    expectValid(delivered);
    expect(delivered.raw).toEqual(event);
    await eventually(async () => ((await keptOfSite()).length === 0 ? true : undefined), 10_000, 'the outbox to empty');
    expect(eventsOf('siteId', siteId)).toHaveLength(1);
  }, 150_000);

  it('the demo seed publishes the seeded site and users (as it does on every start), with the same ids each time', async () => {
    const before = received.length;
    const published = await publishDemoDirectory(process.env, stage);
    const again = await publishDemoDirectory(process.env, stage);
    expect(again.map((e) => e.id)).toEqual(published.map((e) => e.id));

    const owner = await theOwner();
    expect(published.map((e) => [e.type, e.siteId])).toEqual([
      ['site.created', DEMO_SITE_ID],
      ['user.registered', '*'],
      ['user.registered', '*'],
      ['user.registered', '*'],
      ['menu.settings-changed', DEMO_SITE_ID],
    ]);
    expect(published[0]!.id).toBe(`site:${DEMO_SITE_ID}:v1`);
    expect(published[4]).toMatchObject({ id: `menu-settings:${DEMO_SITE_ID}:v1`, source: 'orders', data: { timeZone: 'America/New_York', businessDayStartsAt: '04:00', version: 1 } });
    expect(published.find((e) => e.data.userId === owner.userId)).toMatchObject({
      id: `user:${owner.userId}:v1`,
      data: { email: process.env.BRIGADE_OWNER_EMAIL, role: 'owner', sites: [], status: 'active', version: 1 },
    });
    expect(published.filter((e) => e.type === 'user.registered' && e.data.role !== 'owner').map((e) => e.data.sites)).toEqual([[DEMO_SITE_ID], [DEMO_SITE_ID]]);

    // Both rounds arrive at a subscriber of the users' events, each event valid against the catalog.
    const directory = [...published, ...again].filter((e) => e.source === 'users');
    await eventually(async () => (received.length - before >= directory.length ? true : undefined), 10_000, 'the seeded directory');
    const arrived = received.slice(before);
    expect(arrived.map((e) => e.id).sort()).toEqual(directory.map((e) => e.id).sort());
    for (const event of arrived) expectValid(event);
  }, 30_000);

  it('`npm run directory:republish` publishes every site and user as stored (a backfill for domains deployed later)', async () => {
    const siteId = await createSite();
    const before = received.length;
    const { stdout } = await run(process.execPath, [join(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/republish-directory.ts', '--stage', stage], {
      cwd: PROJECT_ROOT,
      env: process.env,
    });
    expect(stdout).toMatch(/^published \d+ site and \d+ user snapshots on arn:aws:sns:.*:brigade-.*-events/m);
    const site = await eventually(async () => received.slice(before).find((e) => e.id === `site:${siteId}:v1`), 20_000, 'the republished site');
    expect(site).toMatchObject({ type: 'site.created', siteId, data: { siteId, version: 1 } });
    const owner = await theOwner();
    await eventually(async () => received.slice(before).find((e) => e.data.userId === owner.userId && e.data.role === 'owner'), 20_000, 'the republished owner');
    for (const event of received.slice(before)) expectValid(event);
  }, 60_000);
});

/** Outbox items of the users table (pk SITE#{site or *}#OUTBOX#{eventId}). */
function outboxOf() {
  return outboxItems('users', { FilterExpression: 'sk = :outbox', ExpressionAttributeValues: { ':outbox': 'OUTBOX' } });
}
