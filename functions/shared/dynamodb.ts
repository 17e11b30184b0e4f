// The DynamoDB toolkit every store uses, so each rule has one meaning:
//   - a *condition failure* is only DynamoDB's ConditionalCheckFailed (on a single write, or as the reason of a
//     cancelled transaction). Throttling, validation or a transaction conflict is never "changed by someone else";
//   - a *lost race* is a condition failure or a TransactionConflict (another transaction held the item): the
//     cases `retryOnConflict` retries, with jittered exponential back-off;
//   - a *cursor* is bound to the query that issued it (table, index, key condition, values, order, filter): a
//     cursor from another query, a tampered one or one DynamoDB refuses is a 400, never a 500;
//   - batch reads and writes retry unprocessed items with back-off and fail loudly when they stay unprocessed;
//   - conditional writes that are independent of each other go 25 to a round trip as PartiQL statements
//     (`executeStatements`), each with its own outcome, as if sent one by one.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchExecuteStatementCommand,
  BatchGetCommand,
  BatchWriteCommand,
  QueryCommand,
  UpdateCommand,
  type NativeAttributeValue,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { dynamoDb } from './clients/dynamodb';
import { BadRequestError, ConflictError } from './errors';

export type Item = Record<string, NativeAttributeValue>;
export type Key = Record<string, string | number>;

// ---------------------------------------------------------------------------------------------- conflicts

/** The reason code of each item of a cancelled transaction ('None' where that item was fine). */
export function cancellationReasons(error: unknown): string[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  return (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
}

/** A condition on what was read no longer holds: on a single write, or on any item of a transaction. */
export function isConditionFailure(error: unknown): boolean {
  if (error instanceof ConditionalCheckFailedException) return true;
  return cancellationReasons(error)?.includes('ConditionalCheckFailed') ?? false;
}

/** The condition of transaction item `index` (in the order the items were given) failed. */
export function conditionFailedAt(error: unknown, index: number): boolean {
  return cancellationReasons(error)?.[index] === 'ConditionalCheckFailed';
}

/** Another transaction was working on one of the items at the same time; nothing was wrong with ours. */
export function isTransactionConflict(error: unknown): boolean {
  return cancellationReasons(error)?.includes('TransactionConflict') ?? false;
}

/** The item is not the version this writer read: a 409 for the client, or a retry for writes that commute. */
export class VersionConflictError extends ConflictError {
  override name = 'VersionConflictError';
  constructor(what: string, details?: unknown) {
    super(`The ${what} was changed by someone else; reload and retry`, details);
  }
}

/**
 * SETs `fields` on the item at `key` on condition that it is still at `version` (a manager's edit: only the fields
 * it names change, so another writer's fields are never overwritten); returns the item after it. A stale version
 * is a VersionConflictError naming `what`.
 */
export async function updateOnVersion(
  tableName: string,
  key: Key,
  version: number,
  fields: Record<string, NativeAttributeValue>,
  what: string,
  details?: unknown,
): Promise<Item> {
  const names = Object.keys(fields);
  try {
    const { Attributes } = await dynamoDb().send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
        ConditionExpression: 'version = :version',
        ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#f${i}`, name])),
        ExpressionAttributeValues: { ...Object.fromEntries(Object.values(fields).map((value, i) => [`:f${i}`, value])), ':version': version },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes ?? {};
  } catch (error) {
    if (isConditionFailure(error)) throw new VersionConflictError(what, details);
    throw error;
  }
}

/** A write lost to a concurrent one, and may succeed if it is recomputed from a fresh read. */
export function lostRace(error: unknown): boolean {
  return error instanceof VersionConflictError || isConditionFailure(error) || isTransactionConflict(error);
}

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts?: number;
  /** Which errors are worth another attempt; `lostRace` unless said otherwise. */
  retryIf?: (error: unknown) => boolean;
  /** Back-off base in ms: attempt n waits a random time in [0, base × 2^n), capped at 2^5. */
  baseDelayMs?: number;
  /** The error to throw when every attempt lost (the last error by default). */
  exhausted?: (lastError: unknown) => Error;
}

/** Full-jitter exponential back-off: racing writers spread out instead of colliding again in step. */
export const backOff = (attempt: number, baseDelayMs = 25) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * baseDelayMs * 2 ** Math.min(attempt, 5)));

