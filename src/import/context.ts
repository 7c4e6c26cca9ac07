// What an operator handler works with: the node's inputs as Vals, its attributes, the builder, and helpers that turn
// values into WebNN operands (materialising constants and dimension-dependent integers) and back.
import type { MLGraphBuilder } from '../api/builder.js';
import type { MLOperand } from '../api/operand.js';
import type { MLOperandDataType } from '../graph/dtypes.js';
import { dimsToString, isDynamic, type Dim } from '../graph/dims.js';
import { attrText, type DecodedAttribute, type DecodedGraph, type DecodedNode, type DecodedTensor } from '../onnx/decode.js';
import { AttributeType as A, OnnxDataType as T, onnxTypeName } from '../onnx/schema.js';
import { SymInt } from './symbolic.js';
import { ConstTensor, constVal, isBigType, symOf, symVal, webnnType, type Elem, type Val } from './values.js';

/** What the importer offers its handlers (implemented by Importer). */
export interface ImporterCore {
  readonly builder: MLGraphBuilder;
  /** maxSize of each dynamic dimension name the graph's inputs declare. */
  readonly bounds: ReadonlyMap<string, number>;
  materialize(v: Val): MLOperand;
  /** A runtime int64 scalar holding `s` (a size known up to dynamic dimensions). */
  dimScalar(s: SymInt): MLOperand;
  /** 0, 1, ..., n-1 as a runtime tensor of `dataType` (n may be dynamic). */
  iota(n: Dim, dataType: MLOperandDataType): MLOperand;
  constTensor(t: DecodedTensor): ConstTensor;
  /** The graph inputs a value depends on (for messages). */
  inputsFeeding(name: string): string[];
  /** Runs a subgraph (an If branch) in the current scope; returns its outputs. */
  runSubgraph(g: DecodedGraph, what: string): Val[];
}

/** A handler's way to say a node cannot be translated; the importer adds the model and node. */
export class UnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedError';
  }
}

export class NodeContext {
  constructor(
    readonly core: ImporterCore,
    readonly node: DecodedNode,
    /** The opset version of the node's domain. */
    readonly opset: number,
    private readonly inputs: (Val | undefined)[],
  ) {}

  get b(): MLGraphBuilder {
    return this.core.builder;
  }

  get bounds(): ReadonlyMap<string, number> {
    return this.core.bounds;
  }

  fail(message: string): never {
    throw new UnsupportedError(message);
  }

  get inputCount(): number {
    return this.inputs.length;
  }

  /** Whether optional input `i` is given (present and not the empty name). */
  has(i: number): boolean {
    return this.inputs[i] !== undefined;
  }

  in(i: number): Val {
    const v = this.inputs[i];
    if (!v) this.fail(`input ${i} is required`);
    return v;
  }

  opt(i: number): Val | undefined {
    return this.inputs[i];
  }

  /** Input `i` (or a Val) as an MLOperand. */
  op(v: number | Val): MLOperand {
    return this.core.materialize(typeof v === 'number' ? this.in(v) : v);
  }

  /** A WebNN operand as the value of ONNX type `type`. */
  out(operand: MLOperand, type: number): Val {
    return { type, dims: operand.dimensions, operand };
  }

  /** The constant value of input `i` (or a Val), when known at import time. */
  konst(v: number | Val | undefined): ConstTensor | undefined {
    const val = typeof v === 'number' ? this.opt(v) : v;
    return val?.konst;
  }

  /** The SymInts of an integer input (known up to dynamic dimensions), when it is one. */
  sym(v: number | Val | undefined): readonly SymInt[] | undefined {
    const val = typeof v === 'number' ? this.opt(v) : v;
    return val && symOf(val);
  }

  /** An integer list input that must be known at import time (axes, pads, ...). */
  ints(v: number | Val, what: string): number[] {
    const val = typeof v === 'number' ? this.in(v) : v;
    const k = val.konst;
    if (!k) {
      const s = symOf(val);
      if (s) this.fail(`${what} must be known when the model is imported; it depends on dynamic dimensions (${s.filter((x) => !x.isConstant()).map(String).join(', ')})`);
      this.fail(`${what} must be known when the model is imported (a constant, or computed from shapes), but it is computed at run time`);
    }
    return k.numbers(true);
  }

  /** Float list input known at import time. */
  floats(v: number | Val, what: string): number[] {
    const val = typeof v === 'number' ? this.in(v) : v;
    if (!val.konst) this.fail(`${what} must be known when the model is imported (a constant)`);
    return Array.from(val.konst.values(), Number);
  }

  /** The dims of a value, requiring them static (with `why` in the message otherwise). */
  staticDims(v: Val, why: string): number[] {
    const d = v.dims.find(isDynamic);
    if (d) this.fail(`${why} needs a static shape, but it has dynamic dimension '${d.name}' (${dimsToString(v.dims)}); fix it with --dim`);
    return v.dims as number[];
  }

  webnnType(type: number): MLOperandDataType {
    const t = webnnType(type);
    if (!t) this.fail(`${onnxTypeName(type)} tensors are not supported`);
    return t;
  }

