import * as z from 'zod';
import { loadConfig } from '#shared/config';
import { DailySeriesStore } from './daily-series-store';

export const config = loadConfig(z.object({ TABLE_NAME: z.string().min(1) }));

export const dailySeriesStore = new DailySeriesStore(config.TABLE_NAME);