/**
 * Runs `attempt` (which reads, decides and writes conditionally) until it does not lose a race, at most
 * `attempts` times. `attempt` gets its number, from 1.
 */
export async function retryOnConflict<T>(attempt: (n: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  const retryIf = options.retryIf ?? lostRace;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!retryIf(error)) throw error;
      if (n >= attempts) throw options.exhausted ? options.exhausted(error) : error;
      await backOff(n, options.baseDelayMs);
    }
  }
}

// ---------------------------------------------------------------------------------------------- cursors

const CURSOR_VERSION = 1;
const INVALID_CURSOR = 'Invalid cursor: it belongs to another query or was altered; start again without it';

/** Everything that decides which items a query returns and in which order; a cursor is valid only for it. */
export type QueryBinding = Pick<
  QueryCommandInput,
  'TableName' | 'IndexName' | 'KeyConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues' | 'ScanIndexForward' | 'FilterExpression'
>;

function digest(binding: QueryBinding, key: Key): string {
  const bound = [
    binding.TableName,
    binding.IndexName ?? '',
    binding.KeyConditionExpression,
    binding.FilterExpression ?? '',
    binding.ScanIndexForward !== false,
    // The names too: `#f = :v` means another thing when #f names another attribute.
    sorted(binding.ExpressionAttributeNames ?? {}),
    sorted(binding.ExpressionAttributeValues ?? {}),
    sorted(key),
  ];
  return createHash('sha256').update(JSON.stringify(bound)).digest('base64url').slice(0, 22);
}

function sorted(record: Record<string, unknown>): Array<[string, unknown]> {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The opaque cursor for the page after `lastKey` of this query. */
export function encodeCursor(binding: QueryBinding, lastKey: Item | undefined): string | undefined {
  if (!lastKey) return undefined;
  const key = lastKey as Key;
  return Buffer.from(JSON.stringify({ v: CURSOR_VERSION, k: key, d: digest(binding, key) })).toString('base64url');
}

/** The start key a cursor stands for, if it was issued by this very query and is intact; otherwise a 400. */
export function decodeCursor(binding: QueryBinding, cursor: string | undefined): Key | undefined {
  if (cursor === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequestError(INVALID_CURSOR);
  }
  const { v, k, d } = (parsed ?? {}) as { v?: unknown; k?: unknown; d?: unknown };
  if (v !== CURSOR_VERSION || typeof d !== 'string' || !isKey(k) || digest(binding, k) !== d) throw new BadRequestError(INVALID_CURSOR);
  return k;
}

function isKey(value: unknown): value is Key {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length > 0 &&
    entries.length <= 4 &&
    entries.every(([, v]) => (typeof v === 'string' && v.length > 0 && v.length <= 2048) || (typeof v === 'number' && Number.isFinite(v)))
  );
}

function isValidationError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ValidationException';
}

/**
 * One page of a query, resumed from `cursor`. The cursor returned is bound to this query; a start key DynamoDB
 * refuses anyway (it does not fit the key condition) is the client's mistake, answered 400.
 */
export async function queryPage(input: QueryCommandInput, cursor: string | undefined): Promise<{ items: Item[]; nextCursor?: string }> {
  const start = decodeCursor(input, cursor);
  try {
    const result = await dynamoDb().send(new QueryCommand({ ...input, ...(start && { ExclusiveStartKey: start }) }));
    const nextCursor = encodeCursor(input, result.LastEvaluatedKey);
    return { items: result.Items ?? [], ...(nextCursor && { nextCursor }) };
  } catch (error) {
    if (start && isValidationError(error)) throw new BadRequestError(INVALID_CURSOR);
    throw error;
  }
}

/**
 * Items of a query from `cursor`, page after page, for as long as `fits` takes them (called once per item, in
 * order: a byte budget, a count); the first it refuses ends the answer. The cursor returned resumes at that item,
 * bound to this query as queryPage's is. The first item is always taken, so every answer moves on.
 */
