/**
 * A rule whose SQL this engine cannot compile. `position` is the 1-based character offset into the SQL
 * (0 when the problem has no place in the text, e.g. an unsupported SQL version).
 */
export class IotSqlError extends Error {
  constructor(
    message: string,
    readonly ruleName: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'IotSqlError';
  }
}

/** Builds the error for a problem at `offset` (0-based); multi-line SQL also gets a line number. */
export function sqlErrorAt(ruleName: string, sql: string, offset: number, detail: string): IotSqlError {
  const lineStart = sql.slice(0, offset).lastIndexOf('\n') + 1;
  const column = offset - lineStart + 1;
  const line = sql.slice(0, offset).split('\n').length;
  const where = sql.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
  return new IotSqlError(`rule "${ruleName}": ${detail} at ${where}`, ruleName, offset + 1);
}
