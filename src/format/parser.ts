// The .webnn text form → GraphFile. Recursive descent over the tokens; every error says where and what was
// expected. Positional literal arguments are stored under the spec's parameter names (split(x, 2) → splits: 2),
// which is how the JSON form carries them.
import { tokenize, type Token } from './lexer.js';
import {
  dataTypeFromShort, emptyGraphFile, GraphFileError, hasEntry, MAX_NESTING, putEntry, saveIdOfText, setPos, shortNames,
  type ConstInit, type Dim, type GraphFile, type NodeDecl, type Pos, type Value,
} from './model.js';
import { signatureOf } from './signatures.js';

const BLOCKS = ['inputs', 'consts', 'nodes', 'outputs'] as const;

interface Arg { name?: string; value: Value; bare: boolean; pos: Pos }

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private get tok(): Token {
    return this.tokens[this.i]!;
  }

  private describe(t: Token): string {
    const text = t.text.length > 40 ? `${t.text.slice(0, 40)}…` : t.text;
    if (t.kind === 'eof') return 'the end of the file';
    if (t.kind === 'string') return `the string ${JSON.stringify(text)}`;
    if (t.kind === 'annotation') return `'@${text}'`;
    return `'${text}'`;
  }

  fail(expected: string, t: Token = this.tok): never {
    throw new GraphFileError(`expected ${expected}, found ${this.describe(t)}`, t.pos);
  }

  private isPunct(p: string): boolean {
    return this.tok.kind === 'punct' && this.tok.text === p;
  }

  private punct(p: string, what = `'${p}'`): Token {
    if (!this.isPunct(p)) this.fail(what);
    return this.tokens[this.i++]!;
  }

  private accept(p: string): boolean {
    if (!this.isPunct(p)) return false;
    this.i++;
    return true;
  }

  private ident(what = 'a name'): Token {
    if (this.tok.kind !== 'ident') this.fail(what);
    return this.tokens[this.i++]!;
  }

  private keyword(word: string): Token {
    if (this.tok.kind !== 'ident' || this.tok.text !== word) this.fail(`'${word}'`);
    return this.tokens[this.i++]!;
  }

  private string(what: string): string {
    if (this.tok.kind !== 'string') this.fail(what);
    return this.tokens[this.i++]!.text;
  }

  private uint(what: string): number {
    const t = this.tok;
    if (t.kind !== 'number' || !/^\d+$/.test(t.text)) this.fail(what);
    this.i++;
    const n = Number(t.text);
    if (!Number.isSafeInteger(n)) throw new GraphFileError(`${what}: ${this.describe(t)} is too large`, t.pos);
    return n;
  }

  file(): GraphFile {
    const g = emptyGraphFile();
    this.keyword('webnn_graph');
    g.name = this.string('the graph name as a string, e.g. webnn_graph "model" v1');
    const v = this.tok;
    if (v.kind !== 'ident' || !/^v\d+$/.test(v.text)) this.fail('a version such as v1');
    this.i++;
    g.version = Number(v.text.slice(1));
    if (g.version !== 1 && g.version !== 2) throw new GraphFileError(`unsupported version v${g.version}: expected v1 or v2`, v.pos);
    while (this.tok.kind === 'annotation') {
      if (this.tok.text !== 'quantized') this.fail("'@quantized' or '{'");
      g.quantized = true;
      this.i++;
    }
    const open = this.punct('{', "'{' to open the graph");
    const seen = new Set<string>();
    for (;;) {
      const t = this.tok;
      if (this.accept('}')) break;
      if (t.kind === 'eof') throw new GraphFileError(`unterminated graph: expected '}' to close the graph opened at ${open.pos.line}:${open.pos.column}`, t.pos);
      if (t.kind !== 'ident' || !(BLOCKS as readonly string[]).includes(t.text)) this.fail(`a block (${BLOCKS.join(', ')}) or '}'`);
      if (seen.has(t.text)) throw new GraphFileError(`duplicate ${t.text} block: expected each block once`, t.pos);
      seen.add(t.text);
      this.i++;
      this.block(t, g);
    }
    if (this.tok.kind !== 'eof') this.fail('the end of the file after the graph');
    return g;
  }

  private block(head: Token, g: GraphFile): void {
    const open = this.punct('{', `'{' after ${head.text}`);
    const item = {
      inputs: () => this.inputDecl(g),
      consts: () => this.constDecl(g),
      nodes: () => this.statement(g),
      outputs: () => this.outputItem(g),
    }[head.text as (typeof BLOCKS)[number]];
    for (;;) {
      if (this.accept('}')) return;
      if (this.tok.kind === 'eof') {
        throw new GraphFileError(`unterminated ${head.text} block: expected '}' to close the block opened at ${open.pos.line}:${open.pos.column}`, this.tok.pos);
      }
      item();
    }
  }

  private declaredName(g: GraphFile, what: string): Token {
    const t = this.ident(`${what} name or '}'`);
    if (hasEntry(g.inputs, t.text) || hasEntry(g.consts, t.text)) throw new GraphFileError(`'${t.text}' is already declared: expected a new name`, t.pos);
    return t;
  }

  private type(): { dataType: GraphFile['inputs'][string]['dataType']; shape: Dim[]; pos: Pos } {
    const t = this.ident(`a data type (${shortNames().join(', ')})`);
    const dataType = dataTypeFromShort(t.text);
    if (!dataType) throw new GraphFileError(`unknown data type '${t.text}': expected one of ${shortNames().join(', ')}`, t.pos);
    this.punct('[', `'[' and the shape after ${t.text}`);
    const shape: Dim[] = [];
    if (!this.accept(']')) {
      do {
        if (this.tok.kind === 'ident' && this.tok.text === 'dyn') {
          this.i++;
          this.punct('(', "'(' after dyn");
          const name = this.string('the dynamic dimension\'s name as a string, e.g. dyn("batch", 8)');
          this.punct(',', "',' and the maximum size");
          const maxSize = this.uint('the dynamic dimension\'s maximum size (an integer)');
          this.punct(')', "')' to close dyn(");
          shape.push({ name, maxSize });
        } else {
          shape.push(this.uint('a dimension (an integer or dyn("name", maxSize))'));
        }
      } while (this.accept(','));
      this.punct(']', "',' or ']' in the shape");
    }
    return { dataType, shape, pos: t.pos };
  }

  private inputDecl(g: GraphFile): void {
    const name = this.declaredName(g, 'an input');
    this.punct(':', `':' and a type after '${name.text}'`);
    const { dataType, shape } = this.type();
    this.punct(';', "';' after the input's type");
    putEntry(g.inputs, name.text, setPos({ dataType, shape }, name.pos));
  }

  private constDecl(g: GraphFile): void {
    const name = this.declaredName(g, 'a constant');
    this.punct(':', `':' and a type after '${name.text}'`);
    const { dataType, shape, pos } = this.type();
    const dims: number[] = [];
    for (const d of shape) {
      if (typeof d !== 'number') throw new GraphFileError(`constant '${name.text}' has a dynamic dimension: expected a static shape`, pos);
      dims.push(d);
    }
    let init: ConstInit | undefined;
    while (this.tok.kind === 'annotation') {
      const a = this.tok;
      this.i++;
      if (init) throw new GraphFileError(`constant '${name.text}' has a second initialiser: expected one of @weights, @scalar, @bytes`, a.pos);
      this.punct('(', `'(' after @${a.text}`);
      if (a.text === 'weights') {
        init = { kind: 'weights', ref: this.string('the weights key as a string, e.g. @weights("w")') };
      } else if (a.text === 'scalar') {
        const v = this.value();
        if (typeof v.value !== 'number' && typeof v.value !== 'bigint') this.fail('a number in @scalar(...)');
        init = { kind: 'scalar', value: v.value };
      } else if (a.text === 'bytes') {
        this.punct('[', "'[' and byte values in @bytes([...])");
        const bytes: number[] = [];
        if (!this.accept(']')) {
          do {
            const t = this.tok;
            const b = this.uint('a byte (0 to 255)');
            if (b > 255) throw new GraphFileError(`byte ${b} is out of range: expected 0 to 255`, t.pos);
            bytes.push(b);
          } while (this.accept(','));
          this.punct(']', "',' or ']' in @bytes");
        }
        init = { kind: 'inlineBytes', bytes };
      } else {
        throw new GraphFileError(`unknown initialiser @${a.text}: expected @weights, @scalar or @bytes`, a.pos);
      }
      this.punct(')', `')' to close @${a.text}(`);
    }
    this.punct(';', "an initialiser (@weights, @scalar, @bytes) or ';'");
    // A constant without an initialiser takes its weights under its own name (as webnn-graph does).
    putEntry(g.consts, name.text, setPos({ dataType, shape: dims, init: init ?? { kind: 'weights', ref: name.text } }, name.pos));
  }

  private statement(g: GraphFile): void {
    const start = this.tok;
    let outputs: string[] | undefined;
    let id: string;
    if (this.accept('[')) {
      outputs = [];
      do outputs.push(this.ident('an output name').text);
      while (this.accept(','));
      this.punct(']', "',' or ']' in the list of outputs");
      id = outputs[0]!;
    } else {
      id = this.ident("a statement 'name = op(...);' or '}'").text;
    }
    this.punct('=', "'=' and an operator call");
    const opTok = this.ident('an operator name');
    const sig = signatureOf(opTok.text);
    if (!sig) throw new GraphFileError(`unknown operator '${opTok.text}': expected a WebNN operator name (e.g. matmul, add, conv2d)`, opTok.pos);
    this.punct('(', `'(' after ${opTok.text}`);
    const args: Arg[] = [];
    if (!this.accept(')')) {
      do args.push(this.arg());
      while (this.accept(','));
      this.punct(')', "',' or ')' in the argument list");
    }
    this.punct(';', "';' after the operator call");
    const node: NodeDecl = { id, op: opTok.text, inputs: [], options: {} };
    if (outputs) node.outputs = outputs;
    // Positional arguments fill the operator's parameters in order.
    const positional = args.filter((a) => a.name === undefined);
    let p = 0;
    for (const param of sig.params) {
      const a = positional[p];
      if (!a) break;
      if (param.kind === 'operand') {
        node.inputs.push(this.operandName(a, `${opTok.text}'s operand '${param.name}'`));
        p++;
      } else if (param.kind === 'operands') {
        if (Array.isArray(a.value)) {
          for (const v of a.value) node.inputs.push(this.operandName({ ...a, value: v }, `an operand in ${opTok.text}'s '${param.name}'`));
          p++;
        } else {
          // The sequence written out as consecutive names: concat(a, b, c, axis=1).
          while (positional[p]?.bare) node.inputs.push(positional[p++]!.value as string);
        }
      } else {
        putEntry(node.options, param.name, a.value);
        p++;
      }
    }
    if (p < positional.length) {
      throw new GraphFileError(`too many positional arguments to ${opTok.text}: expected ${sig.params.map((x) => x.name).join(', ') || 'none'} and then name=value options`, positional[p]!.pos);
    }
    for (const a of args) {
      if (a.name === undefined) continue;
      if (hasEntry(node.options, a.name)) throw new GraphFileError(`'${a.name}' is given twice to ${opTok.text}: expected each argument once`, a.pos);
      if (sig.params.some((x) => x.name === a.name && x.kind !== 'value')) {
        throw new GraphFileError(`${opTok.text}'s operand '${a.name}' must be positional: expected ${opTok.text}(${sig.params.map((x) => x.name).join(', ')})`, a.pos);
      }
      putEntry(node.options, a.name, a.value);
    }
    g.nodes.push(setPos(node, start.pos));
  }

  /** `name;` or `a, b;` (the semicolon optional), or `name = value;` for an output named apart from its value. */
  private outputItem(g: GraphFile): void {
    do {
      const t = this.ident("an output name or '}'");
      if (hasEntry(g.outputs, t.text)) throw new GraphFileError(`output '${t.text}' is listed twice: expected each output once`, t.pos);
      const ref = this.accept('=') ? this.ident('the name of the value to output').text : t.text;
      putEntry(g.outputs, t.text, ref);
      outputPositions(g).set(t.text, t.pos);
    } while (this.accept(','));
    this.accept(';');
  }

  private operandName(a: Arg, what: string): string {
    if (typeof a.value !== 'string' || !a.bare) throw new GraphFileError(`expected ${what} as a name, found ${JSON.stringify(a.value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`, a.pos);
    return a.value;
  }

  private arg(): Arg {
    const t = this.tok;
    const next = this.tokens[this.i + 1]!;
    if (t.kind === 'ident' && next.kind === 'punct' && next.text === '=') {
      this.i += 2;
      return { name: t.text, ...this.value(), pos: t.pos };
    }
    return this.value();
  }

  /** A literal: number, string, true/false/null, array, {key: value} object, or a bare name (kept as a string). */
  private value(depth = 0): { value: Value; bare: boolean; pos: Pos } {
    const t = this.tok;
    const pos = t.pos;
    if (depth > MAX_NESTING) throw new GraphFileError(`arrays and objects nested more than ${MAX_NESTING} deep: expected a flatter value`, pos);
    if (t.kind === 'number') {
      this.i++;
      if (/^-?\d+$/.test(t.text) && !Number.isSafeInteger(Number(t.text))) return { value: BigInt(t.text), bare: false, pos };
      return { value: Number(t.text), bare: false, pos };
    }
    if (t.kind === 'string') {
      this.i++;
      return { value: t.text, bare: false, pos };
    }
    if (t.kind === 'ident') {
      this.i++;
      const literals: Record<string, Value> = { true: true, false: false, null: null, Infinity: Infinity, NaN: NaN };
      if (hasEntry(literals, t.text)) return { value: literals[t.text]!, bare: false, pos };
      return { value: t.text, bare: true, pos };
    }
    if (this.accept('[')) {
      const items: Value[] = [];
      const bare: boolean[] = [];
      if (!this.accept(']')) {
        do {
          const v = this.value(depth + 1);
          items.push(v.value);
          bare.push(v.bare);
        } while (this.accept(','));
        this.punct(']', "',' or ']' in the array");
      }
      // An array of names is a sequence of operands (concat's inputs); mark it bare so it may stand for one.
      return { value: items, bare: items.length > 0 && bare.every(Boolean), pos };
    }
    if (this.accept('{')) {
      const obj: Record<string, Value> = {};
      if (!this.accept('}')) {
        do {
          const k = this.tok;
          if (k.kind !== 'ident' && k.kind !== 'string') this.fail('a key (name or string) in the object');
          this.i++;
          if (!this.accept(':')) this.punct('=', "':' after the key");
          if (hasEntry(obj, k.text)) throw new GraphFileError(`duplicate key '${k.text}' in the object: expected each key once`, k.pos);
          putEntry(obj, k.text, this.value(depth + 1).value);
        } while (this.accept(','));
        this.punct('}', "',' or '}' in the object");
      }
      return { value: obj, bare: false, pos };
    }
    this.fail('a value (number, string, name, true, false, null, [array] or {object})');
  }
}

const outputPos = new WeakMap<GraphFile, Map<string, Pos>>();

/** Where each output was listed in the text (for errors found after parsing). */
export function outputPositions(g: GraphFile): Map<string, Pos> {
  let m = outputPos.get(g);
  if (!m) outputPos.set(g, (m = new Map()));
  return m;
}

export function parseWebnn(source: string): GraphFile {
  const g = new Parser(tokenize(source)).file();
  const saveId = saveIdOfText(source);
  if (saveId !== undefined) g.saveId = saveId;
  return g;
}
