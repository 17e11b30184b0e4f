import { linkLocation } from './holds';
import { linkLocationSchema, locationParamsSchema } from './hold-schemas';
import { httpRoute } from './policies';

// Names a storage location and links the refrigeration units whose excursions hold its stock; replaces the links.
export const handler = httpRoute(
  { route: 'PUT /sites/{siteId}/inventory/locations/{location}', params: locationParamsSchema, body: linkLocationSchema, bodyLimit: 4 * 1024 },
  async ({ params, body, caller }) => ({ body: await linkLocation(params.siteId, params.location, body, caller) }),
);
