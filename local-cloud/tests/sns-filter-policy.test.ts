import {
  FilterPolicyError,
  matchesFilterPolicy,
  parseFilterPolicy,
  type FilterPolicyScope,
  type MessageAttributes,
} from '../sns/filter-policy';

/** Strings become String attributes, numbers Number, arrays String.Array, `{ binary }` Binary. */
function attrs(values: Record<string, string | number | unknown[] | { binary: string }>): MessageAttributes {
  return Object.fromEntries(
    Object.entries(values).map(([name, v]) => [
      name,
      typeof v === 'string' ? { DataType: 'String', StringValue: v }
      : typeof v === 'number' ? { DataType: 'Number', StringValue: String(v) }
      : Array.isArray(v) ? { DataType: 'String.Array', StringValue: JSON.stringify(v) }
      : { DataType: 'Binary', BinaryValue: Buffer.from(v.binary).toString('base64') },
    ]),
  );
}

function matchAttributes(policy: object, attributes: MessageAttributes): boolean {
  const parsed = parseFilterPolicy(JSON.stringify(policy), 'MessageAttributes');
  return matchesFilterPolicy(parsed, 'MessageAttributes', { body: 'irrelevant', attributes });
}

function matchBody(policy: object, body: unknown): boolean {
  const parsed = parseFilterPolicy(JSON.stringify(policy), 'MessageBody');
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return matchesFilterPolicy(parsed, 'MessageBody', { body: text, attributes: {} });
}

