// Password hashing (scrypt at OWASP's parameters) and strength rules. Hashes are self-describing
// (`scrypt$N$r$p$salt$hash`) so parameters can be raised later and old hashes still verify.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { COMMON_PASSWORDS, COMMON_WORDS } from './common-passwords';

const PARAMS = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 32;
// 128 * N * r bytes = 128 MiB for N=2^17, r=8; leave headroom.
const MAX_MEMORY = 256 * 1024 * 1024;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...options, maxmem: MAX_MEMORY }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

// Verifying against this when the account does not exist makes "no such user" cost the same as "wrong password".
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('brigade-timing-equaliser');
  await verifyPassword(password, await dummyHash);
}

/** Returns why a password is too weak, or undefined. Length is checked by the request schema. */
export function passwordWeakness(password: string, email: string): string | undefined {
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return 'is too common';
  // "Password123!" and "Qwertyuiop2024" are common words with digits and symbols around them.
  const core = lower.replace(/[^a-z]/g, '');
  if (core.length === 0 || COMMON_WORDS.has(core)) return 'is a common word with digits or symbols';
  if (new Set(lower).size <= 3) return 'repeats too few characters';
  const local = email.split('@')[0]?.toLowerCase() ?? '';
  if (local.length >= 4 && lower.includes(local)) return 'contains your email address';
  if (lower.includes('brigade')) return 'contains the name of this service';
  return undefined;
}
