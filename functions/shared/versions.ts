// The version a client read, sent back with an edit so a stale edit is a 409 (optimistic concurrency).
import * as z from 'zod';

/**
 * A record's version counts its changes: no record reaches a billion. A bound a client cannot pass also keeps
 * `version + 1` an exact integer DynamoDB takes (2^53 − 1 was a 500 where a write computed the next version).
 */
export const MAX_VERSION = 1_000_000_000;

export const expectedVersionSchema = z.number().int().min(1).max(MAX_VERSION);
