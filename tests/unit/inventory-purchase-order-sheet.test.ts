// The order sheet a supplier reads: one row per line with the item's name and the supplier's SKU, packs ordered and
// received, the price per pack and the line total in minor units and in the currency, and the PO's total.
import { sheetCsv, sheetRows } from '../../functions/inventory/purchase-order-sheet';

const po = {
  total: 2 * 3150 + 3 * 980,
  lines: [
    { lineId: 'L1', itemId: 'cheddar', packUnit: 'block', packSize: 2_500_000, packPrice: 3150, packs: 2, receivedPacks: 1, receivedCost: 3150 },
    { lineId: 'L2', itemId: 'butter', packUnit: 'case', packSize: 10_000_000, packPrice: 980, packs: 3, receivedPacks: 0, receivedCost: 0 },
  ],
};
const names = new Map([['cheddar', 'Aged cheddar, "reserve"']]);
const skus = new Map([['cheddar', 'VD-118']]);

describe('the purchase-order sheet', () => {
  it('has a row per line with names, SKUs and line totals, then the PO total', () => {
    const rows = sheetRows(po, names, skus);
    expect(rows).toEqual([
      { row: 'line', lineId: 'L1', itemId: 'cheddar', itemName: 'Aged cheddar, "reserve"', supplierSku: 'VD-118', packUnit: 'block', packs: 2, receivedPacks: 1, packPrice: 3150, lineTotal: 6300 },
      // An item gone from the table keeps its id as its name, and no SKU.
      { row: 'line', lineId: 'L2', itemId: 'butter', itemName: 'butter', packUnit: 'case', packs: 3, receivedPacks: 0, packPrice: 980, lineTotal: 2940 },
      { row: 'total', lineTotal: 9240 },
    ]);
    expect(rows.filter((r) => r.row === 'line').reduce((sum, r) => sum + r.lineTotal, 0)).toBe(po.total);
  });

  it('as CSV: names quoted, money as minor units and as a decimal of the currency', () => {
    expect(sheetCsv(po, names, skus, 'USD').split('\r\n')).toEqual([
      'row,line,item_id,item_name,supplier_sku,pack,packs,received_packs,pack_price_minor,pack_price,line_total_minor,line_total,currency',
      'line,L1,cheddar,"Aged cheddar, ""reserve""",VD-118,block,2,1,3150,31.50,6300,63.00,USD',
      'line,L2,butter,butter,,case,3,0,980,9.80,2940,29.40,USD',
      'total,,,,,,,,,,9240,92.40,USD',
      '',
    ]);
  });
});
