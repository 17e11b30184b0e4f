import { redactSecrets } from '#shared/logger';

describe('log redaction', () => {
  it('removes secrets at any depth and keeps the rest', () => {
    const line = JSON.stringify(
      {
        body: { email: 'a@b.c', password: 'hunter2-hunter2', nested: { refreshToken: 'rt', Authorization: 'Bearer x' } },
        headers: { authorization: 'Bearer y', cookie: 'sid=1', 'x-correlation-id': 'c1' },
        apiSecret: 's',
      },
      redactSecrets,
    );
    expect(line).not.toMatch(/hunter2|Bearer|sid=1|"rt"|"s"/);
    expect(line).toContain('a@b.c');
    expect(line).toContain('c1');
    expect(JSON.parse(line).body.password).toBe('[REDACTED]');
  });
});
