// The AWS IoT SQL value model and operator semantics, following the type and operator tables of the AWS IoT SQL
// reference. JavaScript `undefined` is the SQL Undefined value and `null` is Null. Numbers are IEEE-754 doubles, not
// AWS's 34-digit decimals; an integral number counts as Int, which is how SQL 2016-03-23 treats whole numbers.

export type SqlValue = undefined | null | boolean | number | string | SqlValue[] | { [key: string]: SqlValue };
export type SqlObject = { [key: string]: SqlValue };

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';
export type OrderingOperator = '<' | '<=' | '>' | '>=';

export function isObject(value: SqlValue): value is SqlObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function typeName(value: SqlValue): string {
  if (value === undefined) return 'Undefined';
  if (value === null) return 'Null';
  if (Array.isArray(value)) return 'Array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Int' : 'Decimal';
  if (typeof value === 'object') return 'Object';
  return typeof value === 'string' ? 'String' : 'Boolean';
}

/** Own properties only: a payload must not reach `constructor`, `__proto__` and the like through the prototype. */
export function property(target: SqlValue, name: string): SqlValue {
  return isObject(target) && Object.hasOwn(target, name) ? target[name] : undefined;
}

export function element(target: SqlValue, index: SqlValue): SqlValue {
  if (!Array.isArray(target) || typeof index !== 'number' || !Number.isInteger(index)) return undefined;
  return index >= 0 && index < target.length ? target[index] : undefined;
}

/** Sets a key even when it is `__proto__`, which plain assignment would treat as the prototype. */
export function setKey(target: SqlObject, key: string, value: SqlValue): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const DECIMAL_STRING = /^-?\d+(\.\d+)?([eE]-?\d+)?$/;

/** The "to Decimal" conversion used by numeric operators and functions: numbers, or strings that look like one. */
export function toNumber(value: SqlValue): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && DECIMAL_STRING.test(value)) return Number(value);
  return undefined;
}

/** The "to Int" conversion: Decimals round to the nearest Int, numeric strings are truncated. */
export function toInt(value: SqlValue): number | undefined {
  if (typeof value === 'number') return Math.round(value);
  const parsed = toNumber(value);
  return parsed === undefined ? undefined : Math.trunc(parsed);
}

/** The "to String" conversion; Null and Undefined have no string form. */
export function toSqlString(value: SqlValue): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** The "to Boolean" conversion: booleans, or the strings "true"/"false" in any case. */
export function toBoolean(value: SqlValue): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return undefined;
}

export function and(left: SqlValue, right: SqlValue): SqlValue {
  const l = toBoolean(left);
  const r = toBoolean(right);
  // AWS returns Undefined when either side is not a boolean, even `false AND Undefined`: no three-valued logic.
  return l === undefined || r === undefined ? undefined : l && r;
}

export function or(left: SqlValue, right: SqlValue): SqlValue {
  const l = toBoolean(left);
  const r = toBoolean(right);
  return l === undefined || r === undefined ? undefined : l || r;
}

export function not(operand: SqlValue): SqlValue {
  const b = toBoolean(operand);
  return b === undefined ? undefined : !b;
}

/** The `=` operator: no conversion between types, mismatched types are simply unequal, Undefined propagates. */
export function equals(left: SqlValue, right: SqlValue): SqlValue {
  if (left === undefined || right === undefined) return undefined;
  return sameValue(left, right);
}

function sameValue(left: SqlValue, right: SqlValue): boolean {
  if (Array.isArray(left)) {
    return Array.isArray(right) && left.length === right.length && left.every((item, i) => sameValue(item, right[i]));
  }
  if (isObject(left)) {
    if (!isObject(right)) return false;
    const keys = Object.keys(left);
    return (
      keys.length === Object.keys(right).length &&
      keys.every((key) => Object.hasOwn(right, key) && sameValue(left[key], right[key]))
    );
  }
  return left === right;
}

/** `<`, `<=`, `>`, `>=` convert both sides to Decimal (numeric strings included); anything else is Undefined. */
export function compare(op: OrderingOperator, left: SqlValue, right: SqlValue): SqlValue {
  const l = toNumber(left);
  const r = toNumber(right);
  if (l === undefined || r === undefined) return undefined;
  switch (op) {
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    case '>=':
      return l >= r;
  }
}

export function arithmetic(op: ArithmeticOperator, left: SqlValue, right: SqlValue): SqlValue {
  if (op === '+' && (typeof left === 'string' || typeof right === 'string')) {
    // `+` concatenates as soon as one side is a String, converting the other side to its string form.
    const l = toSqlString(left);
    const r = toSqlString(right);
    return l === undefined || r === undefined ? undefined : l + r;
  }
  // `+` never parses numeric strings (they concatenate above); the other operators do.
  const l = op === '+' ? (typeof left === 'number' ? left : undefined) : toNumber(left);
  const r = op === '+' ? (typeof right === 'number' ? right : undefined) : toNumber(right);
  if (l === undefined || r === undefined) return undefined;
  const bothInt = typeof left === 'number' && typeof right === 'number' && Number.isInteger(l) && Number.isInteger(r);
  let result: number;
  switch (op) {
    case '+':
      result = l + r;
      break;
    case '-':
      result = l - r;
      break;
    case '*':
      result = l * r;
      break;
    case '/':
      if (r === 0) return undefined;
      // Int / Int is an Int in AWS (the quotient truncated toward zero): 7 / 2 = 3, while 7 / 2.5 = 2.8.
      result = bothInt ? Math.trunc(l / r) : l / r;
      break;
    case '%':
      if (r === 0) return undefined;
      result = l % r;
      break;
  }
  // `+ 0` turns -0 into 0, which is what the value serialises to anyway.
  return Number.isFinite(result) ? result + 0 : undefined;
}
