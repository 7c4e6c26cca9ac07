// The JSON form ("webnn-graph-json"): the same graph as the text form. Reading checks the document's structure
// and names the JSON path of anything malformed; numbers that JSON cannot hold travel as strings.
import { isDataType, DATA_TYPES } from '../graph/dtypes.js';
import { printNumber } from './printer.js';
import { describeValue, GraphFileError, MAX_NESTING, putEntry, SAVE_ID, type ConstInit, type Dim, type GraphFile, type NodeDecl, type Pos, type Value } from './model.js';

export const JSON_FORMAT = 'webnn-graph-json';

// Numbers JSON has no literal for (and -0, which JSON.stringify turns into 0).
const NON_FINITE: Record<string, number> = { Infinity: Infinity, '-Infinity': -Infinity, NaN: NaN, '-0': -0 };

function toJsonValue(v: Value): unknown {
  if (typeof v === 'bigint') return v; // printGraphJson writes it as a JSON number
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (Object.is(v, -0)) return '-0';
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJsonValue(x)]));
  return v;
}

function fromJsonValue(v: unknown): Value {
  if (typeof v === 'string' && Object.hasOwn(NON_FINITE, v)) return NON_FINITE[v]!;
  if (Array.isArray(v)) return v.map(fromJsonValue);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromJsonValue(x)]));
  return v as Value;
}

/** The JSON document of a graph as an object (integers beyond 2^53 as bigint; printGraphJson writes it). */
export function toGraphJson(g: GraphFile): Record<string, unknown> {
  return {
    format: JSON_FORMAT,
    version: g.version,
    name: g.name,
    ...(g.saveId !== undefined ? { saveId: g.saveId } : {}),
    ...(g.quantized ? { quantized: true } : {}),
    inputs: Object.fromEntries(Object.entries(g.inputs).map(([n, d]) => [n, { dataType: d.dataType, shape: d.shape }])),
    consts: Object.fromEntries(Object.entries(g.consts).map(([n, c]) => {
      const init = c.init.kind === 'scalar' ? { kind: 'scalar', value: toJsonValue(c.init.value) } : c.init;
      return [n, { dataType: c.dataType, shape: c.shape, init }];
    })),
    nodes: g.nodes.map((n) => ({
      id: n.id, op: n.op, inputs: n.inputs, options: toJsonValue(n.options), ...(n.outputs ? { outputs: n.outputs } : {}),
    })),
    outputs: g.outputs,
  };
}

export function printGraphJson(g: GraphFile): string {
  // Big integers, and doubles that are integers beyond 2^53 (written with an exponent so that they are read back
  // as doubles, not bigints), become marked strings for JSON.stringify, then bare numbers again.
  const raw = (_k: string, v: unknown) => (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v))
    ? `\u0000number:${printNumber(v)}` : v);
  const text = JSON.stringify(toGraphJson(g), raw, 2);
  return `${text.replace(/"\\u0000number:(-?[\d.e+-]+)"/g, '$1')}\n`;
}

function posAt(text: string, offset: number): Pos {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/**
 * JSON.parse that keeps integers beyond 2^53 exact (as bigint), as the text form does; syntax errors carry
 * line:column on every Node version.
 */
export function parseJson(text: string): unknown {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const stop = (): never => {
    const near = i < text.length ? `'${text[i]}'` : 'the end of the text';
    throw new GraphFileError(`invalid JSON: unexpected ${near}`, posAt(text, i));
  };
  // Strings are scanned by hand (a regular expression over a long string can overflow the regex engine's stack).
  const LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
  const string = (): string => {
    const start = i++;
    for (;;) {
      const ch = text.charCodeAt(i);
      if (Number.isNaN(ch)) throw new GraphFileError('invalid JSON: unterminated string', posAt(text, start));
      if (ch === 0x22) break;
      if (ch < 0x20) throw new GraphFileError('invalid JSON: control character in a string: expected \\n, \\t or \\uXXXX', posAt(text, i));
      i += ch === 0x5c ? 2 : 1;
    }
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      throw new GraphFileError('invalid JSON: invalid escape in string: expected \\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX', posAt(text, start));
    }
  };
  const value = (depth: number): unknown => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      if (depth >= MAX_NESTING) throw new GraphFileError(`invalid JSON: arrays and objects nested more than ${MAX_NESTING} deep`, posAt(text, i));
      const close = c === '{' ? '}' : ']';
      const out: unknown[] | Record<string, unknown> = c === '{' ? {} : [];
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return out;
      }
      for (;;) {
        if (Array.isArray(out)) out.push(value(depth + 1));
        else {
          ws();
          if (text[i] !== '"') stop();
          const keyAt = i;
          const key = value(depth + 1) as string;
          if (Object.hasOwn(out, key)) throw new GraphFileError(`invalid JSON: duplicate key ${JSON.stringify(key)}: expected each key once`, posAt(text, keyAt));
          ws();
          if (text[i] !== ':') stop();
          i++;
          Object.defineProperty(out, key, { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
        }
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) {
          i++;
          return out;
        } else stop();
      }
    }
    if (c === '"') return string();
    LITERAL.lastIndex = i;
    const m = LITERAL.exec(text);
    if (!m) stop();
    i += m![0].length;
    const lit = m![0];
    if (/^-?\d+$/.test(lit) && !Number.isSafeInteger(Number(lit))) return BigInt(lit);
    return JSON.parse(lit);
  };
  const v = value(0);
  ws();
  if (i < text.length) stop();
  return v;
}

/** Parses JSON text (the graph's JSON form); syntax errors carry line:column. */
export function parseGraphJsonText(text: string): GraphFile {
  return graphFromJson(parseJson(text));
}

