// The ES256 signing keys: private keys in a Secrets Manager secret (only this domain reads it), public keys as a
// JWKS in the revocations table (functions/shared/public-keys.ts; every protected handler reads it). Rotation adds
// a key and makes it active; retired keys stay in the JWKS until tokens they signed have expired.
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import * as z from 'zod';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

const privateJwkSchema = z.looseObject({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string(), y: z.string(), d: z.string() });
export const signingKeysSchema = z.object({
  activeKid: z.string(),
  keys: z.array(z.object({ kid: z.string(), privateJwk: privateJwkSchema, createdAt: z.iso.datetime(), retiredAt: z.iso.datetime().optional() })),
});
export type SigningKeys = z.infer<typeof signingKeysSchema>;

export async function newSigningKey(now = new Date()): Promise<SigningKeys['keys'][number]> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const privateJwk = (await exportJWK(privateKey)) as z.infer<typeof privateJwkSchema>;
  return { kid: `${now.toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`, privateJwk, createdAt: now.toISOString() };
}

export async function initialSigningKeys(): Promise<SigningKeys> {
  const key = await newSigningKey();
  return { activeKid: key.kid, keys: [key] };
}

/** Makes a new key active; keys retired longer ago than a token lives are dropped. */
export async function rotateSigningKeys(current: SigningKeys, now = new Date()): Promise<SigningKeys> {
  const fresh = await newSigningKey(now);
  const keep = current.keys
    .map((k) => (k.kid === current.activeKid ? { ...k, retiredAt: now.toISOString() } : k))
    .filter((k) => !k.retiredAt || now.getTime() - Date.parse(k.retiredAt) < (ACCESS_TOKEN_TTL_SECONDS + 300) * 1000);
  return { activeKid: fresh.kid, keys: [...keep, fresh] };
}

export function publicJwks(keys: SigningKeys): { keys: JWK[] } {
  return {
    keys: keys.keys.map(({ kid, privateJwk }) => ({ kty: 'EC', crv: 'P-256', x: privateJwk.x, y: privateJwk.y, kid, alg: 'ES256', use: 'sig' })),
  };
}