  /** A scalar constant operand of `dataType`, shaped [1,...] to `rank` dimensions (so it broadcasts anywhere). */
  scalar(value: Elem, dataType: MLOperandDataType, rank = 0): MLOperand {
    const c = this.b.constant(dataType, typeof value === 'bigint' && dataType !== 'int64' && dataType !== 'uint64' ? Number(value) : value);
    return rank === 0 ? c : this.b.reshape(c, new Array<number>(rank).fill(1));
  }

  // ---- results known at import time ----

  constOut(type: number, shape: readonly number[], values: ArrayLike<Elem>): Val {
    return constVal(ConstTensor.fromValues(type, shape, values));
  }

  symOut(type: number, shape: readonly number[], sym: readonly SymInt[]): Val {
    return symVal(type, shape, sym);
  }

  // ---- attributes ----

  attr(name: string): DecodedAttribute | undefined {
    return this.node.attributes.get(name);
  }

  hasAttr(name: string): boolean {
    return this.node.attributes.has(name);
  }

  private typed(name: string, type: number, what: string): DecodedAttribute | undefined {
    const a = this.node.attributes.get(name);
    if (a && a.type !== type) this.fail(`attribute '${name}' must be ${what}`);
    return a;
  }

  int(name: string, fallback: number): number;
  int(name: string): number | undefined;
  int(name: string, fallback?: number): number | undefined {
    const a = this.typed(name, A.INT, 'an int');
    if (!a) return fallback;
    return safe(a.i!, name, this);
  }

  /** An int attribute exactly (INT64_MAX and such). */
  bigint(name: string): bigint | undefined {
    return this.typed(name, A.INT, 'an int')?.i;
  }

  intList(name: string, fallback: number[]): number[];
  intList(name: string): number[] | undefined;
  intList(name: string, fallback?: number[]): number[] | undefined {
    const a = this.typed(name, A.INTS, 'a list of ints');
    if (!a) return fallback;
    return a.ints!.map((v) => clampToSafe(v));
  }

  float(name: string, fallback: number): number;
  float(name: string): number | undefined;
  float(name: string, fallback?: number): number | undefined {
    const a = this.node.attributes.get(name);
    if (!a) return fallback;
    // Some exporters write an int where a float is expected (alpha=1).
    if (a.type === A.INT) return Number(a.i);
    if (a.type !== A.FLOAT) this.fail(`attribute '${name}' must be a float`);
    return a.f!;
  }

  floatList(name: string): number[] | undefined {
    return this.typed(name, A.FLOATS, 'a list of floats')?.floats;
  }

  string(name: string, fallback: string): string;
  string(name: string): string | undefined;
  string(name: string, fallback?: string): string | undefined {
    const a = this.typed(name, A.STRING, 'a string');
    return a ? attrText(a) : fallback;
  }

  stringList(name: string): string[] | undefined {
    return this.typed(name, A.STRINGS, 'a list of strings')?.strings!.map((s) => new TextDecoder().decode(s));
  }

  tensorAttr(name: string): ConstTensor | undefined {
    const a = this.typed(name, A.TENSOR, 'a tensor');
    return a?.t && this.core.constTensor(a.t);
  }

  graphAttr(name: string): DecodedGraph | undefined {
    return this.typed(name, A.GRAPH, 'a graph')?.g;
  }

  /** Rejects attributes the handler does not implement when they have a non-default value. */
  unsupportedAttr(name: string, isDefault: (a: DecodedAttribute) => boolean): void {
    const a = this.node.attributes.get(name);
    if (a && !isDefault(a)) this.fail(`attribute '${name}' is not supported with this value`);
  }

  /** A normalized axis (negative counts from the end). */
  axis(axis: number, rank: number, what = 'axis'): number {
    const a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) this.fail(`${what} ${axis} is out of range for rank ${rank}`);
    return a;
  }

  /** int64 scalar with the element type of an index-like ONNX value. */
  isBig(type: number): boolean {
    return isBigType(type);
  }

  /** SymInt for a dimension. */
  dimSym(d: Dim): SymInt {
    return SymInt.dim(d);
  }

  /** A SymInt as a WebNN dimension, or a failure saying why it cannot be one. */
  toDim(s: SymInt, what: string): Dim {
    const d = s.toDim(this.bounds);
    if (d === undefined) {
      const names = s.names().filter((n) => !this.bounds.has(n));
      if (names.length) this.fail(`${what} '${s}' depends on '${names[0]}', which is not a dimension of the graph's inputs`);
      this.fail(`${what} is '${s}', which WebNN cannot use as a dimension (a dynamic size must be a sum of products of input dimensions)`);
    }
    return d;
  }

  boolType(): number {
    return T.BOOL;
  }
}

function clampToSafe(v: bigint): number {
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  return Number(v > max ? max : v < -max ? -max : v);
}

function safe(v: bigint, name: string, c: NodeContext): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) c.fail(`attribute '${name}' ${v} is beyond 2^53`);
  return Number(v);
}
