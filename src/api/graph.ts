// MLGraph: a compiled graph bound to its context.
import { dimsOf, type OperandDescriptor, type GraphIR } from '../graph/ir.js';
import type { CompiledGraph } from '../backends/backend.js';
import { bindInputs, concreteShape, shapeWith } from './flexible.js';
import type { MLDimension } from './types.js';

export interface GraphInternals {
  readonly context: object;
  readonly inputDescriptors: ReadonlyMap<string, OperandDescriptor>;
  readonly outputDescriptors: ReadonlyMap<string, OperandDescriptor>;
  /** The platform-independent graph as the user built it (pruned to its outputs); saved graph files hold this. */
  readonly ir: GraphIR;
  /** The graph the backend compiled: `ir` after the backend's passes, and the rewrites each pass made. */
  readonly optimized: { readonly ir: GraphIR; readonly fired: Readonly<Record<string, number>> };
  readonly compiled: CompiledGraph;
  /** Frees the compiled graph after the work already queued on the context's timeline. */
  readonly releaseAfterQueuedWork: () => void;
  destroyed: boolean;
}

const flexible = new WeakMap<GraphInternals, boolean>();

/** Whether any input (and so possibly any output) of the graph has a dynamic dimension; computed once per graph. */
export function isFlexible(g: GraphInternals): boolean {
  let f = flexible.get(g);
  if (f === undefined) {
    f = [...g.inputDescriptors.values()].some((d) => d.dims !== undefined);
    flexible.set(g, f);
  }
  return f;
}

/** Concrete output shapes for concrete input shapes, checked as dispatch checks them. */
export function outputShapesFor(g: GraphInternals, inputShapes: ReadonlyMap<string, readonly number[]>, what: string): Map<string, number[]> {
  const sizes = bindInputs(g.inputDescriptors, inputShapes, what);
  return new Map([...g.outputDescriptors].map(([name, desc]) => [name, shapeWith(desc, sizes)]));
}

/**
 * A descriptor as the graph's non-standard getters show it: dynamic dimensions as {name, maxSize}. Typed with
 * number[] like MLOperand.shape, so code written for static graphs compiles unchanged (see MLOperand.shape).
 */
function publicDescriptor(d: OperandDescriptor): { dataType: string; shape: number[] } {
  const shape: MLDimension[] = dimsOf(d).map((x) => (typeof x === 'number' ? x : { ...x }));
  return { dataType: d.dataType, shape: shape as number[] };
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

  /** Non-standard: the graph's input descriptors by name (dynamic dimensions as {name, maxSize}). */
  get inputDescriptors(): Record<string, { dataType: string; shape: number[] }> {
    return Object.fromEntries([...this.#state.inputDescriptors].map(([k, d]) => [k, publicDescriptor(d)]));
  }

  /** Non-standard: the graph's output descriptors by name (dynamic dimensions as {name, maxSize}). */
  get outputDescriptors(): Record<string, { dataType: string; shape: number[] }> {
    return Object.fromEntries([...this.#state.outputDescriptors].map(([k, d]) => [k, publicDescriptor(d)]));
  }

  /**
   * Non-standard (flexible inputs): the concrete shape of every output for the given concrete shape of every input
   * with dynamic dimensions (static ones may be left out), so that output tensors can be created before dispatch.
   * Throws the TypeError dispatch would throw for these shapes.
   */
  outputShapes(inputShapes: Record<string, readonly number[]>): Record<string, number[]> {
    if (!inputShapes || typeof inputShapes !== 'object') throw new TypeError('outputShapes: argument must be a record of input name → shape');
    const shapes = new Map<string, number[]>();
    for (const [name, value] of Object.entries(inputShapes)) {
      if (!this.#state.inputDescriptors.has(name)) throw new TypeError(`outputShapes: '${name}' is not an input of the graph`);
      const shape = concreteShape(value);
      if (!shape) throw new TypeError(`outputShapes: the shape of input '${name}' must be a sequence of non-negative integers`);
      shapes.set(name, shape);
    }
    return Object.fromEntries(outputShapesFor(this.#state, shapes, 'outputShapes'));
  }

  get [Symbol.toStringTag](): string {
    return 'MLGraph';
  }
}

export function createGraphObject(state: GraphInternals): MLGraph {
  return new MLGraph(token, state);
}
