// Which serverless-offline lines `npm start` shows without --verbose (dev/offline-log.ts). The lines are taken from
// real runs of the stack.
import { isWarningOrError, terminalLine } from '../../dev/offline-log';

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

// Real lines of a run (npm start -- --verbose, GET /health with x-correlation-id, an MQTT reading).
describe('npm start terminal lines', () => {
  const request =
    '{"level":"INFO","message":"request","timestamp":"2026-12-02T21:42:38.928Z","service":"brigade","sampling_rate":0,"correlationId":"demo-corr-1","route":"GET /health","requestId":"offlineContext_resourceId","method":"GET","path":"/health","status":200,"durationMs":3}';
  const emf =
    '{"_aws":{"Timestamp":1796247764386,"CloudWatchMetrics":[{"Namespace":"Brigade","Dimensions":[["service","stage"]],"Metrics":[{"Name":"ReadingsIngested","Unit":"Count"}]}]},"service":"brigade","stage":"local","ReadingsIngested":1}';
  const emfWithDimension =
    '{"_aws":{"Timestamp":1796247764386,"CloudWatchMetrics":[{"Namespace":"Brigade","Dimensions":[["service","stage","channel"]],"Metrics":[{"Name":"NotificationsSent","Unit":"Count"}]}]},"service":"brigade","stage":"local","channel":"sms","NotificationsSent":2}';
  const invocation = '(λ: health) RequestId: f80b0b8d-46c5-4dce-9f4e-28583e31b393  Duration: 1.22 ms  Billed Duration: 2 ms';

  it.each([false, true])('an HTTP request is one line: method, path, status, time, correlation id (verbose: %s)', (verbose) => {
    expect(terminalLine(request, verbose)).toBe('GET /health → 200 in 3 ms  [demo-corr-1]');
  });

  it('a metric line is left out, and with --verbose shortened to its figures', () => {
    expect(terminalLine(emf, false)).toBeUndefined();
    expect(terminalLine(emf, true)).toBe('metrics ReadingsIngested=1');
    expect(terminalLine(emfWithDimension, true)).toBe('metrics NotificationsSent=2 (channel=sms)');
  });

  it('other lines: warnings and errors always, the rest with --verbose', () => {
    const warning = '{"level":"WARN","message":"telemetry message rejected","siteId":"unknown"}';
    expect(terminalLine(warning, false)).toBe(warning);
    expect(terminalLine(invocation, false)).toBeUndefined();
    expect(terminalLine(invocation, true)).toBe(invocation);
    expect(terminalLine('{"level":"INFO","message":"request rejected","status":404}', false)).toBeUndefined();
  });
});
