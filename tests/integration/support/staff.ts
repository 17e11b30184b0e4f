// A site with a manager and two staff members made through the users API, for the staff domain's tests, and the
// staff profile body they use. Staff's copy of the directory arrives by events: a profile PUT answers 404 until the
// user has arrived, so `putProfile` waits for that.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { bearer, createSite, createUser, type TestUser } from './identity';
import { api, dynamo, eventually, tableName, uniqueId } from './target';

export interface StaffSite {
  siteId: string;
  manager: TestUser;
  staff: TestUser;
  colleague: TestUser;
}

export async function staffSite(): Promise<StaffSite> {
  const siteId = await createSite();
  const [manager, staff, colleague] = await Promise.all([createUser('manager', [siteId]), createUser('staff', [siteId]), createUser('staff', [siteId])]);
  return { siteId, manager, staff, colleague };
}

export const profileBody = (changes: Record<string, unknown> = {}) => ({
  positions: [{ positionId: 'server', wages: [{ from: '2026-01-01', kind: 'hourly', amount: 1650 }] }],
  employment: { type: 'part-time', weeklyHours: 24, weeklyDays: 4, restDay: 'sun' },
  payPack: 'us.flsa@2026.1.0',
  ...changes,
});

export const profilePath = (siteId: string, userId: string) => `/sites/${siteId}/staff/${userId}`;

/** Staff's copy of a directory record (`USER#{id}` or the site), once it is there. */
export async function directoryItem(key: { pk: string; sk: string }, matches: (item: Record<string, unknown>) => boolean = () => true, what = 'the directory record') {
  return eventually(async () => {
    const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('staff'), Key: key }));
    return Item && matches(Item) ? Item : undefined;
  }, 20_000, what);
}

/** Creates the person's profile as `by`, once the directory knows them. */
export async function putProfile(siteId: string, by: TestUser, userId: string, body: Record<string, unknown> = profileBody()) {
  await directoryItem({ pk: `USER#${userId}`, sk: 'USER' });
  const res = await api('PUT', profilePath(siteId, userId), { body, headers: bearer(by) });
  if (res.status !== 201) throw new Error(`put profile → ${res.status} ${res.text}`);
  return res.json;
}

export function tap(siteId: string, by: TestUser, userId: string, kind: 'clock-in' | 'clock-out' | 'break-start' | 'break-end', body: Record<string, unknown> = {}, key = uniqueId('tap')) {
  return api('POST', `${profilePath(siteId, userId)}/${kind}`, { body, headers: { ...bearer(by), 'idempotency-key': key } });
}
