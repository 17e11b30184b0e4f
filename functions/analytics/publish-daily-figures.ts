import * as z from 'zod';
import { loadConfig } from '#shared/config';
import { scheduledJob } from '#shared/jobs';
import { publishDailyFigures } from './daily-figures';

// Only this job publishes: the topic is checked at its cold start, not every analytics function's.
const { EVENTS_TOPIC_ARN } = loadConfig(z.object({ EVENTS_TOPIC_ARN: z.string().startsWith('arn:') }));

// Hourly: each site's closed days whose figures changed since last published → analytics.daily-figures. Hourly, not
// nightly, because "yesterday" begins at a different UTC hour in every site's zone. Quiet when nothing changed.
export const handler = scheduledJob('publish-daily-figures', ({ now, correlationId }) => publishDailyFigures(EVENTS_TOPIC_ARN, now.getTime(), correlationId), {
  quiet: (run) => run.published === 0,
});
