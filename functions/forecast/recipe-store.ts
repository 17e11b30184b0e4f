// Each site's menu recipes as the orders domain publishes them (`menu.item-changed`), never read from orders' table:
// what turns a menu item's forecast into ingredient demand (item-forecast-rules.ts). Same table as the daily series.
//   SITE#{site}#RECIPE / ITEM#{itemId}   name, active, recipe (one portion), modifiers' recipes, version; event id, occurredAt
// The put keeps the highest item `version` (a conditional put: redelivery, order and a replay from the archive do
// not matter, and no receipt is needed).
import { queryAll } from '#shared/dynamodb';
import type { EventData, EventOf } from '#shared/contracts';
import { putIfNewer } from './newest-put';

/** What learn-recipes.ts subscribes to (its filter policy in functions.yml). */
export const RECIPE_EVENTS = ['menu.item-changed'] as const;

type MenuItemChanged = EventData<'menu.item-changed'>;

/** A menu item's recipes, as the forecasts read them. */
export interface ItemRecipe {
  itemId: string;
  name: string;
  active: boolean;
  recipe: MenuItemChanged['recipe'];
  modifiers: MenuItemChanged['modifiers'];
  version: number;
}

const sitePk = (siteId: string) => `SITE#${siteId}#RECIPE`;

/** The item an event's recipe is kept as: the consumer's put and the demo seed write the same. */
export function recipeItem(event: EventOf<'menu.item-changed'>) {
  const { itemId, name, active, recipe, modifiers, version } = event.data;
  return { pk: sitePk(event.siteId), sk: `ITEM#${itemId}`, itemId, name, active, recipe, modifiers, version, eventId: event.id, occurredAt: event.occurredAt };
}

export class RecipeStore {
  constructor(private readonly table: string) {}

  /** Keeps the event's recipe unless the same or a higher item version is stored; false when it was not newer. */
  async learn(event: EventOf<'menu.item-changed'>): Promise<boolean> {
    return putIfNewer(this.table, recipeItem(event), 'version');
  }

  /** Every recipe of the site, inactive items included. */
  async recipesOf(siteId: string): Promise<ItemRecipe[]> {
    const items = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': sitePk(siteId) },
      ProjectionExpression: 'itemId, #name, active, recipe, modifiers, version',
      ExpressionAttributeNames: { '#name': 'name' },
    });
    return items.map((item) => ({
      itemId: item.itemId as string,
      name: item.name as string,
      active: item.active as boolean,
      recipe: item.recipe as ItemRecipe['recipe'],
      modifiers: (item.modifiers as ItemRecipe['modifiers'] | undefined) ?? [],
      version: item.version as number,
    }));
  }
}
