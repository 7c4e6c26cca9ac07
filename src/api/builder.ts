// MLGraphBuilder: records the IR. Operator methods are installed from the op registry (src/ops), so adding an
// operator never touches this file; their TypeScript signatures are merged in by each op family's module.
import '../ops/index.js';
import { onOpDefined, type OpDef } from '../ops/registry.js';
import { OpContext, opErrorPrefix, type OperandRef } from '../ops/context.js';
import { encodeScalar, type MLNumber } from '../graph/cast.js';
import { isDataType } from '../graph/dtypes.js';
import { emptyGraph, pruneToOutputs, type AttrValue, type ExternalConstant, type GraphIR, type OperandDescriptor } from '../graph/ir.js';
import { bufferMismatch, copyBytes } from './buffers.js';
import { byteLength, checkDescriptor, checkInputDescriptor } from './descriptor.js';
import { invalidState, operationError } from './errors.js';
import { operatorLimits } from './limits.js';
import { optimize, type OptimizedGraph } from '../passes/pipeline.js';
import { createGraphObject, type MLGraph } from './graph.js';
import { contextInternals, type MLContext } from './context.js';
import { createOperand, operandInternals, type MLOperand } from './operand.js';
import { tensorInternals, type MLTensor } from './tensor.js';
import type { AllowSharedBufferSource, MLInputOperandDescriptor, MLOperandDataType, MLOperandDescriptor } from './types.js';

export type MLNamedOperands = Record<string, MLOperand>;

let adopt: (builder: MLGraphBuilder, descriptor: MLOperandDescriptor, bytes: Uint8Array | ExternalConstant) => MLOperand | undefined;

/**
 * Internal: builder.constant(descriptor, bytes) without the copy, for loaders that read `bytes` themselves and hand
 * them over (graph files with large weights would otherwise hold each tensor twice).
 */
export function adoptConstant(builder: MLGraphBuilder, descriptor: MLOperandDescriptor, bytes: Uint8Array): MLOperand {
  return adopt(builder, descriptor, bytes)!;
}

/**
 * Internal: a constant whose bytes stay in a file, for backends that can read them there (see
 * Backend.externalConstants); undefined when this builder's backend cannot.
 */
export function adoptExternalConstant(builder: MLGraphBuilder, descriptor: MLOperandDescriptor, ext: ExternalConstant): MLOperand | undefined {
  return adopt(builder, descriptor, ext);
}

let isBuilder: (value: unknown) => boolean;

/** Whether `value` is an MLGraphBuilder (the brand check of the WebIDL binding). */
export function isGraphBuilder(value: unknown): boolean {
  return isBuilder(value);
}

export class MLGraphBuilder {
  readonly #context: MLContext;
  readonly #ir: GraphIR = emptyGraph();
  readonly #inputNames = new Set<string>();
  /** Dynamic dimension names the inputs declared: name → maxSize and the declaring input. */
  readonly #declaredDims = new Map<string, { maxSize: number; by: string }>();
  readonly #dimBounds = new Map<string, number>();
  #hasBuilt = false;

  constructor(context: MLContext) {
    const ctx = contextInternals(context);
    if (!ctx) throw new TypeError('MLGraphBuilder: argument is not an MLContext');
    if (ctx.isLost()) throw invalidState('MLGraphBuilder: the context is lost');
    this.#context = context;
  }

  #checkCanBuild(what: string): void {
    if (this.#hasBuilt) throw invalidState(`${what}: this MLGraphBuilder has already built a graph and cannot be used again`);
    if (contextInternals(this.#context)!.isLost()) throw invalidState(`${what}: the context is lost`);
  }

  #addOperand(desc: OperandDescriptor, kind: 'input' | 'constant' | 'intermediate', extra: { name?: string; producer?: number } = {}): MLOperand {
    const id = this.#ir.operands.length;
    this.#ir.operands.push({ id, desc, kind, ...extra });
    return createOperand({ builder: this, id, desc });
  }

  #resolve = (value: unknown): OperandRef | undefined => {
    const op = operandInternals(value);
    if (!op || op.builder !== this) return undefined;
    return { id: op.id, dataType: op.desc.dataType, shape: op.desc.shape, rank: op.desc.shape.length, dims: op.desc.dims ?? op.desc.shape };
  };

