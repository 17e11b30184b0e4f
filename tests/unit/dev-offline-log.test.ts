// Which serverless-offline lines `npm start` shows without --verbose (dev/offline-log.ts). The lines are taken from
// real runs of the stack.
import { isWarningOrError } from '../../dev/offline-log';

describe('npm start log filter', () => {
  it.each([
    ['a request of a function whose name says error', '(λ: recordRuleError) RequestId: f5c9d9e0-c39a  Duration: 526.84 ms  Billed Duration: 527 ms'],
    ['a route of such a function', 'POST /sites/{siteId}/errors (λ: listErrors)'],
    ['the function list', '   * recordRuleError: brigade-local-recordRuleError'],
    ['a structured INFO line that mentions an error', '{"level":"INFO","message":"directory updated","errorCount":0,"note":"warnings: none"}'],
    ['a DEBUG line', '{"level":"DEBUG","message":"retrying after error"}'],
    ['the start-up box', '│ POST | http://localhost:28000/sites/{siteId}/devices/{deviceId}/errors │'],
    ['a schedule', 'Scheduling [watchDevices] cron: [*/1 * * * *]'],
  ])('hides %s', (_, line) => {
    expect(isWarningOrError(line)).toBe(false);
  });

  it.each([
    ['a structured WARN', '{"level":"WARN","message":"topic rule failed","ruleName":"brigade_local_telemetry"}'],
    ['a structured ERROR', '{"level":"ERROR","message":"rejected malformed event"}'],
    ['a CRITICAL', '{"level":"critical","message":"x"}'],
    ['serverless-offline reporting a timeout', '× Unhandled Lambda Error during invoke of \'brigade-local-ingestTelemetry\': Error: [504] - Lambda timeout.'],
    ['an unhandled exception', '× Unhandled exception in handler \'ingestTelemetry\'.'],
    ['the same without its mark', "Unhandled exception in handler 'ingestTelemetry'."],
    ['a thrown error', '× { Error [TimeoutError]: [AbortError]: The operation was aborted.'],
    ['a bare error line', 'TypeError: Cannot read properties of undefined'],
    ['a stack frame', '      at Object.timeoutEarlyResponse (/work/main/node_modules/@middy/core/index.js:11:15)'],
    ['an osls warning', "Warning: found unsupported runtime 'nodejs24.x' for function 'x'"],
    ['console.error from a handler', 'ERROR\tsomething broke'],
    ['a coloured error', '\u001b[31m✖ Attempt to invoke function \'x\' failed. Function does not exist.\u001b[39m'],
    ['a missing function', "Attempt to invoke function 'brigade-local-x' failed. Function does not exist."],
  ])('shows %s', (_, line) => {
    expect(isWarningOrError(line)).toBe(true);
  });

  it('judges a line that only looks like JSON as text', () => {
    expect(isWarningOrError('{ Error: boom')).toBe(false);
    expect(isWarningOrError('{"level":"WARN"')).toBe(false);
  });
});
