import { httpRoute } from './policies';
import { runOf } from './runs';
import { runParamsSchema } from './run-schemas';

// One forecast run: its history, trigger, and every model it chose with its parameters and backtest.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/forecast/runs/{runId}', params: runParamsSchema }, async ({ params }) =>
  runOf(params.siteId, params.runId),
);
