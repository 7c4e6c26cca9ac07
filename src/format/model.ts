// The in-memory form of a graph file: the shape of the JSON form ("webnn-graph-json"), which the text form maps
// onto one to one. Source positions ride along as non-enumerable `pos` properties, so they never reach the JSON
// form and never make two otherwise equal graphs differ.
import { DTYPES, type MLOperandDataType } from '../graph/dtypes.js';

/** A dimension: a number, or a bounded dynamic dimension. */
export type Dim = number | { name: string; maxSize: number };

/** Literal values of operator arguments and options. */
export type Value = number | bigint | string | boolean | null | Value[] | { [key: string]: Value };

export interface Pos { line: number; column: number }

export interface InputDecl { dataType: MLOperandDataType; shape: Dim[] }

export type ConstInit =
  | { kind: 'weights'; ref: string }
  | { kind: 'scalar'; value: number | bigint }
  | { kind: 'inlineBytes'; bytes: number[] };

export interface ConstDecl { dataType: MLOperandDataType; shape: number[]; init: ConstInit }

export interface NodeDecl {
  /** The node's (first) output name. */
  id: string;
  op: string;
  /** Operand arguments by name, in the operator's positional order (a sequence argument spread out). */
  inputs: string[];
  /** Options, and the operator's literal positional arguments under their spec parameter names. */
  options: Record<string, Value>;
  /** Output names of an operator that returns several operands. */
  outputs?: string[];
}

export interface GraphFile {
  version: number;
  name: string;
  quantized: boolean;
  /**
   * The id of the save that wrote this graph with its weights and manifest (16 hex digits), which carry the same id:
   * loading refuses a graph whose files come from different saves (a save killed between its renames). Absent in
   * files that tsnn did not save with weights.
   */
  saveId?: string;
  inputs: Record<string, InputDecl>;
  consts: Record<string, ConstDecl>;
  nodes: NodeDecl[];
  /** Output name → the value it names. */
  outputs: Record<string, string>;
}

export function emptyGraphFile(name = 'graph'): GraphFile {
  return { version: 1, name, quantized: false, inputs: {}, consts: {}, nodes: [], outputs: {} };
}

export function setPos<T extends object>(target: T, pos: Pos | undefined): T {
  if (pos) Object.defineProperty(target, 'pos', { value: pos, enumerable: false, configurable: true });
  return target;
}

export function posOf(target: object | undefined): Pos | undefined {
  return (target as { pos?: Pos } | undefined)?.pos;
}

const MAX_REASON = 1000;

/** A problem in a graph file: says where (file:line:column when known) and what was expected. */
export class GraphFileError extends Error {
  constructor(readonly reason: string, readonly pos?: Pos, readonly file?: string) {
    super(GraphFileError.format(reason, pos, file));
    this.name = 'GraphFileError';
  }

  static format(reason: string, pos?: Pos, file?: string): string {
    // Whatever a file holds (a 10 MB name, a cycle through every node), the message stays readable.
    if (reason.length > MAX_REASON) reason = `${reason.slice(0, MAX_REASON - 1)}…`;
    const where = [file, pos && `${pos.line}:${pos.column}`].filter(Boolean).join(':');
    return where ? `${where}: ${reason}` : reason;
  }

  /** The same error attributed to `file`. */
  inFile(file: string): GraphFileError {
    return this.file ? this : new GraphFileError(this.reason, this.pos, file);
  }
}

const BY_SHORT = new Map(Object.values(DTYPES).map((d) => [d.short, d.name] as const));

/** The data type a short name (f32, i8, ...) stands for, from the one data type table. */
export function dataTypeFromShort(short: string): MLOperandDataType | undefined {
  return BY_SHORT.get(short);
}

export function shortNames(): string[] {
  return [...BY_SHORT.keys()];
}

export function isDynamic(d: Dim): d is { name: string; maxSize: number } {
  return typeof d === 'object';
}

/** A save id: 8 random bytes as 16 hex digits. */
export const SAVE_ID = /^[0-9a-f]{16}$/;

/** How the text form carries GraphFile.saveId: this comment, then the id, as the file's first line. */
export const SAVE_ID_COMMENT = '# tsnn-save-id: ';

/** The save id on the first line of a text graph, if it has one. */
export function saveIdOfText(source: string): string | undefined {
  if (!source.startsWith(SAVE_ID_COMMENT)) return undefined;
  const id = source.slice(SAVE_ID_COMMENT.length, SAVE_ID_COMMENT.length + 16);
  const rest = source.charAt(SAVE_ID_COMMENT.length + 16);
  return SAVE_ID.test(id) && (rest === '\n' || rest === '\r') ? id : undefined;
}

/** Identifiers of the text form: names of inputs, constants, values and options. */
export const IDENT = /^[A-Za-z_$/][A-Za-z0-9_$/.]*$/;

/** Whether `record` has its own entry `key` (names such as `constructor` or `__proto__` are ordinary names here). */
export function hasEntry(record: object, key: string): boolean {
  return Object.hasOwn(record, key);
}

/** Sets `record[key]` as an own data property (plain assignment to `__proto__` would change the prototype). */
export function putEntry<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/** How deeply arrays and objects may nest in a graph file (deeper input is an error, not a stack overflow). */
export const MAX_NESTING = 256;

/** A value for an error message: JSON where it can be, bigints as digits, and never longer than a line. */
export function describeValue(v: unknown): string {
  let text: string;
  try {
    text = (JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `\u0000${x}` : x)) ?? String(v)).replace(/"\\u0000(-?\d+)"/g, '$1');
  } catch {
    text = String(v);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
