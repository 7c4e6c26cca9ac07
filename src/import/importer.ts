// The ONNX → WebNN importer's core: walks a decoded model node by node, keeps every value it can know at import time
// (constants, and integers known up to the dynamic dimensions) out of the graph, and builds the rest through the
// public MLGraphBuilder API, so that every WebNN node gets the spec's validation. Platform-neutral: bytes in (plus
// a reader for external data), builder out.
import { adoptConstant, adoptExternalConstant, MLGraphBuilder, type MLNamedOperands } from '../api/builder.js';
import type { MLContext } from '../api/context.js';
import type { MLOperand } from '../api/operand.js';
import type { MLDimension } from '../api/types.js';
import { isBaseName, isDynamic, type Dim } from '../graph/dims.js';
import type { MLOperandDataType } from '../graph/dtypes.js';
import { isValidDimension } from '../graph/shape.js';
import { decodeModel, OnnxDecodeError, type DecodedGraph, type DecodedModel, type DecodedNode, type DecodedTensor } from '../onnx/decode.js';
import { OnnxDataType as T, onnxTypeName } from '../onnx/schema.js';
import { NodeContext, UnsupportedError, type ImporterCore } from './context.js';
import { SymInt } from './symbolic.js';
import { CONTRIB_OPSET, MAX_OPSET, MICROSOFT, MIN_OPSET, type OpMapping } from './table.js';
import { findMapping } from './registry.js';
import { ConstTensor, constVal, elementCount, isBigType, MAX_FOLD, rawByteLength, webnnBytes, webnnType, type ExternalBytes, type Val } from './values.js';

/** The bound a symbolic dimension gets unless --max (maxSizes) says otherwise. */
export const DEFAULT_MAX_SIZE = 2048;

/** Where ONNX external data comes from (the Node entry point reads files; other platforms may fetch). */
export interface ExternalDataSource {
  /** The bytes of `location` (relative to the model) from `offset`, `length` of them (absent: to the end of the file). */
  locate(location: string, offset: number, length: number | undefined, tensor: string): ExternalBytes;
}

/** A value to freeze an input to: a number for every element, or the elements row-major. */
export type InputValue = number | bigint | boolean | ArrayLike<number | bigint | boolean>;

export interface ImportOptions {
  /** Name of the model in messages (its file name). */
  modelName?: string;
  /** Fix symbolic dimensions (ONNX dim_param names) to sizes. */
  dims?: Record<string, number>;
  /** Bounds (maxSize) of symbolic dimensions, by dim_param name. */
  maxSizes?: Record<string, number>;
  /** The bound of symbolic dimensions not in maxSizes (default DEFAULT_MAX_SIZE). */
  defaultMaxSize?: number;
  /** Freeze inputs to constants: what depends on them folds away (If branches included). */
  values?: Record<string, InputValue>;
  /** Reader for tensors stored as external data. */
  externalData?: ExternalDataSource;
  /** Translate what can be translated and collect every failure instead of stopping at the first. */
  check?: boolean;
  /** Called as nodes are translated (done, total). */
  onProgress?: (done: number, total: number) => void;
}

export interface ImportedInput {
  /** The ONNX element type (e.g. 'bool' travels as WebNN uint8). */
  onnxType: string;
  dataType: MLOperandDataType;
  /** Dynamic dimensions as {name, maxSize}. */
  shape: MLDimension[];
}

export interface ImportedDim {
  /** The ONNX dim_param it comes from. */
  onnxName: string;
  maxSize: number;
  /**
   * For a dim_param written as an expression of other dimensions ('past_sequence_length + sequence_length'): that
   * size as a WebNN dimension name. The input's size must equal it; inside the graph the axis carries this name.
   */
  equals?: string;
}

export interface CheckFailure {
  node: string;
  opType: string;
  domain: string;
  reason: string;
}

