// DynamoDB access for order depletions and what they could not resolve (table.ts has the whole layout):
//   SITE#{site}#ORDER#{order} / DEPLETION                what the order took per line, the events applied, version
//   SITE#{site}#UNRESOLVED / INGREDIENT#{ingredient}     an ingredient recipes use without a stock item
//   SITE#{site}#UNRESOLVED / RECIPE#{menuItem}           a menu item sold without a recipe
//   SITE#{site}#UNRESOLVED / UNIT#{ingredient}#{unit}    a recipe unit that does not convert for its item
// The depletion record is written in the transaction of the movements it causes (depletion.ts), conditional on
// the version read: of two deliveries of one event, one commits and the other re-reads, finds the event applied
// and does nothing. An event too big for one transaction leaves the rest of its writes on the record (`pending`,
// depletion-chunks.ts); each later transaction takes its chunk off, again on the version read. The unresolved records count occurrences; a stock item created for an ingredient removes its
// record (item-store.ts).
import { batchGetAll, queryPage } from '#shared/dynamodb';
import type { TransactItem } from '#shared/outbox';
import type { PendingDepletion } from './depletion-chunks';
import type { OrderDepletion, Unresolved } from './depletion-rules';
import { itemOf } from './item-store';
import type { ItemRecord } from './schemas';
import { inventoryKeys, partitions } from './table';

export interface DepletionRecord {
  state: OrderDepletion;
  version: number;
  /** Movements and issues of a decided event not yet written: applied before anything new is decided. */
  pending?: PendingDepletion;
}

export interface DepletionIssue {
  kind: 'unknown-ingredient' | 'missing-recipe' | 'unconvertible-unit';
  ingredientId?: string;
  menuItemId?: string;
  name?: string;
  unit?: string;
  message?: string;
  /** The menu item whose recipe named it, when the recipe was learnt (recipe-issues.ts), and its name. */
  menuItemName?: string;
  /** Orders that met the problem; 0 when only a recipe has named it so far. */
  occurrences: number;
  lastOrderId?: string;
  firstSeenAt: string;
  lastSeenAt: string;
}

export class DepletionStore {
  constructor(private readonly table: string) {}

  /** The order's depletion record and the stock items of `itemIds`, consistently, in one BatchGetItem. */
  async read(siteId: string, orderId: string, itemIds: readonly string[]): Promise<{ record?: DepletionRecord; items: Map<string, ItemRecord> }> {
    const depletionKey = inventoryKeys.depletion(siteId, orderId);
    const found = await batchGetAll(this.table, [depletionKey, ...itemIds.map((itemId) => inventoryKeys.item(siteId, itemId))], { consistentRead: true });
    const items = new Map<string, ItemRecord>();
    let record: DepletionRecord | undefined;
    for (const stored of found) {
      if (stored.sk === depletionKey.sk) {
        const { lines, applied, voidedAt, version, pending } = stored as unknown as OrderDepletion & Omit<DepletionRecord, 'state'>;
        record = { state: { orderId, lines, applied, ...(voidedAt === undefined ? {} : { voidedAt }) }, version, ...(pending ? { pending } : {}) };
      } else items.set(stored.itemId as string, itemOf(stored));
    }
    return { ...(record ? { record } : {}), items };
  }

  /**
   * The record after an event, on condition it is still the version read (absent: still absent); with what the
   * event's first transaction could not hold, `pending`.
   */
  recordWrite(siteId: string, state: OrderDepletion, readVersion: number | undefined, now: string, pending?: PendingDepletion): TransactItem {
    return {
      Put: {
        TableName: this.table,
        Item: { ...inventoryKeys.depletion(siteId, state.orderId), siteId, ...state, ...(pending ? { pending } : {}), version: (readVersion ?? 0) + 1, updatedAt: now },
        ...(readVersion === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': readVersion } }),
      },
    };
  }

  /** What is still pending after a chunk (none: removed), on condition the record is still the version read. */
  pendingWrite(siteId: string, orderId: string, readVersion: number, pending: PendingDepletion | undefined, now: string): TransactItem {
    return {
      Update: {
        TableName: this.table,
        Key: inventoryKeys.depletion(siteId, orderId),
        UpdateExpression: `SET version = :next, updatedAt = :now${pending ? ', pending = :pending' : ' REMOVE pending'}`,
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: { ':version': readVersion, ':next': readVersion + 1, ':now': now, ...(pending ? { ':pending': pending } : {}) },
      },
    };
  }

  /** One counting update per issue found, in the depletion's transaction (a replay, which writes nothing, counts nothing). */
  issueWrites(siteId: string, orderId: string, unresolved: Unresolved, now: string): TransactItem[] {
    const count = (key: { pk: string; sk: string }, fields: Record<string, string>): TransactItem => {
      const all = { ...fields, lastOrderId: orderId, lastSeenAt: now };
      const names = Object.keys(all);
      return {
        Update: {
          TableName: this.table,
          Key: key,
          UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :f${i}`).join(', ')}, firstSeenAt = if_not_exists(firstSeenAt, :now) ADD occurrences :one`,
          ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#f${i}`, name])),
          ExpressionAttributeValues: { ...Object.fromEntries(Object.values(all).map((value, i) => [`:f${i}`, value])), ':now': now, ':one': 1 },
        },
      };
    };
    // One update per record: a transaction names an item once.
    const writes = new Map<string, TransactItem>();
    for (const { ingredientId } of unresolved.unknownIngredients) {
      writes.set(`I${ingredientId}`, count(inventoryKeys.unknownIngredient(siteId, ingredientId), { kind: 'unknown-ingredient', ingredientId }));
    }
    for (const { menuItemId, name } of unresolved.missingRecipes) {
      writes.set(`R${menuItemId}`, count(inventoryKeys.missingRecipe(siteId, menuItemId), { kind: 'missing-recipe', menuItemId, name }));
    }
    for (const { ingredientId, unit, message } of unresolved.unconvertible) {
      writes.set(`U${ingredientId}#${unit}`, count(inventoryKeys.unconvertibleUnit(siteId, ingredientId, unit), { kind: 'unconvertible-unit', ingredientId, unit, message }));
    }
    return [...writes.values()];
  }

  /** A page of the site's depletion issues (ingredients, recipes, then units, each in id order). */
  async issues(siteId: string, limit: number, cursor: string | undefined): Promise<{ issues: DepletionIssue[]; nextCursor?: string }> {
    const page = await queryPage(
      { TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': partitions.unresolved(siteId) }, Limit: limit },
      cursor,
    );
    const issues = page.items.map((stored) => {
      const { pk: _pk, sk: _sk, ...issue } = stored;
      return issue as DepletionIssue;
    });
    return { issues, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }
}
