import * as z from 'zod';
import { loadConfig } from '#shared/config';
import { CalendarStore } from './calendar-store';
import { DailySeriesStore } from './daily-series-store';
import { RunStore } from './run-store';
import { PayRateStore } from './pay-rate-store';
import { TargetStore } from './target-store';
import { RecipeStore } from './recipe-store';

export const config = loadConfig(z.object({ TABLE_NAME: z.string().min(1) }));

export const dailySeriesStore = new DailySeriesStore(config.TABLE_NAME);
export const recipeStore = new RecipeStore(config.TABLE_NAME);
export const targetStore = new TargetStore(config.TABLE_NAME);
export const payRateStore = new PayRateStore(config.TABLE_NAME);
export const calendarStore = new CalendarStore(config.TABLE_NAME);
export const runStore = new RunStore(config.TABLE_NAME);
