// Every event analytics counts, in one list: its subscription filters (functions.yml, checked by a unit test) and
// what a rebuild asks the archive to replay (scripts/analytics-rebuild.ts).
import { OPERATIONS_EVENTS } from './operations-rules';
import { SALES_EVENTS } from './sales-rules';

/** State that prices figures: recipes (food cost per portion) and pay rates (labour cost). */
export const STATE_EVENTS = ['menu.item-changed', 'staff.pay-rates-changed'] as const;
export const ANALYTICS_EVENTS = [...SALES_EVENTS, ...OPERATIONS_EVENTS, ...STATE_EVENTS] as const;
