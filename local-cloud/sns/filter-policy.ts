// SNS subscription filter policies: validation (as Subscribe does it) and matching.
// Pure functions; see https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';
export const FILTER_POLICY_SCOPES: readonly FilterPolicyScope[] = ['MessageAttributes', 'MessageBody'];

/** A message attribute as Publish receives it (BinaryValue base64-encoded). */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}
export type MessageAttributes = Record<string, MessageAttributeValue>;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Scalar = null | boolean | number | string;

/** A validated filter policy (parsed JSON). */
export type FilterPolicy = JsonObject;

/** Thrown with the reason AWS gives; callers prefix it with "Invalid parameter: ...FilterPolicy: ". */
export class FilterPolicyError extends Error {}

const MAX_KEYS = 5;
const MAX_COMBINATIONS = 150;
const STRING_OPERATORS = new Set(['prefix', 'suffix', 'equals-ignore-case']);
const ANYTHING_BUT_PATTERNS = new Set(['prefix', 'suffix']);
const LOWER_BOUNDS = new Set(['>', '>=']);
const UPPER_BOUNDS = new Set(['<', '<=']);
const NUMERIC_OPERATORS = new Set(['=', ...LOWER_BOUNDS, ...UPPER_BOUNDS]);

export function parseFilterPolicy(text: string, scope: FilterPolicyScope): FilterPolicy {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new FilterPolicyError(`failed to parse JSON. ${(err as Error).message}`);
  }
  if (!isObject(parsed)) throw new FilterPolicyError('Filter policy must be a JSON object');
  if (Object.keys(parsed).length > MAX_KEYS) {
    throw new FilterPolicyError(`Filter policy can not have more than ${MAX_KEYS} keys`);
  }
  validateNode(parsed, scope, 1);
  if (combinations(parsed) > MAX_COMBINATIONS) throw new FilterPolicyError('Filter policy is too complex');
  return parsed;
}

function validateNode(node: JsonObject, scope: FilterPolicyScope, depth: number): void {
  if (scope === 'MessageAttributes' && depth > 1) {
    throw new FilterPolicyError('Filter policy scope MessageAttributes does not support nested filter policy');
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isObject)) {
        throw new FilterPolicyError('$or must be an array of at least two objects');
      }
      for (const branch of value as JsonObject[]) validateNode(branch, scope, depth);
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw new FilterPolicyError('Empty arrays are not allowed');
      value.forEach(validateRule);
    } else if (isObject(value)) {
      validateNode(value, scope, depth + 1);
    } else {
      throw new FilterPolicyError(`"${key}" must be an object or an array`);
    }
  }
}

function validateRule(rule: Json): void {
  if (!isObject(rule)) {
    if (Array.isArray(rule)) throw new FilterPolicyError('Match value must be String, number, true, false, or null');
    return;
  }
  const entries = Object.entries(rule);
  const [operator, operand] = entries[0] ?? [];
  if (entries.length !== 1 || operator === undefined) {
    throw new FilterPolicyError('Only one key allowed in match expression');
  }
  if (STRING_OPERATORS.has(operator)) {
    if (typeof operand !== 'string') throw new FilterPolicyError(`${operator} match pattern must be a string`);
  } else if (operator === 'exists') {
    if (typeof operand !== 'boolean') throw new FilterPolicyError('exists match pattern must be either true or false.');
  } else if (operator === 'anything-but') {
    validateAnythingBut(operand);
  } else if (operator === 'numeric') {
    validateNumeric(operand);
  } else {
    throw new FilterPolicyError(`Unrecognized match type ${operator}`);
  }
}

