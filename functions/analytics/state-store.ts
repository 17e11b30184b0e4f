// What analytics keeps of the other domains' current state, from their events, to put a cost on figures: menu items'
// recipes (orders' `menu.item-changed`), ingredients' average costs (inventory's movements) and people's pay rates
// (staff's `staff.pay-rates-changed`). Each is applied only when newer than the one held (a version, or the
// movement's time then id), so order and redelivery do not matter and no receipt is needed. They live in the site's
// partition (table.ts), so a rebuild deletes and replays them with the figures.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { isConditionFailure, queryAll } from '#shared/dynamodb';
import type { EventData } from '#shared/contracts';
import type { PayRates } from './operations-rules';
import { analyticsKeys, type TableKey } from './table';

export type MenuItemState = EventData<'menu.item-changed'>;
export interface IngredientCost {
  ingredientId: string;
  name: string;
  unit: 'g' | 'ml' | 'each';
  /** Minor units per 1 000 base units (inventory's average cost). */
  averageCost: number;
  at: string;
  movementId: string;
}

// The items as the store keeps them: also what the demo's history puts directly (dev/seed/analytics.ts).
export const menuItemState = (siteId: string, item: MenuItemState) => ({ ...analyticsKeys.menuItem(siteId, item.itemId), state: item, version: item.version });
export const ratesState = (siteId: string, rates: PayRates) => ({ ...analyticsKeys.rates(siteId, rates.userId), state: rates, version: rates.version });
export const costState = (siteId: string, cost: IngredientCost) => ({ ...analyticsKeys.cost(siteId, cost.ingredientId), state: cost, changedAt: cost.at, movementId: cost.movementId });

export class StateStore {
  constructor(private readonly table: string) {}

  /** false when the one held is as new or newer. */
  private async putIfNewer(item: TableKey & Record<string, unknown>, newer: { condition: string; values: Record<string, unknown> }): Promise<boolean> {
    try {
      await dynamoDb().send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: `attribute_not_exists(pk) OR ${newer.condition}`,
          ExpressionAttributeValues: newer.values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  applyMenuItem(siteId: string, item: MenuItemState): Promise<boolean> {
    return this.putIfNewer(menuItemState(siteId, item), { condition: 'version < :v', values: { ':v': item.version } });
  }

  applyRates(siteId: string, rates: PayRates): Promise<boolean> {
    return this.putIfNewer(ratesState(siteId, rates), { condition: 'version < :v', values: { ':v': rates.version } });
  }

  applyCost(siteId: string, cost: IngredientCost): Promise<boolean> {
    // Same instant: the movement id breaks the tie, so every replica keeps the same one.
    return this.putIfNewer(costState(siteId, cost), {
      condition: 'changedAt < :at OR (changedAt = :at AND movementId < :m)',
      values: { ':at': cost.at, ':m': cost.movementId },
    });
  }

  async rates(siteId: string, userId: string): Promise<PayRates | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: analyticsKeys.rates(siteId, userId), ConsistentRead: true }));
    return Item?.state as PayRates | undefined;
  }

  async menuItems(siteId: string): Promise<MenuItemState[]> {
    return (await this.startingWith(siteId, analyticsKeys.menuItem(siteId, '').sk)).map((item) => item.state as MenuItemState);
  }

  async costs(siteId: string): Promise<Map<string, IngredientCost>> {
    const costs = (await this.startingWith(siteId, analyticsKeys.cost(siteId, '').sk)).map((item) => item.state as IngredientCost);
    return new Map(costs.map((cost) => [cost.ingredientId, cost]));
  }

  private startingWith(siteId: string, prefix: string) {
    return queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': analyticsKeys.sitePartition(siteId), ':prefix': prefix },
    });
  }
}
