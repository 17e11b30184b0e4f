// Lambda event filtering (FilterCriteria) for the stream event source mappings: the subset of the pattern syntax
// a mapping may use here. A pattern with anything else stops the start, naming it, rather than matching wrongly.
// A pattern is an object whose leaves are arrays of alternatives: literals, or { prefix | suffix | exists |
// anything-but | numeric | equals-ignore-case }. A record matches when every key of the pattern matches;
// a mapping's patterns are alternatives (OR).

type Pattern = { [key: string]: Pattern | unknown[] };

export class UnsupportedFilterError extends Error {}

export function compileFilters(patterns: unknown[]): (record: unknown) => boolean {
  if (patterns.length === 0) return () => true;
  const compiled = patterns.map((pattern) => {
    const parsed = typeof pattern === 'string' ? (JSON.parse(pattern) as unknown) : pattern;
    assertPattern(parsed, '');
    return parsed;
  });
  return (record) => compiled.some((pattern) => matches(pattern, record));
}

function assertPattern(pattern: unknown, path: string): asserts pattern is Pattern {
  if (typeof pattern !== 'object' || pattern === null || Array.isArray(pattern)) throw new UnsupportedFilterError(`filter pattern at '${path}' must be an object`);
  for (const [key, value] of Object.entries(pattern)) {
    const at = path ? `${path}.${key}` : key;
    if (Array.isArray(value)) value.forEach((alternative) => assertAlternative(alternative, at));
    else assertPattern(value, at);
  }
}

const OPERATORS = new Set(['prefix', 'suffix', 'exists', 'anything-but', 'numeric', 'equals-ignore-case']);

function assertAlternative(alternative: unknown, path: string): void {
  if (alternative === null || ['string', 'number', 'boolean'].includes(typeof alternative)) return;
  const keys = typeof alternative === 'object' ? Object.keys(alternative as object) : [];
  if (keys.length !== 1 || !OPERATORS.has(keys[0]!)) {
    throw new UnsupportedFilterError(`filter operator ${JSON.stringify(alternative)} at '${path}' is not supported by the local cloud`);
  }
}

function matches(pattern: Pattern, value: unknown): boolean {
  const object = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  return Object.entries(pattern).every(([key, expected]) =>
    Array.isArray(expected) ? expected.some((alternative) => matchesAlternative(alternative, key in object, object[key])) : matches(expected as Pattern, object[key]),
  );
}

function matchesAlternative(alternative: unknown, present: boolean, value: unknown): boolean {
  if (alternative === null || typeof alternative !== 'object') return present && value === alternative;
  const [operator, operand] = Object.entries(alternative as Record<string, unknown>)[0]!;
  if (operator === 'exists') return present === operand;
  if (!present) return false;
  switch (operator) {
    case 'prefix':
      return typeof value === 'string' && value.startsWith(String(operand));
    case 'suffix':
      return typeof value === 'string' && value.endsWith(String(operand));
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === String(operand).toLowerCase();
    case 'anything-but':
      return !(Array.isArray(operand) ? operand : [operand]).includes(value);
    case 'numeric':
      return typeof value === 'number' && numericMatches(operand as Array<string | number>, value);
    default:
      return false;
  }
}

function numericMatches(conditions: Array<string | number>, value: number): boolean {
  for (let i = 0; i < conditions.length; i += 2) {
    const bound = Number(conditions[i + 1]);
    const ok = { '=': value === bound, '<': value < bound, '<=': value <= bound, '>': value > bound, '>=': value >= bound }[String(conditions[i])];
    if (!ok) return false;
  }
  return true;
}
