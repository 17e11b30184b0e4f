// The forecast domain's share of the demo menu: the recipes learnRecipes would have learnt from the history's
// menu.item-changed events (the same events the archive holds, so a replay to learnRecipes rebuilds them), so
// demo-bistro has ingredient demand from the first minute.
import { recipeItem } from '../../functions/forecast/recipe-store';
import type { EventOf } from '../../functions/shared/contracts';
import type { EventEnvelope } from '../../functions/shared/events';

export function forecastRecipeItems(events: readonly EventEnvelope[]): Array<Record<string, unknown>> {
  const latest = new Map<string, EventOf<'menu.item-changed'>>();
  for (const event of events) {
    if (event.type !== 'menu.item-changed') continue;
    const changed = event as EventOf<'menu.item-changed'>;
    const held = latest.get(changed.data.itemId);
    if (!held || held.data.version < changed.data.version) latest.set(changed.data.itemId, changed);
  }
  return [...latest.values()].map(recipeItem);
}
