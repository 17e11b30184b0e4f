import * as z from 'zod';
import { loadConfig } from '#shared/config';
import { AvailabilityStore } from './availability-store';
import { ClockStore } from './clock-store';
import { DirectoryStore } from './directory-store';
import { ProfileStore } from './profile-store';
import { PunchEditStore } from './punch-edit-store';
import { SettingsStore } from './settings-store';
import { ShiftStore } from './shift-store';
import { StaffingSuggestionStore } from './staffing-suggestion-store';
import { TimeOffStore } from './time-off-store';
import { TimesheetStore } from './timesheet-store';

export const config = loadConfig(
  z.object({
    TABLE_NAME: z.string().min(1),
    EVENTS_TOPIC_ARN: z.string().startsWith('arn:'),
    OUTBOX_RELAY_MIN_AGE_SECONDS: z.coerce.number().int().min(1).default(30),
  }),
);

// One table, one store per aggregate (table.ts has the layout they share).
export const directoryStore = new DirectoryStore(config.TABLE_NAME);
export const profileStore = new ProfileStore(config.TABLE_NAME, config.EVENTS_TOPIC_ARN);
export const settingsStore = new SettingsStore(config.TABLE_NAME);
export const shiftStore = new ShiftStore(config.TABLE_NAME, config.EVENTS_TOPIC_ARN);
export const timeOffStore = new TimeOffStore(config.TABLE_NAME);
export const availabilityStore = new AvailabilityStore(config.TABLE_NAME);
export const punchEditStore = new PunchEditStore(config.TABLE_NAME);
export const timesheetStore = new TimesheetStore(config.TABLE_NAME);
export const staffingSuggestionStore = new StaffingSuggestionStore(config.TABLE_NAME);
export const clockStore = new ClockStore(config.TABLE_NAME, config.EVENTS_TOPIC_ARN);
export const outboxTarget = { tableName: config.TABLE_NAME, topicArn: config.EVENTS_TOPIC_ARN };
