// Minting access tokens the way an attacker (or, with the genuine key, the users domain) would: the local
// stage's real private signing key is read from the local Secrets Manager, exactly where the login handler
// reads it, so a token minted here with genuine claims must be accepted (the tests' positive control).
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { decodeJwt, decodeProtectedHeader, importJWK, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { region, stage } from './target';

export const ISSUER = `urn:brigade:${stage}`;
export const AUDIENCE = 'brigade-api';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

let active: Promise<SigningKey> | undefined;
/** The active key from `brigade/<stage>/auth/signing-keys` ({ activeKid, keys: [{ kid, privateJwk }] }). */
export function genuineSigningKey(): Promise<SigningKey> {
  active ??= (async () => {
    const client = new SecretsManagerClient({ region, endpoint: process.env.AWS_ENDPOINT_URL });
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: `brigade/${stage}/auth/signing-keys` }));
    client.destroy();
    const document = JSON.parse(SecretString ?? '{}') as { activeKid: string; keys: Array<{ kid: string; privateJwk: JWK }> };
    const key = document.keys.find((k) => k.kid === document.activeKid);
    if (!key) throw new Error('the local signing-keys secret has no active key');
    const { d: _private, ...publicJwk } = key.privateJwk;
    return { kid: key.kid, privateKey: (await importJWK(key.privateJwk, 'ES256')) as CryptoKey, publicJwk };
  })();
  return active;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The claims of a real access token, ready to be altered and re-signed. */
export function claimsOf(accessToken: string): JWTPayload & { sub: string; sid: string; role: string; sites: string[] } {
  return decodeJwt(accessToken) as never;
}

export function kidOf(accessToken: string): string {
  return decodeProtectedHeader(accessToken).kid!;
}

/** Signs `claims` exactly as given (no defaults added): the test decides every claim. */
export function sign(claims: JWTPayload, key: CryptoKey | Uint8Array, header: { alg: string; kid?: string; typ?: string }): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ typ: 'JWT', ...header }).sign(key);
}

/** Genuine claims for a real session: what the users domain itself would issue now. */
export function genuineClaims(real: { sub: string; sid: string; role: string; sites: string[] }, now = nowSeconds()): JWTPayload {
  return { iss: ISSUER, aud: AUDIENCE, sub: real.sub, sid: real.sid, role: real.role, sites: real.sites, iat: now, exp: now + 15 * 60 };
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT with an arbitrary header and payload and the given signature part (no signing at all). */
export function unsigned(header: object, payload: object, signature = ''): string {
  return `${b64url(header)}.${b64url(payload)}.${signature}`;
}
