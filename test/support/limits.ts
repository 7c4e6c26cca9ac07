// Harness for the opSupportLimits() truth tests: each family's test file gives a table of cases (inputs, a builder
// call, a plain-JS reference) and checkAdvertised() runs every advertised data type and rank through the public API.
import assert from 'node:assert/strict';
import { ml, MLGraphBuilder, type MLContext, type MLOperand, type MLOperandDataType } from '../../src/index.js';
import { DTYPES, type TypedArray } from '../../src/graph/dtypes.js';
import { fromFloat16Bits, toFloat16Bits } from '../../src/graph/float16.js';
import { castNumber } from '../../src/graph/cast.js';

export type Limits = Record<string, { dataTypes: MLOperandDataType[]; rankRange: { min: number; max: number } }>;
export const MAX_TESTED_RANK = 5;

export function shapeOf(rank: number): number[] {
  return [2, 3, 1, 2, 2, 1, 1, 1].slice(0, rank);
}
export const count = (s: number[]) => s.reduce((a, b) => a * b, 1);

export function toArray(values: number[], t: MLOperandDataType): TypedArray {
  const d = DTYPES[t];
  const out = new d.array(values.length);
  values.forEach((v, i) => {
    if (d.big) (out as BigInt64Array)[i] = BigInt(v);
    else if (t === 'float16') (out as Uint16Array)[i] = toFloat16Bits(v);
    else (out as Float32Array)[i] = v;
  });
  return out;
}
export function fromArray(a: TypedArray, t: MLOperandDataType): number[] {
  return Array.from(a as ArrayLike<number | bigint>).map((v) => (t === 'float16' ? fromFloat16Bits(Number(v)) : Number(v)));
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

export function transposeRef(x: number[], shape: number[]): number[] {
  const rank = shape.length;
  const outShape = [...shape].reverse();
  const out = new Array<number>(x.length);
  const strides = shape.map((_, i) => count(shape.slice(i + 1)));
  for (let o = 0; o < x.length; o++) {
    let rem = o;
    let src = 0;
    for (let d = 0; d < rank; d++) {
      const size = count(outShape.slice(d + 1));
      const idx = Math.floor(rem / size);
      rem %= size;
      src += idx * strides[rank - 1 - d]!;
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
  const ctx = await ml.createContext();
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

/** An input of runGraph: its type, shape and values. */
export interface Feed { type: MLOperandDataType; shape: number[]; data: number[] }
export type GraphOf = (b: MLGraphBuilder, inputs: Record<string, MLOperand>) => MLOperand;

/** Builds `build` over graph inputs made from `inputs`, runs it once and returns the output's shape and values. */
export async function runGraph(ctx: MLContext, build: GraphOf, inputs: Record<string, Feed>): Promise<{ shape: number[]; data: number[] }> {
  const b = new MLGraphBuilder(ctx);
  const ops: Record<string, MLOperand> = {};
  for (const [name, v] of Object.entries(inputs)) ops[name] = b.input(name, { dataType: v.type, shape: v.shape });
  const y = build(b, ops);
  const graph = await b.build({ y });
  const feeds = Object.fromEntries(Object.entries(inputs).map(([name, v]) => [name, toArray(v.data, v.type)]));
  const out = (await ctx.compute(graph, feeds)).y!;
  graph.destroy();
  return { shape: [...y.shape], data: fromArray(out.data, y.dataType) };
}
