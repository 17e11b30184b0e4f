// Tokenizer for the AWS IoT SQL subset. Comments do not exist in AWS IoT SQL, so none are recognised here.

export type TokenKind = 'word' | 'number' | 'string' | 'symbol' | 'end';

export interface Token {
  kind: TokenKind;
  /** Words and symbols as written, numbers as written, strings without their quotes. */
  text: string;
  /** 0-based offset of the token's first character. */
  pos: number;
}

export type Fail = (offset: number, detail: string) => never;

const SYMBOLS = ['<>', '<=', '>=', '!=', '(', ')', ',', '.', '[', ']', '*', '+', '-', '/', '%', '=', '<', '>'];
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Characters that begin valid AWS IoT SQL this engine does not implement, with the reason given to the user. */
const UNSUPPORTED_CHARACTERS: Record<string, string> = {
  '"': 'double-quoted strings are not supported, use single quotes',
  '{': 'object literals are not supported',
  '`': 'backtick-quoted names are not supported',
  '@': 'variables are not supported',
};

export function tokenize(sql: string, fail: Fail): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql.charAt(i);
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    if (ch === "'") {
      // AWS documents no escape sequence inside string literals, so none is guessed at: the next quote ends the string.
      const close = sql.indexOf("'", i + 1);
      if (close < 0) fail(i, 'unterminated string literal');
      tokens.push({ kind: 'string', text: sql.slice(i + 1, close), pos: i });
      i = close + 1;
      continue;
    }
    WORD.lastIndex = i;
    const word = WORD.exec(sql);
    if (word) {
      tokens.push({ kind: 'word', text: word[0], pos: i });
      i += word[0].length;
      continue;
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(sql);
    if (number) {
      tokens.push({ kind: 'number', text: number[0], pos: i });
      i += number[0].length;
      continue;
    }
    if (sql.startsWith('||', i)) fail(i, "'||' is not an AWS IoT SQL operator, use concat() or +");
    // Without this, `a = 1 -- note` would parse as `a = 1 - (-note)`.
    if (sql.startsWith('--', i) || sql.startsWith('/*', i)) fail(i, 'comments are not supported in AWS IoT SQL');
    const symbol = SYMBOLS.find((s) => sql.startsWith(s, i));
    if (symbol) {
      tokens.push({ kind: 'symbol', text: symbol, pos: i });
      i += symbol.length;
      continue;
    }
    fail(i, UNSUPPORTED_CHARACTERS[ch] ?? `unexpected character '${ch}'`);
  }
  tokens.push({ kind: 'end', text: '', pos: sql.length });
  return tokens;
}
