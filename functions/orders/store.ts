// DynamoDB access for the orders table only (menu, orders, payments: one domain, one table).
//   SITE#{site}#MENU / SETTINGS                 ordering settings: time zone, currency, business-day start
//   SITE#{site}#MENU / CATEGORY#{categoryId}    a menu category
//   SITE#{site}#MENU / CATEGORY-NAMES           every category's name (n#{categoryId}), for the order's read
//   SITE#{site}#MENU / ITEM#{itemId}            a menu item (price, tax, modifiers, recipe, 86 state, countdown)
//   SITE#{site}#ORDER#{orderId} / ORDER         an order, its lines, payments and refunds in one item
//   SITE#{site}#TICKETS / DAY#{businessDay}     the ticket counter of a business day
//   SITE#{site}#OUTBOX#{eventId} / OUTBOX       an event not yet published (shared/outbox.ts; the stream relays it)
//   IDEMPOTENCY#… / IDEMPOTENCY                 stored responses of POST /orders (committed with the order),
//                                               payments, refunds
// Indexes: byDay (dayPk = SITE#{site}#DAY#{day}, daySk = {placedAt}#{orderId}) lists a business day's orders;
// active (activePk = SITE#{site}#ACTIVE, activeSk = {placedAt}#{orderId}) holds only orders not closed or
// voided, oldest first; outbox (outboxShard, outboxAt) is the relay's.
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { batchGetAll, conditionFailedAt, isTransactionConflict, queryAll, queryPage, queryWhile, retryOnConflict, VersionConflictError } from '#shared/dynamodb';
import { ConflictError, UnprocessableError } from '#shared/errors';
import type { EventEnvelope } from '#shared/events';
import { IdempotencyKeyTakenError } from '#shared/idempotency';
import { commitWithEvents, type TransactItem } from '#shared/outbox';
import type { MenuWrite } from './menu-rules';
import { ACTIVE_STATUSES } from './order-rules';
import type { CategoryRecord, MenuItemRecord, MenuSettingsRecord, OrderRecord } from './schemas';

export const ORDERS_BY_DAY_INDEX = 'byDay';
export const ACTIVE_ORDERS_INDEX = 'active';
/** The kitchen display reads one page: more open orders than this at one site is not a kitchen. */
export const MAX_ACTIVE_ORDERS = 200;
const TICKET_COUNTER_TTL_SECONDS = 14 * 24 * 60 * 60;

const menuPk = (siteId: string) => `SITE#${siteId}#MENU`;
export const menuKeys = {
  settings: (siteId: string) => ({ pk: menuPk(siteId), sk: 'SETTINGS' }),
  category: (siteId: string, categoryId: string) => ({ pk: menuPk(siteId), sk: `CATEGORY#${categoryId}` }),
  categoryNames: (siteId: string) => ({ pk: menuPk(siteId), sk: 'CATEGORY-NAMES' }),
  item: (siteId: string, itemId: string) => ({ pk: menuPk(siteId), sk: `ITEM#${itemId}` }),
};
const orderKey = (siteId: string, orderId: string) => ({ pk: `SITE#${siteId}#ORDER#${orderId}`, sk: 'ORDER' });
const ticketKey = (siteId: string, businessDay: string) => ({ pk: `SITE#${siteId}#TICKETS`, sk: `DAY#${businessDay}` });
const dayPk = (siteId: string, businessDay: string) => `SITE#${siteId}#DAY#${businessDay}`;
const activePk = (siteId: string) => `SITE#${siteId}#ACTIVE`;

/** A category's attribute on the site's category-names item. */
const categoryNameAttribute = (categoryId: string) => `n#${categoryId}`;
/** Names one update fills at once: its expression (4 KB at most) takes about 34 characters a name; room to spare. */
const MAX_BACKFILLED_CATEGORIES = 60;

function categoryNamesOf(item: Record<string, unknown>): Map<string, string> {
  return new Map(Object.entries(item).flatMap(([attribute, value]) => (attribute.startsWith('n#') ? [[attribute.slice(2), String(value)] as const] : [])));
}

/** The menu moved under an order being written (price, 86, countdown): the service re-reads and retries. */
export class StaleMenuError extends Error {}

/** What placing an order reads, in one BatchGetItem. */
export interface OrderReads {
  settings: MenuSettingsRecord | undefined;
  items: Map<string, MenuItemRecord>;
  /** Category names by id, read alongside (the lines keep the name their item's category had when ordered). */
  categoryNames: Map<string, string>;
  /** The Idempotency-Key's record as stored (shared/idempotency.ts reads it), if the key was used. */
  idempotencyRecord: Record<string, unknown> | undefined;
}

function recordOf<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, dayPk: _d, daySk: _ds, activePk: _a, activeSk: _as, ...record } = item;
  return record as T;
}

