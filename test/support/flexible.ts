// Flexible inputs test harness: a graph written once is built with dynamic inputs and run at several sizes, each
// run checked against the same graph built with static shapes at that size.
import assert from 'node:assert/strict';
import { MLGraphBuilder, type MLContext, type MLOperand } from '../../src/index.js';
import type { MLOperandDataType } from '../../src/graph/dtypes.js';
import { toFloat16Bits } from '../../src/graph/float16.js';
import { context } from './graph.js';
import { assertClose, count } from './values.js';

// Also here for test files written against this module before test/support/index.ts gathered the helpers.
export { count, f32, u8 } from './values.js';
export { throwsType } from './errors.js';

export type Dim = number | { name: string; maxSize: number };
export type Data = Float32Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | Uint8Array;

export interface InputSpec {
  dataType: MLOperandDataType;
  shape: readonly Dim[];
  /** Values for `count` elements; by default deterministic values suited to the data type. */
  data?: (count: number, seed: number) => Data;
}

/** How a graph is written once for both builds: `dim(name)` is the dynamic Dim, or its size in the static build. */
export type Build = (b: MLGraphBuilder, x: Record<string, MLOperand>, dim: (name: string) => Dim) => MLOperand | MLOperand[];

export const BOUNDS: Readonly<Record<string, number>> = { n: 6, m: 5, k: 4 };
export const dyn = (name: string) => ({ name, maxSize: BOUNDS[name]! });
export const n = dyn('n');
export const m = dyn('m');

/** The shared context (support/graph.ts). */
export const ctx = (): Promise<MLContext> => context();

export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function defaultData(dataType: MLOperandDataType, count: number, seed: number): Data {
  const r = lcg(seed);
  switch (dataType) {
    case 'float32': return Float32Array.from({ length: count }, () => Math.round((r() * 8 - 4) * 16) / 16);
    case 'float16': return Uint16Array.from(defaultData('float32', count, seed) as Float32Array, toFloat16Bits);
    case 'int32': return Int32Array.from({ length: count }, () => Math.floor(r() * 11) - 5);
    case 'uint32': return Uint32Array.from({ length: count }, () => Math.floor(r() * 10));
    case 'int64': return BigInt64Array.from({ length: count }, () => BigInt(Math.floor(r() * 11) - 5));
    case 'uint8': return Uint8Array.from({ length: count }, () => (r() < 0.5 ? 0 : 1));
    default: throw new Error(`no test data for ${dataType}`);
  }
}

export const concrete = (shape: readonly Dim[], sizes: Readonly<Record<string, number>>) =>
  shape.map((d) => (typeof d === 'number' ? d : sizes[d.name]!));

export function outputsOf(result: MLOperand | MLOperand[]): Record<string, MLOperand> {
  const list = Array.isArray(result) ? result : [result];
  return Object.fromEntries(list.map((o, i) => [`out${i}`, o]));
}

/**
 * Builds `build` once over dynamic inputs and runs it at each size binding; compares with a static build at that
 * size, or (for empty tensors, which a static descriptor cannot declare) with `empty` when given, else checks that
 * the outputs have the shapes MLGraph.outputShapes gives and no elements where those shapes are empty.
 */
export async function check(inputs: Record<string, InputSpec>, build: Build, runs: readonly Record<string, number>[],
  empty?: (outputs: Record<string, { shape: number[]; data: ArrayLike<number | bigint> }>, sizes: Record<string, number>) => void): Promise<void> {
  const context = await ctx();
  const b = new MLGraphBuilder(context);
  const xs = Object.fromEntries(Object.entries(inputs).map(([k, s]) => [k, b.input(k, { dataType: s.dataType, shape: [...s.shape] })]));
  const graph = await b.build(outputsOf(build(b, xs, dyn)));
  for (const [run, sizes] of runs.entries()) {
    const shapes = Object.fromEntries(Object.entries(inputs).map(([k, s]) => [k, concrete(s.shape, sizes)]));
    const feeds = Object.fromEntries(Object.entries(inputs).map(([k, s], i) => {
      const c = count(shapes[k]!);
      return [k, { data: s.data ? s.data(c, 31 * run + i + 1) : defaultData(s.dataType, c, 31 * run + i + 1), shape: shapes[k]! }];
    }));
    const got = await context.compute(graph, feeds);
    const expectedShapes = graph.outputShapes(shapes);
    const label = JSON.stringify(sizes);
    for (const [k, r] of Object.entries(got)) assert.deepEqual(r.shape, expectedShapes[k], `${k} shape at ${label}`);
    if (Object.values(shapes).some((s) => s.includes(0))) {
      if (empty) empty(got, sizes);
      for (const [k, r] of Object.entries(got)) if (r.shape.includes(0)) assert.equal(r.data.length, 0, `${k} at ${label}`);
      continue;
    }
    const sb = new MLGraphBuilder(context);
    const sxs = Object.fromEntries(Object.entries(inputs).map(([k, s]) => [k, sb.input(k, { dataType: s.dataType, shape: shapes[k]! })]));
    const staticGraph = await sb.build(outputsOf(build(sb, sxs, (name) => sizes[name]!)));
    const want = await context.compute(staticGraph, feeds);
    for (const [k, r] of Object.entries(want)) {
      assert.deepEqual(got[k]!.shape, r.shape, `${k} shape at ${label}`);
      assertClose(got[k]!.data as ArrayLike<number | bigint>, r.data as ArrayLike<number | bigint>, { atol: 1e-5, rtol: 1e-5 }, `${k} at ${label}`);
    }
  }
}

export const SIZES = [{ n: 6, m: 5 }, { n: 2, m: 3 }, { n: 1, m: 1 }, { n: 0, m: 2 }];
