import { movementRoute } from './movement-route';
import { countOf } from './movements';
import { countSchema } from './schemas';

export const handler = movementRoute('POST /sites/{siteId}/inventory/items/{itemId}/counts', countSchema, countOf);
