import { type RuleContext, type RuleOutcome, IotSqlError, compileRule } from '../iot/sql';

const V2 = '2016-03-23';
const TOPIC = 'brigade/site-1/devices/dev-9/telemetry';
const CTX: RuleContext = { topic: TOPIC, clientId: 'dev-9', timestamp: 1_700_000_000_000, principal: 'abc123' };

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

/** Runs `SELECT <select> FROM '#' [WHERE <where>]` on a JSON payload. */
function run(select: string, payload: unknown, where?: string, ctx: RuleContext = CTX): RuleOutcome {
  const sql = `SELECT ${select} FROM '#'${where === undefined ? '' : ` WHERE ${where}`}`;
  return compileRule('test_rule', sql, V2).evaluate(json(payload), ctx);
}

function output(select: string, payload: unknown = {}, ctx: RuleContext = CTX): Record<string, unknown> {
  const outcome = run(select, payload, undefined, ctx);
  if (outcome.kind !== 'matched') throw new Error(`expected a match, got ${JSON.stringify(outcome)}`);
  return outcome.output;
}

/** The value of one SELECT expression, or undefined when it evaluates to Undefined. */
function value(expression: string, payload: unknown = {}, ctx: RuleContext = CTX): unknown {
  return output(`${expression} AS v`, payload, ctx).v;
}

function matches(where: string, payload: unknown): boolean {
  return run('*', payload, where).kind === 'matched';
}