function validateAnythingBut(operand: Json | undefined): void {
  const isValue = (v: Json | undefined) => typeof v === 'string' || typeof v === 'number';
  if (isValue(operand)) return;
  if (Array.isArray(operand) && operand.length > 0 && operand.every(isValue)) return;
  if (isObject(operand)) {
    const [pattern, value] = Object.entries(operand)[0] ?? [];
    if (Object.keys(operand).length === 1 && pattern !== undefined && ANYTHING_BUT_PATTERNS.has(pattern)) {
      if (typeof value !== 'string') throw new FilterPolicyError(`${pattern} match pattern must be a string`);
      return;
    }
    throw new FilterPolicyError(`Unsupported anything-but pattern: ${Object.keys(operand).join(', ')}`);
  }
  throw new FilterPolicyError('Value of anything-but must be an array or single string/number value.');
}

function validateNumeric(operand: Json | undefined): void {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    throw new FilterPolicyError('Value of numeric must be an array of one or two comparisons, e.g. [">", 0, "<=", 5]');
  }
  const [op1, bound1, op2, bound2] = operand;
  if (typeof op1 !== 'string' || !NUMERIC_OPERATORS.has(op1)) {
    throw new FilterPolicyError(`Unrecognized numeric range operator: ${String(op1)}`);
  }
  if (typeof bound1 !== 'number') throw new FilterPolicyError(`Value of ${op1 === '=' ? 'equals' : op1} must be numeric`);
  if (operand.length === 2) return;
  if (!LOWER_BOUNDS.has(op1)) throw new FilterPolicyError('Too many elements in numeric expression');
  if (typeof op2 !== 'string' || !UPPER_BOUNDS.has(op2)) {
    throw new FilterPolicyError(`Bad numeric range operator: ${String(op2)}`);
  }
  if (typeof bound2 !== 'number') throw new FilterPolicyError(`Value of ${op2} must be numeric`);
  if (bound2 <= bound1) throw new FilterPolicyError('Bottom must be less than top');
}

// AWS multiplies the number of values of every key (AND) and adds the branches of $or.
function combinations(node: JsonObject): number {
  let total = 1;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$or') total *= (value as JsonObject[]).reduce((sum, branch) => sum + combinations(branch), 0);
    else if (Array.isArray(value)) total *= value.length;
    else total *= combinations(value as JsonObject);
  }
  return total;
}

/** What a policy leaf is compared with: whether the key exists, and its scalar values. */
interface Candidate {
  exists: boolean;
  values: Scalar[];
  /** A String.Array attribute: anything-but must hold for every element (AWS docs). */
  everyElement: boolean;
}

const ABSENT: Candidate = { exists: false, values: [], everyElement: false };

export interface FilterableMessage {
  body: string;
  attributes: MessageAttributes;
}

export function matchesFilterPolicy(policy: FilterPolicy, scope: FilterPolicyScope, message: FilterableMessage): boolean {
  if (Object.keys(policy).length === 0) return true;
  if (scope === 'MessageBody') {
    const body = parseJson(message.body);
    // Body policies only apply to a well-formed JSON object body.
    return isObject(body) && matchBodyNode(policy, body);
  }
  const attributes = Object.entries(message.attributes).filter(([, a]) => !a.DataType.startsWith('Binary'));
  // AWS: with no attributes at all nothing matches, not even {"exists": false}.
  if (attributes.length === 0) return false;
  const byName = new Map(attributes);
  return matchNode(policy, (key) => {
    const attribute = byName.get(key);
    return attribute ? attributeCandidate(attribute) : ABSENT;
  });
}

function matchNode(node: JsonObject, lookup: (key: string) => Candidate): boolean {
  return Object.entries(node).every(([key, value]) =>
    key === '$or'
      ? (value as JsonObject[]).some((branch) => matchNode(branch, lookup))
      : matchLeaf(value as Json[], lookup(key)),
  );
}

