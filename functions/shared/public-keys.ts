// The public JWKS lives as one item of the revocations table, which every protected handler already reads with the
// DynamoDB client: verifying a token then needs no other SDK client. Its key cannot clash with revocation items
// (`USER#…`, `SESSION#…`) and it has no expiresAt, so TTL never removes it. Written by scripts/bootstrap.ts,
// scripts/rotate-keys.ts and, locally, dev/signing-keys.ts.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { JSONWebKeySet } from 'jose';
import { dynamoDb } from './clients/dynamodb';

export const PUBLIC_KEYS_KEY = { pk: 'JWKS' } as const;

/** The item that holds a JWKS document: written as JSON text so readers get back exactly what was published. */
export function publicKeysItem(jwks: JSONWebKeySet): { pk: string; document: string } {
  return { ...PUBLIC_KEYS_KEY, document: JSON.stringify(jwks) };
}

/** The published public keys; an empty set when none were published yet (every token is then refused). */
export async function readPublicKeys(table: string): Promise<JSONWebKeySet> {
  // Consistent, so a key published by a rotation is seen by the next reload rather than a stale replica.
  const { Item } = await dynamoDb().send(new GetCommand({ TableName: table, Key: PUBLIC_KEYS_KEY, ConsistentRead: true }));
  return JSON.parse(typeof Item?.document === 'string' ? Item.document : '{"keys":[]}') as JSONWebKeySet;
}