export async function queryWhile(
  input: QueryCommandInput,
  cursor: string | undefined,
  keyOf: (item: Item) => Key,
  fits: (item: Item) => boolean,
): Promise<{ items: Item[]; nextCursor?: string }> {
  let start: Item | undefined = decodeCursor(input, cursor);
  const fromCursor = start !== undefined;
  const items: Item[] = [];
  try {
    do {
      const page = await dynamoDb().send(new QueryCommand({ ...input, ...(start && { ExclusiveStartKey: start }) }));
      for (const item of page.Items ?? []) {
        const taken = fits(item);
        if (!taken && items.length > 0) return { items, nextCursor: encodeCursor(input, keyOf(items[items.length - 1]!)) };
        items.push(item);
      }
      start = page.LastEvaluatedKey;
    } while (start);
  } catch (error) {
    if (fromCursor && items.length === 0 && isValidationError(error)) throw new BadRequestError(INVALID_CURSOR);
    throw error;
  }
  return { items };
}

/** Every item a query matches, page after page (for bounded sets: a site's devices, a user's settings…). */
export async function queryAll(input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await dynamoDb().send(new QueryCommand({ ...input, ...(start && { ExclusiveStartKey: start }) }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

// ---------------------------------------------------------------------------------------------- batches

const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;
const BATCH_ATTEMPTS = 6;

/** Thrown when DynamoDB keeps leaving items unprocessed (sustained throttling): the caller's retry handles it. */
export class UnprocessedItemsError extends Error {
  constructor(operation: string, left: number) {
    super(`${operation}: ${left} items still unprocessed after ${BATCH_ATTEMPTS} attempts`);
    this.name = 'UnprocessedItemsError';
  }
}

/** Every item found for `keys` (in no particular order; missing keys are simply absent; a repeated key counts once). */
export async function batchGetAll(tableName: string, keys: readonly Key[], options: { consistentRead?: boolean } = {}): Promise<Item[]> {
  const found: Item[] = [];
  // BatchGetItem refuses a request that names one key twice (ValidationException).
  let pending = [...new Map(keys.map((key) => [JSON.stringify(sorted(key)), key])).values()];
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > BATCH_ATTEMPTS) throw new UnprocessedItemsError('BatchGetItem', pending.length);
    const chunks = chunk(pending, BATCH_GET_LIMIT);
    pending = [];
    const results = await Promise.all(
      chunks.map((Keys) =>
        dynamoDb().send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys, ConsistentRead: options.consistentRead ?? false } } })),
      ),
    );
    for (const result of results) {
      found.push(...(result.Responses?.[tableName] ?? []));
      pending.push(...((result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[]));
    }
    if (pending.length > 0 && attempt < BATCH_ATTEMPTS) await backOff(attempt, 50);
  }
  return found;
}

export type WriteRequest = { put: Item } | { delete: Key };

/** Puts and deletes in batches of 25 (not atomic: for independent items only). */
export async function batchWriteAll(tableName: string, requests: readonly WriteRequest[]): Promise<void> {
  type Raw = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Key } };
  let pending: Raw[] = requests.map((r) => ('put' in r ? { PutRequest: { Item: r.put } } : { DeleteRequest: { Key: r.delete } }));
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > BATCH_ATTEMPTS) throw new UnprocessedItemsError('BatchWriteItem', pending.length);
    const chunks = chunk(pending, BATCH_WRITE_LIMIT);
    pending = [];
    const results = await Promise.all(chunks.map((batch) => dynamoDb().send(new BatchWriteCommand({ RequestItems: { [tableName]: batch } }))));
    for (const result of results) pending.push(...((result.UnprocessedItems?.[tableName] ?? []) as Raw[]));
    if (pending.length > 0 && attempt < BATCH_ATTEMPTS) await backOff(attempt, 50);
  }
}

// ---------------------------------------------------------------------------------------------- statements

/** One PartiQL statement with its parameters (native values, marshalled by the document client). */
export interface Statement {
  Statement: string;
  Parameters?: NativeAttributeValue[];
  /** The item it writes (table and key): a round trip names each item once (below). */
  item: string;
}

/** How a statement ended: done, or DynamoDB's code for why not (`ConditionalCheckFailed`, `DuplicateItem`, …). */
export type StatementOutcome = { ok: true } | { ok: false; code: string; message?: string };

const BATCH_STATEMENT_LIMIT = 25;
/** Codes that say "not now" rather than "no": the statement is sent again after a back-off. */
const RETRIED_STATEMENT_CODES = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded', 'InternalServerError', 'TransactionConflict']);

