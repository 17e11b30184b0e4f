// Recursive-descent parser for the supported subset of AWS IoT SQL. Precedence, loosest first:
// OR, AND, NOT, comparison (= <> != < <= > >= IS), + -, * / %, unary -, postfix (.name, [index]).
import type { Expr, SelectItem, SqlVersion, Statement } from './ast';
import { sqlErrorAt } from './errors';
import { AWS_ONLY_FUNCTIONS, FUNCTIONS } from './functions';
import { type Fail, type Token, tokenize } from './lexer';
import { topicFilterProblem } from './topic-filter';
import type { OrderingOperator } from './values';

/** Words that cannot be field names or aliases. */
const RESERVED = new Set(['SELECT', 'FROM', 'WHERE', 'AS', 'AND', 'OR', 'NOT', 'IS', 'NULL', 'TRUE', 'FALSE']);

/** AWS IoT SQL keywords for constructs this engine does not implement. */
const UNSUPPORTED_KEYWORDS: Record<string, string> = {
  CASE: 'CASE expressions are not supported',
  IN: 'the IN operator is not supported',
  BETWEEN: 'BETWEEN is not supported',
  LIKE: 'LIKE is not supported',
};

export function parseStatement(ruleName: string, sql: string, version: SqlVersion): Statement {
  const fail: Fail = (offset, detail) => {
    throw sqlErrorAt(ruleName, sql, offset, detail);
  };
  return new Parser(tokenize(sql, fail), version, fail).statement();
}

