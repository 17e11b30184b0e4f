import { punchRoute } from './punch-route';
import { clockInBodySchema } from './schemas';

export const handler = punchRoute('clock-in', clockInBodySchema);
