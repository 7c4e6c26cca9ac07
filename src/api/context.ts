// MLContext: tensors, their reads and writes, and dispatch, ordered on one timeline per context.
import type { Backend, HostTensor } from '../backends/backend.js';
import { ALL_DATA_TYPES, viewAs, type TypedArray } from '../graph/dtypes.js';
import type { OperandDescriptor } from '../graph/ir.js';
import { MAX_RANK, MAX_TENSOR_BYTE_LENGTH, shapeToString } from '../graph/shape.js';
import { publicOps } from '../ops/registry.js';
import { operatorLimits } from './limits.js';
import { bufferMismatch, byteView, copyBytes, isDetached } from './buffers.js';
import { byteLength, checkDescriptor, describe, sameDescriptor } from './descriptor.js';
import { invalidState, operationError, unknownError } from './errors.js';
import { graphInternals, isFlexible, outputShapesFor, type GraphInternals, type MLGraph } from './graph.js';
import { concreteShape } from './flexible.js';
import { IterableWeakSet } from './iterable-weak-set.js';
import { createTensorObject, tensorInternals, type MLTensor, type TensorInternals } from './tensor.js';
import type {
  AllowSharedBufferSource, MLContextLostInfo, MLDispatchOptions, MLOperandDataType, MLOperandDescriptor, MLOpSupportLimits,
  MLPowerPreference, MLTensorDescriptor,
} from './types.js';

export type MLNamedTensors = Record<string, MLTensor>;

/** Result of the non-standard MLContext.compute(). */
export interface MLComputeResult {
  dataType: MLOperandDataType;
  shape: number[];
  data: TypedArray;
}

/** An input of the non-standard compute() with its concrete shape (needed where the input has dynamic dimensions). */
export interface MLComputeInput {
  data: AllowSharedBufferSource;
  shape: readonly number[];
}

function isComputeInput(v: unknown): v is MLComputeInput {
  return v !== null && typeof v === 'object' && !ArrayBuffer.isView(v) && !(v instanceof ArrayBuffer)
    && !(typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer) && 'data' in v && 'shape' in v;
}

export interface ContextInternals {
  readonly backend: Backend;
  isLost(): boolean;
  registerGraph(graph: MLGraph): void;
  /** Runs `step` on the context's timeline, after everything issued before it. */
  enqueue<T>(step: () => Promise<T> | T): Promise<T>;
}

const internals = new WeakMap<MLContext, ContextInternals>();
const EMPTY = new Uint8Array(0);
const token = Symbol('MLContext');

export function contextInternals(value: unknown): ContextInternals | undefined {
  return typeof value === 'object' && value !== null ? internals.get(value as MLContext) : undefined;
}

export interface ContextSettings {
  backend: Backend;
  powerPreference: MLPowerPreference;
}

export class MLContext {
  readonly #backend: Backend;
  readonly #powerPreference: MLPowerPreference;
  readonly #lost: Promise<MLContextLostInfo>;
  #resolveLost!: (info: MLContextLostInfo) => void;
  #isLost = false;
  /** Tail of the context's timeline: every write, read and dispatch runs after the ones issued before it. */
  #timeline: Promise<void> = Promise.resolve();
  /** Steps queued on the timeline and not yet settled; 0 means a step issued now would run next. */
  #pending = 0;
  readonly #graphs = new IterableWeakSet<MLGraph>();
  readonly #tensors = new IterableWeakSet<MLTensor>();

  /** @internal Contexts are created by ML.createContext(). */
  constructor(key: symbol, settings: ContextSettings) {
    if (key !== token) throw new TypeError('Illegal constructor: use navigator.ml.createContext()');
    this.#backend = settings.backend;
    this.#powerPreference = settings.powerPreference;
    this.#lost = new Promise((resolve) => (this.#resolveLost = resolve));
    internals.set(this, {
      backend: this.#backend,
      isLost: () => this.#isLost,
      registerGraph: (g) => this.#graphs.add(g),
      enqueue: (step) => this.#enqueueAlways(step),
    });
  }

