import type { SqlFunction } from './functions';
import type { ArithmeticOperator, OrderingOperator, SqlValue } from './values';

export type SqlVersion = '2015-10-08' | '2016-03-23';

/** Every node keeps the 0-based offset of its first token, for error messages. */
export type Expr =
  | { kind: 'literal'; value: SqlValue; pos: number }
  /** A top-level key of the payload. */
  | { kind: 'field'; name: string; pos: number }
  | { kind: 'member'; object: Expr; name: string; pos: number }
  | { kind: 'index'; object: Expr; index: Expr; pos: number }
  | { kind: 'call'; name: string; fn: SqlFunction; args: Expr[]; pos: number }
  | { kind: 'negate'; operand: Expr; pos: number }
  | { kind: 'not'; operand: Expr; pos: number }
  | { kind: 'logical'; op: 'AND' | 'OR'; left: Expr; right: Expr; pos: number }
  | { kind: 'equality'; op: '=' | '<>'; left: Expr; right: Expr; pos: number }
  | { kind: 'ordering'; op: OrderingOperator; left: Expr; right: Expr; pos: number }
  | { kind: 'arithmetic'; op: ArithmeticOperator; left: Expr; right: Expr; pos: number }
  | { kind: 'is'; operand: Expr; test: 'NULL' | 'UNDEFINED'; negated: boolean; pos: number };

export type SelectItem = { kind: 'star'; pos: number } | { kind: 'expr'; expr: Expr; name: string };

export interface Statement {
  select: SelectItem[];
  from: string;
  where: Expr | undefined;
  /** False when the rule only uses functions and literals, so a non-JSON payload is acceptable (as on AWS). */
  readsPayload: boolean;
}
