// DynamoDB access for automatic drafts (table.ts has the whole layout):
//   SITE#{site}#SUPPLIER#{supplier} / DRAFT   the supplier's draft slot: `openDraftId` (the last automatic draft)
//                                             and `drafted` (how many were made: the next is `{supplier}-d{n+1}`)
//   SITE#{site}#PO#{purchaseOrder} / PO       the draft, a purchase order like any other (purchase-order-store.ts
//                                             owns its lifecycle), with the openPos index attributes
// A draft is written with its slot and its `inventory.purchase-order-drafted` event in one transaction, the slot
// conditional on the count read and the PO on its id being free: two drafting runs racing (the job and a
// manager's "draft now") cannot both draft for one supplier; the loser re-reads and finds the open draft.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { queryAll } from '#shared/dynamodb';
import type { EventEnvelope } from '#shared/events';
import { commitWithEvents } from '#shared/outbox';
import type { PurchaseOrderRecord } from './schemas';
import { indexKeys, inventoryKeys, OPEN_PURCHASE_ORDERS_INDEX } from './table';

export interface DraftSlot {
  openDraftId?: string;
  drafted: number;
}

function purchaseOrderOf(stored: Record<string, unknown>): PurchaseOrderRecord {
  const { pk: _pk, sk: _sk, poPk: _poPk, poSk: _poSk, ...record } = stored;
  return record as PurchaseOrderRecord;
}

export class PurchaseDraftStore {
  constructor(
    private readonly table: string,
    private readonly topicArn: string,
  ) {}

  /** The site's open purchase orders (openPos index: eventually consistent, which on-order tolerates). */
  async openPurchaseOrders(siteId: string): Promise<PurchaseOrderRecord[]> {
    const stored = await queryAll({
      TableName: this.table,
      IndexName: OPEN_PURCHASE_ORDERS_INDEX,
      KeyConditionExpression: 'poPk = :pk',
      ExpressionAttributeValues: { ':pk': indexKeys.openPurchaseOrder(siteId, '', '').poPk },
    });
    return stored.map(purchaseOrderOf);
  }

  async slot(siteId: string, supplierId: string): Promise<DraftSlot> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: inventoryKeys.draftSlot(siteId, supplierId), ConsistentRead: true }));
    return { drafted: (Item?.drafted as number | undefined) ?? 0, ...(Item?.openDraftId ? { openDraftId: Item.openDraftId as string } : {}) };
  }

  /** The PO, read consistently (is the slot's draft still a draft?). */
  async purchaseOrder(siteId: string, purchaseOrderId: string): Promise<PurchaseOrderRecord | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: inventoryKeys.purchaseOrder(siteId, purchaseOrderId), ConsistentRead: true }));
    return Item ? purchaseOrderOf(Item) : undefined;
  }

  /** The draft, its slot (on condition the slot is as read) and its event, in one transaction. */
  commitDraft(po: PurchaseOrderRecord, slotRead: DraftSlot, event: EventEnvelope): Promise<void> {
    const slotKey = inventoryKeys.draftSlot(po.siteId, po.supplierId);
    return commitWithEvents(
      { tableName: this.table, topicArn: this.topicArn, publishedBy: 'stream' },
      [
        {
          Put: {
            TableName: this.table,
            Item: { ...slotKey, siteId: po.siteId, supplierId: po.supplierId, openDraftId: po.purchaseOrderId, drafted: slotRead.drafted + 1, updatedAt: po.createdAt },
            ...(slotRead.drafted === 0
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : { ConditionExpression: 'drafted = :drafted', ExpressionAttributeValues: { ':drafted': slotRead.drafted } }),
          },
        },
        {
          Put: {
            TableName: this.table,
            Item: { ...inventoryKeys.purchaseOrder(po.siteId, po.purchaseOrderId), ...po, ...indexKeys.openPurchaseOrder(po.siteId, po.supplierId, po.purchaseOrderId) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
      [event],
    );
  }
}
