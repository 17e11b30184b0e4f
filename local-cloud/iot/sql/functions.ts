// The built-in functions this engine implements, with AWS argument conversions. Any other name is a compile error.
import { randomUUID } from 'node:crypto';
import type { SqlVersion } from './ast';
import { type SqlValue, toInt, toNumber, toSqlString } from './values';

export interface FunctionContext {
  topic: string;
  clientId: string | undefined;
  principal: string | undefined;
  timestamp: number;
}

export interface SqlFunction {
  minArgs: number;
  maxArgs: number;
  /** The first SQL version that has the function. */
  since: SqlVersion;
  call(args: SqlValue[], ctx: FunctionContext): SqlValue;
}

function numeric(transform: (n: number) => number): SqlFunction['call'] {
  return ([value]) => {
    const n = toNumber(value);
    // `+ 0` turns -0 (ceil(-0.5)) into 0.
    return n === undefined ? undefined : transform(n) + 0;
  };
}

function textual(transform: (s: string) => string): SqlFunction['call'] {
  return ([value]) => {
    const s = toSqlString(value);
    return s === undefined ? undefined : transform(s);
  };
}

function concat(args: SqlValue[]): SqlValue {
  if (args.length === 0 || args.includes(undefined)) return undefined;
  // AWS's table says a single argument comes back unmodified (its example `concat(1) = "1"` disagrees).
  if (args.length === 1) return args[0];
  if (args.some(Array.isArray)) return args.flatMap((arg) => (Array.isArray(arg) ? arg : [arg]));
  const parts = args.map(toSqlString);
  return parts.includes(undefined) ? undefined : parts.join('');
}

function topic(args: SqlValue[], ctx: FunctionContext): SqlValue {
  if (args.length === 0) return ctx.topic;
  const n = toInt(args[0]);
  return n === undefined || n < 1 ? undefined : ctx.topic.split('/')[n - 1];
}

const V1: SqlVersion = '2015-10-08';

/** Keyed by lower-case name: AWS function names are case-insensitive (`Round(1.5)` and `isUndefined(x)` both work). */
export const FUNCTIONS: ReadonlyMap<string, SqlFunction> = new Map<string, SqlFunction>([
  ['abs', { minArgs: 1, maxArgs: 1, since: V1, call: numeric(Math.abs) }],
  ['ceil', { minArgs: 1, maxArgs: 1, since: V1, call: numeric(Math.ceil) }],
  ['floor', { minArgs: 1, maxArgs: 1, since: V1, call: numeric(Math.floor) }],
  // Half away from zero, as AWS documents round(1.5) = 2 and round(-1.5) = -2 (Math.round would give -1).
  ['round', { minArgs: 1, maxArgs: 1, since: V1, call: numeric((n) => Math.sign(n) * Math.round(Math.abs(n))) }],
  ['lower', { minArgs: 1, maxArgs: 1, since: V1, call: textual((s) => s.toLowerCase()) }],
  ['upper', { minArgs: 1, maxArgs: 1, since: V1, call: textual((s) => s.toUpperCase()) }],
  ['concat', { minArgs: 0, maxArgs: Infinity, since: V1, call: concat }],
  ['isnull', { minArgs: 1, maxArgs: 1, since: V1, call: ([value]) => value === null }],
  ['isundefined', { minArgs: 1, maxArgs: 1, since: '2016-03-23', call: ([value]) => value === undefined }],
  ['topic', { minArgs: 0, maxArgs: 1, since: V1, call: topic }],
  ['timestamp', { minArgs: 0, maxArgs: 0, since: V1, call: (_, ctx) => ctx.timestamp }],
  // AWS answers "n/a" when the message did not arrive over MQTT.
  ['clientid', { minArgs: 0, maxArgs: 0, since: V1, call: (_, ctx) => ctx.clientId ?? 'n/a' }],
  ['principal', { minArgs: 0, maxArgs: 0, since: V1, call: (_, ctx) => ctx.principal }],
  ['newuuid', { minArgs: 0, maxArgs: 0, since: V1, call: () => randomUUID() }],
]);

/** Functions AWS IoT SQL has but this engine does not, so the error can say "not supported" rather than "unknown". */
export const AWS_ONLY_FUNCTIONS: ReadonlySet<string> = new Set([
  'accountid', 'acos', 'asin', 'atan', 'atan2', 'aws_lambda', 'bitand', 'bitnot', 'bitor', 'bitxor', 'cast', 'chr',
  'cos', 'cosh', 'decode', 'encode', 'endswith', 'exp', 'get', 'get_dynamodb', 'get_mqtt_property', 'get_or_default',
  'get_registry_data', 'get_secret', 'get_thing_shadow', 'get_user_properties', 'indexof', 'length', 'ln', 'log',
  'lpad', 'ltrim', 'machinelearning_predict', 'md2', 'md5', 'mod', 'nanvl', 'numbytes', 'parse_time', 'power', 'rand',
  'regexp_matches', 'regexp_replace', 'regexp_substr', 'remainder', 'replace', 'rpad', 'rtrim', 'sha1', 'sha224',
  'sha256', 'sha384', 'sha512', 'sign', 'sin', 'sinh', 'sourceip', 'sql_version', 'sqrt', 'startswith', 'substring',
  'tan', 'tanh', 'time_to_epoch', 'traceid', 'transform', 'trim', 'trunc',
]);
