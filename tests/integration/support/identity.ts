// Real users for the integration tests, made the way an operator would: the owner signs in, creates sites,
// invites people; they register with the invitation and sign in. Works on every target.
import { api, uniqueId } from './target';

export type Role = 'owner' | 'manager' | 'staff';

export interface TestUser {
  userId: string;
  email: string;
  password: string;
  role: Role;
  sites: string[];
  accessToken: string;
  refreshToken: string;
  sessionId: string;
}

export const bearer = (user: { accessToken: string }) => ({ authorization: `Bearer ${user.accessToken}` });

export async function login(email: string, password: string, headers: Record<string, string> = {}) {
  const res = await api('POST', '/auth/login', { body: { email, password }, headers });
  if (res.status !== 200) throw new Error(`login ${email} → ${res.status} ${res.text}`);
  return res.json as { accessToken: string; refreshToken: string; sessionId: string; user: { userId: string; role: Role; sites: string[] } };
}

let owner: Promise<TestUser> | undefined;
export function theOwner(): Promise<TestUser> {
  owner ??= (async () => {
    const email = process.env.BRIGADE_OWNER_EMAIL!;
    const password = process.env.BRIGADE_OWNER_PASSWORD!;
    const session = await login(email, password);
    return { ...session, userId: session.user.userId, email, password, role: 'owner' as const, sites: [] };
  })();
  return owner;
}

/** A site in Paris paying in euros unless `where` says otherwise. */
export async function createSite(siteId = uniqueId('site'), where: { timeZone: string; currency: string } = { timeZone: 'Europe/Paris', currency: 'EUR' }): Promise<string> {
  const res = await api('POST', '/sites', {
    body: { siteId, name: `Test ${siteId}`, ...where },
    headers: bearer(await theOwner()),
  });
  if (res.status !== 201) throw new Error(`create site → ${res.status} ${res.text}`);
  return siteId;
}

export async function inviteToken(role: Role, sites: string[], email: string, by?: TestUser): Promise<string> {
  const res = await api('POST', '/invites', { body: { email, role, sites }, headers: bearer(by ?? (await theOwner())) });
  if (res.status !== 201) throw new Error(`invite → ${res.status} ${res.text}`);
  return res.json.inviteToken as string;
}

export async function createUser(role: Role, sites: string[]): Promise<TestUser> {
  const email = `${uniqueId(role)}@tests.example`;
  const password = `correct horse ${uniqueId('pw')}`;
  const token = await inviteToken(role, sites, email);
  const registered = await api('POST', '/auth/register', { body: { inviteToken: token, name: `Test ${role}`, password } });
  if (registered.status !== 201) throw new Error(`register → ${registered.status} ${registered.text}`);
  const session = await login(email, password);
  if (!session.user) throw new Error(`login ${email} answered 200 without a user: ${JSON.stringify(session).slice(0, 300)}`);
  return { ...session, userId: session.user.userId, email, password, role, sites };
}
