// Inventory's copy of the sites: the subscription takes exactly the site events learn-sites.ts handles, and a
// snapshot is applied only when newer than the one held.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SITE_EVENTS } from '../../functions/inventory/site-store';
import { inventoryKeys, partitions } from '../../functions/inventory/table';

describe('the site events subscription', () => {
  const functions = parse(readFileSync(join(__dirname, '../../functions/inventory/functions.yml'), 'utf8'));
  const sns = functions.learnSites.events[0].sns;

  it('takes site.created and site.updated, by message attribute, with the dead-letter queue', () => {
    expect(sns.filterPolicyScope).toBe('MessageAttributes');
    expect([...sns.filterPolicy.type].sort()).toEqual([...SITE_EVENTS].sort());
    expect(sns.redrivePolicy).toEqual({ deadLetterTargetRef: 'InventoryDeadLetterQueue' });
  });

  it('keeps every site in one partition, so jobs list them with a query', () => {
    expect(inventoryKeys.site('bistro')).toEqual({ pk: partitions.sites, sk: 'SITE#bistro' });
  });
});
