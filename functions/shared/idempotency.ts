// Idempotency-Key support for POSTs: the first request with a key runs; a replay with the same key and
// the same body gets the stored response; the same key with another body is a 422. Records live in the
// domain's own table (one domain, one table) and expire after 24 hours.
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { dynamoDb } from './aws-clients';
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

interface StoredRecord {
  status: 'IN_PROGRESS' | 'COMPLETED';
  fingerprint: string;
  response?: { status: number; body: string; headers?: Record<string, string> };
}

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
  const itemKey = { pk: `IDEMPOTENCY#${options.scope}#${key}`, sk: 'IDEMPOTENCY' };
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
  const serialised = result.rawBody ?? (result.body === undefined ? '' : JSON.stringify(result.body));
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: itemKey,
      UpdateExpression: 'SET #status = :completed, #response = :response REMOVE lockedUntil',
      ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
      ExpressionAttributeValues: {
        ':completed': 'COMPLETED',
        // Stored serialised so a replay is byte-identical to the first response.
        ':response': { status: result.status ?? 200, body: serialised, headers: result.headers ?? {} },
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
    if (record.fingerprint !== fingerprint) {
      throw new UnprocessableError('Idempotency-Key was already used with a different request');
    }
    if (record.status === 'COMPLETED' && record.response) {
      return {
        status: record.response.status,
        rawBody: record.response.body,
        headers: { ...(record.response.headers ?? {}), 'idempotent-replayed': 'true' },
      };
    }
    if (Date.now() >= deadline) throw new ConflictError('A request with this Idempotency-Key is still in progress');
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
