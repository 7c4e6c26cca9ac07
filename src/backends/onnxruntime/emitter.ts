// Builds the ONNX graph one node at a time for the lowerings: fresh value names, constants, attributes,
// and the cast-around helper for kernels onnxruntime lacks for some data types.
import { DTYPES, type MLOperandDataType } from '../../graph/dtypes.js';
import { isDynamic, parseDim, type Dim } from '../../graph/dims.js';
import type { AttrsOf, NoAttrs } from '../../ops/registry.js';
import { CPU_PROFILE, type Kernel, type OrtProfile } from './profiles.js';
import { AttributeType, type OnnxAttribute, type OnnxNode, type OnnxTensor } from '../../onnx/schema.js';

export type AttrSpec =
  | { kind: 'int'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'float'; value: number }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'string'; value: string };

export const int = (value: number | boolean): AttrSpec => ({ kind: 'int', value: Number(value) });
export const ints = (value: readonly number[]): AttrSpec => ({ kind: 'ints', value });
export const float = (value: number): AttrSpec => ({ kind: 'float', value });
export const floats = (value: readonly number[]): AttrSpec => ({ kind: 'floats', value });
export const str = (value: string): AttrSpec => ({ kind: 'string', value });

/** The lowest int64 (-2^63): flips uint64's top bit so signed order is unsigned order; an empty max window's value. */
export const INT64_MIN = -(2n ** 63n);

function toAttribute(name: string, a: AttrSpec): OnnxAttribute {
  switch (a.kind) {
    case 'int': return { name, type: AttributeType.INT, i: a.value };
    case 'ints': return { name, type: AttributeType.INTS, ints: [...a.value] };
    case 'float': return { name, type: AttributeType.FLOAT, f: a.value };
    case 'floats': return { name, type: AttributeType.FLOATS, floats: [...a.value] };
    case 'string': return { name, type: AttributeType.STRING, s: new TextEncoder().encode(a.value) };
  }
}

/**
 * A WebNN node as a lowering sees it: ONNX value names for its operands, their descriptors, and the attributes of its
 * operator's type (src/ops: OpAttrs).
 */
export interface LoweringNode<A = NoAttrs> {
  readonly op: string;
  readonly label: string;
  readonly attrs: Readonly<A>;
  /** ONNX value names of the inputs (null for absent optional operands). */
  readonly inputs: readonly (string | null)[];
  readonly inputTypes: readonly (MLOperandDataType | null)[];
  readonly inputShapes: readonly (readonly number[] | null)[];
  /** ONNX value names the lowering must produce. */
  readonly outputs: readonly string[];
  readonly outputTypes: readonly MLOperandDataType[];
  readonly outputShapes: readonly (readonly number[])[];
  /** The shapes with dynamic dimensions as {name, maxSize} (graph/dims.ts); inputShapes/outputShapes hold the bounds. */
  readonly inputDims: readonly (readonly Dim[] | null)[];
  readonly outputDims: readonly (readonly Dim[])[];
}

/** Where a dynamic dimension's size can be read at run time: axis `axis` of the ONNX value `value` (a graph input). */
export interface DimSource {
  value: string;
  axis: number;
}

export class Emitter {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  #counter = 0;
  /** Base dimension name → int64[1] value holding its size, emitted once. */
  readonly #dimValues = new Map<string, string>();
  /** Derived dimension names and whole dynamic shapes → the value computing them, emitted once per model. */
  readonly #derived = new Map<string, string>();

  constructor(
    private readonly prefix: string,
    private readonly dimSources: ReadonlyMap<string, DimSource> = new Map(),
    /** The execution provider's profile: which element types its kernels take. */
    readonly profile: OrtProfile = CPU_PROFILE,
  ) {}

  /** The element types kernel `k` runs on this provider (a lowering casts around the others). */
  kernel(k: Kernel): readonly MLOperandDataType[] {
    return this.profile.kernels[k];
  }

  /**
   * An int64 [rank] tensor holding `dims` at run time: static entries are constants, dynamic ones are computed from
   * the graph inputs' shapes (Shape → products and sums of the derived dimension), so one model serves every size.
   */
  shapeOf(dims: readonly Dim[]): string {
    if (!dims.some(isDynamic)) return this.int64s(dims as number[]);
    const key = `shape:${dims.map((d) => (isDynamic(d) ? d.name : String(d))).join(',')}`;
    let v = this.#derived.get(key);
    if (v === undefined) this.#derived.set(key, (v = this.op('Concat', dims.map((d) => this.#dimValue(d)), { axis: int(0) })));
    return v;
  }

