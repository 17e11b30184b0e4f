// What `npm start` shows of serverless-offline's output. Always: one short line per HTTP request (from the handler
// kit's `request` log line: method, path, status, time, correlation id), and warnings and errors by their level,
// not by a word anywhere in the line (a function named `recordRuleError` is no error). With --verbose: everything,
// the business metrics' EMF lines shortened to their figures.

// Colour codes (ESC [ ... m) that osls adds on a terminal.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const LEVELS = new Set(['WARN', 'WARNING', 'ERROR', 'CRITICAL', 'FATAL']);

/** True for a warning or an error: a structured log at WARN or above, an exception, or osls' own warnings. */
export function isWarningOrError(line: string): boolean {
  const text = line.replace(ANSI, '').trim();
  if (text.startsWith('{')) {
    // The functions' logger (Powertools) writes one JSON object a line with its level.
    try {
      const level = (JSON.parse(text) as { level?: unknown }).level;
      return typeof level === 'string' && LEVELS.has(level.toUpperCase());
    } catch {
      // Not JSON after all: judged as text below.
    }
  }
  return (
    // console.warn/console.error from a handler ("ERROR\t..."), a level tag ("[WARN]", "WARNING:").
    /^\[?(WARN|WARNING|ERROR|CRITICAL|FATAL)\b/i.test(text) ||
    // Thrown errors and their stacks: "Error: ...", "TypeError: ...", "Uncaught ...", "at fn (file:1:2)".
    /^(Uncaught\b|([A-Z]\w*)?(Error|Exception)\b)/.test(text) ||
    /^at .+:\d+:\d+\)?$/.test(text) ||
    // serverless-offline's and osls' own errors ("Unhandled exception in handler 'x'", "Attempt to invoke function
    // 'x' failed", a timeout) and their marks.
    /^(✖|×|⚠)/.test(text) ||
    /^(Unhandled\b|Attempt to invoke function\b)/.test(text) ||
    /\btimed? ?out\b/i.test(text)
  );
}

interface RequestLine { message: 'request'; method: string; path: string; status: number; durationMs: number; correlationId?: string }
interface EmfLine { _aws: { CloudWatchMetrics: Array<{ Dimensions: string[][]; Metrics: Array<{ Name: string }> }> } }

function parseJsonLine(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const isRequestLine = (json: Record<string, unknown>): json is Record<string, unknown> & RequestLine =>
  json.message === 'request' && typeof json.method === 'string' && typeof json.path === 'string' && typeof json.status === 'number';

const isEmfLine = (json: Record<string, unknown>): json is Record<string, unknown> & EmfLine =>
  Array.isArray((json._aws as { CloudWatchMetrics?: unknown } | undefined)?.CloudWatchMetrics);

/** `GET /sites/demo-bistro/orders → 201 in 56 ms  [correlation id]` */
function requestSummary(request: RequestLine): string {
  return `${request.method} ${request.path} → ${request.status} in ${request.durationMs} ms${request.correlationId ? `  [${request.correlationId}]` : ''}`;
}

/** `metrics NotificationsSent=2 (channel=sms)`: the figures without the dimensions every line has. */
function metricsSummary(emf: Record<string, unknown> & EmfLine): string {
  const [directive] = emf._aws.CloudWatchMetrics;
  const own = (directive?.Dimensions[0] ?? []).filter((name) => name !== 'service' && name !== 'stage');
  const figures = (directive?.Metrics ?? []).map(({ Name }) => `${Name}=${JSON.stringify(emf[Name])}`).join(' ');
  return `metrics ${figures}${own.length ? ` (${own.map((name) => `${name}=${String(emf[name])}`).join(', ')})` : ''}`;
}

/** The line `npm start` prints for one line of serverless-offline's output, or undefined to leave it out. */
export function terminalLine(line: string, verbose: boolean): string | undefined {
  const json = parseJsonLine(line.replace(ANSI, '').trim());
  if (json && isRequestLine(json)) return requestSummary(json);
  if (json && isEmfLine(json)) return verbose ? metricsSummary(json) : undefined;
  return verbose || isWarningOrError(line) ? line : undefined;
}
