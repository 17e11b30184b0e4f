import { movementRoute } from './movement-route';
import { wasteOf } from './movements';
import { wasteSchema } from './schemas';

export const handler = movementRoute('POST /sites/{siteId}/inventory/items/{itemId}/waste', wasteSchema, wasteOf);