/**
 * Independent writes, 25 to a round trip (BatchExecuteStatement), each succeeding or failing on its own as the
 * single call it stands for would: an INSERT finding its item answers `DuplicateItem`, an UPDATE whose WHERE finds
 * no item `ConditionalCheckFailed`. Statements refused for throughput or a conflict are sent again with back-off;
 * still refused after the last attempt, they are returned with their code. Outcomes in the order of `statements`.
 *
 * DynamoDB refuses a whole batch that names one item twice (ValidationException): statements on an item already
 * named go in a later round, after the earlier ones have ended, so they apply in the order given, as one by one.
 */
export async function executeStatements(statements: readonly Statement[]): Promise<StatementOutcome[]> {
  const outcomes: StatementOutcome[] = [];
  for (const round of roundsByItem(statements)) {
    let pending = round;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const batches = chunk(pending, BATCH_STATEMENT_LIMIT);
      pending = [];
      const results = await Promise.all(
        batches.map((batch) => dynamoDb().send(new BatchExecuteStatementCommand({ Statements: batch.map(({ statement: { Statement, Parameters } }) => ({ Statement, Parameters })) }))),
      );
      results.forEach((result, b) =>
        batches[b]!.forEach((entry, i) => {
          const error = result.Responses?.[i]?.Error;
          if (!error) outcomes[entry.index] = { ok: true };
          else if (RETRIED_STATEMENT_CODES.has(error.Code ?? '') && attempt < BATCH_ATTEMPTS) pending.push(entry);
          else outcomes[entry.index] = { ok: false, code: error.Code ?? 'Unknown', message: error.Message };
        }),
      );
      if (pending.length > 0) await backOff(attempt, 50);
    }
  }
  return outcomes;
}

/** The n-th statement on an item goes in round n: no round names an item twice. */
function roundsByItem(statements: readonly Statement[]): Array<Array<{ statement: Statement; index: number }>> {
  const rounds: Array<Array<{ statement: Statement; index: number }>> = [];
  const seen = new Map<string, number>();
  statements.forEach((statement, index) => {
    const round = seen.get(statement.item) ?? 0;
    seen.set(statement.item, round + 1);
    (rounds[round] ??= []).push({ statement, index });
  });
  return rounds;
}

const itemOf = (tableName: string, key: Key) => JSON.stringify([tableName, sorted(key)]);

const PARTIQL_NAME = /^[A-Za-z0-9_.-]{1,255}$/;
/** The names are ours, but a quote in one would change the statement: refused rather than escaped. */
const checkedName = (name: string) => {
  if (!PARTIQL_NAME.test(name)) throw new Error(`not usable as a PartiQL name: ${name}`);
  return name;
};
const identifier = (name: string) => `"${checkedName(name)}"`;

/** Puts `attributes` at `key` unless an item is there (then the outcome is `DuplicateItem`). Undefined attributes are left out. */
export function insertStatement(tableName: string, key: Key, attributes: Item): Statement {
  const item: Item = { ...attributes, ...key };
  const names = Object.keys(item).filter((name) => item[name] !== undefined);
  return {
    Statement: `INSERT INTO ${identifier(tableName)} VALUE {${names.map((name) => `'${checkedName(name)}': ?`).join(', ')}}`,
    Parameters: names.map((name) => item[name]),
    item: itemOf(tableName, key),
  };
}

/**
 * Sets attributes (a path such as ['deliveries', 'sms'] names a map entry) and removes others of the item with
 * `key`, only if it exists (else the outcome is `ConditionalCheckFailed`).
 */
export function updateStatement(tableName: string, key: Key, change: { set: Array<[path: string[], value: NativeAttributeValue]>; remove?: string[] }): Statement {
  const keyNames = Object.keys(key);
  return {
    Statement: [
      `UPDATE ${identifier(tableName)}`,
      ...change.set.map(([path]) => `SET ${path.map(identifier).join('.')} = ?`),
      ...(change.remove ?? []).map((name) => `REMOVE ${identifier(name)}`),
      `WHERE ${keyNames.map((name) => `${identifier(name)} = ?`).join(' AND ')}`,
    ].join(' '),
    Parameters: [...change.set.map(([, value]) => value), ...keyNames.map((name) => key[name])],
    item: itemOf(tableName, key),
  };
}

/** `items` in slices of at most `size` (DynamoDB's per-request limits). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
