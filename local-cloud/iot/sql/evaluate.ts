// Evaluates a parsed statement against one message. WHERE runs first and SELECT only when WHERE is exactly true,
// as on AWS; nothing here throws for bad data: AWS semantics turn it into Undefined instead.
import type { Expr, SelectItem, Statement } from './ast';
import type { FunctionContext } from './functions';
import { topicMatchesFilter } from './topic-filter';
import {
  type SqlObject,
  type SqlValue,
  and,
  arithmetic,
  compare,
  element,
  equals,
  isObject,
  not,
  or,
  property,
  setKey,
  typeName,
} from './values';

export interface RuleContext {
  topic: string;
  clientId?: string;
  /** Milliseconds since the epoch; defaults to Date.now(). */
  timestamp?: number;
  principal?: string;
}

export type RuleOutcome =
  | { kind: 'matched'; output: Record<string, unknown> }
  | { kind: 'not-matched' }
  | { kind: 'payload-not-json'; error: string };

interface Scope {
  payload: SqlValue;
  ctx: FunctionContext;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function evaluateStatement(statement: Statement, payload: Buffer, context: RuleContext): RuleOutcome {
  if (!topicMatchesFilter(statement.from, context.topic)) return { kind: 'not-matched' };
  let document: SqlValue;
  if (statement.readsPayload) {
    try {
      document = JSON.parse(utf8.decode(payload)) as SqlValue;
    } catch (error) {
      return { kind: 'payload-not-json', error: `payload is not JSON: ${(error as Error).message}` };
    }
  }
  const scope: Scope = {
    payload: document,
    // One timestamp per message, so every timestamp() in the rule agrees.
    ctx: {
      topic: context.topic,
      clientId: context.clientId,
      principal: context.principal,
      timestamp: context.timestamp ?? Date.now(),
    },
  };
  if (statement.where && evaluate(statement.where, scope) !== true) return { kind: 'not-matched' };
  const hasStar = statement.select.some((item) => item.kind === 'star');
  if (hasStar && !isObject(document)) {
    // AWS would pass such a payload through as raw bytes; a JSON object output cannot represent it.
    return { kind: 'payload-not-json', error: `SELECT * needs a JSON object payload, got ${typeName(document)}` };
  }
  return { kind: 'matched', output: project(statement.select, scope) };
}

function project(items: SelectItem[], scope: Scope): SqlObject {
  const output: SqlObject = {};
  for (const item of items) {
    if (item.kind === 'star') {
      for (const [key, value] of Object.entries(scope.payload as SqlObject)) setKey(output, key, value);
      continue;
    }
    const value = evaluate(item.expr, scope);
    // An Undefined value is omitted from JSON, even when it replaces a key that '*' copied from the payload.
    if (value === undefined) delete output[item.name];
    else setKey(output, item.name, value);
  }
  return output;
}

function evaluate(expr: Expr, scope: Scope): SqlValue {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'field':
      return property(scope.payload, expr.name);
    case 'member':
      return property(evaluate(expr.object, scope), expr.name);
    case 'index':
      return element(evaluate(expr.object, scope), evaluate(expr.index, scope));
    case 'call':
      return expr.fn.call(
        expr.args.map((arg) => evaluate(arg, scope)),
        scope.ctx,
      );
    case 'negate':
      return arithmetic('-', 0, evaluate(expr.operand, scope));
    case 'not':
      return not(evaluate(expr.operand, scope));
    case 'logical': {
      const left = evaluate(expr.left, scope);
      const right = evaluate(expr.right, scope);
      return expr.op === 'AND' ? and(left, right) : or(left, right);
    }
    case 'equality': {
      const result = equals(evaluate(expr.left, scope), evaluate(expr.right, scope));
      return expr.op === '=' || result === undefined ? result : !result;
    }
    case 'ordering':
      return compare(expr.op, evaluate(expr.left, scope), evaluate(expr.right, scope));
    case 'arithmetic':
      return arithmetic(expr.op, evaluate(expr.left, scope), evaluate(expr.right, scope));
    case 'is': {
      const value = evaluate(expr.operand, scope);
      if (expr.test === 'UNDEFINED') return (value === undefined) !== expr.negated;
      // AWS documents no IS NULL, so it is read as `= NULL` / `<> NULL`: Undefined stays Undefined, which keeps
      // `WHERE x IS NOT NULL` from matching a message that lacks x. Use IS [NOT] UNDEFINED to test for presence.
      return value === undefined ? undefined : (value === null) !== expr.negated;
    }
  }
}
