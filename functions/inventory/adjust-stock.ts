import { movementRoute } from './movement-route';
import { adjustmentOf } from './movements';
import { adjustmentSchema } from './schemas';

export const handler = movementRoute('POST /sites/{siteId}/inventory/items/{itemId}/adjustments', adjustmentSchema, adjustmentOf);
