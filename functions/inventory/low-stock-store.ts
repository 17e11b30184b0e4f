// DynamoDB access for low-stock episodes (table.ts has the whole layout):
//   SITE#{site}#STOCK / EPISODE#{item}   the item's episode: open, number, when it opened, version; while open, the
//                                        last assessment and the lowStock index attributes (lowPk, lowSk), so the
//                                        index holds exactly what is low now
// An episode is written conditional on the version read (or on being absent), with its alert in the outbox in the
// same transaction: of two assessments racing (the job and a manager's "draft now"), one commits, and an episode's
// alert, whose id is `low-stock:{item}:{episode}`, is committed once.
import { queryAll, queryPage } from '#shared/dynamodb';
import type { EventEnvelope } from '#shared/events';
import { commitWithEvents } from '#shared/outbox';
import type { EpisodeRecord, LedgerEntry } from './low-stock-rules';
import type { ItemRecord } from './schemas';
import { indexKeys, inventoryKeys, LOW_STOCK_INDEX, partitions, stockPrefixes } from './table';

/** A site's stock partition in one read: items, on-hand totals per item, episodes, preferred suppliers. */
export interface SiteStock {
  items: ItemRecord[];
  /** Milli-base units over the item's locations. */
  onHand: Map<string, number>;
  episodes: Map<string, EpisodeRecord>;
  preferred: Map<string, string>;
}

function strip(stored: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, lowPk: _lowPk, lowSk: _lowSk, ...record } = stored;
  return record;
}

export class LowStockStore {
  constructor(
    private readonly table: string,
    private readonly topicArn: string,
  ) {}

  /**
   * The whole stock partition of the site, consistently, in one query (paged by DynamoDB only). On-hand at a
   * location under a food-safety hold is left out: it may be thrown away, so it covers nothing until released.
   */
  async siteStock(siteId: string, heldLocations: ReadonlySet<string> = new Set()): Promise<SiteStock> {
    const stored = await queryAll({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': partitions.stock(siteId) }, ConsistentRead: true });
    const stock: SiteStock = { items: [], onHand: new Map(), episodes: new Map(), preferred: new Map() };
    for (const row of stored) {
      const sk = row.sk as string;
      if (sk.startsWith(stockPrefixes.items)) stock.items.push(strip(row) as unknown as ItemRecord);
      else if (sk.startsWith(stockPrefixes.onHand())) {
        if (!heldLocations.has(row.location as string)) stock.onHand.set(row.itemId as string, (stock.onHand.get(row.itemId as string) ?? 0) + (row.quantity as number));
      } else if (sk.startsWith(stockPrefixes.episodes)) stock.episodes.set(row.itemId as string, strip(row) as unknown as EpisodeRecord);
      else if (sk.startsWith(stockPrefixes.preferred)) stock.preferred.set(row.itemId as string, row.supplierId as string);
    }
    return stock;
  }

  /** The item's ledger entries from `since` (UTC ms) on, only the fields usage reads. */
  async ledgerSince(siteId: string, itemId: string, since: number): Promise<LedgerEntry[]> {
    const stored = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': partitions.movements(siteId, itemId), ':from': `MOVE#${new Date(since).toISOString()}`, ':to': 'MOVE#~' },
      ProjectionExpression: 'kind, reason, changes',
    });
    return stored as unknown as LedgerEntry[];
  }

  /** The episode, on condition that it is still at `readVersion` (absent when undefined), with its events. */
  commitEpisode(record: EpisodeRecord, readVersion: number | undefined, events: EventEnvelope[]): Promise<void> {
    const item = { ...inventoryKeys.episode(record.siteId, record.itemId), ...record, ...(record.open ? indexKeys.lowStock(record.siteId, record.itemId) : {}) };
    return commitWithEvents(
      { tableName: this.table, topicArn: this.topicArn, publishedBy: 'stream' },
      [
        {
          Put: {
            TableName: this.table,
            Item: item,
            ...(readVersion === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': readVersion } }),
          },
        },
      ],
      events,
    );
  }

  /** What is low now (open episodes, from the sparse index), in item order; the cursor is bound to the site. */
  async lowNow(siteId: string, limit: number, cursor: string | undefined): Promise<{ episodes: EpisodeRecord[]; nextCursor?: string }> {
    const page = await queryPage(
      {
        TableName: this.table,
        IndexName: LOW_STOCK_INDEX,
        KeyConditionExpression: 'lowPk = :pk',
        ExpressionAttributeValues: { ':pk': indexKeys.lowStock(siteId, '').lowPk },
        Limit: limit,
      },
      cursor,
    );
    return { episodes: page.items.map((stored) => strip(stored) as unknown as EpisodeRecord), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }
}