  /** An argument as plain data for IrNode.call: operands become {$operand: id}, sequences arrays. */
  #recordArg = (v: unknown): AttrValue => {
    const ref = this.#resolve(v);
    if (ref) return { $operand: ref.id };
    if (v === undefined || v === null || typeof v === 'function' || typeof v === 'symbol') return null;
    if (typeof v !== 'object') return v as AttrValue;
    if (Symbol.iterator in v) return [...(v as Iterable<unknown>)].map(this.#recordArg);
    const out: Record<string, AttrValue> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = this.#recordArg(x);
    return out;
  };

  input(name: string, descriptor: MLInputOperandDescriptor): MLOperand {
    this.#checkCanBuild('input');
    if (typeof name !== 'string' || name === '') throw new TypeError('input: name must be a non-empty string');
    if (this.#inputNames.has(name)) throw new TypeError(`input: an input named '${name}' already exists`);
    const desc = checkInputDescriptor(descriptor, `input '${name}'`, this.#declaredDims);
    for (const [dim, { maxSize }] of this.#declaredDims) this.#dimBounds.set(dim, maxSize);
    this.#inputNames.add(name);
    const operand = this.#addOperand(desc, 'input', { name });
    this.#ir.inputs.push({ name, operand: this.#ir.operands.length - 1 });
    return operand;
  }

  constant(descriptor: MLOperandDescriptor, buffer: AllowSharedBufferSource): MLOperand;
  constant(dataType: MLOperandDataType, value: MLNumber): MLOperand;
  constant(tensor: MLTensor): MLOperand;
  constant(a: unknown, b?: unknown): MLOperand {
    const tensor = tensorInternals(a);
    if (tensor) {
      if (tensor.context !== this.#context) throw new TypeError('constant: the tensor belongs to another context');
      if (tensor.destroyed) throw new TypeError('constant: the tensor is destroyed');
      if (!tensor.isConstant) throw new TypeError('constant: the tensor was not created by createConstantTensor()');
      this.#checkCanBuild('constant');
      return this.#addConstant(tensor.desc, tensor.data.slice());
    }
    this.#checkCanBuild('constant');
    if (typeof a === 'string') {
      if (!isDataType(a)) throw new TypeError(`constant: dataType '${a}' is not an MLOperandDataType`);
      if (typeof b !== 'number' && typeof b !== 'bigint') throw new TypeError('constant: value must be a number or bigint');
      return this.#addConstant({ dataType: a, shape: [] }, encodeScalar(a, b));
    }
    const desc = checkDescriptor(a, 'constant');
    const why = bufferMismatch(b, desc.dataType, byteLength(desc));
    if (why) throw new TypeError(`constant: ${why}`);
    return this.#addConstant(desc, copyBytes(b as AllowSharedBufferSource));
  }

  #addConstant(desc: OperandDescriptor, bytes: Uint8Array): MLOperand {
    const operand = this.#addOperand(desc, 'constant');
    this.#ir.constants.set(this.#ir.operands.length - 1, bytes);
    return operand;
  }

  /** Runs an operator's validation and records its node. */
  #invoke(def: OpDef, args: unknown[]): MLOperand | MLOperand[] {
    // The binding (interfaces.ts) has checked the argument count and converted the arguments as the OpDef declares.
    const options = args[def.optionsAt];
    const rawLabel = options && typeof options === 'object' ? (options as { label?: unknown }).label : undefined;
    // USVString conversion: a symbol label is a TypeError (String() would quietly accept it).
    if (typeof rawLabel === 'symbol') throw new TypeError(`${def.name}: options.label must be a string`);
    const label = rawLabel === undefined ? '' : String(rawLabel);
    if (this.#hasBuilt || contextInternals(this.#context)!.isLost()) {
      throw invalidState(`${opErrorPrefix(def.name, label)}: the builder can no longer build (already built, or its context is lost)`);
    }
    const ctx = contextInternals(this.#context)!;
    const c = new OpContext(def.name, label, this.#resolve, operatorLimits(ctx.backend.profile, def), def.dynamic === true, this.#dimBounds);
    const result = def.invoke(c, args);
    const nodeId = this.#ir.nodes.length;
    const outputs = result.outputs.map((desc) => this.#addOperand(desc, 'intermediate', { producer: nodeId }));
    this.#ir.nodes.push({
      id: nodeId,
      op: def.name,
      inputs: result.inputs.map((r) => (r ? r.id : null)),
      outputs: outputs.map((o) => operandInternals(o)!.id),
      attrs: result.attrs,
      label,
      call: args.slice(0, def.optionsAt + 1).map(this.#recordArg),
    });
    return def.multipleOutputs ? outputs : outputs[0]!;
  }

  async build(outputs: MLNamedOperands): Promise<MLGraph> {
    this.#checkCanBuild('build');
    if (!outputs || typeof outputs !== 'object') throw new TypeError('build: outputs must be a record of name → MLOperand');
    const entries = Object.entries(outputs);
    if (entries.length === 0) throw new TypeError('build: at least one output is required');
    const outs: { name: string; operand: number }[] = [];
    for (const [name, operand] of entries) {
      if (name === '') throw new TypeError('build: output names must be non-empty');
      const ref = this.#resolve(operand);
      if (!ref) throw new TypeError(`build: output '${name}' is not an MLOperand of this builder`);
      const kind = this.#ir.operands[ref.id]!.kind;
      if (kind !== 'intermediate') throw new TypeError(`build: output '${name}' is a graph ${kind}; outputs must be computed by an operator`);
      outs.push({ name, operand: ref.id });
    }
    this.#hasBuilt = true;
    const ir = pruneToOutputs(this.#ir, outs);
    const ctx = contextInternals(this.#context)!;
    let compiled;
    let optimized: OptimizedGraph | undefined;
    try {
      // The backend compiles the optimized graph; the graph object keeps the one the user built (saved as built).
      optimized = optimize(ir, ctx.backend.profile.passes ?? []);
      compiled = await ctx.backend.compile(optimized.ir);
    } catch (err) {
      throw operationError(`build: ${ctx.backend.description} could not compile the graph: ${(err as Error).message}`);
    }
    if (ctx.isLost()) {
      await compiled.release().catch(() => undefined);
      throw invalidState('build: the context was lost while compiling');
    }
    const descriptors = (list: { name: string; operand: number }[]) =>
      new Map(list.map((x) => [x.name, ir.operands[x.operand]!.desc] as const));
    const graph = createGraphObject({
      context: this.#context,
      inputDescriptors: descriptors(ir.inputs),
      outputDescriptors: descriptors(ir.outputs),
      ir,
      optimized: optimized!,
      compiled,
      releaseAfterQueuedWork: () => void ctx.enqueue(() => compiled.release()).catch(() => undefined),
      destroyed: false,
    });
    ctx.registerGraph(graph);
    return graph;
  }

  get [Symbol.toStringTag](): string {
    return 'MLGraphBuilder';
  }

  static {
    isBuilder = (value) => typeof value === 'object' && value !== null && #ir in value;
    adopt = (builder, descriptor, bytes) => {
      builder.#checkCanBuild('constant');
      const desc = checkDescriptor(descriptor, 'constant');
      if (!(bytes instanceof Uint8Array)) {
        if (!contextInternals(builder.#context)!.backend.externalConstants) return undefined;
        if (bytes.byteLength !== byteLength(desc)) throw new TypeError(`constant: ${bytes.byteLength} bytes in the file, ${byteLength(desc)} expected`);
        const operand = builder.#addOperand(desc, 'constant');
        (builder.#ir.externalConstants ??= new Map()).set(builder.#ir.operands.length - 1, bytes);
        return operand;
      }
      const why = bufferMismatch(bytes, desc.dataType, byteLength(desc));
      if (why) throw new TypeError(`constant: ${why}`);
      return builder.#addConstant(desc, bytes);
    };
    onOpDefined((def) => {
      if (def.internal) return;
      Object.defineProperty(MLGraphBuilder.prototype, def.name, {
        // The WebIDL binding (interfaces.ts) wraps this with the brand check and the argument conversions.
        value: function (this: MLGraphBuilder, ...args: unknown[]) {
          return this.#invoke(def, args);
        },
        writable: true,
        configurable: true,
        enumerable: false,
      });
    });
  }
}
