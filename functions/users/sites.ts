// Sites (restaurant locations): each with its IANA time zone and currency.
import { NotFoundError } from '#shared/errors';
import { canAccessSite, type Caller } from '#shared/identity';
import { store } from './config';
import { siteChangeEvents, siteEvent } from './events';
import { publicSite, successor, type SiteInput, type SiteRecord } from './schemas';

export async function createSite(input: SiteInput, correlationId: string) {
  const at = new Date();
  const site: SiteRecord = { ...input, createdAt: at.toISOString(), updatedAt: at.toISOString(), version: 1 };
  await store.createSite(site, [siteEvent('site.created', site, { correlationId, at })]);
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

export async function updateSite(siteId: string, update: Partial<Omit<SiteInput, 'siteId'>>, correlationId: string) {
  const site = await existingSite(siteId);
  const next = successor(site, update);
  await store.replaceSite(site, next, siteChangeEvents(site, next, { correlationId }));
  return publicSite(next);
}
