// The forecast domain's share of the demo staff: the people's pay rates learnPayRates would have learnt from the
// history's staff.pay-rates-changed events (the archive holds them, so a replay to learnPayRates rebuilds them), and
// demo-bistro's productivity targets for its positions, so its forecast runs suggest staffing from the first minute.
import { payRatesItem } from '../../functions/forecast/pay-rate-store';
import type { PositionTarget } from '../../functions/forecast/staffing-rules';
import { targetsItem } from '../../functions/forecast/target-store';
import type { EventOf } from '../../functions/shared/contracts';
import type { EventEnvelope } from '../../functions/shared/events';

/** What one person handles in an hour at the demo's positions (demo figures, not an industry norm). */
export const DEMO_TARGETS: PositionTarget[] = [
  { positionId: 'server', driver: 'covers', perPersonHour: 12, minimum: 1, closeHours: 1 },
  { positionId: 'bartender', driver: 'covers', perPersonHour: 30, minimum: 1 },
  { positionId: 'line-cook', driver: 'orders', perPersonHour: 10, minimum: 1, prepHours: 1, closeHours: 1 },
  { positionId: 'dishwasher', driver: 'covers', perPersonHour: 40, minimum: 1, closeHours: 1 },
];

export function forecastStaffingItems(siteId: string, events: readonly EventEnvelope[], at: string): Array<Record<string, unknown>> {
  const latest = new Map<string, EventOf<'staff.pay-rates-changed'>>();
  for (const event of events) {
    if (event.type !== 'staff.pay-rates-changed' || event.siteId !== siteId) continue;
    const changed = event as EventOf<'staff.pay-rates-changed'>;
    const held = latest.get(changed.data.userId);
    if (!held || held.data.version < changed.data.version) latest.set(changed.data.userId, changed);
  }
  return [...[...latest.values()].map(payRatesItem), targetsItem({ siteId, positions: DEMO_TARGETS, version: 1, updatedAt: at, updatedBy: 'demo-seed' })];
}
