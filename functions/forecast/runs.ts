// The forecast runs' routes: list them (what was forecast when), read one with its models, and run one now. A run
// on demand returns the run just made when the same history was forecast less than a minute ago (a double click is
// not two runs).
import { NotFoundError } from '#shared/errors';
import type { HttpResult } from '#shared/http';
import { runStore } from './config';
import { runForecast } from './forecast-run';

/** A run newer than this with the same history answers a run on demand. */
export const RERUN_AFTER_MS = 60_000;

export async function listRuns(siteId: string, query: { limit: number; cursor?: string | undefined }): Promise<HttpResult> {
  const page = await runStore.list(siteId, query.limit, query.cursor);
  return { body: { siteId, ...page } };
}

export async function runOf(siteId: string, runId: string): Promise<HttpResult> {
  const header = await runStore.header(siteId, runId);
  if (!header) throw new NotFoundError(`No forecast run ${runId} at this site`);
  // The models of each part with their parameters and backtests, not their forecasts (the forecast routes read
  // those with ?runId=).
  const models = [...(await runStore.parts(siteId, runId))].flatMap(([part, body]) => modelsOf(part, body));
  return { body: { siteId, ...header, models } };
}

interface ModelBody {
  method?: unknown;
  parameters?: unknown;
  backtest?: unknown;
  fallback?: unknown;
  items?: Array<ModelBody & { itemId?: unknown }>;
}

/** A part's models: the part's own (a daily or hourly series), or each menu item's. */
function modelsOf(part: string, body: unknown): Array<Record<string, unknown>> {
  const model = (body ?? {}) as ModelBody;
  const described = (of: ModelBody) => ({ method: of.method, parameters: of.parameters, ...(of.backtest ? { backtest: of.backtest } : {}), ...(of.fallback ? { fallback: of.fallback } : {}) });
  if (typeof model.method === 'string') return [{ part, ...described(model) }];
  return (model.items ?? []).filter((item) => typeof item.method === 'string').map((item) => ({ part, itemId: item.itemId, ...described(item) }));
}

export async function runNow(siteId: string, by: string, now = Date.now()): Promise<HttpResult> {
  const [latest, lastDay] = await Promise.all([runStore.latest(siteId), runStore.lastLearntDay(siteId)]);
  if (latest && now - Date.parse(latest.createdAt) < RERUN_AFTER_MS && latest.history?.to === lastDay) return { status: 200, body: { siteId, ...latest, reused: true } };
  const header = await runForecast(siteId, { trigger: 'on-demand', by, now });
  return { status: 201, body: { siteId, ...header } };
}
