// Forecast runs in the forecast table: every run's results with their models, parameters and creation time, so a
// manager sees what was forecast when, and the forecasts of each day at fixed horizons, for forecast-vs-actual.
//   SITE#{site}#RUNS / RUN#{runId}              the run: createdAt, trigger, by, history, its parts' methods
//   SITE#{site}#RUN#{runId} / PART#{part}#{n}   one result (a metric's daily forecast, the hourly one, every item's…)
//                                               as JSON text, in pieces #000, #001… of at most PIECE_CHARS
//                                               characters (DynamoDB keeps at most 400 KB per item)
//   SITE#{site}#TRACK / {metric}#{date}#h{hh}   what the run made h days before `date` said of it (mean, intervals)
//   SITES / SITE#{site}                         lastDay: the newest day learnt (the nightly job's "is a run due?")
// Run ids sort by creation time, so the newest run is the last of its site's RUNS partition. Runs and tracks expire
// after RUN_RETENTION_DAYS (TTL), long enough to compare a forecast with the same day last year.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';
import { batchWriteAll, isConditionFailure, queryAll, queryPage } from '#shared/dynamodb';

export const RUN_RETENTION_DAYS = 400;

export type RunTrigger = 'nightly' | 'on-demand';

export interface RunPartSummary {
  part: string;
  /** The model's method, e.g. `ETS(M,N,M)`; absent for parts that are derived (ingredients, staffing). */
  method?: string;
  fallback?: string;
}

export interface RunHeader {
  runId: string;
  createdAt: string;
  trigger: RunTrigger;
  /** Who asked (on demand): a user id. */
  by?: string;
  /** The learnt days the run read. */
  history: { from: string; to: string } | null;
  parts: RunPartSummary[];
  /** How long the run took, milliseconds. */
  tookMs: number;
}

export interface RunPart {
  part: string;
  body: unknown;
}

export interface TrackedForecast {
  metric: string;
  date: string;
  /** Days between the last learnt day of the run and `date`. */
  horizon: number;
  mean: number | null;
  lower80: number | null;
  upper80: number | null;
  lower95: number | null;
  upper95: number | null;
  runId: string;
  createdAt: string;
}

const runsPk = (siteId: string) => `SITE#${siteId}#RUNS`;
const runPk = (siteId: string, runId: string) => `SITE#${siteId}#RUN#${runId}`;
const trackPk = (siteId: string) => `SITE#${siteId}#TRACK`;
const SITES_PK = 'SITES';
/** Characters of a part's JSON per item: well under 400 KB even when every character takes 3 bytes in UTF-8. */
export const PIECE_CHARS = 120_000;
const pieceTag = (n: number) => String(n).padStart(3, '0');

/** A part's JSON text in pieces, each an item of the run's partition. */
function piecesOf(part: RunPart): Array<{ sk: string; body: string }> {
  const text = JSON.stringify(part.body);
  const pieces: Array<{ sk: string; body: string }> = [];
  for (let start = 0, n = 0; start === 0 || start < text.length; start += PIECE_CHARS, n++) pieces.push({ sk: `PART#${part.part}#${pieceTag(n)}`, body: text.slice(start, start + PIECE_CHARS) });
  return pieces;
}

const horizonTag = (horizon: number) => `h${String(horizon).padStart(2, '0')}`;

/** The nightly job's entry of a site (learnDailyFigures keeps it; the demo seed writes it with the days). */
export const siteEntryItem = (siteId: string, lastDay: string) => ({ pk: SITES_PK, sk: `SITE#${siteId}`, siteId, lastDay });

/** `r20261203T031500123Z-9f3a`: the creation instant first, so ids sort by time; the suffix keeps same-millisecond runs apart. */
export function runIdOf(createdAt: string, suffix: string): string {
  return `r${createdAt.replace(/[-:.]/g, '')}-${suffix}`;
}

/** A tracked forecast's item (the demo seed writes its backfill with it too). */
export const trackedItem = (siteId: string, track: TrackedForecast) => ({
  pk: trackPk(siteId),
  sk: `${track.metric}#${track.date}#${horizonTag(track.horizon)}`,
  ...track,
  expiresAt: expiresAt(track.createdAt),
});

function expiresAt(createdAt: string): number {
  return Math.floor(Date.parse(createdAt) / 1000) + RUN_RETENTION_DAYS * 86_400;
}

const headerOf = (item: Record<string, unknown>): RunHeader => ({
  runId: item.runId as string,
  createdAt: item.createdAt as string,
  trigger: item.trigger as RunTrigger,
  ...(typeof item.by === 'string' ? { by: item.by } : {}),
  history: (item.history as RunHeader['history']) ?? null,
  parts: (item.parts as RunPartSummary[]) ?? [],
  tookMs: item.tookMs as number,
});

