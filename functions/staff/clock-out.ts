import { punchRoute } from './punch-route';
import { punchOnlyBodySchema } from './schemas';

export const handler = punchRoute('clock-out', punchOnlyBodySchema);
