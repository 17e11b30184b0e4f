import { movementRoute } from './movement-route';
import { transferOf } from './movements';
import { transferSchema } from './schemas';

export const handler = movementRoute('POST /sites/{siteId}/inventory/items/{itemId}/transfers', transferSchema, transferOf);