class Parser {
  private i = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly version: SqlVersion,
    private readonly fail: Fail,
  ) {}

  statement(): Statement {
    if (this.isWord('SET')) this.fail(this.peek().pos, 'the SET clause is not supported');
    this.expectWord('SELECT');
    const select = this.selectList();
    this.expectWord('FROM');
    const from = this.next();
    if (from.kind !== 'string') {
      this.fail(from.pos, `FROM expects a single-quoted topic filter, found ${describe(from)}`);
    }
    const problem = topicFilterProblem(from.text);
    if (problem !== undefined) this.fail(from.pos, `invalid topic filter '${from.text}': ${problem}`);
    let where: Expr | undefined;
    if (this.isWord('WHERE')) {
      this.next();
      where = this.expression();
    }
    if (this.peek().kind !== 'end') this.unexpected(this.peek());
    const exprs = select.flatMap((item) => (item.kind === 'expr' ? [item.expr] : []));
    if (where) exprs.push(where);
    const readsPayload = select.some((item) => item.kind === 'star') || exprs.some(usesPayload);
    return { select, from: from.text, where, readsPayload };
  }

  private selectList(): SelectItem[] {
    const first = this.peek();
    if (isWordToken(first, 'VALUE') && startsOperand(this.peek(1))) {
      this.fail(first.pos, 'SELECT VALUE is not supported');
    }
    const items: SelectItem[] = [];
    do {
      const token = this.peek();
      if (isSymbolIn(token, '*')) {
        if (items.some((item) => item.kind === 'star')) this.fail(token.pos, "'*' can appear only once");
        this.next();
        items.push({ kind: 'star', pos: token.pos });
        continue;
      }
      const expr = this.expression();
      items.push({ kind: 'expr', expr, name: this.alias() ?? defaultName(expr, items.length + 1) });
    } while (this.acceptSymbol(','));
    return items;
  }

  private alias(): string | undefined {
    if (!this.isWord('AS')) return undefined;
    this.next();
    const name = this.next();
    if (name.kind !== 'word' || RESERVED.has(name.text.toUpperCase())) {
      this.fail(name.pos, `expected an alias name after AS, found ${describe(name)}`);
    }
    if (isSymbolIn(this.peek(), '.')) this.fail(this.peek().pos, 'nested (dotted) aliases are not supported');
    return name.text;
  }

  private expression(): Expr {
    return this.or();
  }

  private or(): Expr {
    let left = this.and();
    while (this.isWord('OR')) {
      this.next();
      left = { kind: 'logical', op: 'OR', left, right: this.and(), pos: left.pos };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isWord('AND')) {
      this.next();
      left = { kind: 'logical', op: 'AND', left, right: this.not(), pos: left.pos };
    }
    return left;
  }

  private not(): Expr {
    if (!this.isWord('NOT')) return this.comparison();
    const pos = this.next().pos;
    return { kind: 'not', operand: this.not(), pos };
  }

  /** Comparisons do not chain: `a < b < c` is rejected rather than silently comparing a Boolean. */
  private comparison(): Expr {
    const left = this.additive();
    const token = this.peek();
    if (isSymbolIn(token, '=', '<>', '!=')) {
      this.next();
      return { kind: 'equality', op: token.text === '=' ? '=' : '<>', left, right: this.additive(), pos: left.pos };
    }
    if (isSymbolIn(token, '<', '<=', '>', '>=')) {
      this.next();
      return { kind: 'ordering', op: token.text as OrderingOperator, left, right: this.additive(), pos: left.pos };
    }
    if (this.isWord('IS')) {
      this.next();
      const negated = this.isWord('NOT');
      if (negated) this.next();
      const test = this.next();
      const upper = test.kind === 'word' ? test.text.toUpperCase() : '';
      if (upper !== 'NULL' && upper !== 'UNDEFINED') {
        this.fail(test.pos, `expected NULL or UNDEFINED after IS, found ${describe(test)}`);
      }
      return { kind: 'is', operand: left, test: upper as 'NULL' | 'UNDEFINED', negated, pos: left.pos };
    }
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (let token = this.peek(); isSymbolIn(token, '+', '-'); token = this.peek()) {
      this.next();
      left = { kind: 'arithmetic', op: token.text as '+' | '-', left, right: this.multiplicative(), pos: left.pos };
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    for (let token = this.peek(); isSymbolIn(token, '*', '/', '%'); token = this.peek()) {
      this.next();
      left = { kind: 'arithmetic', op: token.text as '*' | '/' | '%', left, right: this.unary(), pos: left.pos };
    }
    return left;
  }

  private unary(): Expr {
    if (!isSymbolIn(this.peek(), '-')) return this.postfix();
    const pos = this.next().pos;
    const operand = this.unary();
    // Folding keeps `-5` a literal, so a negative number in SELECT still gets the literal's default name.
    if (operand.kind === 'literal' && typeof operand.value === 'number') {
      return { kind: 'literal', value: -operand.value + 0, pos };
    }
    return { kind: 'negate', operand, pos };
  }

  private postfix(): Expr {
    let expr = this.primary();
    for (;;) {
      if (this.acceptSymbol('.')) {
        const name = this.next();
        if (name.kind !== 'word') this.fail(name.pos, `expected a field name after '.', found ${describe(name)}`);
        expr = { kind: 'member', object: expr, name: name.text, pos: expr.pos };
      } else if (this.acceptSymbol('[')) {
        const index = this.expression();
        this.expectSymbol(']');
        expr = { kind: 'index', object: expr, index, pos: expr.pos };
      } else {
        return expr;
      }
    }
  }

  private primary(): Expr {
    const token = this.next();
    const pos = token.pos;
    switch (token.kind) {
      case 'number':
        return { kind: 'literal', value: Number(token.text), pos };
      case 'string':
        return { kind: 'literal', value: token.text, pos };
      case 'symbol':
        if (token.text === '(') {
          if (this.isWord('SELECT')) this.fail(this.peek().pos, 'nested SELECT queries are not supported');
          const inner = this.expression();
          this.expectSymbol(')');
          return inner;
        }
        if (token.text === '[') this.fail(pos, 'array literals are not supported');
        return this.unexpected(token);
      case 'word': {
        const upper = token.text.toUpperCase();
        if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'literal', value: upper === 'TRUE', pos };
        if (upper === 'NULL') return { kind: 'literal', value: null, pos };
        if (RESERVED.has(upper) || upper in UNSUPPORTED_KEYWORDS) return this.unexpected(token);
        if (isSymbolIn(this.peek(), '(')) return this.call(token);
        return { kind: 'field', name: token.text, pos };
      }
      case 'end':
        return this.unexpected(token);
    }
  }

  private call(nameToken: Token): Expr {
    const name = nameToken.text;
    const key = name.toLowerCase();
    const fn = FUNCTIONS.get(key);
    if (!fn) {
      const detail = AWS_ONLY_FUNCTIONS.has(key) ? `function '${name}' is not supported` : `unknown function '${name}'`;
      this.fail(nameToken.pos, detail);
    }
    if (fn.since > this.version) {
      this.fail(nameToken.pos, `function '${name}' requires SQL version ${fn.since}, the rule uses ${this.version}`);
    }
    this.expectSymbol('(');
    const args: Expr[] = [];
    if (!this.acceptSymbol(')')) {
      do args.push(this.expression());
      while (this.acceptSymbol(','));
      this.expectSymbol(')');
    }
    if (args.length < fn.minArgs || args.length > fn.maxArgs) {
      const expected = fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
      this.fail(nameToken.pos, `function '${name}' takes ${expected} argument(s), got ${args.length}`);
    }
    return { kind: 'call', name, fn, args, pos: nameToken.pos };
  }

  private peek(ahead = 0): Token {
    // The token list always ends with an 'end' token, so clamping never reads past it.
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.i += 1;
    return token;
  }

  private isWord(word: string): boolean {
    return isWordToken(this.peek(), word);
  }

  private expectWord(word: string): void {
    const token = this.peek();
    if (!isWordToken(token, word)) this.fail(token.pos, `expected ${word}, found ${describe(token)}`);
    this.next();
  }

  private acceptSymbol(symbol: string): boolean {
    if (!isSymbolIn(this.peek(), symbol)) return false;
    this.next();
    return true;
  }

  private expectSymbol(symbol: string): void {
    const token = this.peek();
    if (!this.acceptSymbol(symbol)) this.fail(token.pos, `expected '${symbol}', found ${describe(token)}`);
  }

  private unexpected(token: Token): never {
    const unsupported = token.kind === 'word' ? UNSUPPORTED_KEYWORDS[token.text.toUpperCase()] : undefined;
    return this.fail(token.pos, unsupported ?? `unexpected ${describe(token)}`);
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'end of input';
    case 'string':
      return `string '${token.text}'`;
    default:
      return `token '${token.text}'`;
  }
}

