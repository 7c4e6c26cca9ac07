// MLGraph: a compiled graph bound to its context.
import type { OperandDescriptor, GraphIR } from '../graph/ir.js';
import type { CompiledGraph } from '../backends/backend.js';

export interface GraphInternals {
  readonly context: object;
  readonly inputDescriptors: ReadonlyMap<string, OperandDescriptor>;
  readonly outputDescriptors: ReadonlyMap<string, OperandDescriptor>;
  /** The platform-independent graph it was compiled from (pruned to its outputs). */
  readonly ir: GraphIR;
  readonly compiled: CompiledGraph;
  /** Frees the compiled graph after the work already queued on the context's timeline. */
  readonly releaseAfterQueuedWork: () => void;
  destroyed: boolean;
}

const internals = new WeakMap<MLGraph, GraphInternals>();
const token = Symbol('MLGraph');

export function graphInternals(value: unknown): GraphInternals | undefined {
  return typeof value === 'object' && value !== null ? internals.get(value as MLGraph) : undefined;
}

export class MLGraph {
  readonly #state: GraphInternals;

  /** @internal Graphs are created by MLGraphBuilder.build(). */
  constructor(key: symbol, state: GraphInternals) {
    if (key !== token) throw new TypeError('Illegal constructor: use MLGraphBuilder.build()');
    this.#state = state;
    internals.set(this, state);
  }

  destroy(): void {
    if (this.#state.destroyed) return;
    this.#state.destroyed = true;
    this.#state.releaseAfterQueuedWork();
  }

  /** Non-standard: the graph's input descriptors by name. */
  get inputDescriptors(): Record<string, { dataType: string; shape: number[] }> {
    return Object.fromEntries([...this.#state.inputDescriptors].map(([k, d]) => [k, { dataType: d.dataType, shape: [...d.shape] }]));
  }

  /** Non-standard: the graph's output descriptors by name. */
  get outputDescriptors(): Record<string, { dataType: string; shape: number[] }> {
    return Object.fromEntries([...this.#state.outputDescriptors].map(([k, d]) => [k, { dataType: d.dataType, shape: [...d.shape] }]));
  }

  get [Symbol.toStringTag](): string {
    return 'MLGraph';
  }
}

export function createGraphObject(state: GraphInternals): MLGraph {
  return new MLGraph(token, state);
}
