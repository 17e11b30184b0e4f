import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The boundary rules of eslint.config.mjs, proved on code that breaks them (and on code that does not).
const root = join(__dirname, '../..');

function lint(filePath: string, code: string): string[] {
  const result = spawnSync(join(root, 'node_modules/.bin/eslint'), ['--stdin', '--stdin-filename', filePath, '--format', 'json'], {
    cwd: root,
    input: code,
    encoding: 'utf8',
  });
  const [report] = JSON.parse(result.stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
  return report!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lint boundaries', () => {
  it('a domain importing another domain is an error', () => {
    expect(lint('functions/iot/probe.ts', "import { store } from '../orders/config';\nexport const s = store;\n")).toEqual([
      expect.stringContaining('no-restricted-imports: '),
    ]);
  });

  it('a domain importing the local cloud or the dev stack is an error', () => {
    const messages = lint('functions/orders/probe.ts', "import { a } from '../../local-cloud/ports';\nimport { b } from '../../dev/seed/demo-data';\nexport const s = [a, b];\n");
    expect(messages.filter((m) => m.includes('never imports the local cloud or the dev stack'))).toHaveLength(2);
  });

  it('the local cloud importing the product is an error', () => {
    expect(lint('local-cloud/probe.ts', "import { x } from '../functions/shared/time';\nexport const s = x;\n")).toEqual([
      expect.stringContaining('no-restricted-imports: '),
    ]);
  });

  it('a domain importing its own folder and the kit is fine', () => {
    expect(lint('functions/orders/probe.ts', "import { x } from './config';\nimport { y } from '#shared/time';\nexport const s = [x, y];\n")).toEqual([]);
  });
});