export interface ImportResult {
  builder: MLGraphBuilder;
  outputs: MLNamedOperands;
  /** ONNX element type of each output ('bool' outputs travel as uint8). */
  outputTypes: Record<string, string>;
  inputs: Record<string, ImportedInput>;
  /** Dynamic dimensions of the inputs: WebNN name → where it comes from and its bound. */
  dims: Record<string, ImportedDim>;
  /** Inputs frozen to constants (options.values). */
  frozen: string[];
  /** Nodes that could not be translated (check mode; empty otherwise). */
  failures: CheckFailure[];
  /** Nodes not translated because an input came from a failed node (check mode). */
  skipped: number;
  /** Nodes translated (needed by the outputs). */
  nodes: number;
  opsets: Record<string, number>;
}

/** An import failure: names the model, and the node where there is one. */
export class OnnxImportError extends Error {
  constructor(message: string, readonly node?: string, readonly opType?: string) {
    super(message);
    this.name = 'OnnxImportError';
  }
}

const POISON: Val = Object.freeze({ type: 0, dims: [] });

class Scope {
  readonly vals = new Map<string, Val>();
  constructor(readonly parent?: Scope) {}
  get(name: string): Val | undefined {
    return this.vals.get(name) ?? this.parent?.get(name);
  }
}

function nodeLabel(n: DecodedNode): string {
  const op = n.domain ? `${n.domain}.${n.opType}` : n.opType;
  return n.name ? `node '${n.name}' (${op})` : `a ${op} node (output '${n.output[0] ?? ''}')`;
}

/** Names a subgraph reads from enclosing scopes (If branches refer to outer values by name). */
function outerNames(g: DecodedGraph, into: Set<string>): void {
  const defined = new Set<string>([...g.initializers.map((t) => t.name), ...g.inputs.map((i) => i.name)]);
  for (const n of g.nodes) {
    for (const i of n.input) if (i && !defined.has(i)) into.add(i);
    for (const a of n.attributes.values()) {
      for (const sub of [a.g, ...(a.graphs ?? [])]) {
        if (!sub) continue;
        const inner = new Set<string>();
        outerNames(sub, inner);
        for (const x of inner) if (!defined.has(x)) into.add(x);
      }
    }
    for (const o of n.output) if (o) defined.add(o);
  }
}

/** The inputs a node reads: its own, and for nodes with subgraphs the outer names those read. */
function nodeReads(n: DecodedNode): string[] {
  const reads = n.input.filter((i) => i !== '');
  for (const a of n.attributes.values()) {
    for (const sub of [a.g, ...(a.graphs ?? [])]) {
      if (!sub) continue;
      const s = new Set<string>();
      outerNames(sub, s);
      reads.push(...s);
    }
  }
  return reads;
}

/** The nodes the named outputs depend on, in the model's order. */
function neededNodes(g: DecodedGraph, outputs: string[]): DecodedNode[] {
  const producer = new Map<string, number>();
  g.nodes.forEach((n, i) => n.output.forEach((o) => o && producer.set(o, i)));
  const needed = new Uint8Array(g.nodes.length);
  const stack = [...outputs];
  while (stack.length) {
    const name = stack.pop()!;
    const p = producer.get(name);
    if (p === undefined || needed[p]) continue;
    needed[p] = 1;
    stack.push(...nodeReads(g.nodes[p]!));
  }
  return g.nodes.filter((_, i) => needed[i]);
}

/**
 * A dim_param written as an expression of dimension names and integers with +, - and * (what exporters write for
 * an attention mask: 'past_sequence_length + sequence_length'); undefined for anything else.
 */
export function parseDimExpression(param: string): SymInt | undefined {
  const tokens = param.match(/[A-Za-z_][A-Za-z0-9_.]*|[0-9]+|[+\-*]|\S/g);
  if (!tokens) return undefined;
  let sum = SymInt.of(0);
  let i = 0;
  let sign = 1;
  if (tokens[0] === '-') {
    sign = -1;
    i++;
  }
  for (;;) {
    let term = SymInt.of(sign);
    for (;;) {
      const t = tokens[i++];
      if (t === undefined) return undefined;
      if (/^[0-9]+$/.test(t)) term = term.mul(SymInt.of(Number(t)));
      else if (isBaseName(t)) term = term.mul(SymInt.name(t));
      else return undefined;
      if (tokens[i] !== '*') break;
      i++;
    }
    sum = sum.add(term);
    if (i === tokens.length) return sum;
    const op = tokens[i++];
    if (op !== '+' && op !== '-') return undefined;
    sign = op === '+' ? 1 : -1;
  }
}

