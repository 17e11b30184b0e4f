// Idempotency-Key support for POSTs: the first request with a key runs; a replay with the same key and
// the same body gets the stored response; the same key with another body is a 422. Records live in the
// domain's own table (one domain, one table) and expire after 24 hours.
// Why not @aws-lambda-powertools/idempotency (makeIdempotent): it would replay a returned { status, headers, body }
// and can scope by caller and route if we pass them in the payload, but (1) a request meeting an INPROGRESS record
// gets IdempotencyAlreadyInProgressError at once, with no wait for the first to finish (ours polls, then 409);
// (2) in a pk/sk table its records share one partition key (staticPkValue `idempotency#<function>`); ours get a
// partition per key; (3) it writes and completes its record with its own PutItem/UpdateItem, so the record cannot
// go inside the order's TransactWriteItems, which issue 12 needs (order, outbox and key committed together).
//
// Two ways to use it:
//   - withIdempotency: an IN_PROGRESS lock (PutItem), the work, then the stored response (UpdateItem). For work
//     that is not one transaction (a card processor call, a refund reserved then completed).
//   - idempotentRequest + replayOf + completedRecordWrite: no lock; the caller reads the record with its other
//     reads and writes it COMPLETED inside its own transaction, on condition it does not exist. Two concurrent first
//     requests cannot both commit; the loser's transaction writes nothing and it replays the winner's response
//     (replayWinner). For work that is exactly one transaction (POST /orders: 2 round trips fewer).
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { dynamoDb } from './clients/dynamodb';
import { isConditionFailure } from './dynamodb';
import { BadRequestError, ConflictError, UnprocessableError } from './errors';
import type { HttpResult } from './http';

const KEY_FORMAT = /^[A-Za-z0-9_-]{8,128}$/;
const RECORD_TTL_SECONDS = 24 * 60 * 60;
const IN_PROGRESS_LOCK_MS = 30_000;

export interface IdempotencyOptions {
  tableName: string;
  /** What the key is unique within: the route, and the caller once identity exists. */
  scope: string;
  /** How long a replay waits for the first request to finish before answering 409. */
  waitMs?: number;
}

interface StoredResponse {
  status: number;
  /** The body as sent; absent when kept gzipped (`bodyGzip`) or not kept (`bodyBytes`). */
  body?: string;
  bodyGzip?: Uint8Array;
  /** Set when the body was too large to keep even gzipped: its size. */
  bodyBytes?: number;
  headers?: Record<string, string>;
}

/**
 * A record is one DynamoDB item (400 KB at most): a body up to INLINE_BODY_BYTES is kept as text; a larger one
 * (a copy of a fortnight's rota answers every shift it made) gzipped, up to GZIPPED_BODY_BYTES. Past that the work
 * is still done once, and a replay says the first answer was not kept instead of repeating it.
 */
export const INLINE_BODY_BYTES = 200 * 1024;
export const GZIPPED_BODY_BYTES = 300 * 1024;

function storedResponseOf(result: HttpResult, serialised: string): StoredResponse {
  const base = { status: result.status ?? 200, headers: result.headers ?? {} };
  const bytes = Buffer.byteLength(serialised);
  if (bytes <= INLINE_BODY_BYTES) return { ...base, body: serialised };
  const gzipped = gzipSync(serialised);
  if (gzipped.length <= GZIPPED_BODY_BYTES) return { ...base, bodyGzip: gzipped };
  return { ...base, bodyBytes: bytes };
}

function storedBodyOf(response: StoredResponse): { body: string; kept: boolean } {
  if (response.body !== undefined) return { body: response.body, kept: true };
  if (response.bodyGzip) return { body: gunzipSync(response.bodyGzip).toString('utf8'), kept: true };
  return {
    body: JSON.stringify({
      replayed: true,
      message: `This request was done once; its answer (${response.bodyBytes ?? 'unknown'} bytes) was too large to keep for a replay: read the result instead`,
    }),
    kept: false,
  };
}

interface StoredRecord {
  status: 'IN_PROGRESS' | 'COMPLETED';
  fingerprint: string;
  response?: StoredResponse;
}

type ItemKey = { pk: string; sk: string };
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const itemKeyOf = (scope: string, key: string): ItemKey => ({ pk: `IDEMPOTENCY#${scope}#${key}`, sk: 'IDEMPOTENCY' });

export function idempotencyKeyFrom(headers: Record<string, string | undefined>): string {
  const key = headers['idempotency-key'];
  if (!key) throw new BadRequestError('Idempotency-Key header is required');
  if (!KEY_FORMAT.test(key)) throw new BadRequestError('Idempotency-Key must be 8-128 characters of A-Z a-z 0-9 _ -');
  return key;
}

export function fingerprintOf(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export async function withIdempotency(
  options: IdempotencyOptions,
  key: string,
  fingerprint: string,
  run: () => Promise<HttpResult>,
): Promise<HttpResult> {
  const itemKey = itemKeyOf(options.scope, key);
  // A first attempt that failed deletes its record; a replay waiting on it then takes the key itself.
  for (let attempt = 0; attempt < 3; attempt++) {
    const acquired = await acquire(options.tableName, itemKey, fingerprint);
    if (acquired) return runAndStore(options.tableName, itemKey, run);
    const replayed = await replay(options, itemKey, fingerprint);
    if (replayed) return replayed;
  }
  throw new ConflictError('A request with this Idempotency-Key is still in progress');
}

async function acquire(tableName: string, itemKey: { pk: string; sk: string }, fingerprint: string): Promise<boolean> {
  const now = Date.now();
  try {
    await dynamoDb().send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...itemKey,
          status: 'IN_PROGRESS',
          fingerprint,
          lockedUntil: now + IN_PROGRESS_LOCK_MS,
          expiresAt: Math.floor(now / 1000) + RECORD_TTL_SECONDS,
        },
        // A crashed first attempt leaves a lock that expires, so the key is not stuck forever.
        ConditionExpression: 'attribute_not_exists(pk) OR (#status = :inProgress AND lockedUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':inProgress': 'IN_PROGRESS', ':now': now },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return false;
  }
  return true;
}

