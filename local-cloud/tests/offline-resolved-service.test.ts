// The local cloud takes the resolved service from the serverless-offline it starts (offline-resolved-service.cjs
// writes it as offline's start begins; resolvedServiceOf waits for it), instead of a second `osls print`. The
// running stack's every start depends on it; here: what the plugin writes, and every way the wait ends.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolvedServiceOf } from '../offline';

const ResolvedServiceFile = require('../offline-resolved-service.cjs') as new (serverless: { configurationInput: unknown }) => { hooks: Record<string, () => void> };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let dir: string;
const variable = 'BRIGADE_RESOLVED_SERVICE_FILE';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'brigade-resolved-service-'));
});
afterEach(() => {
  delete process.env[variable];
  rmSync(dir, { recursive: true, force: true });
});

describe('the plugin', () => {
  const service = { service: 'brigade', functions: { health: { name: 'brigade-local-health', handler: 'functions/gateway/health.handler' } } };

  it('writes the resolved configuration once, at the first of its hooks, and leaves no partial file', () => {
    const file = join(dir, 'service.json');
    process.env[variable] = file;
    const serverless: { configurationInput: unknown } = { configurationInput: service };
    const plugin = new ResolvedServiceFile(serverless);
    plugin.hooks['before:offline:start:init']!();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(service);
    serverless.configurationInput = { changed: true };
    plugin.hooks['before:offline:start']!();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(service);
    expect(existsSync(`${file}.partial`)).toBe(false);
  });

  it('does nothing without the local cloud’s variable', () => {
    const plugin = new ResolvedServiceFile({ configurationInput: service });
    plugin.hooks['before:offline:start:init']!();
    expect(existsSync(join(dir, 'service.json'))).toBe(false);
  });
});

describe('resolvedServiceOf', () => {
  const never = new Promise<never>(() => undefined);

  it('waits for the file, then returns what it holds', async () => {
    const file = join(dir, 'service.json');
    const reading = resolvedServiceOf(file, never);
    await sleep(120);
    writeFileSync(file, JSON.stringify({ service: 'brigade', functions: {} }));
    await expect(reading).resolves.toEqual({ service: 'brigade', functions: {} });
  });

  it('fails with offline’s own failure when it fails before writing', async () => {
    const failing = (async () => {
      await sleep(100);
      throw new Error('serverless offline exited (1): bad config');
    })();
    await expect(resolvedServiceOf(join(dir, 'service.json'), failing)).rejects.toThrow('bad config');
  });

  it('fails naming the plugin when offline is up without having written it', async () => {
    await expect(resolvedServiceOf(join(dir, 'service.json'), Promise.resolve({}))).rejects.toThrow(/offline-resolved-service\.cjs/);
  });
});
