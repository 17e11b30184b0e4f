// Which lines of serverless-offline's output `npm start` shows without --verbose: warnings and errors by their
// level, not by a word anywhere in the line (a function named `recordRuleError` is no error).

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