export class RunStore {
  constructor(private readonly table: string) {}

  /** The parts first, the header last: a run is listed only once all of it is readable. */
  async save(siteId: string, header: RunHeader, parts: readonly RunPart[], tracked: readonly TrackedForecast[]): Promise<void> {
    const ttl = expiresAt(header.createdAt);
    await batchWriteAll(this.table, [
      ...parts.flatMap((part) => piecesOf(part).map((piece) => ({ put: { pk: runPk(siteId, header.runId), ...piece, expiresAt: ttl } }))),
      ...tracked.map((track) => ({ put: trackedItem(siteId, track) })),
    ]);
    await batchWriteAll(this.table, [{ put: { pk: runsPk(siteId), sk: `RUN#${header.runId}`, ...header, expiresAt: ttl } }]);
  }

  async latest(siteId: string): Promise<RunHeader | undefined> {
    const page = await queryPage(
      { TableName: this.table, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)', ExpressionAttributeValues: { ':pk': runsPk(siteId), ':run': 'RUN#' }, ScanIndexForward: false, Limit: 1 },
      undefined,
    );
    const item = page.items[0];
    return item ? headerOf(item) : undefined;
  }

  async header(siteId: string, runId: string): Promise<RunHeader | undefined> {
    const result = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: { pk: runsPk(siteId), sk: `RUN#${runId}` } }));
    return result.Item ? headerOf(result.Item) : undefined;
  }

  /** The site's runs, newest first, a page at a time. */
  async list(siteId: string, limit: number, cursor: string | undefined): Promise<{ runs: RunHeader[]; nextCursor?: string }> {
    const page = await queryPage(
      { TableName: this.table, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)', ExpressionAttributeValues: { ':pk': runsPk(siteId), ':run': 'RUN#' }, ScanIndexForward: false, Limit: limit },
      cursor,
    );
    return { runs: page.items.map(headerOf), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  /** A part's body, put back together from its pieces; undefined when the run has no such part. */
  async part<T>(siteId: string, runId: string, part: string): Promise<T | undefined> {
    const pieces = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :part)',
      ExpressionAttributeValues: { ':pk': runPk(siteId, runId), ':part': `PART#${part}#` },
    });
    return pieces.length === 0 ? undefined : (JSON.parse(pieces.map((piece) => piece.body as string).join('')) as T);
  }

  /** Every part of a run, by name. */
  async parts(siteId: string, runId: string): Promise<Map<string, unknown>> {
    const pieces = await queryAll({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': runPk(siteId, runId) } });
    const texts = new Map<string, string>();
    for (const piece of pieces) {
      const part = (piece.sk as string).slice('PART#'.length, -'#000'.length);
      texts.set(part, (texts.get(part) ?? '') + (piece.body as string));
    }
    return new Map([...texts].map(([part, text]) => [part, JSON.parse(text) as unknown]));
  }

  /** What was forecast for each day of `[from, to]` at `horizon` days ahead, oldest first. */
  async tracked(siteId: string, metric: string, from: string, to: string, horizon: number): Promise<TrackedForecast[]> {
    const items = await queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': trackPk(siteId), ':from': `${metric}#${from}`, ':to': `${metric}#${to}#~` },
    });
    const tag = `#${horizonTag(horizon)}`;
    return items.filter((item) => (item.sk as string).endsWith(tag)).map(({ pk: _pk, sk: _sk, expiresAt: _ttl, ...track }) => track as TrackedForecast);
  }

  /** Keeps the newest day learnt per site, for the nightly job. */
  async noteLearntDay(siteId: string, date: string): Promise<void> {
    try {
      await dynamoDb().send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: SITES_PK, sk: `SITE#${siteId}` },
          UpdateExpression: 'SET siteId = :site, lastDay = :date',
          ConditionExpression: 'attribute_not_exists(lastDay) OR lastDay < :date',
          ExpressionAttributeValues: { ':site': siteId, ':date': date },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async lastLearntDay(siteId: string): Promise<string | undefined> {
    const result = await dynamoDb().send(new GetCommand({ TableName: this.table, Key: { pk: SITES_PK, sk: `SITE#${siteId}` }, ConsistentRead: true }));
    return result.Item?.lastDay as string | undefined;
  }

  async sites(): Promise<Array<{ siteId: string; lastDay: string }>> {
    const items = await queryAll({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': SITES_PK } });
    return items.map((item) => ({ siteId: item.siteId as string, lastDay: item.lastDay as string }));
  }
}
