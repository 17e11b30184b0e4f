// Sites (restaurant locations): each with its IANA time zone and currency.
import { NotFoundError } from '#shared/errors';
import { canAccessSite, type Caller } from '#shared/identity';
import { store } from './config';
import { publicSite, type SiteInput, type SiteRecord } from './schemas';

export async function createSite(input: SiteInput) {
  const now = new Date().toISOString();
  const site: SiteRecord = { ...input, createdAt: now, updatedAt: now, version: 1 };
  await store.createSite(site);
  return publicSite(site);
}

export async function listSites(caller: Caller) {
  const sites = await store.listSites();
  return sites.filter((site) => canAccessSite(caller, site.siteId)).map(publicSite);
}

async function existingSite(siteId: string): Promise<SiteRecord> {
  const site = await store.getSite(siteId);
  if (!site) throw new NotFoundError('Site not found');
  return site;
}

export async function getSite(siteId: string) {
  return publicSite(await existingSite(siteId));
}

export async function updateSite(siteId: string, update: Partial<Omit<SiteInput, 'siteId'>>) {
  const site = await existingSite(siteId);
  const next = { ...site, ...update, updatedAt: new Date().toISOString() };
  await store.replaceSite(site, next);
  return publicSite(next);
}
