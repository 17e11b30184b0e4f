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

function recordOf(orderId: string, stored: Record<string, unknown>): DepletionRecord {
  const { lines, applied, voidedAt, version, pending } = stored as unknown as OrderDepletion & Omit<DepletionRecord, 'state'>;
  return { state: { orderId, lines, applied, ...(voidedAt === undefined ? {} : { voidedAt }) }, version, ...(pending ? { pending } : {}) };
}

export class DepletionStore {
  constructor(private readonly table: string) {}

  /** The order's depletion record and the stock items of `itemIds`, consistently, in one BatchGetItem. */
  async read(siteId: string, orderId: string, itemIds: readonly string[]): Promise<{ record?: DepletionRecord; items: Map<string, ItemRecord> }> {
    return (await this.readMany([{ siteId, orderId, itemIds }]))[0]!;
  }

  /** `read` for several orders (of any sites) at once: one BatchGetItem, or one per 100 keys. */
  async readMany(
    reads: ReadonlyArray<{ siteId: string; orderId: string; itemIds: readonly string[] }>,
  ): Promise<Array<{ record?: DepletionRecord; items: Map<string, ItemRecord> }>> {
    const keyOf = (key: { pk: string; sk: string }) => `${key.pk}|${key.sk}`;
    const keys = new Map<string, { pk: string; sk: string }>();
    for (const { siteId, orderId, itemIds } of reads) {
      for (const key of [inventoryKeys.depletion(siteId, orderId), ...itemIds.map((itemId) => inventoryKeys.item(siteId, itemId))]) keys.set(keyOf(key), key);
    }
    const found = new Map((await batchGetAll(this.table, [...keys.values()], { consistentRead: true })).map((stored) => [keyOf(stored as { pk: string; sk: string }), stored]));
    return reads.map(({ siteId, orderId, itemIds }) => {
      const stored = found.get(keyOf(inventoryKeys.depletion(siteId, orderId)));
      const items = new Map<string, ItemRecord>();
      for (const itemId of itemIds) {
        const item = found.get(keyOf(inventoryKeys.item(siteId, itemId)));
        if (item) items.set(itemId, itemOf(item));
      }
      return { ...(stored ? { record: recordOf(orderId, stored) } : {}), items };
    });
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

  /**
   * One counting update per issue record, in the depletion's transaction (a replay, which writes nothing, counts
   * nothing). `found` is what each event met; an issue met by several events of one transaction (a batch,
   * depletion-batch.ts) is one update adding their count, since a transaction names an item once. Within an event
   * an issue counts once, however many lines name it.
   */
  issueWrites(found: ReadonlyArray<{ siteId: string; orderId: string; unresolved: Unresolved }>, now: string): TransactItem[] {
    const counts = new Map<string, { key: { pk: string; sk: string }; fields: Record<string, string>; orderId: string; events: Set<string> }>();
    const count = (id: string, key: { pk: string; sk: string }, fields: Record<string, string>, orderId: string, event: number) => {
      const entry = counts.get(id) ?? { key, fields, orderId, events: new Set<string>() };
      counts.set(id, { ...entry, fields, orderId, events: entry.events.add(String(event)) });
    };
    for (const [event, { siteId, orderId, unresolved }] of found.entries()) {
      for (const { ingredientId } of unresolved.unknownIngredients) {
        count(`${siteId}#I${ingredientId}`, inventoryKeys.unknownIngredient(siteId, ingredientId), { kind: 'unknown-ingredient', ingredientId }, orderId, event);
      }
      for (const { menuItemId, name } of unresolved.missingRecipes) {
        count(`${siteId}#R${menuItemId}`, inventoryKeys.missingRecipe(siteId, menuItemId), { kind: 'missing-recipe', menuItemId, name }, orderId, event);
      }
      for (const { ingredientId, unit, message } of unresolved.unconvertible) {
        count(`${siteId}#U${ingredientId}#${unit}`, inventoryKeys.unconvertibleUnit(siteId, ingredientId, unit), { kind: 'unconvertible-unit', ingredientId, unit, message }, orderId, event);
      }
    }
    return [...counts.values()].map(({ key, fields, orderId, events }): TransactItem => {
      const all = { ...fields, lastOrderId: orderId, lastSeenAt: now };
      const names = Object.keys(all);
      return {
        Update: {
          TableName: this.table,
          Key: key,
          UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :f${i}`).join(', ')}, firstSeenAt = if_not_exists(firstSeenAt, :now) ADD occurrences :count`,
          ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#f${i}`, name])),
          ExpressionAttributeValues: { ...Object.fromEntries(Object.values(all).map((value, i) => [`:f${i}`, value])), ':now': now, ':count': events.size },
        },
      };
    });
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
