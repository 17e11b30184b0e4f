// `npm run aws -- ...` as the README writes it, against the running stack: the endpoint comes from BRIGADE_EDGE_PORT
// and the credentials are the local ones, whatever the developer's shell holds.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeLocal, describeWithCommands, tableName } from './support/target';

const run = promisify(execFile);
const root = join(__dirname, '../..');
// A developer's real account in the shell must not leak into the local calls.
const shell = { ...process.env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'AKIAREAL', AWS_PROFILE: 'prod', AWS_PAGER: 'less' };
const npmAws = (...args: string[]) => run('npm', ['run', '--silent', 'aws', '--', ...args], { cwd: root, env: shell });

describeLocal('npm run aws (local stack)', () => {
  describeWithCommands(['aws'])('the AWS CLI through the wrapper', () => {
    it('dynamodb list-tables lists the stack tables', async () => {
      const { stdout } = await npmAws('dynamodb', 'list-tables');
      const tables = (JSON.parse(stdout) as { TableNames: string[] }).TableNames;
      expect(tables).toEqual(expect.arrayContaining(['orders', 'users', 'iot', 'notifications'].map(tableName)));
    });

    it('passes the CLI exit code and its error through', async () => {
      const failure = await npmAws('dynamodb', 'describe-table', '--table-name', 'brigade-no-such-table').then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure?.code).toBeGreaterThanOrEqual(252); // 254 in CLI v2, 255 in v1: a service error, not npm's 1
      expect(failure?.stderr).toContain('ResourceNotFoundException');
    });
  });
});
