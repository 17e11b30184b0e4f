// The site's staff settings over the running stack: everyone at the site reads them (the defaults at version 0 until
// a manager sets them), only managers and owners set them, a bad value is a 400 naming the field, and edits go by
// expectedVersion (a stale one, or a second first write, is a 409). Another site's are a 403.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { staffKeys } from '../../functions/staff/table';
import { bearer, createSite, createUser, type TestUser } from './support/identity';
import { expectStatus } from './support/orders';
import { staffSite, type StaffSite } from './support/staff';
import { api, dynamo, tableName } from './support/target';

jest.setTimeout(120_000);

let site: StaffSite;
let outsider: TestUser;
const settingsPath = () => `/sites/${site.siteId}/staff/settings`;
const put = (by: TestUser, body: Record<string, unknown>) => api('PUT', settingsPath(), { body, headers: bearer(by) });

beforeAll(async () => {
  site = await staffSite();
  outsider = await createUser('manager', [await createSite()]);
}, 120_000);

it('the defaults at version 0 until set; staff read them', async () => {
  const res = await expectStatus(api('GET', settingsPath(), { headers: bearer(site.staff) }), 200);
  expect(res.json).toMatchObject({ siteId: site.siteId, version: 0, roundingMinutes: 0, earlyClockInMinutes: 10, autoCloseAfterHours: 16, payPeriod: { kind: 'biweekly' } });
});

it('a bad value is a 400 naming the field; nothing is written', async () => {
  for (const [body, path] of [
    [{ roundingMinutes: 7 }, 'roundingMinutes'],
    [{ autoCloseAfterHours: 1e300 }, 'autoCloseAfterHours'],
    [{ payPeriod: { kind: 'weekly', anchor: '2026-02-30' } }, 'payPeriod.anchor'],
    [{ expectedVersion: -1 }, 'expectedVersion'],
    [{ shiftDifferentials: [{ id: 'late', label: 'Late', window: { start: '22:00', end: '26:00' }, amountPerHour: 100 }] }, 'shiftDifferentials.0.window.end'],
  ] as const) {
    const res = await expectStatus(put(site.manager, body), 400);
    expect(res.json.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'body', path })]));
  }
  const rounding = await expectStatus(put(site.manager, { roundingMinutes: 7 }), 400);
  expect(rounding.json.error.details[0].message).toBe('must be one of 0, 5, 6, 10, 15');
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('staff'), Key: staffKeys.settings(site.siteId) }));
  expect(Item).toBeUndefined();
});

it('staff may not set them, nor a manager of another site read or set them', async () => {
  expect((await put(site.staff, { roundingMinutes: 15 })).status).toBe(403);
  expect((await api('GET', settingsPath(), { headers: bearer(outsider) })).status).toBe(403);
  expect((await put(outsider, { roundingMinutes: 15 })).status).toBe(403);
});

it('a manager sets them (201), edits by version (200); stale or repeated first writes are 409', async () => {
  const first = await expectStatus(put(site.manager, { roundingMinutes: 15, earlyClockInMinutes: 5, payPeriod: { kind: 'weekly', anchor: '2026-11-30' } }), 201);
  expect(first.json).toMatchObject({ version: 1, roundingMinutes: 15, earlyClockInMinutes: 5, autoCloseAfterHours: 16, updatedBy: site.manager.userId });
  expect((await put(site.manager, { roundingMinutes: 5 })).status).toBe(409);
  const [a, b] = await Promise.all([put(site.manager, { roundingMinutes: 5, expectedVersion: 1 }), put(site.manager, { roundingMinutes: 10, expectedVersion: 1 })]);
  expect([a.status, b.status].sort()).toEqual([200, 409]);
  const read = await expectStatus(api('GET', settingsPath(), { headers: bearer(site.staff) }), 200);
  expect(read.json).toMatchObject({ version: 2, roundingMinutes: a.status === 200 ? 5 : 10, payPeriod: { kind: 'biweekly' } });
  expect((await put(site.manager, { expectedVersion: 1 })).status).toBe(409);
  expect((await put(site.manager, { expectedVersion: 7 })).status).toBe(409);
});
