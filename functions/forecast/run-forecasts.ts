import * as z from 'zod';
import { scheduledJob } from '#shared/jobs';
import { siteIdSchema } from '#shared/identity';
import { runDueForecasts } from './forecast-run';

/** A direct invocation may name the sites to consider (`npm start` runs the demo site's first run so). */
const onlySitesSchema = z.object({ siteIds: z.array(siteIdSchema).min(1).max(1000) });

// Hourly: each site with a day learnt since its latest run gets its nightly run. Analytics publishes a site's
// yesterday in the hour after the site's midnight, so this is nightly in every site's own zone. Quiet when nothing ran.
export const handler = scheduledJob('run-forecasts', ({ now, correlationId }, event) => runDueForecasts(now.getTime(), { onlySites: onlySitesSchema.safeParse(event).data?.siteIds, correlationId }), {
  quiet: (due) => due.ran === 0 && due.failed === 0,
});
