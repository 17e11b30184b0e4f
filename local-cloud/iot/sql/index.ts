// AWS IoT Core rules SQL for the local topic-rule engine. Supported: SELECT of '*', field paths (a.b, a[0].b),
// literals, arithmetic, comparisons, AND/OR/NOT, IS [NOT] NULL/UNDEFINED and the functions in functions.ts; FROM a
// quoted topic filter; WHERE. Everything else AWS accepts (CASE, IN, SET, SELECT VALUE, nested SELECT, object and
// array literals, other functions) fails to compile with an IotSqlError instead of being ignored.
import type { SqlVersion } from './ast';
import { IotSqlError } from './errors';
import { type RuleContext, type RuleOutcome, evaluateStatement } from './evaluate';
import { parseStatement } from './parser';
import { topicMatchesFilter } from './topic-filter';

export { IotSqlError } from './errors';
export type { RuleContext, RuleOutcome } from './evaluate';
export { topicMatchesFilter } from './topic-filter';

export interface CompiledRule {
  ruleName: string;
  sql: string;
  topicFilter: string;
  matchesTopic(topic: string): boolean;
  evaluate(payload: Buffer, ctx: RuleContext): RuleOutcome;
}

const VERSIONS: readonly string[] = ['2015-10-08', '2016-03-23'];

/**
 * Both versions evaluate with 2016-03-23 semantics; the only difference modelled is that functions added in
 * 2016-03-23 (isUndefined) are rejected under 2015-10-08. A missing version means 2015-10-08, AWS's default.
 */
export function compileRule(ruleName: string, sql: string, sqlVersion?: string): CompiledRule {
  const version = sqlVersion ?? '2015-10-08';
  if (!VERSIONS.includes(version)) {
    throw new IotSqlError(
      `rule "${ruleName}": unsupported SQL version '${version}' (supported: ${VERSIONS.join(', ')})`,
      ruleName,
      0,
    );
  }
  const statement = parseStatement(ruleName, sql, version as SqlVersion);
  return {
    ruleName,
    sql,
    topicFilter: statement.from,
    matchesTopic: (topic) => topicMatchesFilter(statement.from, topic),
    evaluate: (payload, ctx) => evaluateStatement(statement, payload, ctx),
  };
}
