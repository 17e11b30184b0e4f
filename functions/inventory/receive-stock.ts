import { movementRoute } from './movement-route';
import { receiptOf } from './movements';
import { receiveSchema } from './schemas';

export const handler = movementRoute('POST /sites/{siteId}/inventory/items/{itemId}/receipts', receiveSchema, receiptOf);