function isWordToken(token: Token, word: string): boolean {
  return token.kind === 'word' && token.text.toUpperCase() === word;
}

function isSymbolIn(token: Token, ...symbols: string[]): boolean {
  return token.kind === 'symbol' && symbols.includes(token.text);
}

/** Whether `SELECT VALUE <token>` reads as the VALUE keyword and an expression, rather than a field named value. */
function startsOperand(token: Token): boolean {
  if (token.kind === 'word') return !RESERVED.has(token.text.toUpperCase());
  return token.kind === 'number' || token.kind === 'string' || isSymbolIn(token, '(');
}

/**
 * The output key of an unaliased SELECT item. Field paths use their last name, as AWS does (`a.b` gives "b");
 * function calls use the function name as written (`timestamp()` gives "timestamp"); any other expression gets
 * `_N`, N being its 1-based place in the SELECT list. Give an alias whenever the name matters.
 */
function defaultName(expr: Expr, place: number): string {
  if (expr.kind === 'field' || expr.kind === 'member' || expr.kind === 'call') return expr.name;
  return `_${place}`;
}

function usesPayload(expr: Expr): boolean {
  switch (expr.kind) {
    case 'literal':
      return false;
    case 'field':
      return true;
    case 'member':
      return usesPayload(expr.object);
    case 'index':
      return usesPayload(expr.object) || usesPayload(expr.index);
    case 'call':
      return expr.args.some(usesPayload);
    case 'negate':
    case 'not':
    case 'is':
      return usesPayload(expr.operand);
    case 'logical':
    case 'equality':
    case 'ordering':
    case 'arithmetic':
      return usesPayload(expr.left) || usesPayload(expr.right);
  }
}
