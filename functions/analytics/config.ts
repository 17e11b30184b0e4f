import * as z from 'zod';
import { loadConfig } from '#shared/config';
import { SalesStore } from './sales-store';
import { SitesStore } from './sites-store';
import { StateStore } from './state-store';

export const config = loadConfig(z.object({ TABLE_NAME: z.string().min(1) }));

// One table, one store per aggregate (table.ts has the layout they share).
export const sitesStore = new SitesStore(config.TABLE_NAME);
export const salesStore = new SalesStore(config.TABLE_NAME);
export const stateStore = new StateStore(config.TABLE_NAME);
