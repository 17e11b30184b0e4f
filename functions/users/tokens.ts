// Issues access tokens (ES256 JWTs) and refresh tokens (opaque, random, only their hash stored).
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { importJWK, SignJWT, type CryptoKey } from 'jose';
import { createHash, randomBytes } from 'node:crypto';
import { secretsManagerClient } from '#shared/clients/secrets-manager';
import type { Role } from '#shared/identity';
import { ACCESS_TOKEN_TTL_SECONDS, signingKeysSchema } from './signing-keys';

const KEY_CACHE_MS = 5 * 60_000; // a rotated key starts signing within five minutes

let signer: { kid: string; key: CryptoKey; loadedAt: number } | undefined;

async function activeKey(secretName: string) {
  if (signer && Date.now() - signer.loadedAt < KEY_CACHE_MS) return signer;
  const { SecretString } = await secretsManagerClient().send(new GetSecretValueCommand({ SecretId: secretName }));
  const keys = signingKeysSchema.parse(JSON.parse(SecretString ?? '{}'));
  const active = keys.keys.find((k) => k.kid === keys.activeKid);
  if (!active) throw new Error('signing keys secret has no active key');
  signer = { kid: active.kid, key: (await importJWK(active.privateJwk, 'ES256')) as CryptoKey, loadedAt: Date.now() };
  return signer;
}

export interface TokenSettings {
  issuer: string;
  audience: string;
  signingKeysSecret: string;
}

export async function issueAccessToken(
  settings: TokenSettings,
  subject: { userId: string; role: Role; sites: string[]; sessionId: string },
): Promise<{ accessToken: string; expiresIn: number }> {
  const { kid, key } = await activeKey(settings.signingKeysSecret);
  const accessToken = await new SignJWT({ role: subject.role, sites: subject.sites, sid: subject.sessionId })
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setSubject(subject.userId)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .sign(key);
  return { accessToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
}

export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