describe('SNS filter policy — MessageAttributes scope', () => {
  const eitherTypeOrBigN = { $or: [{ type: ['a'] }, { n: [{ numeric: ['>', 5] }] }] };
  const cases: Array<[string, object, MessageAttributes, boolean]> = [
    ['exact string match', { type: ['order.placed'] }, attrs({ type: 'order.placed' }), true],
    ['exact string mismatch', { type: ['order.placed'] }, attrs({ type: 'order.cancelled' }), false],
    ['exact match is case-sensitive', { type: ['order.placed'] }, attrs({ type: 'Order.Placed' }), false],
    ['list is OR (second value)', { type: ['a', 'b'] }, attrs({ type: 'b' }), true],
    ['list is OR (no value)', { type: ['a', 'b'] }, attrs({ type: 'c' }), false],
    ['missing attribute does not match', { type: ['a'] }, attrs({ other: 'a' }), false],
    ['keys are ANDed (both match)', { type: ['a'], store: ['x'] }, attrs({ type: 'a', store: 'x' }), true],
    ['keys are ANDed (one fails)', { type: ['a'], store: ['x'] }, attrs({ type: 'a', store: 'y' }), false],
    ['attributes not in the policy are ignored', { type: ['a'] }, attrs({ type: 'a', extra: 'z' }), true],
    ['number literal matches Number attribute', { price: [100] }, attrs({ price: 100 }), true],
    ['number literal compares numerically', { price: [301.5] }, { price: { DataType: 'Number', StringValue: '3.015e2' } }, true],
    ['number literal does not match String attribute', { price: [100] }, attrs({ price: '100' }), false],
    ['string literal does not match Number attribute', { price: ['100'] }, attrs({ price: 100 }), false],
    ['numeric range inside', { n: [{ numeric: ['>', 0, '<=', 5] }] }, attrs({ n: 5 }), true],
    ['numeric range lower bound exclusive', { n: [{ numeric: ['>', 0, '<=', 5] }] }, attrs({ n: 0 }), false],
    ['numeric range above', { n: [{ numeric: ['>', 0, '<=', 5] }] }, attrs({ n: 5.01 }), false],
    ['numeric >= inclusive', { n: [{ numeric: ['>=', 10] }] }, attrs({ n: 10 }), true],
    ['numeric < negative', { n: [{ numeric: ['<', 0] }] }, attrs({ n: -3 }), true],
    ['numeric < fails', { n: [{ numeric: ['<', 0] }] }, attrs({ n: 0 }), false],
    ['numeric = match', { n: [{ numeric: ['=', 301.5] }] }, attrs({ n: 301.5 }), true],
    ['numeric = mismatch', { n: [{ numeric: ['=', 301.5] }] }, attrs({ n: 301 }), false],
    ['numeric ignores String attributes', { n: [{ numeric: ['>', 0] }] }, attrs({ n: '5' }), false],
    ['prefix match', { type: [{ prefix: 'order.' }] }, attrs({ type: 'order.placed' }), true],
    ['prefix mismatch', { type: [{ prefix: 'order.' }] }, attrs({ type: 'payment.done' }), false],
    ['suffix match', { type: [{ suffix: '.placed' }] }, attrs({ type: 'order.placed' }), true],
    ['suffix mismatch', { type: [{ suffix: '.placed' }] }, attrs({ type: 'order.paid' }), false],
    ['equals-ignore-case match', { type: [{ 'equals-ignore-case': 'ORDER.PLACED' }] }, attrs({ type: 'Order.Placed' }), true],
    ['equals-ignore-case mismatch', { type: [{ 'equals-ignore-case': 'order' }] }, attrs({ type: 'orders' }), false],
    ['anything-but value', { type: [{ 'anything-but': 'test' }] }, attrs({ type: 'prod' }), true],
    ['anything-but value excluded', { type: [{ 'anything-but': 'test' }] }, attrs({ type: 'test' }), false],
    ['anything-but list', { type: [{ 'anything-but': ['a', 'b'] }] }, attrs({ type: 'c' }), true],
    ['anything-but list excluded', { type: [{ 'anything-but': ['a', 'b'] }] }, attrs({ type: 'b' }), false],
    ['anything-but numbers', { price: [{ 'anything-but': [100, 500] }] }, attrs({ price: 100.1 }), true],
    ['anything-but numbers excluded', { price: [{ 'anything-but': [100, 500] }] }, attrs({ price: 500 }), false],
    ['anything-but prefix', { type: [{ 'anything-but': { prefix: 'test-' } }] }, attrs({ type: 'prod-1' }), true],
    ['anything-but prefix excluded', { type: [{ 'anything-but': { prefix: 'test-' } }] }, attrs({ type: 'test-1' }), false],
    ['anything-but suffix excluded', { type: [{ 'anything-but': { suffix: '.tmp' } }] }, attrs({ type: 'a.tmp' }), false],
    ['anything-but needs the attribute', { type: [{ 'anything-but': 'test' }] }, attrs({ other: 'x' }), false],
    ['anything-but or exists:false', { type: [{ 'anything-but': 'test' }, { exists: false }] }, attrs({ other: 'x' }), true],
    ['exists true, present', { store: [{ exists: true }] }, attrs({ store: 'x' }), true],
    ['exists true, absent', { store: [{ exists: true }] }, attrs({ other: 'x' }), false],
    ['exists false, absent', { store: [{ exists: false }] }, attrs({ other: 'x' }), true],
    ['exists false, present', { store: [{ exists: false }] }, attrs({ store: 'x' }), false],
    ['exists false never matches an empty attribute set', { store: [{ exists: false }] }, {}, false],
    ['mixed rules in one list are OR', { type: ['exact', { prefix: 'pre' }] }, attrs({ type: 'prefixed' }), true],
    ['String.Array matches if any element matches', { tags: ['rugby'] }, attrs({ tags: ['tennis', 'rugby'] }), true],
    ['String.Array with no matching element', { tags: ['rugby'] }, attrs({ tags: ['tennis', 'golf'] }), false],
    ['String.Array prefix on an element', { tags: [{ prefix: 'ten' }] }, attrs({ tags: ['golf', 'tennis'] }), true],
    ['String.Array numeric element', { tags: [{ numeric: ['>', 10] }] }, attrs({ tags: ['a', 11] }), true],
    ['String.Array anything-but, no element excluded', { tags: [{ 'anything-but': ['rugby'] }] }, attrs({ tags: ['golf'] }), true],
    ['String.Array anything-but, one element excluded', { tags: [{ 'anything-but': ['rugby'] }] }, attrs({ tags: ['golf', 'rugby'] }), false],
    ['$or first branch', { $or: [{ type: ['a'] }, { store: ['x'] }] }, attrs({ type: 'a' }), true],
    ['$or second branch', { $or: [{ type: ['a'] }, { store: ['x'] }] }, attrs({ store: 'x' }), true],
    ['$or no branch', { $or: [{ type: ['a'] }, { store: ['x'] }] }, attrs({ type: 'b', store: 'y' }), false],
    ['$or ANDed with a sibling key', { source: ['pos'], ...eitherTypeOrBigN }, attrs({ source: 'pos', n: 6 }), true],
    ['$or ANDed with a failing sibling', { source: ['pos'], ...eitherTypeOrBigN }, attrs({ source: 'web', n: 6 }), false],
    ['Binary attributes are ignored by filtering', { blob: [{ exists: true }] }, attrs({ blob: { binary: 'x' } }), false],
    ['custom String type is a string', { type: ['a'] }, { type: { DataType: 'String.custom', StringValue: 'a' } }, true],
    ['empty policy matches everything', {}, attrs({ any: 'x' }), true],
  ];

  it.each(cases)('%s', (_name, policy, attributes, expected) => {
    expect(matchAttributes(policy, attributes)).toBe(expected);
  });
});

