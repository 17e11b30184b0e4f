// `npm run aws` and `npm run env:local` (dev/aws.ts): the AWS CLI pointed at the local edge with the local credentials.
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsInvocation, exportLines, localAwsEnv, runAws } from '../../dev/aws';

describe('npm run aws', () => {
  it('puts the local edge (BRIGADE_EDGE_PORT, 4566 by default) before the arguments, which pass unchanged', () => {
    expect(awsInvocation(['dynamodb', 'list-tables'], {}).argv).toEqual(['--endpoint-url', 'http://127.0.0.1:4566', 'dynamodb', 'list-tables']);
    expect(awsInvocation(['s3', 'ls', 'a b'], { BRIGADE_EDGE_PORT: '28566' }).argv).toEqual(['--endpoint-url', 'http://127.0.0.1:28566', 's3', 'ls', 'a b']);
  });

  it('leaves an endpoint the caller names alone', () => {
    expect(awsInvocation(['--endpoint-url', 'http://127.0.0.1:8000', 'dynamodb', 'list-tables'], {}).argv).toEqual([
      '--endpoint-url', 'http://127.0.0.1:8000', 'dynamodb', 'list-tables',
    ]);
    expect(awsInvocation(['--endpoint-url=http://x:1', 'sns', 'list-topics'], {}).argv).toEqual(['--endpoint-url=http://x:1', 'sns', 'list-topics']);
  });

  it('runs with the local credentials and region, never a real profile or session token, and no pager', () => {
    const { env } = awsInvocation(['sts', 'get-caller-identity'], {
      PATH: '/bin', AWS_PROFILE: 'prod', AWS_DEFAULT_PROFILE: 'prod', AWS_SESSION_TOKEN: 'real', AWS_ACCESS_KEY_ID: 'AKIAREAL', AWS_REGION: 'eu-west-1',
    });
    expect(env).toEqual({
      PATH: '/bin',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_PAGER: '',
    });
  });

  it('rejects an edge port that is no port', () => {
    expect(() => localAwsEnv({ BRIGADE_EDGE_PORT: 'abc' })).toThrow('BRIGADE_EDGE_PORT must be a port number');
  });

  describe('running the CLI', () => {
    const bin = mkdtempSync(join(tmpdir(), 'brigade-aws-'));
    const record = join(bin, 'record.json');
    const fake = join(bin, 'aws');
    // A stand-in CLI that records what it got and exits with the code the test asks for.
    writeFileSync(
      fake,
      `#!/usr/bin/env node\nrequire('fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify({ argv: process.argv.slice(2), env: process.env }));\nprocess.exit(Number(process.env.FAKE_EXIT ?? 0));\n`,
    );
    chmodSync(fake, 0o755);

    it('passes the exit code through, and the CLI gets the argv and environment built above', () => {
      expect(runAws(['dynamodb', 'describe-table', '--table-name', 'nope'], { PATH: process.env.PATH, FAKE_EXIT: '254', BRIGADE_EDGE_PORT: '28566' }, fake)).toBe(254);
      const seen = JSON.parse(readFileSync(record, 'utf8')) as { argv: string[]; env: Record<string, string> };
      expect(seen.argv).toEqual(['--endpoint-url', 'http://127.0.0.1:28566', 'dynamodb', 'describe-table', '--table-name', 'nope']);
      expect(seen.env).toMatchObject({ AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_DEFAULT_REGION: 'us-east-1' });
      expect(runAws(['sns', 'list-topics'], { PATH: process.env.PATH }, fake)).toBe(0);
    });

    it('says clearly that the CLI is missing, with exit code 127', () => {
      const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        expect(runAws(['dynamodb', 'list-tables'], { PATH: bin }, join(bin, 'no-such-aws'))).toBe(127);
        expect(error).toHaveBeenCalledWith(expect.stringContaining('is not installed or not on PATH'));
      } finally {
        error.mockRestore();
      }
    });
  });
});

describe('npm run env:local', () => {
  it('prints export lines a shell can eval', () => {
    expect(exportLines(localAwsEnv({ BRIGADE_EDGE_PORT: '4567' }))).toBe(
      [
        'export AWS_ACCESS_KEY_ID=local',
        'export AWS_SECRET_ACCESS_KEY=local',
        'export AWS_REGION=us-east-1',
        'export AWS_DEFAULT_REGION=us-east-1',
        'export AWS_ENDPOINT_URL=http://127.0.0.1:4567',
        '',
      ].join('\n'),
    );
  });
});