const fail = (path: string, expected: string, got?: unknown): never => {
  throw new GraphFileError(`${path}: expected ${expected}${got === undefined ? '' : `, found ${describeValue(got)}`}`);
};

function obj(v: unknown, path: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) fail(path, 'an object', v ?? null);
  return v as Record<string, unknown>;
}

function str(v: unknown, path: string): string {
  if (typeof v !== 'string') fail(path, 'a string', v ?? null);
  return v as string;
}

function strList(v: unknown, path: string): string[] {
  if (!Array.isArray(v)) fail(path, 'an array of names', v ?? null);
  return (v as unknown[]).map((x, i) => str(x, `${path}[${i}]`));
}

function uint(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(path, 'a non-negative integer', v ?? null);
  return v as number;
}

function dataType(v: unknown, path: string) {
  if (!isDataType(v)) fail(path, `a data type (${DATA_TYPES.join(', ')})`, v ?? null);
  return v as GraphFile['inputs'][string]['dataType'];
}

function dims(v: unknown, path: string, dynamic: boolean): Dim[] {
  if (!Array.isArray(v)) fail(path, 'a shape (an array of dimensions)', v ?? null);
  return (v as unknown[]).map((d, i): Dim => {
    if (dynamic && d && typeof d === 'object') {
      const o = d as Record<string, unknown>;
      return { name: str(o.name, `${path}[${i}].name`), maxSize: uint(o.maxSize, `${path}[${i}].maxSize`) };
    }
    return uint(d, `${path}[${i}]`);
  });
}

function init(v: unknown, path: string): ConstInit {
  const o = obj(v, path);
  if (o.kind === 'weights') return { kind: 'weights', ref: str(o.ref, `${path}.ref`) };
  if (o.kind === 'scalar') {
    const value = fromJsonValue(o.value);
    if (typeof value !== 'number' && typeof value !== 'bigint') fail(`${path}.value`, 'a number', o.value ?? null);
    return { kind: 'scalar', value: value as number | bigint };
  }
  if (o.kind === 'inlineBytes') {
    if (!Array.isArray(o.bytes)) fail(`${path}.bytes`, 'an array of bytes', o.bytes ?? null);
    const bytes = (o.bytes as unknown[]).map((b, i) => {
      const n = uint(b, `${path}.bytes[${i}]`);
      if (n > 255) fail(`${path}.bytes[${i}]`, 'a byte (0 to 255)', n);
      return n;
    });
    return { kind: 'inlineBytes', bytes };
  }
  return fail(`${path}.kind`, '"weights", "scalar" or "inlineBytes"', o.kind ?? null);
}

/** Options from JSON; a label is always a string, so a label "NaN" or "-0" stays one. */
function optionsFromJson(o: Record<string, unknown>): Record<string, Value> {
  const out = fromJsonValue(o) as Record<string, Value>;
  if (typeof o.label === 'string') out.label = o.label;
  return out;
}

/** A GraphFile from a parsed JSON document. */
export function graphFromJson(doc: unknown): GraphFile {
  const d = obj(doc, '$');
  if (d.format !== JSON_FORMAT) fail('$.format', `"${JSON_FORMAT}"`, d.format ?? null);
  if (d.version !== 1 && d.version !== 2) fail('$.version', '1 or 2', d.version ?? null);
  const g: GraphFile = {
    version: d.version as number,
    name: d.name === undefined ? 'graph' : str(d.name, '$.name'),
    quantized: d.quantized === true,
    inputs: {},
    consts: {},
    nodes: [],
    outputs: {},
  };
  if (d.saveId !== undefined) {
    if (typeof d.saveId !== 'string' || !SAVE_ID.test(d.saveId)) fail('$.saveId', '16 hex digits (the id of the save that wrote the graph)', d.saveId);
    g.saveId = d.saveId as string;
  }
  for (const [n, v] of Object.entries(obj(d.inputs ?? {}, '$.inputs'))) {
    const o = obj(v, `$.inputs.${n}`);
    putEntry(g.inputs, n, { dataType: dataType(o.dataType, `$.inputs.${n}.dataType`), shape: dims(o.shape, `$.inputs.${n}.shape`, true) });
  }
  for (const [n, v] of Object.entries(obj(d.consts ?? {}, '$.consts'))) {
    const o = obj(v, `$.consts.${n}`);
    putEntry(g.consts, n, {
      dataType: dataType(o.dataType, `$.consts.${n}.dataType`),
      shape: dims(o.shape, `$.consts.${n}.shape`, false) as number[],
      init: init(o.init, `$.consts.${n}.init`),
    });
  }
  if (!Array.isArray(d.nodes)) fail('$.nodes', 'an array of nodes', d.nodes ?? null);
  (d.nodes as unknown[]).forEach((v, i) => {
    const o = obj(v, `$.nodes[${i}]`);
    const node: NodeDecl = {
      id: str(o.id, `$.nodes[${i}].id`),
      op: str(o.op, `$.nodes[${i}].op`),
      inputs: strList(o.inputs ?? [], `$.nodes[${i}].inputs`),
      options: optionsFromJson(obj(o.options ?? {}, `$.nodes[${i}].options`)),
    };
    if (o.outputs !== undefined && o.outputs !== null) node.outputs = strList(o.outputs, `$.nodes[${i}].outputs`);
    g.nodes.push(node);
  });
  for (const [n, v] of Object.entries(obj(d.outputs ?? {}, '$.outputs'))) putEntry(g.outputs, n, str(v, `$.outputs.${n}`));
  return g;
}