function matchBodyNode(node: JsonObject, body: JsonObject | undefined): boolean {
  return Object.entries(node).every(([key, value]) => {
    if (key === '$or') return (value as JsonObject[]).some((branch) => matchBodyNode(branch, body));
    const child = body?.[key];
    if (Array.isArray(value)) return matchLeaf(value, bodyCandidate(child));
    const nested = value as JsonObject;
    // A nested policy over an array of objects matches if any element matches.
    if (Array.isArray(child)) {
      const objects = child.filter(isObject);
      return objects.length > 0 ? objects.some((item) => matchBodyNode(nested, item)) : matchBodyNode(nested, undefined);
    }
    return matchBodyNode(nested, isObject(child) ? child : undefined);
  });
}

function attributeCandidate(attribute: MessageAttributeValue): Candidate {
  const raw = attribute.StringValue ?? '';
  if (attribute.DataType.startsWith('Number')) return { exists: true, values: [Number(raw)], everyElement: false };
  if (attribute.DataType === 'String.Array') {
    const parsed = parseJson(raw);
    const values = Array.isArray(parsed) ? flattenScalars(parsed) : [];
    return { exists: true, values, everyElement: true };
  }
  return { exists: true, values: [raw], everyElement: false };
}

function bodyCandidate(value: Json | undefined): Candidate {
  if (value === undefined) return ABSENT;
  const values = Array.isArray(value) ? flattenScalars(value) : isObject(value) ? [] : [value];
  const exists = value !== null && !(Array.isArray(value) && value.length === 0);
  return { exists, values, everyElement: false };
}

function flattenScalars(values: Json[]): Scalar[] {
  return values.flatMap((v) => (Array.isArray(v) ? flattenScalars(v) : isObject(v) ? [] : [v]));
}

function matchLeaf(rules: Json[], candidate: Candidate): boolean {
  return rules.some((rule) => matchRule(rule, candidate));
}

function matchRule(rule: Json, candidate: Candidate): boolean {
  const { values } = candidate;
  if (!isObject(rule)) return values.some((v) => sameValue(v, rule as Scalar));
  const [operator, operand] = Object.entries(rule)[0] as [string, Json];
  if (operator === 'exists') return operand === candidate.exists;
  const strings = values.filter((v): v is string => typeof v === 'string');
  switch (operator) {
    case 'prefix':
      return strings.some((v) => v.startsWith(operand as string));
    case 'suffix':
      return strings.some((v) => v.endsWith(operand as string));
    case 'equals-ignore-case':
      return strings.some((v) => v.toLowerCase() === (operand as string).toLowerCase());
    case 'numeric':
      return values.some((v) => typeof v === 'number' && satisfiesNumeric(v, operand as Json[]));
    case 'anything-but': {
      const present = values.filter((v) => v !== null);
      if (present.length === 0) return false;
      const allowed = (v: Scalar) => !isExcluded(v, operand);
      return candidate.everyElement ? present.every(allowed) : present.some(allowed);
    }
    default:
      return false;
  }
}

function isExcluded(value: Scalar, operand: Json): boolean {
  if (Array.isArray(operand)) return operand.some((excluded) => sameValue(value, excluded as Scalar));
  if (isObject(operand)) {
    if (typeof value !== 'string') return false;
    if (typeof operand.prefix === 'string') return value.startsWith(operand.prefix);
    if (typeof operand.suffix === 'string') return value.endsWith(operand.suffix);
    return false;
  }
  return sameValue(value, operand);
}

function satisfiesNumeric(value: number, comparisons: Json[]): boolean {
  for (let i = 0; i < comparisons.length; i += 2) {
    const bound = comparisons[i + 1] as number;
    const ok =
      comparisons[i] === '=' ? value === bound
      : comparisons[i] === '>' ? value > bound
      : comparisons[i] === '>=' ? value >= bound
      : comparisons[i] === '<' ? value < bound
      : value <= bound;
    if (!ok) return false;
  }
  return true;
}

// Typed equality: strings match strings, numbers match numbers (Number attributes are parsed, so 3.015e2 equals 301.5).
function sameValue(value: Scalar, expected: Scalar): boolean {
  return value === expected;
}

function parseJson(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
