import { burnPasswordCheck, hashPassword, passwordWeakness, verifyPassword } from '../../functions/users/passwords';

// Each hash or verify is a real scrypt at N=2^17 (~0.5-1 s here): few of them, shared where possible.
jest.setTimeout(60_000);

describe('hashPassword / verifyPassword', () => {
  const password = 'orchard lantern 4711';
  let stored: string;
  beforeAll(async () => {
    stored = await hashPassword(password);
  });

  const parts = () => stored.split('$');
  const withPart = (index: number, value: string) => Object.assign(parts(), { [index]: value }).join('$');
  const flip = (text: string) => (text[0] === 'A' ? 'B' : 'A') + text.slice(1);

  it('stores a self-describing scrypt hash at OWASP parameters, never the password', () => {
    const [scheme, n, r, p, salt, hash] = parts();
    expect({ scheme, n, r, p }).toEqual({ scheme: 'scrypt', n: String(2 ** 17), r: '8', p: '1' });
    expect(Buffer.from(salt!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(hash!, 'base64url')).toHaveLength(32);
    expect(stored).not.toContain(password);
  });

  it('round trip: the password verifies', async () => {
    await expect(verifyPassword(password, stored)).resolves.toBe(true);
  });

  it('the same password hashes differently each time (per-hash salt), and both verify', async () => {
    const again = await hashPassword(password);
    expect(again).not.toBe(stored);
    expect(again.split('$')[4]).not.toBe(parts()[4]);
    await expect(verifyPassword(password, again)).resolves.toBe(true);
  });

  it('a wrong password, or one differing only in case or a trailing space, fails', async () => {
    await expect(verifyPassword('orchard lantern 4712', stored)).resolves.toBe(false);
    await expect(verifyPassword('Orchard lantern 4711', stored)).resolves.toBe(false);
    await expect(verifyPassword(`${password} `, stored)).resolves.toBe(false);
  });

  it('compatibility forms of the same characters verify alike (NFKC)', async () => {
    const ligature = await hashPassword('ﬁne dining ﬁsh 2024');
    await expect(verifyPassword('fine dining fish 2024', ligature)).resolves.toBe(true);
  });

  it('a tampered hash, salt or cost parameter fails', async () => {
    await expect(verifyPassword(password, withPart(5, flip(parts()[5]!)))).resolves.toBe(false);
    await expect(verifyPassword(password, withPart(4, flip(parts()[4]!)))).resolves.toBe(false);
    await expect(verifyPassword(password, withPart(1, String(2 ** 14)))).resolves.toBe(false);
    await expect(verifyPassword(password, withPart(5, parts()[5]!.slice(0, 20)))).resolves.toBe(false);
  });

  it('anything that is not a complete scrypt hash fails without hashing', async () => {
    for (const bad of ['', 'plaintext', withPart(0, 'bcrypt'), parts().slice(0, 5).join('$'), withPart(4, '')]) {
      await expect(verifyPassword(password, bad)).resolves.toBe(false);
    }
  });

  it('burnPasswordCheck does the work of a check and reveals nothing', async () => {
    await expect(burnPasswordCheck(password)).resolves.toBeUndefined();
  });
});

describe('passwordWeakness', () => {
  const email = 'jeanne.dupont@bistro.example';

  it.each([
    ['password1234', 'is too common'],
    ['PASSWORD1234', 'is too common'],
    ['qwertyuiop123', 'is too common'],
    ['Password2024!', 'is a common word with digits or symbols'],
    ['!!Qwertyuiop2024', 'is a common word with digits or symbols'],
    ['restaurant#2025', 'is a common word with digits or symbols'],
    ['1234567890998877', 'is a common word with digits or symbols'],
    ['!@#$%^&*()_+1234', 'is a common word with digits or symbols'],
    ['abababababab', 'repeats too few characters'],
    ['xyzxyzxyzxyz', 'repeats too few characters'],
    ['my Jeanne.Dupont pass 9', 'contains your email address'],
    ['BrigadeKitchenOwl7', 'contains the name of this service'],
  ])('%s → %s', (password, reason) => {
    expect(passwordWeakness(password, email)).toBe(reason);
  });

  it('a short email local part (under 4 characters) is not held against the password', () => {
    expect(passwordWeakness('bob sells seashells 42', 'bob@bistro.example')).toBeUndefined();
    expect(passwordWeakness('my jean is blue 42', 'jean@bistro.example')).toBe('contains your email address');
  });

  it.each(['orchard lantern 4711', 'Correct-Horse-Saddle-9', 'tartine au citron vert'])('%s → strong enough', (password) => {
    expect(passwordWeakness(password, email)).toBeUndefined();
  });
});
