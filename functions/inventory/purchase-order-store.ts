// DynamoDB access for purchase orders (table.ts has the whole layout):
//   SITE#{site}#PO#{purchaseOrder} / PO                          the PO (schemas.ts purchaseOrderRecordSchema), version;
//                                                                while open (not received or cancelled) it carries the
//                                                                openPos index attributes (poPk, poSk)
//   SITE#{site}#PO#{purchaseOrder} / RECEIPT#{at}#{receipt}      one receipt against it, put only if absent
//   SITE#{site}#PO-CLOSED / {status}#{closedAt}#{purchaseOrder}  a copy of the PO as it closed, put only if absent
// Every change of a PO is a Put of the whole record conditional on the version read, in one transaction with what
// the change causes (receipts' movements, the closed copy, events), so of two concurrent changes one commits and
// the other re-reads. Open POs list from the openPos index; closed ones from their copies, newest first per status:
// a closed PO never changes again, so its copy never goes stale.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { queryAll, queryPage } from '#shared/dynamodb';
import type { EventEnvelope } from '#shared/events';
import { commitWithEvents, type TransactItem } from '#shared/outbox';
import type { ReceiptFlag } from './purchase-rules';
import type { PurchaseOrderRecord } from './schemas';
import { indexKeys, inventoryKeys, OPEN_PURCHASE_ORDERS_INDEX } from './table';

/** One delivery received against a PO, as kept and shown. */
export interface PurchaseOrderReceipt {
  siteId: string;
  purchaseOrderId: string;
  receiptId: string;
  at: string;
  by: string;
  lines: Array<{ lineId: string; itemId: string; packs: number; packPrice: number; location: string; movementId: string }>;
  flags: ReceiptFlag[];
  /** Minor units at the invoice prices. */
  receivedCost: number;
  /** The PO's version after the receipt. */
  version: number;
}

export type OpenStatusFilter = 'open' | 'draft' | 'approved' | 'sent' | 'partially-received';
export type ClosedStatus = 'received' | 'cancelled';

export const isClosed = (status: PurchaseOrderRecord['status']): status is ClosedStatus => status === 'received' || status === 'cancelled';

const withoutKeys = (stored: Record<string, unknown>) => {
  const { pk: _pk, sk: _sk, poPk: _poPk, poSk: _poSk, ...record } = stored;
  return record;
};
const purchaseOrderOf = (stored: Record<string, unknown>) => withoutKeys(stored) as PurchaseOrderRecord;

export class PurchaseOrderStore {
  constructor(
    private readonly table: string,
    private readonly topicArn: string,
  ) {}

  async get(siteId: string, purchaseOrderId: string): Promise<PurchaseOrderRecord | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: inventoryKeys.purchaseOrder(siteId, purchaseOrderId), ConsistentRead: true }));
    return Item ? purchaseOrderOf(Item) : undefined;
  }

  /** The PO's receipts, oldest first (bounded: a PO takes at most MAX_RECEIPTS). */
  async receipts(siteId: string, purchaseOrderId: string): Promise<PurchaseOrderReceipt[]> {
    const stored = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': inventoryKeys.purchaseOrder(siteId, purchaseOrderId).pk, ':prefix': 'RECEIPT#' },
    });
    return stored.map((item) => withoutKeys(item) as unknown as PurchaseOrderReceipt);
  }

  /** Open POs by supplier then id, all or of one open status; the cursor is bound to the query. */
  async listOpen(siteId: string, status: OpenStatusFilter, limit: number, cursor: string | undefined) {
    const { poPk } = indexKeys.openPurchaseOrder(siteId, '', '');
    const page = await queryPage(
      {
        TableName: this.table,
        IndexName: OPEN_PURCHASE_ORDERS_INDEX,
        KeyConditionExpression: 'poPk = :pk',
        ...(status === 'open'
          ? { ExpressionAttributeValues: { ':pk': poPk } }
          : { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':pk': poPk, ':status': status } }),
        Limit: limit,
      },
      cursor,
    );
    return { purchaseOrders: page.items.map(purchaseOrderOf), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  /** Received or cancelled POs, the latest closed first. */
  async listClosed(siteId: string, status: ClosedStatus, limit: number, cursor: string | undefined) {
    const page = await queryPage(
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': inventoryKeys.closedPurchaseOrder(siteId, status, '', '').pk, ':prefix': `${status}#` },
        ScanIndexForward: false,
        Limit: limit,
      },
      cursor,
    );
    return { purchaseOrders: page.items.map(purchaseOrderOf), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  /** A new PO, on condition its id is free; listed as open from the start. */
  createWrite(po: PurchaseOrderRecord): TransactItem {
    return { Put: { TableName: this.table, Item: this.itemOf(po), ConditionExpression: 'attribute_not_exists(pk)' } };
  }

  /**
   * The PO after a change, on condition it is still at `readVersion`. A closed PO leaves the openPos index (the
   * whole item is replaced, so the index attributes go with it) and its copy is put for the closed listing.
   */
  changeWrites(po: PurchaseOrderRecord, readVersion: number): TransactItem[] {
    const update: TransactItem = {
      Put: { TableName: this.table, Item: this.itemOf(po), ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': readVersion } },
    };
    if (!isClosed(po.status)) return [update];
    if (!po.closedAt) throw new Error(`purchase order ${po.purchaseOrderId} closes without closedAt`);
    const copy = { ...inventoryKeys.closedPurchaseOrder(po.siteId, po.status, po.closedAt, po.purchaseOrderId), ...po };
    return [update, { Put: { TableName: this.table, Item: copy, ConditionExpression: 'attribute_not_exists(pk)' } }];
  }

  receiptWrite(receipt: PurchaseOrderReceipt): TransactItem {
    const key = inventoryKeys.purchaseOrderReceipt(receipt.siteId, receipt.purchaseOrderId, receipt.at, receipt.receiptId);
    return { Put: { TableName: this.table, Item: { ...key, ...receipt }, ConditionExpression: 'attribute_not_exists(pk)' } };
  }

  /** `items` and the events' outbox items in one transaction; the table's stream publishes them. */
  commit(items: TransactItem[], events: EventEnvelope[]): Promise<void> {
    return commitWithEvents({ tableName: this.table, topicArn: this.topicArn, publishedBy: 'stream' }, items, events);
  }

  private itemOf(po: PurchaseOrderRecord): Record<string, unknown> {
    const open = isClosed(po.status) ? {} : indexKeys.openPurchaseOrder(po.siteId, po.supplierId, po.purchaseOrderId);
    return { ...inventoryKeys.purchaseOrder(po.siteId, po.purchaseOrderId), ...po, ...open };
  }
}