describe('SNS filter policy — MessageBody scope', () => {
  const order = {
    type: 'order.placed',
    total: 42.5,
    paid: true,
    note: null,
    items: [{ sku: 'burger', qty: 2 }, { sku: 'fries', qty: 1 }],
    tags: ['rush', 'vip'],
    restaurant: { id: 'r-1', address: { city: 'Lisbon' } },
  };

  const cases: Array<[string, object, unknown, boolean]> = [
    ['top-level exact match', { type: ['order.placed'] }, order, true],
    ['top-level mismatch', { type: ['order.cancelled'] }, order, false],
    ['nested key', { restaurant: { id: ['r-1'] } }, order, true],
    ['deeply nested key', { restaurant: { address: { city: ['Lisbon'] } } }, order, true],
    ['deeply nested mismatch', { restaurant: { address: { city: ['Porto'] } } }, order, false],
    ['nested key under a missing parent', { customer: { id: ['c-1'] } }, order, false],
    ['exists false under a missing parent', { customer: { id: [{ exists: false }] } }, order, true],
    ['numeric on a body number', { total: [{ numeric: ['>', 40, '<', 50] }] }, order, true],
    ['numeric out of range', { total: [{ numeric: ['>', 50] }] }, order, false],
    ['boolean literal', { paid: [true] }, order, true],
    ['boolean literal mismatch', { paid: [false] }, order, false],
    ['null literal matches null', { note: [null] }, order, true],
    ['exists true is false for null', { note: [{ exists: true }] }, order, false],
    ['array of scalars: any element matches', { tags: ['vip'] }, order, true],
    ['array of scalars: anything-but if some element is not excluded', { tags: [{ 'anything-but': ['rush'] }] }, order, true],
    ['array of objects: nested key in any element', { items: { sku: ['fries'] } }, order, true],
    ['array of objects: numeric in any element', { items: { qty: [{ numeric: ['>=', 2] }] } }, order, true],
    ['array of objects: no element matches', { items: { sku: ['salad'] } }, order, false],
    ['AND across nested and top-level keys', { type: [{ prefix: 'order.' }], restaurant: { id: ['r-1'] } }, order, true],
    ['$or across nested keys', { $or: [{ restaurant: { id: ['r-9'] } }, { total: [{ numeric: ['=', 42.5] }] }] }, order, true],
    ['$or nested inside an object', { restaurant: { $or: [{ id: ['r-9'] }, { address: { city: ['Lisbon'] } }] } }, order, true],
    ['equals-ignore-case in the body', { type: [{ 'equals-ignore-case': 'ORDER.PLACED' }] }, order, true],
    ['suffix in the body', { type: [{ suffix: 'placed' }] }, order, true],
    ['non-JSON body never matches', { type: ['order.placed'] }, 'order.placed', false],
    ['JSON array body never matches', { type: ['order.placed'] }, '[1,2]', false],
    ['a leaf policy against an object value does not match a value rule', { restaurant: ['r-1'] }, order, false],
    ['a leaf policy against an object value satisfies exists', { restaurant: [{ exists: true }] }, order, true],
  ];

  it.each(cases)('%s', (_name, policy, body, expected) => {
    expect(matchBody(policy, body)).toBe(expected);
  });

  it('ignores message attributes in MessageBody scope', () => {
    const parsed = parseFilterPolicy('{"type":["a"]}', 'MessageBody');
    expect(matchesFilterPolicy(parsed, 'MessageBody', { body: '{"type":"b"}', attributes: attrs({ type: 'a' }) })).toBe(false);
  });
});