export class OrdersStore {
  constructor(
    private readonly table: string,
    private readonly topicArn: string,
  ) {}

  // The table's stream relays the outbox (relay-outbox-stream.ts): no publish on the request path.
  private commit(items: TransactItem[], events: EventEnvelope[]): Promise<void> {
    return commitWithEvents({ tableName: this.table, topicArn: this.topicArn, publishedBy: 'stream' }, items, events);
  }

  private async get<T>(key: { pk: string; sk: string }): Promise<T | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    return Item ? recordOf<T>(Item) : undefined;
  }

  // --- menu ----------------------------------------------------------------------------------------------------

  getSettings(siteId: string): Promise<MenuSettingsRecord | undefined> {
    return this.get(menuKeys.settings(siteId));
  }

  /** With `menu.settings-changed` in the same transaction: analytics files its days by these settings. */
  async putSettings(settings: MenuSettingsRecord, previousVersion: number | undefined, events: EventEnvelope[]): Promise<void> {
    const write: TransactItem = {
      Put: {
        TableName: this.table,
        Item: { ...menuKeys.settings(settings.siteId), ...settings },
        ...(previousVersion === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': previousVersion } }),
      },
    };
    try {
      await this.commit([write], events);
    } catch (error) {
      // VersionConflictError's wording, in the plural it needs here.
      if (conditionFailedAt(error, 0) || isTransactionConflict(error)) throw new ConflictError('The settings were changed by someone else; reload and retry');
      throw error;
    }
  }

  getCategory(siteId: string, categoryId: string): Promise<CategoryRecord | undefined> {
    return this.get(menuKeys.category(siteId, categoryId));
  }

  /**
   * The category, and its name on the site's category-names item in the same transaction, so an order reads every
   * name with its menu items. Two category writes at once both update that item: the loser of that race (not of the
   * category's version) tries again.
   */
  /** How many categories the site's menu has (keys only). */
  async countCategories(siteId: string): Promise<number> {
    const categories = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :category)',
      ExpressionAttributeValues: { ':pk': menuPk(siteId), ':category': 'CATEGORY#' },
      ProjectionExpression: 'sk',
    });
    return categories.length;
  }

  async putCategory(category: CategoryRecord, previousVersion: number | undefined): Promise<void> {
    const write: TransactItem = {
      Put: {
        TableName: this.table,
        Item: { ...menuKeys.category(category.siteId, category.categoryId), ...category },
        ...(previousVersion === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': previousVersion } }),
      },
    };
    const name: TransactItem = {
      Update: {
        TableName: this.table,
        Key: menuKeys.categoryNames(category.siteId),
        UpdateExpression: 'SET #name = :name',
        ExpressionAttributeNames: { '#name': categoryNameAttribute(category.categoryId) },
        ExpressionAttributeValues: { ':name': category.name },
      },
    };
    try {
      await retryOnConflict(() => this.commit([write, name], []), { retryIf: isTransactionConflict });
    } catch (error) {
      if (conditionFailedAt(error, 0) || isTransactionConflict(error)) throw new VersionConflictError('category');
      throw error;
    }
  }

  async listCategories(siteId: string): Promise<CategoryRecord[]> {
    const categories = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :category)',
      ExpressionAttributeValues: { ':pk': menuPk(siteId), ':category': 'CATEGORY#' },
    });
    return categories.map((item) => recordOf<CategoryRecord>(item));
  }

  /**
   * The menu's items in id order from `cursor`, for as long as `fits` takes them: a menu's items are not capped,
   * and the whole of a large one does not fit in one response.
   */
  async menuItemsPage(siteId: string, cursor: string | undefined, fits: (item: MenuItemRecord) => boolean) {
    const page = await queryWhile(
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :item)',
        ExpressionAttributeValues: { ':pk': menuPk(siteId), ':item': 'ITEM#' },
      },
      cursor,
      ({ pk, sk }) => ({ pk: String(pk), sk: String(sk) }),
      (item) => fits(recordOf<MenuItemRecord>(item)),
    );
    return { items: page.items.map((item) => recordOf<MenuItemRecord>(item)), nextCursor: page.nextCursor };
  }

  async hasMenuItems(siteId: string): Promise<boolean> {
    const { Items } = await dynamoDb().send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :item)',
        ExpressionAttributeValues: { ':pk': menuPk(siteId), ':item': 'ITEM#' },
        ProjectionExpression: 'sk',
        Limit: 1,
      }),
    );
    return (Items ?? []).length > 0;
  }

  getItem(siteId: string, itemId: string): Promise<MenuItemRecord | undefined> {
    return this.get(menuKeys.item(siteId, itemId));
  }

  /** Consistent reads: an order is priced from the menu as it is now, and its transaction checks that it still is. */
  async getItems(siteId: string, itemIds: string[]): Promise<Map<string, MenuItemRecord>> {
    const keys = [...new Set(itemIds)].map((itemId) => menuKeys.item(siteId, itemId));
    const items = await batchGetAll(this.table, keys, { consistentRead: true });
    return new Map(items.map((item) => recordOf<MenuItemRecord>(item)).map((record) => [record.itemId, record]));
  }

  /**
   * The names of the site's categories, by id: what a line records of its item's category. Read with the order's
   * menu items from the category-names item (`putCategory` keeps it); a site whose item is not yet complete (its
   * categories written before it existed, or by a seed) has it filled from one Query of its categories, once.
   */
  async categoryNames(siteId: string): Promise<Map<string, string>> {
    const categories = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :category)',
      ExpressionAttributeValues: { ':pk': menuPk(siteId), ':category': 'CATEGORY#' },
      ProjectionExpression: 'categoryId, #name',
      ExpressionAttributeNames: { '#name': 'name' },
    });
    return new Map(categories.map((category) => [String(category.categoryId), String(category.name)]));
  }

  /**
   * Fills the category-names item from the categories and marks it complete. A name already on it stays
   * (`if_not_exists`): it was written by a category write, which is newer than this Query may be. A menu of more
   * categories than one update expression holds keeps being read by Query.
   */
  private async completeCategoryNames(siteId: string): Promise<Map<string, string>> {
    const names = await this.categoryNames(siteId);
    if (names.size > MAX_BACKFILLED_CATEGORIES) return names;
    const ids = [...names.keys()];
    await dynamoDb().send(
      new UpdateCommand({
        TableName: this.table,
        Key: menuKeys.categoryNames(siteId),
        UpdateExpression: `SET complete = :complete${ids.map((_, i) => `, #n${i} = if_not_exists(#n${i}, :n${i})`).join('')}`,
        // DynamoDB refuses an empty ExpressionAttributeNames: a menu without categories sends none.
        ...(ids.length > 0 ? { ExpressionAttributeNames: Object.fromEntries(ids.map((id, i) => [`#n${i}`, categoryNameAttribute(id)])) } : {}),
        ExpressionAttributeValues: { ':complete': true, ...Object.fromEntries(ids.map((id, i) => [`:n${i}`, names.get(id)!])) },
      }),
    );
    return names;
  }

  /**
   * The settings, the menu items, the category names and the request's idempotency record in one consistent
   * BatchGetItem: an order is priced from the menu as it is now (its transaction checks that it still is), and a
   * replay does no other work.
   */
  async readForOrder(siteId: string, itemIds: string[], idempotencyKey: { pk: string; sk: string }): Promise<OrderReads> {
    const settingsKey = menuKeys.settings(siteId);
    const namesKey = menuKeys.categoryNames(siteId);
    const itemKeys = [...new Set(itemIds)].map((itemId) => menuKeys.item(siteId, itemId));
    const found = await batchGetAll(this.table, [settingsKey, namesKey, ...itemKeys, idempotencyKey], { consistentRead: true });
    const matches = (key: { pk: string; sk: string }) => (item: Record<string, unknown>) => item.pk === key.pk && item.sk === key.sk;
    const settings = found.find(matches(settingsKey));
    const names = found.find(matches(namesKey));
    const items = found.filter((item) => String(item.sk).startsWith('ITEM#')).map((item) => recordOf<MenuItemRecord>(item));
    const idempotencyRecord = found.find(matches(idempotencyKey));
    return {
      settings: settings ? recordOf<MenuSettingsRecord>(settings) : undefined,
      items: new Map(items.map((record) => [record.itemId, record])),
      // A replay needs no names, nor does a site that takes no orders yet (no settings: refused).
      categoryNames: names?.complete === true ? categoryNamesOf(names) : idempotencyRecord || !settings ? new Map() : await this.completeCategoryNames(siteId),
      idempotencyRecord,
    };
  }

  /** The category must exist: checked in the same transaction, so a concurrent rename cannot orphan the item. */
  async putItem(item: MenuItemRecord, previousVersion: number | undefined, events: EventEnvelope[]): Promise<void> {
    const write: TransactItem = {
      Put: {
        TableName: this.table,
        Item: { ...menuKeys.item(item.siteId, item.itemId), ...item },
        ...(previousVersion === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': previousVersion } }),
      },
    };
    const categoryCheck: TransactItem = {
      ConditionCheck: { TableName: this.table, Key: menuKeys.category(item.siteId, item.categoryId), ConditionExpression: 'attribute_exists(pk)' },
    };
    try {
      await this.commit([write, categoryCheck], events);
    } catch (error) {
      if (conditionFailedAt(error, 0)) throw new VersionConflictError('item');
      if (conditionFailedAt(error, 1)) throw new UnprocessableError(`Unknown category ${item.categoryId}`, { categoryId: item.categoryId });
      // Another transaction held the item (an order counting it down) or its category: a lost race, retried or a 409.
      if (isTransactionConflict(error)) throw new VersionConflictError('item');
      throw error;
    }
  }

  // --- orders --------------------------------------------------------------------------------------------------

  /** Ticket numbers start at 1 each business day; an order that fails after taking one leaves a gap. */
  async nextTicket(siteId: string, businessDay: string): Promise<number> {
    const { Attributes } = await dynamoDb().send(
      new UpdateCommand({
        TableName: this.table,
        Key: ticketKey(siteId, businessDay),
        UpdateExpression: 'ADD lastTicket :one SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
        ExpressionAttributeValues: { ':one': 1, ':expiresAt': Math.floor(Date.now() / 1000) + TICKET_COUNTER_TTL_SECONDS },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Attributes?.lastTicket as number;
  }

  getOrder(siteId: string, orderId: string): Promise<OrderRecord | undefined> {
    return this.get(orderKey(siteId, orderId));
  }

  /**
   * Writes the order (new, or replacing exactly `previousVersion`), the menu items it relies on and its events
   * in one transaction. A changed order is a VersionConflictError (409); a changed menu item a StaleMenuError for
   * the caller to retry. A transaction conflict (another transaction held one of the items) is whichever of the two
   * the caller recomputes from: the menu when the order relies on it, else the order. `idempotencyRecord` (a new
   * order's completed Idempotency-Key, conditional on being new) commits with it; its condition failing is an
   * IdempotencyKeyTakenError: a concurrent request with the same key won.
   */
  async writeOrder(
    order: OrderRecord,
    previousVersion: number | undefined,
    menu: MenuWrite[],
    events: EventEnvelope[],
    idempotencyRecord?: TransactItem,
  ): Promise<void> {
    const orderWrite: TransactItem = {
      Put: {
        TableName: this.table,
        Item: orderItem(order),
        ...(previousVersion === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': previousVersion } }),
      },
    };
    const menuWrites = menu.map(({ item, next }): TransactItem => {
      const condition = { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': item.version } };
      const key = menuKeys.item(item.siteId, item.itemId);
      return next
        ? { Put: { TableName: this.table, Item: { ...key, ...next }, ...condition } }
        : { ConditionCheck: { TableName: this.table, Key: key, ...condition } };
    });
    try {
      await this.commit([orderWrite, ...menuWrites, ...(idempotencyRecord ? [idempotencyRecord] : [])], events);
    } catch (error) {
      if (idempotencyRecord && conditionFailedAt(error, 1 + menuWrites.length)) throw new IdempotencyKeyTakenError();
      if (conditionFailedAt(error, 0)) throw new VersionConflictError('order');
      if (menuWrites.some((_, i) => conditionFailedAt(error, 1 + i))) throw new StaleMenuError();
      if (isTransactionConflict(error)) throw menuWrites.length > 0 ? new StaleMenuError() : new VersionConflictError('order');
      throw error;
    }
  }

  /** A cursor is valid only for the site and business day that issued it (shared/dynamodb.ts queryPage). */
  async listOrdersByDay(siteId: string, businessDay: string, limit: number, cursor: string | undefined) {
    const page = await queryPage(
      {
        TableName: this.table,
        IndexName: ORDERS_BY_DAY_INDEX,
        KeyConditionExpression: 'dayPk = :pk',
        ExpressionAttributeValues: { ':pk': dayPk(siteId, businessDay) },
        Limit: limit,
      },
      cursor,
    );
    return { orders: page.items.map((item) => recordOf<OrderRecord>(item)), nextCursor: page.nextCursor };
  }

  /** Orders not closed or voided, oldest first. */
  async listActiveOrders(siteId: string): Promise<OrderRecord[]> {
    const { Items = [] } = await dynamoDb().send(
      new QueryCommand({
        TableName: this.table,
        IndexName: ACTIVE_ORDERS_INDEX,
        KeyConditionExpression: 'activePk = :pk',
        ExpressionAttributeValues: { ':pk': activePk(siteId) },
        Limit: MAX_ACTIVE_ORDERS,
      }),
    );
    return Items.map((item) => recordOf<OrderRecord>(item));
  }
}

function orderItem(order: OrderRecord): Record<string, unknown> {
  const position = `${order.placedAt}#${order.orderId}`;
  return {
    ...orderKey(order.siteId, order.orderId),
    ...order,
    dayPk: dayPk(order.siteId, order.businessDay),
    daySk: position,
    // Sparse: a closed or voided order leaves the index, because this Put replaces the whole item.
    ...(ACTIVE_STATUSES.includes(order.status) ? { activePk: activePk(order.siteId), activeSk: position } : {}),
  };
}
