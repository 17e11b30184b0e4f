// DynamoDB access for what inventory knows of the menu (table.ts has the whole layout):
//   SITE#{site}#MENU / RECIPE#{menuItem}   one portion's recipe (modifiers apart) as orders last published it, its
//                                          menu version, whether inventory took the item off, availability version
// Two versions on one record, each owned by one writer: `menuVersion` by menu.item-changed (learn: applied only when
// newer, so a late or replayed event never brings an old recipe back), `availabilityVersion` by the auto-86 review
// (conditional on the version read, so two reviews never both announce).
import { QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { conditionFailedAt, isConditionFailure } from '#shared/dynamodb';
import type { TransactItem } from '#shared/outbox';
import type { MenuRecipe } from './auto-86-rules';
import type { RecipeProblems } from './recipe-issues';
import { inventoryKeys, partitions } from './table';

export interface RecipeRecord extends MenuRecipe {
  active: boolean;
  menuVersion: number;
  takenOff: boolean;
  /** 0 until inventory first announces the item's availability. */
  availabilityVersion: number;
}

export class RecipeStore {
  constructor(private readonly table: string) {}

  /**
   * Stores a menu item's recipe unless a newer menu version is stored; false when one is. The same version again
   * applies again (the same content): a retry after a failure past this write then finishes what it left undone.
   */
  async learn(siteId: string, menu: MenuRecipe & { active: boolean; menuVersion: number }, now: string): Promise<boolean> {
    try {
      await dynamoDb().send(
        new UpdateCommand({
          TableName: this.table,
          Key: inventoryKeys.recipe(siteId, menu.menuItemId),
          UpdateExpression:
            'SET siteId = :site, menuItemId = :id, #name = :name, recipe = :recipe, active = :active, menuVersion = :v, updatedAt = :now, ' +
            'takenOff = if_not_exists(takenOff, :false), availabilityVersion = if_not_exists(availabilityVersion, :zero)',
          ConditionExpression: 'attribute_not_exists(pk) OR menuVersion <= :v',
          ExpressionAttributeNames: { '#name': 'name' },
          ExpressionAttributeValues: {
            ':site': siteId,
            ':id': menu.menuItemId,
            ':name': menu.name,
            ':recipe': menu.recipe,
            ':active': menu.active,
            ':v': menu.menuVersion,
            ':now': now,
            ':false': false,
            ':zero': 0,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Every recipe of the site, read consistently (a review decides on them). */
  async all(siteId: string): Promise<RecipeRecord[]> {
    const records: RecipeRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamoDb().send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': partitions.menu(siteId) },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const stored of page.Items ?? []) {
        const { menuItemId, name, recipe, active, menuVersion, takenOff, availabilityVersion } = stored;
        records.push({ menuItemId, name, recipe, active, menuVersion, takenOff, availabilityVersion } as RecipeRecord);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return records;
  }

  /**
   * Records what a just-learnt recipe names that stock cannot answer, in the depletion issues, naming the menu item.
   * `occurrences` counts orders: a recipe adds none (0 on a new record). Independent upserts, in parallel.
   */
  async reportProblems(siteId: string, menu: Pick<MenuRecipe, 'menuItemId' | 'name'>, problems: RecipeProblems, now: string): Promise<void> {
    const upsert = (key: { pk: string; sk: string }, fields: Record<string, string>) => {
      const all = { ...fields, menuItemId: menu.menuItemId, menuItemName: menu.name, lastSeenAt: now };
      const names = Object.keys(all);
      return {
        TableName: this.table,
        Key: key,
        UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :f${i}`).join(', ')}, firstSeenAt = if_not_exists(firstSeenAt, :now) ADD occurrences :zero`,
        ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#f${i}`, name])),
        ExpressionAttributeValues: { ...Object.fromEntries(Object.values(all).map((value, i) => [`:f${i}`, value])), ':now': now, ':zero': 0 },
      };
    };
    // An unknown ingredient is reported only while it still has no stock item, checked in the same transaction: an
    // item created since the read has removed its issue in its own transaction, and must not see it come back.
    const unknown = problems.unknownIngredients.map(async (ingredientId) => {
      const ConditionCheck = { TableName: this.table, Key: inventoryKeys.item(siteId, ingredientId), ConditionExpression: 'attribute_not_exists(pk)' };
      const Update = upsert(inventoryKeys.unknownIngredient(siteId, ingredientId), { kind: 'unknown-ingredient', ingredientId });
      try {
        await dynamoDb().send(new TransactWriteCommand({ TransactItems: [{ ConditionCheck }, { Update }] }));
      } catch (error) {
        if (!conditionFailedAt(error, 0)) throw error;
      }
    });
    const unconvertible = problems.unconvertible.map(({ ingredientId, unit, message }) =>
      dynamoDb().send(new UpdateCommand(upsert(inventoryKeys.unconvertibleUnit(siteId, ingredientId, unit), { kind: 'unconvertible-unit', ingredientId, unit, message }))),
    );
    await Promise.all([...unknown, ...unconvertible]);
  }

  /** Inventory takes the item off or gives it back: the next availability version, if still the version read. */
  availabilityWrite(siteId: string, record: RecipeRecord, takenOff: boolean, now: string): TransactItem {
    return {
      Update: {
        TableName: this.table,
        Key: inventoryKeys.recipe(siteId, record.menuItemId),
        UpdateExpression: 'SET takenOff = :off, availabilityVersion = :next, availabilityAt = :now',
        ConditionExpression: 'availabilityVersion = :read',
        ExpressionAttributeValues: { ':off': takenOff, ':next': record.availabilityVersion + 1, ':read': record.availabilityVersion, ':now': now },
      },
    };
  }
}