  get accelerated(): boolean {
    return this.#backend.accelerated;
  }

  get lost(): Promise<MLContextLostInfo> {
    return this.#lost;
  }

  /** Non-standard: which backend serves this context, e.g. "onnxruntime-node 1.30.0 (cpu)". */
  get backend(): string {
    return this.#backend.description;
  }

  /** Non-standard: the power preference the context was created with. */
  get powerPreference(): MLPowerPreference {
    return this.#powerPreference;
  }

  #enqueue<T>(step: () => Promise<T> | T): Promise<T> {
    return this.#enqueueAlways(() => {
      if (this.#isLost) throw invalidState('the context is lost');
      return step();
    });
  }

  /** Like #enqueue, but also runs once the context is lost (for releasing resources). */
  #enqueueAlways<T>(step: () => Promise<T> | T): Promise<T> {
    this.#pending++;
    const run = this.#timeline.then(step);
    this.#timeline = run.then(() => void this.#pending--, () => void this.#pending--);
    return run;
  }

  #newTensor(desc: OperandDescriptor, flags: { readable: boolean; writable: boolean; isConstant: boolean }): MLTensor {
    let data: Uint8Array;
    try {
      data = new Uint8Array(new ArrayBuffer(byteLength(desc)));
    } catch (err) {
      throw unknownError(`cannot allocate ${byteLength(desc)} bytes for a ${describe(desc)} tensor: ${(err as Error).message}`);
    }
    const state: TensorInternals = {
      context: this, desc, ...flags, data, byteLength: data.byteLength, destroyed: false, pendingReads: new Set(),
      releaseAfterQueuedWork: () => void this.#enqueueAlways(() => {
        state.data = EMPTY;
        state.backendHandle = undefined;
      }).catch(() => undefined),
    };
    const tensor = createTensorObject(state);
    this.#tensors.add(tensor);
    return tensor;
  }

  async createTensor(descriptor: MLTensorDescriptor): Promise<MLTensor> {
    if (this.#isLost) throw invalidState('createTensor: the context is lost');
    const desc = checkDescriptor(descriptor, 'createTensor');
    const readable = Boolean(descriptor.readable);
    const writable = Boolean(descriptor.writable);
    return this.#enqueue(() => this.#newTensor(desc, { readable, writable, isConstant: false }));
  }

  async createConstantTensor(descriptor: MLOperandDescriptor, inputData: AllowSharedBufferSource): Promise<MLTensor> {
    if (this.#isLost) throw invalidState('createConstantTensor: the context is lost');
    const desc = checkDescriptor(descriptor, 'createConstantTensor');
    const why = bufferMismatch(inputData, desc.dataType, byteLength(desc));
    if (why) throw new TypeError(`createConstantTensor: ${why}`);
    const bytes = copyBytes(inputData);
    return this.#enqueue(() => {
      const tensor = this.#newTensor(desc, { readable: false, writable: false, isConstant: true });
      tensorInternals(tensor)!.data = bytes;
      return tensor;
    });
  }

  #ownTensor(tensor: unknown, what: string): TensorInternals {
    const t = tensorInternals(tensor);
    if (!t) throw new TypeError(`${what}: argument is not an MLTensor`);
    if (t.context !== this) throw new TypeError(`${what}: the tensor belongs to another context`);
    if (t.destroyed) throw new TypeError(`${what}: the tensor is destroyed`);
    return t;
  }

  writeTensor(tensor: MLTensor, inputData: AllowSharedBufferSource): void {
    const t = this.#ownTensor(tensor, 'writeTensor');
    if (!t.writable) throw new TypeError('writeTensor: the tensor was not created writable');
    const why = bufferMismatch(inputData, t.desc.dataType, t.byteLength);
    if (why) throw new TypeError(`writeTensor: ${why} (tensor ${describe(t.desc)})`);
    if (this.#pending === 0) {
      // Nothing queued that could read or write this tensor first: copying now is the same as copying at
      // the write's turn on the timeline, and saves a staging buffer.
      t.data.set(byteView(inputData));
      t.error = undefined;
      return;
    }
    const bytes = copyBytes(inputData); // the caller may reuse its buffer as soon as we return
    // Runs even if the tensor is destroyed meanwhile: a dispatch queued before the destroy still reads these bytes.
    void this.#enqueue(() => {
      t.data.set(bytes);
      t.error = undefined;
    }).catch(() => undefined);
  }

  readTensor(tensor: MLTensor): Promise<ArrayBuffer>;
  readTensor(tensor: MLTensor, outputData: AllowSharedBufferSource): Promise<undefined>;
  async readTensor(tensor: MLTensor, outputData?: AllowSharedBufferSource): Promise<ArrayBuffer | undefined> {
    const t = this.#ownTensor(tensor, 'readTensor');
    if (!t.readable) throw new TypeError('readTensor: the tensor was not created readable');
    if (outputData !== undefined) {
      const why = bufferMismatch(outputData, t.desc.dataType, t.byteLength);
      if (why) throw new TypeError(`readTensor: ${why} (tensor ${describe(t.desc)})`);
    }
    return new Promise<ArrayBuffer | undefined>((resolve, reject) => {
      // Pending until its turn on the timeline; destroying the tensor first rejects it (InvalidStateError).
      t.pendingReads.add(reject);
      this.#enqueue(() => {
        if (!t.pendingReads.delete(reject)) return undefined; // already rejected by destroy()
        if (t.error) throw t.error;
        if (outputData === undefined) return t.data.slice().buffer;
        if (isDetached(outputData)) throw new TypeError('readTensor: the output buffer was detached while the read was queued');
        byteView(outputData).set(t.data);
        return undefined;
      }).then(resolve, (err: unknown) => {
        t.pendingReads.delete(reject);
        reject(err as Error);
      });
    });
  }

  /**
   * Runs `graph`. For a graph with dynamic dimensions (flexible inputs), each tensor's shape in this dispatch is
   * its own shape or, where `options.inputShapes`/`outputShapes` names it, that active shape over the start of a
   * larger tensor. Outputs must have the shapes the inputs' sizes give them (MLGraph.outputShapes).
   */
  dispatch(graph: MLGraph, inputs: MLNamedTensors, outputs: MLNamedTensors, options?: MLDispatchOptions): void {
    const g = graphInternals(graph);
    if (!g) throw new TypeError('dispatch: argument is not an MLGraph');
    if (g.context !== this) throw new TypeError('dispatch: the graph belongs to another context');
    if (g.destroyed) throw invalidState('dispatch: the graph is destroyed');
    if (this.#isLost) throw invalidState('dispatch: the context is lost');
    const flexible = isFlexible(g);
    const ins = this.#bindTensors(inputs, g.inputDescriptors, 'input', flexible);
    const outs = this.#bindTensors(outputs, g.outputDescriptors, 'output', flexible);
    const all = [...ins.values(), ...outs.values()];
    if (new Set(all).size !== all.length) throw new TypeError('dispatch: the same MLTensor is passed more than once');
    const active = flexible ? this.#activeShapes(g, ins, outs, options) : undefined;
    if (!flexible && (options?.inputShapes !== undefined || options?.outputShapes !== undefined)) {
      throw new TypeError('dispatch: inputShapes and outputShapes apply only to graphs with dynamic dimensions');
    }
    const outStates = [...outs.values()];
    void this.#enqueue(async () => {
      // Tensors and the graph destroyed after this call keep their memory until this step has run (their release is
      // queued behind it), so the dispatch runs as issued.
      const bound: [TensorInternals, HostTensor][] = [];
      const host = (named: Map<string, TensorInternals>): Record<string, HostTensor> => {
        const out: Record<string, HostTensor> = Object.create(null) as Record<string, HostTensor>; // names may be "__proto__"
        for (const [name, t] of named) {
          const shape = active?.get(t);
          const h: HostTensor = shape
            ? { dataType: t.desc.dataType, shape, data: t.data.subarray(0, byteLength({ dataType: t.desc.dataType, shape })), handle: t.backendHandle }
            : { dataType: t.desc.dataType, shape: t.desc.shape, data: t.data, handle: t.backendHandle };
          bound.push([t, h]);
          out[name] = h;
        }
        return out;
      };
      try {
        await g.compiled.run(host(ins), host(outs));
        for (const t of outStates) t.error = undefined;
      } catch (err) {
        // Every output of a failed dispatch is marked: reading any of them rejects until it is written again.
        const failure = operationError(`dispatch failed: ${(err as Error).message}`);
        for (const t of outStates) t.error = failure;
        throw failure;
      } finally {
        for (const [t, h] of bound) {
          // A backend that ran elsewhere (a worker) may hand the memory back in a new buffer.
          if (h.data.buffer !== t.data.buffer) t.data = new Uint8Array(h.data.buffer);
          t.backendHandle = h.handle;
        }
      }
    }).catch(() => undefined);
  }

  /**
   * The shape each bound tensor has in this dispatch of a graph with dynamic dimensions: a tensor's own shape, or
   * the active shape `options` gives for it. Inputs bind each dimension name to one size; every output's active
   * shape must be the shape those sizes give it; and every tensor must hold its active shape's bytes.
   */
  #activeShapes(g: GraphInternals, ins: Map<string, TensorInternals>, outs: Map<string, TensorInternals>,
    options: MLDispatchOptions | undefined): Map<TensorInternals, number[]> {
    if (options !== undefined && (options === null || typeof options !== 'object')) throw new TypeError('dispatch: options must be a dictionary');
    const given = (member: 'inputShapes' | 'outputShapes', bound: Map<string, TensorInternals>, role: string) => {
      const record = options?.[member] ?? {};
      if (typeof record !== 'object' || record === null) throw new TypeError(`dispatch: ${member} must be a record of ${role} name → shape`);
      const shapes = new Map<string, number[]>();
      for (const [name, value] of Object.entries(record)) {
        if (!bound.has(name)) throw new TypeError(`dispatch: ${member} names '${name}', which is not an ${role} of the graph`);
        const shape = concreteShape(value);
        if (!shape) throw new TypeError(`dispatch: ${member}['${name}'] must be a sequence of non-negative integers`);
        shapes.set(name, shape);
      }
      for (const [name, t] of bound) if (!shapes.has(name)) shapes.set(name, [...t.desc.shape]);
      return shapes;
    };
    const inShapes = given('inputShapes', ins, 'input');
    const outShapes = given('outputShapes', outs, 'output');
    const expected = outputShapesFor(g, inShapes, 'dispatch');
    for (const [name, shape] of outShapes) {
      const want = expected.get(name)!;
      if (shape.length !== want.length || shape.some((d, i) => d !== want[i])) {
        const desc = g.outputDescriptors.get(name)!;
        throw new TypeError(`dispatch: output '${name}' has shape ${shapeToString(shape)}; for these inputs ${describe(desc)} is ${shapeToString(want)} (pass outputShapes to write it into a larger tensor)`);
      }
    }
    const active = new Map<TensorInternals, number[]>();
    const fit = (role: string, name: string, t: TensorInternals, shape: number[]) => {
      const need = byteLength({ dataType: t.desc.dataType, shape });
      if (need > t.byteLength) {
        throw new TypeError(`dispatch: ${role} '${name}' needs ${need} bytes for shape ${shapeToString(shape)}; the tensor ${describe(t.desc)} has ${t.byteLength}`);
      }
      active.set(t, shape);
    };
    for (const [name, t] of ins) fit('input', name, t, inShapes.get(name)!);
    for (const [name, t] of outs) fit('output', name, t, outShapes.get(name)!);
    return active;
  }

  /** Checks named tensors against a graph's descriptors ("validate tensors with descriptors"), with reasons. */
  #bindTensors(named: MLNamedTensors, descriptors: ReadonlyMap<string, OperandDescriptor>, role: string, flexible = false): Map<string, TensorInternals> {
    if (!named || typeof named !== 'object') throw new TypeError(`dispatch: ${role}s must be a record of name → MLTensor`);
    const bound = new Map<string, TensorInternals>();
    for (const [name, tensor] of Object.entries(named)) {
      const desc = descriptors.get(name);
      if (!desc) {
        throw new TypeError(`dispatch: '${name}' is not an ${role} of the graph (${role}s: ${[...descriptors.keys()].join(', ') || 'none'})`);
      }
      const t = this.#ownTensor(tensor, `dispatch ${role} '${name}'`);
      if (t.isConstant) throw new TypeError(`dispatch: ${role} '${name}' is a constant tensor`);
      if (flexible && desc.dims) {
        // The tensor holds the active shape (its own, or inputShapes') in its first bytes: any tensor of the data
        // type with enough bytes serves, e.g. one created once for the largest size (checked in #activeShapes).
        if (t.desc.dataType !== desc.dataType) {
          throw new TypeError(`dispatch: ${role} '${name}' is ${describe(t.desc)}, the graph expects ${describe(desc)}`);
        }
      } else if (!sameDescriptor(t.desc, desc)) {
        throw new TypeError(`dispatch: ${role} '${name}' is ${describe(t.desc)}, the graph expects ${describe(desc)}`);
      }
      bound.set(name, t);
    }
    for (const name of descriptors.keys()) {
      if (!bound.has(name)) throw new TypeError(`dispatch: missing ${role} '${name}'`);
    }
    return bound;
  }

  opSupportLimits(): MLOpSupportLimits {
    const all = { dataTypes: [...ALL_DATA_TYPES], rankRange: { min: 0, max: MAX_RANK } };
    const result: MLOpSupportLimits = {
      preferredInputLayout: 'nchw',
      maxTensorByteLength: MAX_TENSOR_BYTE_LENGTH,
      input: structuredClone(all),
      constant: structuredClone(all),
      output: structuredClone(all),
    };
    for (const def of publicOps()) result[def.name] = structuredClone(operatorLimits(this.#backend.profile, def));
    return result;
  }

  destroy(): void {
    if (this.#isLost) return;
    this.#isLost = true;
    for (const g of this.#graphs) g.destroy();
    for (const t of this.#tensors) {
      const state = tensorInternals(t)!;
      for (const reject of state.pendingReads) reject(invalidState('readTensor: the context is lost'));
      state.pendingReads.clear();
      t.destroy();
    }
    this.#graphs.clear();
    this.#tensors.clear();
    // After the releases queued above: a computation in progress finishes first.
    if (this.#backend.destroy) void this.#enqueueAlways(() => this.#backend.destroy!()).catch(() => undefined);
    this.#resolveLost({ message: 'MLContext.destroy() was called' });
  }

  /**
   * Non-standard convenience: runs `graph` on typed arrays and returns each output's data and shape.
   * Equivalent to createTensor + writeTensor + dispatch + readTensor for every input and output. An input with
   * dynamic dimensions is passed as `{data, shape}` with its concrete shape; outputs come back with theirs.
   */
  async compute(graph: MLGraph, inputs: Record<string, AllowSharedBufferSource | MLComputeInput>): Promise<Record<string, MLComputeResult>> {
    const g = graphInternals(graph);
    if (!g) throw new TypeError('compute: argument is not an MLGraph');
    // Null-prototype records: a graph input or output may be named '__proto__' or 'constructor'.
    const inTensors: MLNamedTensors = Object.create(null) as MLNamedTensors;
    const outTensors: MLNamedTensors = Object.create(null) as MLNamedTensors;
    const flexible = isFlexible(g);
    try {
      for (const name of Object.keys(inputs ?? {})) {
        if (!g.inputDescriptors.has(name)) throw new TypeError(`compute: '${name}' is not an input of the graph`);
      }
      const data = new Map<string, AllowSharedBufferSource>();
      const shapes = new Map<string, number[]>();
      for (const [name, desc] of g.inputDescriptors) {
        if (!Object.hasOwn(inputs ?? {}, name)) throw new TypeError(`compute: missing input '${name}' (${describe(desc)})`);
        const value = inputs[name]!;
        if (isComputeInput(value)) {
          const shape = concreteShape(value.shape);
          if (!shape) throw new TypeError(`compute: the shape of input '${name}' must be a sequence of non-negative integers`);
          data.set(name, value.data);
          shapes.set(name, shape);
        } else {
          if (desc.dims) throw new TypeError(`compute: input '${name}' (${describe(desc)}) has dynamic dimensions; pass {data, shape}`);
          data.set(name, value);
          shapes.set(name, desc.shape);
        }
      }
      const outShapes = flexible ? outputShapesFor(g, shapes, 'compute') : undefined;
      if (!flexible) {
        for (const [name, desc] of g.inputDescriptors) {
          if (!sameDescriptor({ dataType: desc.dataType, shape: shapes.get(name)! }, desc)) {
            throw new TypeError(`compute: input '${name}' has shape ${shapeToString(shapes.get(name)!)}, the graph expects ${describe(desc)}`);
          }
        }
      }
      for (const [name, desc] of g.inputDescriptors) {
        const shape = shapes.get(name)!;
        const why = bufferMismatch(data.get(name)!, desc.dataType, byteLength({ dataType: desc.dataType, shape }));
        if (why) throw new TypeError(`compute: input '${name}' (shape ${shapeToString(shape)}): ${why}`);
      }
      // Tensors of the concrete shapes; these may have a 0-size dynamic dimension, which createTensor refuses.
      const tensor = async (dataType: MLOperandDataType, shape: number[], flags: { readable: boolean; writable: boolean }) =>
        flexible ? this.#enqueue(() => this.#newTensor({ dataType, shape }, { ...flags, isConstant: false }))
          : this.createTensor({ dataType, shape, ...flags });
      for (const [name, desc] of g.inputDescriptors) {
        inTensors[name] = await tensor(desc.dataType, shapes.get(name)!, { readable: false, writable: true });
        this.writeTensor(inTensors[name]!, data.get(name)!);
      }
      for (const [name, desc] of g.outputDescriptors) {
        outTensors[name] = await tensor(desc.dataType, outShapes?.get(name) ?? desc.shape, { readable: true, writable: false });
      }
      this.dispatch(graph, inTensors, outTensors);
      const result: Record<string, MLComputeResult> = {};
      for (const [name, desc] of g.outputDescriptors) {
        const buffer = await this.readTensor(outTensors[name]!);
        const value = { dataType: desc.dataType, shape: [...(outShapes?.get(name) ?? desc.shape)], data: viewAs(desc.dataType, new Uint8Array(buffer)) };
        Object.defineProperty(result, name, { value, enumerable: true, writable: true, configurable: true });
      }
      return result;
    } finally {
      for (const t of [...Object.values(inTensors), ...Object.values(outTensors)]) {
        t.destroy();
        this.#tensors.delete(t);
      }
    }
  }

  get [Symbol.toStringTag](): string {
    return 'MLContext';
  }
}

export function createContextObject(settings: ContextSettings): MLContext {
  return new MLContext(token, settings);
}
