// Tokens of the .webnn text form. Whitespace and `#` comments separate tokens; every token knows its line:column.
import { GraphFileError, type Pos } from './model.js';

export type TokenKind = 'ident' | 'string' | 'number' | 'annotation' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text (for strings: the decoded value; for annotations: the name without '@'). */
  text: string;
  pos: Pos;
}

const PUNCT = new Set(['{', '}', '[', ']', '(', ')', ';', ':', ',', '=']);
const IDENT_START = /[A-Za-z_$/]/;
const IDENT_PART = /[A-Za-z0-9_$/.]/;
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const pos = (at: number): Pos => ({ line, column: at - lineStart + 1 });
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\uFEFF') {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    const start = i;
    if (PUNCT.has(ch)) {
      tokens.push({ kind: 'punct', text: ch, pos: pos(start) });
      i++;
    } else if (ch === '"') {
      i++;
      while (i < source.length && source[i] !== '"' && source[i] !== '\n') i += source[i] === '\\' ? 2 : 1;
      if (source[i] !== '"') throw new GraphFileError('unterminated string: expected a closing \'"\' on the same line', pos(start));
      i++;
      let text: string;
      try {
        text = JSON.parse(source.slice(start, i)) as string;
      } catch {
        throw new GraphFileError('invalid escape in string: expected \\", \\\\, \\n, \\t or \\uXXXX', pos(start));
      }
      tokens.push({ kind: 'string', text, pos: pos(start) });
    } else if (ch === '@') {
      i++;
      while (i < source.length && IDENT_PART.test(source[i]!)) i++;
      if (i === start + 1) throw new GraphFileError("expected an annotation name after '@'", pos(start));
      tokens.push({ kind: 'annotation', text: source.slice(start + 1, i), pos: pos(start) });
    } else if (/[0-9.]/.test(ch) || (ch === '-' && /[0-9.I]/.test(source[i + 1] ?? ''))) {
      if (source.startsWith('-Infinity', i)) {
        i += 9;
      } else {
        NUMBER.lastIndex = i;
        const m = NUMBER.exec(source);
        if (!m) throw new GraphFileError(`expected a number at '${source.slice(i, i + 10)}'`, pos(start));
        i += m[0].length;
      }
      tokens.push({ kind: 'number', text: source.slice(start, i), pos: pos(start) });
    } else if (IDENT_START.test(ch)) {
      while (i < source.length && IDENT_PART.test(source[i]!)) i++;
      tokens.push({ kind: 'ident', text: source.slice(start, i), pos: pos(start) });
    } else {
      throw new GraphFileError(`unexpected character '${ch}'`, pos(start));
    }
  }
  tokens.push({ kind: 'eof', text: '', pos: pos(i) });
  return tokens;
}