function compileError(sql: string, sqlVersion: string | undefined): IotSqlError {
  try {
    compileRule('bad_rule', sql, sqlVersion);
  } catch (error) {
    if (error instanceof IotSqlError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(sql)} to fail to compile`);
}

describe('the design telemetry rule', () => {
  const rule = compileRule(
    'brigade_telemetry',
    "SELECT *, topic(2) AS siteId, topic(4) AS deviceId, timestamp() AS receivedAt FROM 'brigade/+/devices/+/telemetry' WHERE temperatureC IS NOT NULL",
    V2,
  );

  it('exposes its name, SQL and topic filter', () => {
    expect(rule.ruleName).toBe('brigade_telemetry');
    expect(rule.sql).toContain('SELECT *');
    expect(rule.topicFilter).toBe('brigade/+/devices/+/telemetry');
  });

  it('matches only telemetry topics', () => {
    expect(rule.matchesTopic(TOPIC)).toBe(true);
    expect(rule.matchesTopic('brigade/site-1/devices/dev-9/status')).toBe(false);
    expect(rule.matchesTopic('brigade/site-1/devices/dev-9/telemetry/extra')).toBe(false);
  });

  it('copies the payload and adds the site, device and receive time', () => {
    const outcome = rule.evaluate(json({ temperatureC: 3.5, door: { open: false }, readings: [1, 2] }), CTX);
    expect(outcome).toEqual({
      kind: 'matched',
      output: {
        temperatureC: 3.5,
        door: { open: false },
        readings: [1, 2],
        siteId: 'site-1',
        deviceId: 'dev-9',
        receivedAt: 1_700_000_000_000,
      },
    });
    expect(Object.keys((outcome as { output: object }).output)).toEqual([
      'temperatureC',
      'door',
      'readings',
      'siteId',
      'deviceId',
      'receivedAt',
    ]);
  });

  it('matches a temperature of 0', () => {
    expect(rule.evaluate(json({ temperatureC: 0 }), CTX).kind).toBe('matched');
  });

  it('does not match when temperatureC is missing or null', () => {
    expect(rule.evaluate(json({ humidity: 40 }), CTX)).toEqual({ kind: 'not-matched' });
    expect(rule.evaluate(json({ temperatureC: null }), CTX)).toEqual({ kind: 'not-matched' });
  });

  it('does not match a message on another topic, whatever its payload', () => {
    expect(rule.evaluate(Buffer.from('not json'), { ...CTX, topic: 'brigade/site-1/orders' })).toEqual({
      kind: 'not-matched',
    });
  });

  it('defaults receivedAt to the current time', () => {
    const before = Date.now();
    const outcome = rule.evaluate(json({ temperatureC: 1 }), { topic: TOPIC });
    const after = Date.now();
    if (outcome.kind !== 'matched') throw new Error(`expected a match, got ${outcome.kind}`);
    const receivedAt = outcome.output.receivedAt as number;
    expect(receivedAt).toBeGreaterThanOrEqual(before);
    expect(receivedAt).toBeLessThanOrEqual(after);
  });

  it.each([
    ['plain text', Buffer.from('temperature=4')],
    ['an empty payload', Buffer.alloc(0)],
    ['truncated JSON', Buffer.from('{"temperatureC": 4')],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])],
  ])('reports %s as payload-not-json', (_, payload) => {
    const outcome = rule.evaluate(payload, CTX);
    expect(outcome.kind).toBe('payload-not-json');
    expect((outcome as { error: string }).error).toMatch(/^payload is not JSON/);
  });
});

describe('payloads that are not JSON objects', () => {
  it('rejects a non-JSON payload even for a bare SELECT *', () => {
    const outcome = compileRule('r', "SELECT * FROM 'a'", V2).evaluate(Buffer.from([0x00, 0x01]), { topic: 'a' });
    expect(outcome.kind).toBe('payload-not-json');
  });

  it('evaluates a rule that reads no payload field against a binary payload, as AWS does', () => {
    const rule = compileRule('r', "SELECT topic() AS t, clientid() AS c FROM 'a/+' WHERE topic(2) = 'x'", V2);
    expect(rule.evaluate(Buffer.from([0xff, 0x00]), { topic: 'a/x', clientId: 'c1' })).toEqual({
      kind: 'matched',
      output: { t: 'a/x', c: 'c1' },
    });
  });

  it('reports SELECT * over a JSON array or scalar as payload-not-json', () => {
    expect(run('*', [1, 2])).toEqual({
      kind: 'payload-not-json',
      error: 'SELECT * needs a JSON object payload, got Array',
    });
    expect(run('*', 42)).toEqual({ kind: 'payload-not-json', error: 'SELECT * needs a JSON object payload, got Int' });
  });

  it('evaluates WHERE before checking the shape for SELECT *', () => {
    expect(run('*', [1, 2], 'false')).toEqual({ kind: 'not-matched' });
  });

  it('reads fields of a JSON scalar as Undefined', () => {
    expect(output('a, topic(1) AS t', 'just a string')).toEqual({ t: 'brigade' });
  });
});

describe('SELECT projection', () => {
  const payload = {
    a: 1,
    site: { kitchen: { fridge: { temperatureC: 4 } } },
    readings: [{ t: 10, v: 1.5 }, { t: 20 }],
    empty: null,
    'key-with-dash': 1,
  };

  it('names a field path by its last segment', () => {
    expect(output('site.kitchen.fridge.temperatureC', payload)).toEqual({ temperatureC: 4 });
    expect(output('site.kitchen', payload)).toEqual({ kitchen: { fridge: { temperatureC: 4 } } });
  });

  it('renames with AS, case-insensitively', () => {
    expect(output('a AS first, site.kitchen.fridge.temperatureC as fridgeC', payload)).toEqual({
      first: 1,
      fridgeC: 4,
    });
  });

  it('indexes arrays', () => {
    expect(output('readings[0].t, readings[1].t AS t2, readings[1 + 0].t AS t3, readings[0] AS r0', payload)).toEqual({
      t: 10,
      t2: 20,
      t3: 20,
      r0: { t: 10, v: 1.5 },
    });
  });

  it.each([
    ['readings[2].t'],
    ['readings[-1].t'],
    ['readings[0.5].t'],
    ["readings['0'].t"],
    ['site[0]'],
    ['a.b'],
    ['missing'],
    ['missing.deeper.still'],
    ['readings.t'],
  ])('omits %s, which is Undefined', (expression) => {
    expect(output(`${expression} AS x, a`, payload)).toEqual({ a: 1 });
  });

  it('keeps a null value', () => {
    expect(output('empty, null AS n', payload)).toEqual({ empty: null, n: null });
  });

  it('evaluates literals', () => {
    expect(
      output("'text' AS s, 42 AS i, 3.25 AS d, -7 AS neg, -0.5 AS negd, 1e3 AS sci, true AS t, FALSE AS f", payload),
    ).toEqual({ s: 'text', i: 42, d: 3.25, neg: -7, negd: -0.5, sci: 1000, t: true, f: false });
  });

  it('keeps characters inside string literals as written', () => {
    expect(value("'a \"quoted\" back\\slash, SELECT * FROM x'")).toBe('a "quoted" back\\slash, SELECT * FROM x');
  });

  it('names unaliased function calls after the function and other expressions _N by their place', () => {
    expect(output('topic(), a + 1, timestamp(), 5, -a', payload)).toEqual({
      topic: TOPIC,
      _2: 2,
      timestamp: CTX.timestamp,
      _4: 5,
      _5: -1,
    });
  });

  it('adds items after * and lets a later item replace a payload key in place', () => {
    expect(output("*, 'x' AS a, 2 AS extra", { a: 1, b: 2 })).toEqual({ a: 'x', b: 2, extra: 2 });
    expect(Object.keys(output("*, 'x' AS a", { a: 1, b: 2 }))).toEqual(['a', 'b']);
  });

  it('removes a payload key that a later item sets to Undefined', () => {
    expect(output('*, missing AS a', { a: 1, b: 2 })).toEqual({ b: 2 });
  });

  it('accepts * after other items', () => {
    expect(output('1 AS one, *', { b: 2 })).toEqual({ one: 1, b: 2 });
  });

  it('does not reach prototype properties through field access', () => {
    expect(output('constructor, a.toString AS s, __proto__ AS p, hasOwnProperty AS h', { a: {} })).toEqual({});
  });

  it('copies a payload "__proto__" key as plain data', () => {
    const result = output('*, 1 AS __proto__', JSON.parse('{"__proto__": {"polluted": true}, "b": 1}'));
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result)).toEqual(['__proto__', 'b']);
    expect(Object.getOwnPropertyDescriptor(result, '__proto__')?.value).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('lets a field share its name with a function when it is not called', () => {
    expect(output('timestamp, topic', { timestamp: 5, topic: 't' })).toEqual({ timestamp: 5, topic: 't' });
  });

  it('accepts keywords in any case and spreads over several lines', () => {
    const rule = compileRule('r', "select *,\n  TOPIC(1) as root\nfrom 'a/b'\nwhere x IS not NULL", V2);
    expect(rule.evaluate(json({ x: 1 }), { topic: 'a/b' })).toEqual({ kind: 'matched', output: { x: 1, root: 'a' } });
  });
});

describe('arithmetic', () => {
  it.each([
    ['2 + 3 * 4', 14],
    ['(2 + 3) * 4', 20],
    ['2 * 3 + 4', 10],
    ['10 - 4 - 3', 3],
    ['100 / 10 / 5', 2],
    ['2 * -3', -6],
    ['-(2 + 3) * 2', -10],
    ['- -4', 4],
    ['1 + 2 * 3 - 8 / 4 % 3', 5],
    ['7 % 3', 1],
    ['-7 % 3', -1],
    ['7.5 % 2', 1.5],
    ['7 / 2', 3],
    ['-7 / 2', -3],
    ['7 / 2.5', 2.8],
    ['7.5 / 2', 3.75],
    ['0.5 + 0.25', 0.75],
    ['1.5 * 2', 3],
  ])('%s = %j', (expression, expected) => {
    expect(value(expression)).toBe(expected);
  });

  it('computes with payload fields, as in the AWS Fahrenheit example', () => {
    expect(value('(temperature - 32) * 5 / 9', { temperature: 50 })).toBe(10);
    expect(value('temperatureC * 9 / 5 + 32', { temperatureC: 20 })).toBe(68);
    expect(value('site.temp * 2', { site: { temp: 1.25 } })).toBe(2.5);
  });

  it('truncates Int / Int like AWS, so scale with a Decimal to keep the fraction', () => {
    expect(value('(temperature - 32) * 5 / 9', { temperature: 51 })).toBe(10);
    expect(value('(temperature - 32) * 5 / 9.0', { temperature: 51 })).toBe(10);
    expect(value('(temperature - 32) / 1.8', { temperature: 41 })).toBe(5);
    expect(value('(temperature - 32) * 0.5', { temperature: 51 })).toBe(9.5);
  });

  it.each([
    ['1 / 0'],
    ['1.5 / 0'],
    ['5 % 0'],
    ['missing + 1'],
    ['1 - missing'],
    ['-missing'],
    ['null + 1'],
    ['true + 1'],
    ['flag * 2'],
    ["'abc' * 2"],
    ["'12abc' - 1"],
    ['list * 2'],
    ["'x' + null"],
    ["missing + 'x'"],
  ])('%s is Undefined', (expression) => {
    expect(value(expression, { flag: true, list: [1] })).toBeUndefined();
  });

  it('converts numeric strings for - * / %', () => {
    expect(value("'10' - 3")).toBe(7);
    expect(value("'2.5' * 2")).toBe(5);
    expect(value("'-9' / '2'")).toBe(-4.5);
    expect(value("'1E2' % 7")).toBe(2);
    expect(value("-'3'")).toBe(-3);
  });

  it('concatenates with + as soon as one side is a String', () => {
    expect(value("'a' + 1")).toBe('a1');
    expect(value("1 + '2'")).toBe('12');
    expect(value("'on: ' + flag", { flag: true })).toBe('on: true');
    expect(value("'v' + list", { list: [1, 'x'] })).toBe('v[1,"x"]');
    expect(value("site + '!'", { site: 'k1' })).toBe('k1!');
  });
});

describe('WHERE', () => {
  const payload = {
    t: 5,
    d: 2.5,
    s: 'abc',
    n: '5',
    flag: true,
    bs: 'TRUE',
    nil: null,
    arr: [1, 'a'],
    obj: { x: 1, y: [2] },
  };

  it.each([
    ['t = 5', true],
    ['t = 5.0', true],
    ['t = 6', false],
    ['t <> 6', true],
    ['t != 5', false],
    ['t < 6', true],
    ['t < 5', false],
    ['t <= 5', true],
    ['t > 4.9', true],
    ['t >= 6', false],
    ['d < t', true],
    ['-t < 0', true],
    ["s = 'abc'", true],
    ["s = 'ABC'", false],
    ["s <> 'abd'", true],
    ['flag = true', true],
    ["bs = 'TRUE'", true],
    ['nil = null', true],
    ['nil <> null', false],
    ['t = null', false],
    ['t <> null', true],
    ["arr = arr", true],
    ['obj = obj', true],
    ['obj.y[0] = 2', true],
  ])('%s → %j', (where, expected) => {
    expect(matches(where, payload)).toBe(expected);
  });

  it('compares Strings and numbers with = by type (no conversion) and with < > by converting to Decimal', () => {
    expect(matches("n = 5", payload)).toBe(false);
    expect(matches("n <> 5", payload)).toBe(true);
    expect(matches("n < 6", payload)).toBe(true);
    expect(matches("n >= '4.5'", payload)).toBe(true);
  });

  it('makes ordering between non-numeric Strings Undefined, so neither it nor its negation matches', () => {
    expect(matches("s < 'abd'", payload)).toBe(false);
    expect(matches("NOT (s < 'abd')", payload)).toBe(false);
    expect(matches("s >= 'abd'", payload)).toBe(false);
  });

  it('compares arrays in order and objects regardless of key order', () => {
    const p = { a: [1, 2], b: [2, 1], c: { x: 1, y: { z: [true] } }, d: { y: { z: [true] }, x: 1 }, e: { x: 1 } };
    expect(matches('a = b', p)).toBe(false);
    expect(matches('a <> b', p)).toBe(true);
    expect(matches('c = d', p)).toBe(true);
    expect(matches('c = e', p)).toBe(false);
    expect(matches('a = c', p)).toBe(false);
  });

  it.each([
    ['t = 5 AND s = \'abc\'', true],
    ['t = 5 AND s = \'x\'', false],
    ['t = 6 OR s = \'abc\'', true],
    ['t = 6 OR s = \'x\'', false],
    ['NOT t = 6', true],
    ['NOT NOT t = 5', true],
    ['NOT (t = 5 AND flag)', false],
    // AND binds tighter than OR
    ['t = 5 OR t = 6 AND t = 7', true],
    ['(t = 5 OR t = 6) AND t = 7', false],
    ['t = 7 AND t = 6 OR t = 5', true],
    ['NOT t = 5 OR flag', true],
    ['flag AND bs', true],
    ["flag AND 'false'", false],
    ['flag', true],
    ['true', true],
    ['false', false],
  ])('%s → %j', (where, expected) => {
    expect(matches(where, payload)).toBe(expected);
  });

  it.each([['t'], ["'true'"], ['bs'], ['nil'], ['s']])('does not match when WHERE %s is not exactly true', (where) => {
    expect(matches(where, payload)).toBe(false);
  });

  describe('Undefined', () => {
    it.each([
      ['missing = 1'],
      ['missing <> 1'],
      ['missing != 1'],
      ['missing < 1'],
      ['NOT missing = 1'],
      ['NOT (missing = 1)'],
      ['missing = missing'],
      ['obj.nope = 1'],
      ['missing'],
      ['NOT missing'],
      // AWS AND/OR return Undefined whenever a side is not a Boolean, even when the other side decides it.
      ['t = 5 OR missing = 1'],
      ['missing = 1 OR t = 5'],
      ['t = 6 AND missing = 1'],
      ['t AND flag'],
    ])('%s does not match', (where) => {
      expect(matches(where, payload)).toBe(false);
    });
  });

  describe('IS [NOT] NULL and IS [NOT] UNDEFINED', () => {
    it.each([
      // [test, on a present value, on null, on a missing field]
      ['IS NULL', false, true, false],
      ['IS NOT NULL', true, false, false],
      ['IS UNDEFINED', false, false, true],
      ['IS NOT UNDEFINED', true, true, false],
    ])('x %s', (test, present, isNull, missing) => {
      expect(matches(`x ${test}`, { x: 0 })).toBe(present);
      expect(matches(`x ${test}`, { x: null })).toBe(isNull);
      expect(matches(`x ${test}`, {})).toBe(missing);
    });

    it('combines with other conditions', () => {
      // x IS NULL is Undefined for a missing x, and OR with an Undefined side is Undefined.
      expect(matches('x IS NULL OR x IS UNDEFINED', {})).toBe(false);
      expect(matches('isNull(x) OR x IS UNDEFINED', {})).toBe(true);
      expect(matches('NOT x IS UNDEFINED AND x > 1', { x: 2 })).toBe(true);
      expect(matches('a.b IS NOT UNDEFINED', { a: { b: false } })).toBe(true);
      expect(matches('(a + 1) IS UNDEFINED', { a: 'x' })).toBe(false);
      expect(matches('(a * 1) IS UNDEFINED', { a: 'x' })).toBe(true);
    });
  });

  it('cannot see SELECT aliases', () => {
    expect(run('a AS b', { a: 1 }, 'b = 1')).toEqual({ kind: 'not-matched' });
  });

  it('runs before SELECT, so a failing WHERE never evaluates it', () => {
    expect(run('newuuid() AS id', { a: 1 }, 'a = 2')).toEqual({ kind: 'not-matched' });
  });
});

describe('functions', () => {
  it('topic() returns the topic, topic(n) its 1-based segment', () => {
    expect(value('topic()')).toBe(TOPIC);
    expect(value('topic(1)')).toBe('brigade');
    expect(value('topic(5)')).toBe('telemetry');
    expect(value("topic('2')")).toBe('site-1');
    expect(value('topic(level)', { level: 4 })).toBe('dev-9');
    expect(value('topic(6)')).toBeUndefined();
    expect(value('topic(0)')).toBeUndefined();
    expect(value('topic(missing)')).toBeUndefined();
    expect(value("topic('x')")).toBeUndefined();
  });

  it('timestamp() is the context time, the same for every call in one message', () => {
    expect(output('timestamp() AS a, timestamp() AS b')).toEqual({ a: CTX.timestamp, b: CTX.timestamp });
    const noTime = { topic: TOPIC };
    const { a, b } = output('timestamp() AS a, timestamp() AS b', {}, noTime);
    expect(a).toBe(b);
  });

  it('clientid() is the MQTT client id, or n/a without one', () => {
    expect(value('clientid()')).toBe('dev-9');
    expect(value('clientid()', {}, { topic: TOPIC })).toBe('n/a');
  });

  it('principal() is the context principal, Undefined without one', () => {
    expect(value('principal()')).toBe('abc123');
    expect(value('principal()', {}, { topic: TOPIC })).toBeUndefined();
  });

  it('newuuid() returns a fresh v4 UUID per call', () => {
    const { a, b } = output('newuuid() AS a, newuuid() AS b');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });

  it.each([
    ['abs(-5)', 5],
    ['abs(-2.5)', 2.5],
    ["abs('-5.123')", 5.123],
    ['abs(true)', undefined],
    ['abs(null)', undefined],
    ['round(1.2)', 1],
    ['round(1.5)', 2],
    ['round(1.7)', 2],
    ['round(-1.1)', -1],
    ['round(-1.5)', -2],
    ['round(-0.4)', 0],
    ["round('2.5')", 3],
    ['floor(1.2)', 1],
    ['floor(-1.2)', -2],
    ['ceil(1.2)', 2],
    ['ceil(-1.2)', -1],
    ['ceil(-0.5)', 0],
    ["ceil('x')", undefined],
    ["lower('HeLLo')", 'hello'],
    ["upper('hello')", 'HELLO'],
    ['upper(12)', '12'],
    ['upper(flag)', 'TRUE'],
    ['lower(list)', '["a",1]'],
    ['upper(null)', undefined],
    ['lower(missing)', undefined],
    ["concat('con', 'cat')", 'concat'],
    ["concat(1, 'hello')", '1hello'],
    ["concat('he', 'is', 'man')", 'heisman'],
    ['concat(list, 4)', ['A', 1, 4]],
    ["concat(list, 'x', list)", ['A', 1, 'x', 'A', 1]],
    ['concat(5)', 5],
    ['concat()', undefined],
    ["concat('a', null)", undefined],
    ["concat('a', missing)", undefined],
    ['isNull(null)', true],
    ['isNull(5)', false],
    ['isNull(missing)', false],
    ['isUndefined(missing)', true],
    ['isUndefined(null)', false],
    ['IsUndefined(floor(list))', true],
    ['ROUND(2.5)', 3],
  ])('%s = %j', (expression, expected) => {
    expect(value(expression, { flag: true, list: ['A', 1] })).toEqual(expected);
  });

  it('applies to fields and combines with operators', () => {
    expect(value('floor(temperatureC) + 0.5', { temperatureC: 3.14159 })).toBe(3.5);
    // In SQL 2016-03-23 the literal 10.0 is an Int, so this is Int / Int and truncates, as on AWS.
    expect(value('round(temperatureC * 10) / 10.0', { temperatureC: 3.14159 })).toBe(3);
    expect(value("upper(topic(2)) + '-' + lower(kind)", { kind: 'FRIDGE' })).toBe('SITE-1-fridge');
  });

  it('supports the common presence test isUndefined(x) = false', () => {
    expect(matches('isUndefined(temperatureC) = false', { temperatureC: 1 })).toBe(true);
    expect(matches('isUndefined(temperatureC) = false', {})).toBe(false);
  });
});

describe('SQL versions', () => {
  it.each([[V2], ['2015-10-08'], [undefined]])('accepts %j', (version) => {
    expect(compileRule('r', "SELECT * FROM 'a'", version).topicFilter).toBe('a');
  });

  it.each([['beta'], ['2016-03-24'], ['']])('rejects %j with the rule name', (version) => {
    const error = compileError("SELECT * FROM 'a'", version);
    expect(error.message).toBe(
      `rule "bad_rule": unsupported SQL version '${version}' (supported: 2015-10-08, 2016-03-23)`,
    );
    expect(error.position).toBe(0);
  });

  it('rejects isUndefined() before 2016-03-23, which is also the version used when none is given', () => {
    for (const version of ['2015-10-08', undefined]) {
      expect(compileError("SELECT * FROM 'a' WHERE isUndefined(x) = false", version).message).toBe(
        'rule "bad_rule": function \'isUndefined\' requires SQL version 2016-03-23, the rule uses 2015-10-08 at column 25',
      );
    }
  });
});

describe('compile errors', () => {
  it.each([
    // [sql, message detail, 1-based column]
    ['', 'expected SELECT, found end of input', 1],
    ['   ', 'expected SELECT, found end of input', 4],
    ["FROM 'a'", "expected SELECT, found token 'FROM'", 1],
    ['SELECT *', 'expected FROM, found end of input', 9],
    ['SELECT * WHERE a = 1', "expected FROM, found token 'WHERE'", 10],
    ["SELECT a b FROM 'x'", "expected FROM, found token 'b'", 10],
    ["SELECT FROM 'a'", "unexpected token 'FROM'", 8],
    ["SELECT a, FROM 'a'", "unexpected token 'FROM'", 11],
    ["SELECT * FROM 'a/b", 'unterminated string literal', 15],
    ["SELECT * FROM 'a' WHERE s = 'abc", 'unterminated string literal', 29],
    ["SELECT 'it''s' AS s FROM 'a'", "expected FROM, found string 's'", 12],
    ["SELECT * FROM 'a' LIMIT 5", "unexpected token 'LIMIT'", 19],
    ["SELECT * FROM 'a';", "unexpected character ';'", 18],
    ["SELECT * FROM 'a' WHERE a = 1 b", "unexpected token 'b'", 31],
    ["SELECT * FROM 'a' 'b'", "unexpected string 'b'", 19],
    ['SELECT * FROM a/b', "FROM expects a single-quoted topic filter, found token 'a'", 15],
    ["SELECT * FROM ''", "invalid topic filter '': the topic filter is empty", 15],
    ["SELECT * FROM 'a/#/b'", "invalid topic filter 'a/#/b': '#' must be a whole level and the last one", 15],
    ["SELECT * FROM 'a/b+'", "invalid topic filter 'a/b+': '+' must be a whole level", 15],
    ["SELECT foo(1) AS x FROM 'a'", "unknown function 'foo'", 8],
    ["SELECT *, Frobnicate() FROM 'a'", "unknown function 'Frobnicate'", 11],
    ["SELECT encode(*, 'base64') AS data FROM 'a'", "function 'encode' is not supported", 8],
    ["SELECT * FROM 'a' WHERE get(arr, 0) = 1", "function 'get' is not supported", 25],
    ["SELECT cast(a AS Int) AS i FROM 'a'", "function 'cast' is not supported", 8],
    ["SELECT topic(1, 2) AS t FROM 'a'", "function 'topic' takes 0 to 1 argument(s), got 2", 8],
    ["SELECT timestamp(1) AS t FROM 'a'", "function 'timestamp' takes 0 argument(s), got 1", 8],
    ["SELECT abs() AS t FROM 'a'", "function 'abs' takes 1 argument(s), got 0", 8],
    ["SELECT topic(2 AS t FROM 'a'", "expected ')', found token 'AS'", 16],
    ["SELECT * FROM 'a' WHERE (a = 1", "expected ')', found end of input", 31],
    ["SELECT * FROM 'a' WHERE a = ", 'unexpected end of input', 29],
    ["SELECT * FROM 'a' WHERE a IS 5", "expected NULL or UNDEFINED after IS, found token '5'", 30],
    ["SELECT * FROM 'a' WHERE a < b < c", "unexpected token '<'", 31],
    ["SELECT * FROM 'a' WHERE a = NOT b", "unexpected token 'NOT'", 29],
    ["SELECT a AS FROM 'x'", "expected an alias name after AS, found token 'FROM'", 13],
    ["SELECT a AS 'b' FROM 'x'", "expected an alias name after AS, found string 'b'", 13],
    ["SELECT a AS b.c FROM 'x'", 'nested (dotted) aliases are not supported', 14],
    ["SELECT a.1 FROM 'x'", "expected a field name after '.', found token '1'", 10],
    ["SELECT *, * FROM 'x'", "'*' can appear only once", 11],
    ["SELECT a * FROM 'x'", "unexpected token 'FROM'", 12],
    ['SELECT "a" FROM \'x\'', 'double-quoted strings are not supported, use single quotes', 8],
    ["SELECT a || b AS c FROM 'x'", "'||' is not an AWS IoT SQL operator, use concat() or +", 10],
    ["SELECT {'a': 1} AS o FROM 'x'", 'object literals are not supported', 8],
    ["SELECT [a, b] AS l FROM 'x'", 'array literals are not supported', 8],
    ["SELECT `a b` FROM 'x'", 'backtick-quoted names are not supported', 8],
    ["SELECT CASE a WHEN 1 THEN 'x' END AS c FROM 'x'", 'CASE expressions are not supported', 8],
    ["SELECT * FROM 'x' WHERE a IN (1, 2)", 'the IN operator is not supported', 27],
    ["SELECT * FROM 'x' WHERE a BETWEEN 1 AND 2", 'BETWEEN is not supported', 27],
    ["SELECT * FROM 'x' WHERE a LIKE 'b%'", 'LIKE is not supported', 27],
    ["SELECT (SELECT a FROM b) AS c FROM 'x'", 'nested SELECT queries are not supported', 9],
    ["SET a = 1 SELECT * FROM 'x'", 'the SET clause is not supported', 1],
    ["SET @a = 1 SELECT * FROM 'x'", 'variables are not supported', 5],
    ["SELECT VALUE a FROM 'x'", 'SELECT VALUE is not supported', 8],
    ["SELECT * FROM 'x' WHERE a = 1 -- comment", 'comments are not supported in AWS IoT SQL', 31],
    ["SELECT * /* all */ FROM 'x'", 'comments are not supported in AWS IoT SQL', 10],
    ["SELECT * FROM 'x' WHERE a = #", "unexpected character '#'", 29],
  ])('%j → %s at column %d', (sql, detail, column) => {
    const error = compileError(sql, V2);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('IotSqlError');
    expect(error.ruleName).toBe('bad_rule');
    expect(error.position).toBe(column);
    expect(error.message).toBe(`rule "bad_rule": ${detail} at column ${column}`);
  });

  it('gives the line and column in multi-line SQL, with position counting from the start', () => {
    const error = compileError("SELECT *,\n  topic(2) AS siteId,\n  bogus() AS x\nFROM 'a'", V2);
    expect(error.message).toBe('rule "bad_rule": unknown function \'bogus\' at line 3, column 3');
    expect(error.position).toBe(35);
  });

  it('treats a field named value as a field, not as SELECT VALUE', () => {
    expect(output('value, value * 2 AS double', { value: 3 })).toEqual({ value: 3, double: 6 });
  });
});
