// Harness for the opSupportLimits() truth tests: each family's test file gives a table of cases (inputs, a builder
// call, a plain-JS reference) and checkAdvertised() runs every advertised data type and rank through the public API.
import assert from 'node:assert/strict';
import { MLGraphBuilder, type MLContext, type MLOperand, type MLOperandDataType } from '../../src/index.js';
import { DTYPES } from '../../src/graph/dtypes.js';
import { castNumber } from '../../src/graph/cast.js';
import { context } from './graph.js';
import { count, fromArray, strides, toArray } from './values.js';

// Also here for test files written against this module before test/support/index.ts gathered the helpers.
export { count, fromArray, toArray } from './values.js';
export { runGraph, type Feed, type GraphOf } from './graph.js';

export type Limits = Record<string, { dataTypes: MLOperandDataType[]; rankRange: { min: number; max: number } }>;
export const MAX_TESTED_RANK = 5;

export function shapeOf(rank: number): number[] {
  return [2, 3, 1, 2, 2, 1, 1, 1].slice(0, rank);
}
export interface Case {
  /** Values for each input given its index and the input type. */
  inputs: number;
  values(i: number, arg: number, t: MLOperandDataType): number;
  call(b: MLGraphBuilder, xs: MLOperand[], t: MLOperandDataType, rank: number): MLOperand;
  /** Expected output values from the inputs' values (same layout as the output). */
  ref(xs: number[][], shape: number[], t: MLOperandDataType): number[];
  param?: string;
  /** Lowest rank to try (e.g. 2 for matmul). */
  minRank?: number;
  /** The operator whose advertised limits drive this case, where the case's name is not the operator's. */
  op?: string;
  /** The output's data type when it is not the input's (argMin/argMax indices). */
  outputDataType?: MLOperandDataType;
}

export const zip2 = (f: (a: number, b: number) => number) => (xs: number[][]) => xs[0]!.map((a, i) => f(a, xs[1]![i]!));
export const map1 = (f: (a: number) => number) => (xs: number[][]) => xs[0]!.map(f);
export const small = (i: number, arg: number) => 1 + ((i + arg * 2) % 4);
export const signed = (i: number, _arg: number, t: MLOperandDataType) => (DTYPES[t].signed ? (i % 7) - 3 : i % 4);

/** A unary case: `call` against the element-wise reference `ref`, on `values` (unitRange by default). */
export const unary = (call: Case['call'], ref: (a: number) => number, values: Case['values'] = unitRange): Case => ({
  inputs: 1, values, call, ref: map1(ref),
});
/** Halves from -2 to 1.5: exact in float16, and they hit roundEven's ties. */
export const halves = (i: number) => (i % 8) / 2 - 2;
export const unitRange = (i: number) => (i % 5) / 2 - 1;

export function transposeRef(x: number[], shape: number[]): number[] {
  const rank = shape.length;
  const outShape = [...shape].reverse();
  const out = new Array<number>(x.length);
  const st = strides(shape);
  for (let o = 0; o < x.length; o++) {
    let rem = o;
    let src = 0;
    for (let d = 0; d < rank; d++) {
      const size = count(outShape.slice(d + 1));
      const idx = Math.floor(rem / size);
      rem %= size;
      src += idx * st[rank - 1 - d]!;
    }
    out[o] = x[src]!;
  }
  return out;
}

export async function runOne(ctx: MLContext, name: string, c: Case, t: MLOperandDataType, rank: number, castTo?: MLOperandDataType): Promise<void> {
  const shape = shapeOf(rank);
  const b = new MLGraphBuilder(ctx);
  const values = Array.from({ length: c.inputs }, (_, arg) => Array.from({ length: count(shape) }, (_, i) => c.values(i, arg, t)));
  const xs = values.map((_, arg) => b.input(`x${arg}`, { dataType: t, shape }));
  const y = castTo ? b.cast(xs[0]!, castTo) : c.call(b, xs, t, rank);
  const graph = await b.build({ y });
  const feeds = Object.fromEntries(values.map((v, arg) => [`x${arg}`, toArray(v, t)]));
  const out = (await ctx.compute(graph, feeds)).y!;
  const outType = castTo ?? c.outputDataType ?? t;
  const expected = (castTo ? values[0]! : c.ref(values, shape, t)).map((v) => Number(castNumber(v, outType)));
  const actual = fromArray(out.data, outType);
  const tol = outType === 'float16' ? 2e-3 : outType === 'float32' ? 1e-6 : 0;
  actual.forEach((a, i) => {
    const e = expected[i]!;
    assert.ok(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)), `${name} ${t} rank ${rank}: element ${i} is ${a}, expected ${e}`);
  });
  graph.destroy();
}


/** Runs every case for every data type and rank (up to MAX_TESTED_RANK) its operator advertises. */
export async function checkAdvertised(
  t: { test(name: string, fn: () => Promise<void>): Promise<void> },
  cases: Record<string, Case>,
): Promise<void> {
  const ctx = await context();
  const limits = ctx.opSupportLimits() as unknown as Record<string, Limits>;
  for (const [name, c] of Object.entries(cases)) {
    await t.test(name, async () => {
      const lim = limits[c.op ?? name];
      assert.ok(lim, `opSupportLimits() has ${c.op ?? name}`);
      const param = c.param ?? (c.inputs === 2 ? 'a' : 'input');
      const { dataTypes, rankRange } = lim[param]!;
      assert.ok(dataTypes.length > 0);
      for (const dt of dataTypes) {
        for (let rank = Math.max(rankRange.min, c.minRank ?? 0); rank <= Math.min(rankRange.max, MAX_TESTED_RANK); rank++) {
          await runOne(ctx, name, c, dt, rank);
        }
      }
    });
  }
}

/** Small mixed-sign values for float cases: ((i·7 + arg·3) mod 11) − 5. */
export const floatish = (i: number, arg: number) => ((i * 7 + arg * 3) % 11) - 5;

/** Asserts `limits[op][param]` advertises exactly `types` and the rank range from `min` (to `max`, when given). */
export function assertLimits(limits: Record<string, Limits>, op: string, param: string, types: string[], min: number, max?: number): void {
  const l = limits[op]![param]!;
  assert.deepEqual([...l.dataTypes].sort(), [...types].sort(), `${op}.${param} data types`);
  assert.equal(l.rankRange.min, min, `${op}.${param} min rank`);
  if (max !== undefined) assert.equal(l.rankRange.max, max, `${op}.${param} max rank`);
}
