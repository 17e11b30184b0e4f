import { Logger } from '@aws-lambda-powertools/logger';

// Keys whose values never reach a log line, wherever they are nested.
const SECRET_KEY = /pass(word)?|authorization|cookie|secret|token|private.?key|credential/i;

export function redactSecrets(key: string, value: unknown): unknown {
  return key !== '' && SECRET_KEY.test(key) ? '[REDACTED]' : value;
}

export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'brigade',
  logLevel: (process.env.LOG_LEVEL ?? 'INFO') as 'INFO',
  jsonReplacerFn: redactSecrets,
});
