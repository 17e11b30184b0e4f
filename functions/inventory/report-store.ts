// DynamoDB reads of the reports (table.ts has the whole layout); they never Scan:
//   SITE#{site}#STOCK / ITEM#… and ONHAND#…          the site's stock items and on-hand rows, page by page
//   byDay: SITE#{site}#DAY#{local date} / {at}#{movement}   the movements of one local date, page by page
// Reports read eventually consistent copies: a movement committed a moment ago may be missing from a report asked
// for at once, never half of it (a movement is one item).
import { queryAll } from '#shared/dynamodb';
import { itemOf } from './item-store';
import type { ItemRecord, MovementRecord } from './schemas';
import { movementOf, rowOf, type OnHandRow } from './stock-store';
import { DAY_INDEX, indexKeys, partitions, stockPrefixes } from './table';

export class ReportStore {
  constructor(private readonly table: string) {}

  private stockPartition(siteId: string, prefix: string) {
    return queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': partitions.stock(siteId), ':prefix': prefix },
    });
  }

  /** Every stock item of the site, archived ones too. */
  async items(siteId: string): Promise<ItemRecord[]> {
    return (await this.stockPartition(siteId, stockPrefixes.items)).map(itemOf);
  }

  /** Every on-hand row of the site. */
  async onHand(siteId: string): Promise<OnHandRow[]> {
    return (await this.stockPartition(siteId, stockPrefixes.onHand())).map(rowOf);
  }

  /** The site's movements of one local date (the site's time zone when each was written), in time order. */
  async movementsOn(siteId: string, localDate: string): Promise<MovementRecord[]> {
    const { dayPk } = indexKeys.day(siteId, localDate, '', '');
    const stored = await queryAll({ TableName: this.table, IndexName: DAY_INDEX, KeyConditionExpression: 'dayPk = :day', ExpressionAttributeValues: { ':day': dayPk } });
    return stored.map(movementOf);
  }
}
