// MLTensor: host memory shaped by a descriptor, read and written on its context's timeline.
import type { MLOperandDataType } from '../graph/dtypes.js';
import type { OperandDescriptor } from '../graph/ir.js';
import { invalidState } from './errors.js';

export interface TensorInternals {
  readonly context: object;
  readonly desc: OperandDescriptor;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly isConstant: boolean;
  /**
   * The tensor's bytes (8-byte aligned), only to be touched from the context's timeline: while a dispatch runs in a
   * worker the memory is there (the buffer here is detached) and comes back in a new ArrayBuffer. Released on destroy.
   */
  data: Uint8Array;
  /** The byte length of `data` (also while the memory is away). */
  readonly byteLength: number;
  destroyed: boolean;
  /** Set when the last dispatch that should have written this tensor failed; reads then reject. */
  error?: Error;
  /** Backend-specific cache (e.g. an onnxruntime Tensor wrapping `data`). */
  backendHandle?: unknown;
  /** Rejecters of the readTensor promises not settled yet: destroy() rejects them at once, as the spec says. */
  readonly pendingReads: Set<(reason: Error) => void>;
  /** Releases `data` after the work already queued on the context's timeline (which may still use it). */
  readonly releaseAfterQueuedWork: () => void;
}

const internals = new WeakMap<MLTensor, TensorInternals>();
const token = Symbol('MLTensor');

export function tensorInternals(value: unknown): TensorInternals | undefined {
  return typeof value === 'object' && value !== null ? internals.get(value as MLTensor) : undefined;
}

export class MLTensor {
  readonly #state: TensorInternals;
  readonly #shape: readonly number[];

  /** @internal Tensors are created by MLContext.createTensor / createConstantTensor. */
  constructor(key: symbol, state: TensorInternals) {
    if (key !== token) throw new TypeError('Illegal constructor: use MLContext.createTensor()');
    this.#state = state;
    this.#shape = Object.freeze([...state.desc.shape]);
    internals.set(this, state);
  }

  get dataType(): MLOperandDataType {
    return this.#state.desc.dataType;
  }

  get shape(): readonly number[] {
    return this.#shape;
  }

  get readable(): boolean {
    return this.#state.readable;
  }

  get writable(): boolean {
    return this.#state.writable;
  }

  get constant(): boolean {
    return this.#state.isConstant;
  }

  /**
   * Marks the tensor destroyed now (no new work may use it), rejects its pending reads, and releases its memory once
   * the work queued before — a dispatch that reads or writes it — has run.
   */
  destroy(): void {
    const s = this.#state;
    if (s.destroyed) return;
    s.destroyed = true;
    for (const reject of s.pendingReads) reject(invalidState('readTensor: the tensor was destroyed before the read completed'));
    s.pendingReads.clear();
    s.releaseAfterQueuedWork();
  }

  get [Symbol.toStringTag](): string {
    return 'MLTensor';
  }
}

export function createTensorObject(state: TensorInternals): MLTensor {
  return new MLTensor(token, state);
}
