// A purchase order as the order sheet a supplier reads (CSV, report-csv.ts conventions): one row per line with the
// item's name, the supplier's SKU, the pack, packs ordered and received, the price per pack and the line total, and
// a total row. Brigade does not transmit the PO itself (docs/inventory.md, "Purchase orders"): the manager sends this.
// Pure: purchase-order-lifecycle.ts reads the PO, names, SKUs and currency and answers with it.
import { csvOf, type Column } from './report-csv';
import type { PurchaseOrderRecord } from './schemas';

interface SheetRow {
  row: 'line' | 'total';
  lineId?: string;
  itemId?: string;
  itemName?: string;
  supplierSku?: string;
  packUnit?: string;
  packs?: number;
  receivedPacks?: number;
  packPrice?: number;
  lineTotal: number;
}

const columns: Array<Column<SheetRow>> = [
  { header: 'row', value: (r) => r.row },
  { header: 'line', value: (r) => r.lineId },
  { header: 'item_id', value: (r) => r.itemId },
  { header: 'item_name', value: (r) => r.itemName },
  { header: 'supplier_sku', value: (r) => r.supplierSku },
  { header: 'pack', value: (r) => r.packUnit },
  { header: 'packs', value: (r) => r.packs },
  { header: 'received_packs', value: (r) => r.receivedPacks },
  { header: 'pack_price', value: (r) => r.packPrice, money: true },
  { header: 'line_total', value: (r) => r.lineTotal, money: true },
];

/** The sheet's rows: names and SKUs as known now (an item or offer gone keeps its id and no SKU). */
export function sheetRows(po: Pick<PurchaseOrderRecord, 'lines' | 'total'>, names: ReadonlyMap<string, string>, skus: ReadonlyMap<string, string>): SheetRow[] {
  return [
    ...po.lines.map(
      (line): SheetRow => ({
        row: 'line',
        lineId: line.lineId,
        itemId: line.itemId,
        itemName: names.get(line.itemId) ?? line.itemId,
        ...(skus.has(line.itemId) ? { supplierSku: skus.get(line.itemId) } : {}),
        packUnit: line.packUnit,
        packs: line.packs,
        receivedPacks: line.receivedPacks,
        packPrice: line.packPrice,
        lineTotal: line.packs * line.packPrice,
      }),
    ),
    { row: 'total', lineTotal: po.total },
  ];
}

export const sheetCsv = (po: Pick<PurchaseOrderRecord, 'lines' | 'total'>, names: ReadonlyMap<string, string>, skus: ReadonlyMap<string, string>, currency: string | undefined): string =>
  csvOf(columns, sheetRows(po, names, skus), currency);
