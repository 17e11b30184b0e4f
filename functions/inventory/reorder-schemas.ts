// The reorder settings' body: the service level the safety stock is sized for, one of SERVICE_LEVELS (a fixed list
// keeps z exact to four decimals and the choice meaningful: 0.9 to 0.995).
import * as z from 'zod';
import { SERVICE_LEVELS } from './reorder-rules';

const levels = Object.keys(SERVICE_LEVELS).join(', ');

export const reorderSettingsSchema = z.strictObject({
  serviceLevel: z.number().refine((level) => String(level) in SERVICE_LEVELS, `must be one of ${levels}`),
});
export type ReorderSettingsInput = z.infer<typeof reorderSettingsSchema>;