describe('SNS filter policy — validation', () => {
  const invalid: Array<[string, string, FilterPolicyScope, string]> = [
    ['malformed JSON', '{"type": [', 'MessageAttributes', 'failed to parse JSON'],
    ['not an object', '["a"]', 'MessageAttributes', 'must be a JSON object'],
    ['scalar leaf', '{"type": "a"}', 'MessageAttributes', '"type" must be an object or an array'],
    ['empty array', '{"type": []}', 'MessageAttributes', 'Empty arrays are not allowed'],
    ['nesting in attribute scope', '{"a": {"b": ["c"]}}', 'MessageAttributes', 'does not support nested filter policy'],
    ['more than five keys', '{"a":[1],"b":[1],"c":[1],"d":[1],"e":[1],"f":[1]}', 'MessageAttributes', 'more than 5 keys'],
    ['too many combinations', JSON.stringify({ a: range(10), b: range(10), c: range(2) }), 'MessageAttributes', 'too complex'],
    ['unknown operator', '{"a": [{"wildcard": "x*"}]}', 'MessageAttributes', 'Unrecognized match type wildcard'],
    ['two operators in one rule', '{"a": [{"prefix": "x", "suffix": "y"}]}', 'MessageAttributes', 'Only one key allowed'],
    ['nested array as a value', '{"a": [["x"]]}', 'MessageAttributes', 'Match value must be'],
    ['prefix must be a string', '{"a": [{"prefix": 1}]}', 'MessageAttributes', 'prefix match pattern must be a string'],
    ['exists must be boolean', '{"a": [{"exists": "yes"}]}', 'MessageAttributes', 'exists match pattern must be either true or false'],
    ['numeric bad operator', '{"a": [{"numeric": ["!=", 1]}]}', 'MessageAttributes', 'Unrecognized numeric range operator'],
    ['numeric non-number value', '{"a": [{"numeric": [">", "1"]}]}', 'MessageAttributes', 'Value of > must be numeric'],
    ['numeric = with a second comparison', '{"a": [{"numeric": ["=", 1, "<", 2]}]}', 'MessageAttributes', 'Too many elements'],
    ['numeric upper bound first', '{"a": [{"numeric": ["<", 1, ">", 0]}]}', 'MessageAttributes', 'Too many elements'],
    ['numeric range inverted', '{"a": [{"numeric": [">", 5, "<", 1]}]}', 'MessageAttributes', 'Bottom must be less than top'],
    ['numeric wrong length', '{"a": [{"numeric": [">", 1, "<"]}]}', 'MessageAttributes', 'Value of numeric must be an array'],
    ['anything-but unknown pattern', '{"a": [{"anything-but": {"wildcard": "x"}}]}', 'MessageAttributes', 'Unsupported anything-but'],
    ['anything-but empty list', '{"a": [{"anything-but": []}]}', 'MessageAttributes', 'Value of anything-but must be'],
    ['$or with a single branch', '{"$or": [{"a": ["x"]}]}', 'MessageAttributes', '$or must be an array of at least two objects'],
  ];

  it.each(invalid)('rejects %s', (_name, text, scope, message) => {
    expect(() => parseFilterPolicy(text, scope)).toThrow(FilterPolicyError);
    expect(() => parseFilterPolicy(text, scope)).toThrow(message);
  });

  const valid: Array<[string, string, FilterPolicyScope]> = [
    ['nesting in body scope', '{"a": {"b": {"c": ["d"]}}}', 'MessageBody'],
    [
      'every operator',
      JSON.stringify({
        a: ['x', 1, true, null, { prefix: 'p' }, { suffix: 's' }, { 'equals-ignore-case': 'E' }, { exists: true }],
        b: [{ 'anything-but': { prefix: 't' } }, { numeric: ['>=', 0, '<', 10] }],
      }),
      'MessageAttributes',
    ],
    ['$or at the top level', '{"$or": [{"a": ["x"]}, {"b": ["y"]}]}', 'MessageAttributes'],
    ['150 combinations exactly', JSON.stringify({ a: range(15), b: range(10) }), 'MessageAttributes'],
  ];

  it.each(valid)('accepts %s', (_name, text, scope) => {
    expect(() => parseFilterPolicy(text, scope)).not.toThrow();
  });
});

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