  /** An int64 scalar holding one dimension's size at run time (e.g. the bound an index is clamped to). */
  sizeOf(d: Dim): string {
    if (!isDynamic(d)) return this.int64s([d], []);
    return this.op('Squeeze', [this.#dimValue(d), this.int64s([0])]);
  }

  #dimValue(d: Dim): string {
    if (!isDynamic(d)) return this.int64s([d]);
    const known = this.#derived.get(d.name);
    if (known !== undefined) return known;
    const terms = [...parseDim(d.name)].map(([monomial, coeff]) => {
      const factors = monomial ? monomial.split('*').map((f) => this.#baseDim(f)) : [];
      if (coeff !== 1 || factors.length === 0) factors.push(this.int64s([coeff]));
      return factors.reduce((acc, f) => this.op('Mul', [acc, f]));
    });
    const value = terms.reduce((acc, t) => this.op('Add', [acc, t]));
    this.#derived.set(d.name, value);
    return value;
  }

  #baseDim(name: string): string {
    let v = this.#dimValues.get(name);
    if (v === undefined) {
      const src = this.dimSources.get(name);
      if (!src) throw new Error(`no graph input carries dynamic dimension '${name}'`);
      v = this.op('Shape', [src.value], { start: int(src.axis), end: int(src.axis + 1) });
      this.#dimValues.set(name, v);
    }
    return v;
  }

  fresh(hint = 't'): string {
    return `${this.prefix}${hint}${this.#counter++}`;
  }

  /** Appends an ONNX node; returns its output names (fresh ones unless given). */
  node(opType: string, inputs: readonly (string | null)[], outputs: readonly string[] | number = 1,
    attrs: Record<string, AttrSpec | undefined> = {}, domain = ''): string[] {
    const outs = typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.fresh()) : [...outputs];
    const attribute = Object.entries(attrs)
      .filter((e): e is [string, AttrSpec] => e[1] !== undefined)
      .map(([k, v]) => toAttribute(k, v));
    this.nodes.push({ input: inputs.map((i) => i ?? ''), output: outs, name: this.fresh('n'), opType, domain, attribute });
    return outs;
  }

  /** Single-output node. */
  op(opType: string, inputs: readonly (string | null)[], attrs: Record<string, AttrSpec | undefined> = {}, output?: string): string {
    return this.node(opType, inputs, output ? [output] : 1, attrs)[0]!;
  }

  initializer(dataType: MLOperandDataType | 'bool', dims: readonly number[], raw: Uint8Array, name = this.fresh('c')): string {
    const code = dataType === 'bool' ? 9 : DTYPES[dataType].onnx;
    this.initializers.push({ name, dims: [...dims], dataType: code, rawData: raw });
    return name;
  }

  /** An int64 tensor constant (ONNX's shape/axes operands; bigints for values beyond ±2^53, e.g. INT64_MIN). */
  int64s(values: readonly (number | bigint)[], dims: readonly number[] = [values.length]): string {
    const arr = BigInt64Array.from(values.map((v) => BigInt(v)));
    return this.initializer('int64', dims, new Uint8Array(arr.buffer));
  }

  cast(value: string, to: MLOperandDataType | 'bool', output?: string): string {
    const code = to === 'bool' ? 9 : DTYPES[to].onnx;
    return this.op('Cast', [value], { to: int(code) }, output);
  }

  /**
   * Element-wise Max or Min of two values (broadcasting). onnxruntime's int64 Max/Min mis-compare values outside
   * the int32 range (Max(2^32 - 1, 4) gives 4), so int64 goes through Greater/Less + Where, which compare right.
   */
  extremum(opType: 'Max' | 'Min', a: string, b: string, type: MLOperandDataType, output?: string): string {
    if (type !== 'int64') return this.op(opType, [a, b], {}, output);
    const aWins = this.op(opType === 'Max' ? 'Greater' : 'Less', [a, b]);
    return this.op('Where', [aWins, a, b], {}, output);
  }

  /**
   * Runs `body` on inputs cast to `via` when `type` is not among the kernel's `supported` types, and casts the
   * results back into `outputs`. With a supported type, body writes `outputs` directly.
   */
  castAround(type: MLOperandDataType, supported: readonly MLOperandDataType[], via: MLOperandDataType,
    inputs: readonly string[], outputs: readonly string[], body: (inputs: string[], outputs: string[]) => void): void {
    if (supported.includes(type)) {
      body([...inputs], [...outputs]);
      return;
    }
    const castIn = inputs.map((i) => this.cast(i, via));
    const tmpOut = outputs.map(() => this.fresh());
    body(castIn, tmpOut);
    tmpOut.forEach((t, i) => this.cast(t, type, outputs[i]));
  }
}

export type Lowering<A = NoAttrs> = (node: LoweringNode<A>, e: Emitter) => void;

const lowerings = new Map<string, Lowering<unknown>>();

/** Registers the lowering of operator `op`; it reads the attributes `op`'s create step records (typed by OpAttrs). */
export function defineLowering<N extends string>(op: N, lowering: Lowering<AttrsOf<N>>): void {
  if (lowerings.has(op)) throw new Error(`lowering for ${op} defined twice`);
  // The IR node of `op` carries AttrsOf<N> by construction (its OpDef's create step made them).
  lowerings.set(op, lowering as Lowering<unknown>);
}

export function getLowering(op: string): Lowering<unknown> | undefined {
  return lowerings.get(op);
}

export function loweredOps(): string[] {
  return [...lowerings.keys()];
}