async function runAndStore(
  tableName: string,
  itemKey: { pk: string; sk: string },
  run: () => Promise<HttpResult>,
): Promise<HttpResult> {
  const db = dynamoDb();
  let result: HttpResult;
  try {
    result = await run();
  } catch (error) {
    // The request did nothing durable that we vouch for: free the key so the client can retry.
    await db.send(new DeleteCommand({ TableName: tableName, Key: itemKey }));
    throw error;
  }
  const serialised = serialise(result);
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: itemKey,
      UpdateExpression: 'SET #status = :completed, #response = :response REMOVE lockedUntil',
      ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
      ExpressionAttributeValues: {
        ':completed': 'COMPLETED',
        // Stored serialised so a replay is byte-identical to the first response.
        ':response': storedResponseOf(result, serialised),
      },
    }),
  );
  return { ...result, rawBody: serialised };
}

async function replay(
  options: IdempotencyOptions,
  itemKey: { pk: string; sk: string },
  fingerprint: string,
): Promise<HttpResult | undefined> {
  const deadline = Date.now() + (options.waitMs ?? 5_000);
  for (let delay = 25; ; delay = Math.min(delay * 2, 250)) {
    const { Item } = await dynamoDb().send(
      new GetCommand({ TableName: options.tableName, Key: itemKey, ConsistentRead: true }),
    );
    const record = Item as StoredRecord | undefined;
    if (!record) return undefined;
    const completed = completedReplay(record, fingerprint);
    if (completed) return completed;
    if (Date.now() >= deadline) throw new ConflictError('A request with this Idempotency-Key is still in progress');
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** The body exactly as sent: serialised once, so the stored copy and the first response are the same bytes. */
function serialise(result: HttpResult): string {
  return result.rawBody ?? (result.body === undefined ? '' : JSON.stringify(result.body));
}

/** 422 for another body under the same key; the stored response when the record is complete. */
function completedReplay(record: StoredRecord, fingerprint: string): HttpResult | undefined {
  if (record.fingerprint !== fingerprint) {
    throw new UnprocessableError('Idempotency-Key was already used with a different request');
  }
  if (record.status !== 'COMPLETED' || !record.response) return undefined;
  const { body, kept } = storedBodyOf(record.response);
  return {
    status: record.response.status,
    rawBody: body,
    headers: { ...(record.response.headers ?? {}), 'idempotent-replayed': 'true', ...(kept ? {} : { 'idempotent-response-kept': 'false' }) },
  };
}

// ---------------------------------------------------------------------------------------- transactional variant

/** One request's Idempotency-Key, for work that commits the record in its own transaction. */
export interface IdempotentRequest {
  tableName: string;
  /** The record's key, for the caller's batch read. */
  itemKey: ItemKey;
  fingerprint: string;
}

export function idempotentRequest(options: Pick<IdempotencyOptions, 'tableName' | 'scope'>, key: string, fingerprint: string): IdempotentRequest {
  return { tableName: options.tableName, itemKey: itemKeyOf(options.scope, key), fingerprint };
}

/**
 * What to answer when the record read with the request's other reads exists: the stored response (same body),
 * a 422 (another body), or a 409 while a withIdempotency lock holds the key. Undefined: the key is new, do the work.
 */
export function replayOf(request: IdempotentRequest, item: Record<string, unknown> | undefined): HttpResult | undefined {
  if (!item) return undefined;
  const record = item as unknown as StoredRecord;
  const completed = completedReplay(record, request.fingerprint);
  if (completed) return completed;
  throw new ConflictError('A request with this Idempotency-Key is still in progress');
}

/**
 * The response serialised once, and the transaction item that stores it as COMPLETED on condition that the key is
 * new: answer with `response`, whose body is the stored bytes.
 */
export function completedRecordWrite(request: IdempotentRequest, result: HttpResult): { response: HttpResult; write: TransactItem } {
  const body = serialise(result);
  const stored = storedResponseOf(result, body);
  return {
    response: { ...result, rawBody: body },
    write: {
      Put: {
        TableName: request.tableName,
        Item: {
          ...request.itemKey,
          status: 'COMPLETED',
          fingerprint: request.fingerprint,
          response: stored,
          expiresAt: Math.floor(Date.now() / 1000) + RECORD_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  };
}

/** The transaction lost at the record item: a concurrent request with the same key committed first. */
export class IdempotencyKeyTakenError extends Error {
  constructor() {
    super('Idempotency-Key already committed by a concurrent request');
  }
}

/** After IdempotencyKeyTakenError: the winner's response (it committed, so its record is there), or a 422. */
export async function replayWinner(request: IdempotentRequest): Promise<HttpResult> {
  const { Item } = await dynamoDb().send(new GetCommand({ TableName: request.tableName, Key: request.itemKey, ConsistentRead: true }));
  const replayed = replayOf(request, Item);
  if (!replayed) throw new ConflictError('A request with this Idempotency-Key is still in progress');
  return replayed;
}