/** A dim_param as a WebNN dimension name: itself when it is an identifier, otherwise made into one. */
function dimName(param: string): string {
  if (isBaseName(param)) return param;
  const s = param.replace(/[^A-Za-z0-9_.]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[A-Za-z_]/.test(s) ? s : `d_${s}`;
}

export class Importer implements ImporterCore {
  readonly builder: MLGraphBuilder;
  readonly bounds = new Map<string, number>();
  private readonly model: DecodedModel;
  private readonly name: string;
  private readonly dimCache = new Map<string, MLOperand>();
  private readonly iotaCache = new Map<string, MLOperand>();
  private readonly failures: CheckFailure[] = [];
  private skipped = 0;
  private translated = 0;
  private total = 0;
  private scope = new Scope();
  /** The graph and the subgraphs being imported (innermost last). */
  private readonly graphs: DecodedGraph[] = [];
  private readonly opsets: Map<string, number>;
  /** Operands that no operator produces (inputs, constants): an output must not be one of them. */
  private readonly sources = new WeakSet<MLOperand>();

  constructor(context: MLContext, model: DecodedModel, private readonly options: ImportOptions) {
    this.builder = new MLGraphBuilder(context);
    this.model = model;
    this.name = options.modelName ?? 'model';
    this.opsets = model.opsets;
  }

  private error(message: string): OnnxImportError {
    return new OnnxImportError(`${this.name}: ${message}`);
  }

  // ---- ImporterCore ----

  materialize(v: Val): MLOperand {
    if (v === POISON) throw new UnsupportedError('an input comes from a node that was not translated');
    if (v.operand) return v.operand;
    let operand: MLOperand;
    if (v.konst) operand = this.constantOperand(v.konst);
    else if (v.sym) operand = this.symOperand(v.type, v.dims as number[], v.sym);
    else throw new UnsupportedError('internal: a value without an operand');
    v.operand = operand;
    return operand;
  }

  private constantOperand(t: ConstTensor): MLOperand {
    const dataType = webnnType(t.type);
    if (!dataType) throw new UnsupportedError(`constant of ${onnxTypeName(t.type)} is not supported`);
    const shape = [...t.shape];
    if (shape.some((d) => !isValidDimension(d))) {
      throw new UnsupportedError(`a constant of shape [${shape.join(', ')}] is needed at run time, but WebNN tensors cannot be empty`);
    }
    const desc = { dataType, shape };
    const sameLayout = t.type !== T.DOUBLE && t.type !== T.BFLOAT16 && t.type !== T.INT16 && t.type !== T.UINT16;
    if (t.external && sameLayout) {
      const ext = t.external;
      const operand = adoptExternalConstant(this.builder, desc, { path: ext.path, byteOffset: ext.byteOffset, byteLength: ext.byteLength });
      if (operand) {
        this.sources.add(operand);
        return operand;
      }
    }
    const operand = adoptConstant(this.builder, desc, webnnBytes(t));
    this.sources.add(operand);
    return operand;
  }

  private symOperand(type: number, shape: number[], sym: readonly SymInt[]): MLOperand {
    const dataType = webnnType(type)!;
    const pieces: MLOperand[] = [];
    let run: number[] = [];
    const flush = () => {
      if (!run.length) return;
      const t = ConstTensor.fromValues(type, [run.length], isBigType(type) ? run.map((x) => BigInt(x)) : run);
      pieces.push(adoptConstant(this.builder, { dataType, shape: [run.length] }, webnnBytes(t)));
      run = [];
    };
    for (const s of sym) {
      if (s.isConstant()) {
        run.push(s.constant!);
        continue;
      }
      flush();
      let scalar = this.dimScalar(s);
      if (dataType !== 'int64') scalar = this.builder.cast(scalar, dataType);
      pieces.push(this.builder.reshape(scalar, [1]));
    }
    flush();
    const flat = pieces.length === 1 ? pieces[0]! : this.builder.concat(pieces, 0);
    return this.builder.reshape(flat, shape);
  }

  dimScalar(s: SymInt): MLOperand {
    const key = s.text();
    let op = this.dimCache.get(key);
    if (op) return op;
    const k = s.constant;
    if (k !== undefined) {
      op = this.builder.constant('int64', BigInt(k));
    } else {
      const pos = new Map<string, number>();
      const neg = new Map<string, number>();
      for (const [m, c] of s.terms) (c > 0 ? pos : neg).set(m, Math.abs(c));
      const piece = (terms: Map<string, number>): MLOperand => {
        let p = SymInt.of(0);
        for (const [m, c] of terms) p = p.add(SymInt.of(c).mul(m ? m.split('*').map(SymInt.name).reduce((a, b) => a.mul(b)) : SymInt.of(1)));
        const d = p.toDim(this.bounds);
        if (d === undefined) throw new UnsupportedError(`size '${p}' depends on a name that is not an input dimension`);
        if (!isDynamic(d)) return this.builder.constant('int64', BigInt(d));
        return this.builder.reduceSum(this.builder.expand(this.builder.constant('int64', 1n), [d]));
      };
      op = neg.size ? this.builder.sub(piece(pos), piece(neg)) : piece(pos);
    }
    this.dimCache.set(key, op);
    return op;
  }

  iota(n: Dim, dataType: MLOperandDataType): MLOperand {
    const key = `${isDynamic(n) ? n.name : n}:${dataType}`;
    let op = this.iotaCache.get(key);
    if (op) return op;
    if (!isDynamic(n) && n <= MAX_FOLD) {
      const t = ConstTensor.fromValues(T.INT64, [n], Array.from({ length: n }, (_, i) => BigInt(i)));
      const c = adoptConstant(this.builder, { dataType: 'int64', shape: [n] }, t.bytes());
      op = dataType === 'int64' ? c : this.builder.cast(c, dataType);
    } else {
      // A dynamic (or large) length: 0..n-1 as an exclusive running sum of ones, computed when the graph runs.
      const ones = this.builder.expand(this.builder.constant(dataType, dataType === 'int64' || dataType === 'uint64' ? 1n : 1), [n]);
      op = this.builder.cumulativeSum(ones, 0, { exclusive: true });
    }
    this.iotaCache.set(key, op);
    return op;
  }

  constTensor(t: DecodedTensor, what = `tensor '${t.name}'`): ConstTensor {
    if (t.strings) throw new UnsupportedError(`${what} holds strings, which WebNN has no type for`);
    if (webnnType(t.dataType) === undefined) throw new UnsupportedError(`${what} is ${onnxTypeName(t.dataType)}, which WebNN has no type for`);
    const count = elementCount(t.dims);
    const need = rawByteLength(t.dataType, count);
    if (t.external) {
      const src = this.options.externalData;
      if (!src) throw new UnsupportedError(`${what} is stored in external file '${t.external.location}', but the model was given as bytes with no directory to read it from (import it from its path, or give baseDir)`);
      let bytes: ExternalBytes;
      try {
        bytes = src.locate(t.external.location, t.external.offset, t.external.length ?? need, t.name);
      } catch (err) {
        throw new UnsupportedError(`${what}: ${(err as Error).message}`);
      }
      if (bytes.byteLength !== need) throw new UnsupportedError(`${what} has ${bytes.byteLength} bytes of external data in '${t.external.location}', ${need} expected for ${onnxTypeName(t.dataType)}[${t.dims.join(', ')}]`);
      return ConstTensor.fromExternal(t.dataType, t.dims, bytes);
    }
    const raw = t.raw ?? new Uint8Array(0);
    if (raw.byteLength !== need) throw new UnsupportedError(`${what} has ${raw.byteLength} bytes of data, ${need} expected for ${onnxTypeName(t.dataType)}[${t.dims.join(', ')}]`);
    return ConstTensor.fromBytes(t.dataType, t.dims, raw);
  }

  inputsFeeding(name: string): string[] {
    const producers = new Map<string, DecodedNode>();
    for (const g of this.graphs) for (const n of g.nodes) for (const o of n.output) if (o) producers.set(o, n);
    const graphInputs = new Set(this.model.graph.inputs.map((i) => i.name));
    const found = new Set<string>();
    const seen = new Set<string>();
    const stack = [name];
    while (stack.length) {
      const v = stack.pop()!;
      if (seen.has(v)) continue;
      seen.add(v);
      if (graphInputs.has(v)) found.add(v);
      const p = producers.get(v);
      if (p) stack.push(...nodeReads(p));
    }
    return [...found];
  }

  runSubgraph(g: DecodedGraph, what: string): Val[] {
    this.graphs.push(g);
    const outer = this.scope;
    this.scope = new Scope(outer);
    try {
      for (const t of g.initializers) this.scope.vals.set(t.name, constVal(this.constTensor(t, `${what} initializer '${t.name}'`)));
      if (g.sparseInitializers.length) throw new UnsupportedError(`${what} has sparse initializer '${g.sparseInitializers[0]}', which the importer does not support`);
      const outs = g.outputs.map((o) => o.name);
      this.runNodes(neededNodes(g, outs));
      return outs.map((name) => {
        const v = this.scope.get(name);
        if (!v || v === POISON) throw new UnsupportedError(`${what}: output '${name}' is not computed`);
        return v;
      });
    } finally {
      this.scope = outer;
      this.graphs.pop();
    }
  }

  // ---- the model ----

  run(): ImportResult {
    const model = this.model;
    const g = model.graph;
    this.graphs.push(g);
    this.checkOpsets();
    if (model.functions.length) {
      // Only a problem when a node calls one; checked per node below.
    }
    if (g.sparseInitializers.length) throw this.error(`sparse initializer '${g.sparseInitializers[0]}' is not supported (densify the model's initializers first)`);
    for (const t of g.initializers) {
      try {
        this.scope.vals.set(t.name, constVal(this.constTensor(t, `initializer '${t.name}'`)));
      } catch (err) {
        throw this.error((err as Error).message);
      }
    }
    const { inputs, dims, frozen } = this.declareInputs(g);
    const outNames = g.outputs.map((o) => o.name);
    if (outNames.length === 0) throw this.error('the graph has no outputs');
    const nodes = neededNodes(g, outNames);
    this.total = nodes.length;
    this.runNodes(nodes);
    const outputs: MLNamedOperands = Object.create(null) as MLNamedOperands;
    const outputTypes: Record<string, string> = {};
    for (const o of g.outputs) {
      const v = this.scope.get(o.name);
      if (v === POISON) continue;
      if (!v) throw this.error(`graph output '${o.name}' is not computed by any node, initializer or input`);
      try {
        let operand = this.materialize(v);
        // WebNN outputs must come from an operator: a constant or an input passes through identity.
        if (this.sources.has(operand)) operand = this.builder.identity(operand);
        Object.defineProperty(outputs, o.name, { value: operand, enumerable: true, writable: true, configurable: true });
        outputTypes[o.name] = onnxTypeName(v.type);
      } catch (err) {
        if (this.options.check) this.failures.push({ node: `output '${o.name}'`, opType: '', domain: '', reason: (err as Error).message });
        else throw this.error(`graph output '${o.name}': ${(err as Error).message}`);
      }
    }
    return {
      builder: this.builder,
      outputs,
      outputTypes,
      inputs,
      dims,
      frozen,
      failures: this.failures,
      skipped: this.skipped,
      nodes: nodes.length,
      opsets: Object.fromEntries(this.opsets),
    };
  }

  private checkOpsets(): void {
    const onnx = this.opsets.get('');
    if (onnx === undefined) throw this.error('the model imports no opset of the default (ai.onnx) domain');
    if (onnx < MIN_OPSET || onnx > MAX_OPSET) {
      throw this.error(`opset ${onnx} of the default domain is outside the supported range ${MIN_OPSET}–${MAX_OPSET}`);
    }
    const ms = this.opsets.get(MICROSOFT);
    if (ms !== undefined && ms !== CONTRIB_OPSET) throw this.error(`opset ${ms} of ${MICROSOFT} is not supported (only version ${CONTRIB_OPSET} exists)`);
  }

  private declareInputs(g: DecodedGraph): { inputs: Record<string, ImportedInput>; dims: Record<string, ImportedDim>; frozen: string[] } {
    const inputs: Record<string, ImportedInput> = {};
    const dims: Record<string, ImportedDim> = {};
    const frozen: string[] = [];
    const fixed = this.options.dims ?? {};
    const maxes = this.options.maxSizes ?? {};
    const byName = (rec: Record<string, number>, param: string) => rec[param] ?? rec[dimName(param)];
    const usedOptions = new Set<string>();
    const values = this.options.values ?? {};
    // dim_params that are plain names (declared as WebNN dimensions), and expressions of them.
    const baseParams = new Set<string>();
    for (const input of g.inputs) {
      if (this.scope.vals.has(input.name) || Object.hasOwn(values, input.name)) continue;
      for (const d of input.shape ?? []) if (typeof d === 'string' && isBaseName(d)) baseParams.add(d);
    }
    const boundOf = (param: string) => byName(maxes, param) ?? this.options.defaultMaxSize ?? DEFAULT_MAX_SIZE;
    /** An expression over base dimension names with fixed ones substituted, or undefined. */
    const expressionOf = (param: string): SymInt | undefined => {
      if (isBaseName(param)) return undefined;
      const e = parseDimExpression(param);
      if (!e || e.names().some((n) => !baseParams.has(n) && byName(fixed, n) === undefined)) return undefined;
      let out = SymInt.of(0);
      for (const [m, coeff] of e.terms) {
        let t = SymInt.of(coeff);
        for (const f of m ? m.split('*') : []) t = t.mul(byName(fixed, f) !== undefined ? SymInt.of(byName(fixed, f)!) : SymInt.name(f));
        out = out.add(t);
      }
      return out;
    };
    const derived: { input: string; axis: number; expr: SymInt; name: string }[] = [];
    for (const input of g.inputs) {
      if (this.scope.vals.has(input.name)) continue; // an initializer listed as an input (IR < 4): a constant
      const what = `input '${input.name}'`;
      if (input.kind !== 'tensor') throw this.error(`${what} is a ${input.kind}; only tensor inputs are supported`);
      const type = input.elemType ?? 0;
      if (!input.shape) throw this.error(`${what} has no declared shape; the importer needs each input's rank`);
      if (Object.hasOwn(values, input.name)) {
        usedOptions.add(`value:${input.name}`);
        this.scope.vals.set(input.name, this.frozenInput(input.name, type, input.shape, values[input.name]!, fixed));
        frozen.push(input.name);
        continue;
      }
      const dataType = webnnType(type);
      if (!dataType || type === T.DOUBLE || type === T.INT16 || type === T.UINT16 || type === T.BFLOAT16) {
        throw this.error(`${what} is ${onnxTypeName(type)}, which WebNN has no type for`);
      }
      const shape: Dim[] = input.shape.map((d, i) => {
        if (typeof d === 'number') {
          if (d === 0) throw this.error(`${what} has a dimension of size 0 at axis ${i}; WebNN inputs cannot be empty`);
          return d;
        }
        const param = d ?? `${input.name}_${i}`;
        const f = byName(fixed, param);
        if (f !== undefined) {
          usedOptions.add(`dim:${param}`);
          return f;
        }
        const name = dimName(param);
        const expr = expressionOf(param);
        if (expr?.constant !== undefined && expr.constant > 0) return expr.constant;
        let max = boundOf(param);
        if (expr && byName(maxes, param) === undefined) {
          // The bound of 'past + seq' is the sum of theirs.
          max = expr.evaluate(new Map(expr.names().map((n) => [n, boundOf(n)]))) ?? max;
          if (max < 1) max = boundOf(param);
        }
        if (byName(maxes, param) !== undefined) usedOptions.add(`max:${param}`);
        if (expr) derived.push({ input: input.name, axis: i, expr, name });
        dims[name] ??= { onnxName: param, maxSize: max };
        return { name, maxSize: max };
      });
      let operand: MLOperand;
      try {
        operand = this.builder.input(input.name, { dataType, shape: shape as MLDimension[] as number[] });
      } catch (err) {
        const hint = shape.some(isDynamic) && /elements|bytes/.test((err as Error).message)
          ? ' (dynamic dimensions count at their bound: lower it with --max name=N, or fix it with --dim name=N)' : '';
        throw this.error(`${(err as Error).message}${hint}`);
      }
      for (const d of shape) if (isDynamic(d)) this.bounds.set(d.name, d.maxSize);
      this.sources.add(operand);
      inputs[input.name] = { onnxType: onnxTypeName(type), dataType, shape: shape.map((d) => (isDynamic(d) ? { ...d } : d)) };
      this.scope.vals.set(input.name, { type, dims: operand.dimensions, operand });
    }
    // An input whose size is an expression of other dimensions gets a name of its own at the boundary (WebNN inputs
    // declare plain names) and carries the derived name inside, so that it meets 'past + seq' tensors as the same
    // size: a gather of 0..n-1 along that axis.
    for (const d of derived) {
      const target = d.expr.toDim(this.bounds);
      const v = this.scope.get(d.input);
      if (!target || !isDynamic(target) || !v?.operand) continue;
      const operand = this.builder.gather(v.operand, this.iota(target, 'int32'), { axis: d.axis });
      this.scope.vals.set(d.input, { type: v.type, dims: operand.dimensions, operand });
      dims[d.name]!.equals = target.name;
    }
    for (const name of Object.keys(values)) if (!usedOptions.has(`value:${name}`)) throw this.error(`--value ${name}: the model has no input '${name}'`);
    const known = new Set(g.inputs.flatMap((i) => (i.shape ?? []).map((d, k) => (typeof d === 'string' ? d : `${i.name}_${k}`))));
    for (const [opt, rec] of [['dim', fixed], ['max', maxes]] as const) {
      for (const name of Object.keys(rec)) {
        if (![...known].some((p) => p === name || dimName(p) === name)) throw this.error(`--${opt} ${name}: no input has a dimension named '${name}' (dimensions: ${[...known].join(', ') || 'none'})`);
      }
    }
    return { inputs, dims, frozen };
  }

  private frozenInput(name: string, type: number, declared: (number | string | undefined)[], value: InputValue, fixed: Record<string, number>): Val {
    const list = typeof value === 'object' ? Array.from(value as ArrayLike<number | bigint | boolean>) : undefined;
    let shape = declared.map((d) => (typeof d === 'number' ? d : typeof d === 'string' && fixed[d] !== undefined ? fixed[d]! : -1));
    const unknown = shape.filter((d) => d < 0).length;
    if (unknown > 0) {
      if (!list) shape = shape.map((d) => (d < 0 ? 1 : d));
      else if (unknown === 1) {
        const rest = shape.filter((d) => d >= 0).reduce((a, b) => a * b, 1);
        shape = shape.map((d) => (d < 0 ? list.length / rest : d));
      } else throw this.error(`--value ${name}: the input has ${unknown} symbolic dimensions; fix all but one with --dim`);
    }
    const count = elementCount(shape);
    if (!Number.isInteger(count) || (list && list.length !== count)) {
      throw this.error(`--value ${name}: ${list?.length ?? 1} values do not fill the input's shape [${declared.map((d) => d ?? '?').join(', ')}]`);
    }
    const num = (x: number | bigint | boolean) => (typeof x === 'boolean' ? Number(x) : x);
    const elems = list ? list.map(num) : new Array(count).fill(num(value as number | bigint | boolean));
    if (webnnType(type) === undefined) throw this.error(`--value ${name}: ${onnxTypeName(type)} inputs are not supported`);
    return constVal(ConstTensor.fromValues(type, shape, isBigType(type) ? elems.map((x) => BigInt(x)) : elems.map(Number)));
  }

  private opsetOf(domain: string): number | undefined {
    return this.opsets.get(domain);
  }

  private runNodes(nodes: DecodedNode[]): void {
    for (const node of nodes) {
      const reads = node.input.filter((i) => i !== '');
      if (reads.some((i) => this.scope.get(i) === POISON)) {
        this.skipped++;
        for (const o of node.output) if (o) this.scope.vals.set(o, POISON);
        continue;
      }
      try {
        this.runNode(node);
      } catch (err) {
        let reason = (err as Error).message;
        if (/at its bounds/.test(reason) && this.bounds.size) {
          reason += ` (the bounds come from the dynamic dimensions' maxSize: ${[...this.bounds].map(([n, m]) => `${n}=${m}`).join(', ')}; lower them with --max name=N or fix one with --dim name=N)`;
        }
        if (!this.options.check) throw err instanceof OnnxImportError ? err : new OnnxImportError(`${this.name}: ${nodeLabel(node)}: ${reason}`, node.name, node.opType);
        this.failures.push({ node: node.name || `(output ${node.output[0] ?? ''})`, opType: node.opType, domain: node.domain, reason });
        for (const o of node.output) if (o) this.scope.vals.set(o, POISON);
      }
      this.translated++;
      if (this.options.onProgress && (this.translated & 63) === 0) this.options.onProgress(this.translated, this.total);
    }
  }

  private runNode(node: DecodedNode): void {
    const opset = this.opsetOf(node.domain);
    if (opset === undefined) {
      if (this.model.functions.some((f) => f.name === node.opType && f.domain === node.domain)) {
        throw new UnsupportedError('model-local functions are not supported');
      }
      throw new UnsupportedError(`domain '${node.domain}' is not imported by the model (no opset_import entry)`);
    }
    const mapping: OpMapping | undefined = findMapping(node.domain, node.opType, opset);
    if (!mapping) {
      if (this.model.functions.some((f) => f.name === node.opType && f.domain === node.domain)) throw new UnsupportedError('model-local functions are not supported');
      throw new UnsupportedError(unsupportedReason(node.domain, node.opType, opset));
    }
    const inputs = node.input.map((name) => {
      if (name === '') return undefined;
      const v = this.scope.get(name);
      if (!v) throw new UnsupportedError(`input '${name}' is not defined (not a graph input, an initializer or an earlier node's output)`);
      return v;
    });
    const c = new NodeContext(this, node, opset, inputs);
    const result = mapping.handler(c);
    const outs = Array.isArray(result) ? result : [result];
    node.output.forEach((name, i) => {
      if (!name) return;
      const v = outs[i];
      if (!v) {
        // An optional output the handler does not produce: fine unless something reads it.
        return;
      }
      this.scope.vals.set(name, v);
    });
  }
}

function unsupportedReason(domain: string, opType: string, opset: number): string {
  const other = findMapping(domain, opType, undefined);
  if (other) return `opset ${opset} of ${opType} is not supported (supported: ${other.since}${other.until ? `–${other.until}` : '+'})`;
  return domain ? `no translation for ${domain}.${opType}` : `no translation for ${opType}`;
}

/** Imports a model (bytes or decoded) into a new builder on `context`. Check mode collects failures instead. */
export function importModel(context: MLContext, model: Uint8Array | DecodedModel, options: ImportOptions = {}): ImportResult {
  let decoded: DecodedModel;
  if (model instanceof Uint8Array) {
    try {
      decoded = decodeModel(model);
    } catch (err) {
      if (err instanceof OnnxDecodeError) throw new OnnxImportError(`${options.modelName ?? 'model'}: ${err.message}`);
      throw err;
    }
  } else decoded = model;
  return new Importer(context, decoded, options).run();
}
