// opSupportLimits() must tell the truth: every data type and rank it advertises for an operator builds and runs,
// and gives the values a plain-JS reference computes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ml, MLGraphBuilder, type MLContext, type MLOperand, type MLOperandDataType } from '../src/index.js';
import { DTYPES, type TypedArray } from '../src/graph/dtypes.js';
import { fromFloat16Bits, toFloat16Bits } from '../src/graph/float16.js';
import { castNumber } from '../src/graph/cast.js';

type Limits = Record<string, { dataTypes: MLOperandDataType[]; rankRange: { min: number; max: number } }>;
const MAX_TESTED_RANK = 5;

function shapeOf(rank: number): number[] {
  return [2, 3, 1, 2, 2, 1, 1, 1].slice(0, rank);
}
const count = (s: number[]) => s.reduce((a, b) => a * b, 1);

function toArray(values: number[], t: MLOperandDataType): TypedArray {
  const d = DTYPES[t];
  const out = new d.array(values.length);
  values.forEach((v, i) => {
    if (d.big) (out as BigInt64Array)[i] = BigInt(v);
    else if (t === 'float16') (out as Uint16Array)[i] = toFloat16Bits(v);
    else (out as Float32Array)[i] = v;
  });
  return out;
}
function fromArray(a: TypedArray, t: MLOperandDataType): number[] {
  return Array.from(a as ArrayLike<number | bigint>).map((v) => (t === 'float16' ? fromFloat16Bits(Number(v)) : Number(v)));
}

interface Case {
  /** Values for each input given its index and the input type. */
  inputs: number;
  values(i: number, arg: number, t: MLOperandDataType): number;
  call(b: MLGraphBuilder, xs: MLOperand[], t: MLOperandDataType, rank: number): MLOperand;
  /** Expected output values from the inputs' values (same layout as the output). */
  ref(xs: number[][], shape: number[], t: MLOperandDataType): number[];
  param?: string;
}

const zip2 = (f: (a: number, b: number) => number) => (xs: number[][]) => xs[0]!.map((a, i) => f(a, xs[1]![i]!));
const map1 = (f: (a: number) => number) => (xs: number[][]) => xs[0]!.map(f);
const small = (i: number, arg: number) => 1 + ((i + arg * 2) % 4);
const signed = (i: number, _arg: number, t: MLOperandDataType) => (DTYPES[t].signed ? (i % 7) - 3 : i % 4);

function transposeRef(x: number[], shape: number[]): number[] {
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

const cases: Record<string, Case> = {
  add: { inputs: 2, values: small, call: (b, [x, y]) => b.add(x!, y!), ref: zip2((a, b) => a + b) },
  sub: { inputs: 2, values: (i, arg) => (arg === 0 ? 5 + (i % 4) : i % 4), call: (b, [x, y]) => b.sub(x!, y!), ref: zip2((a, b) => a - b) },
  mul: { inputs: 2, values: small, call: (b, [x, y]) => b.mul(x!, y!), ref: zip2((a, b) => a * b) },
  div: {
    inputs: 2, values: (i, arg) => (arg === 0 ? 3 + (i % 9) : 1 + (i % 3)), call: (b, [x, y]) => b.div(x!, y!),
    ref: (xs, _s, t) => zip2((a, b) => (DTYPES[t].kind === 'int' ? Math.trunc(a / b) : a / b))(xs),
  },
  max: { inputs: 2, values: small, call: (b, [x, y]) => b.max(x!, y!), ref: zip2(Math.max) },
  min: { inputs: 2, values: small, call: (b, [x, y]) => b.min(x!, y!), ref: zip2(Math.min) },
  pow: { inputs: 2, values: (i, arg) => (arg === 0 ? 1 + (i % 3) : i % 3), call: (b, [x, y]) => b.pow(x!, y!), ref: zip2((a, b) => a ** b) },
  abs: { inputs: 1, values: signed, call: (b, [x]) => b.abs(x!), ref: map1(Math.abs) },
  neg: { inputs: 1, values: signed, call: (b, [x]) => b.neg(x!), ref: map1((a) => -a) },
  relu: { inputs: 1, values: signed, call: (b, [x]) => b.relu(x!), ref: map1((a) => Math.max(a, 0)) },
  exp: { inputs: 1, values: (i) => (i % 5) / 2 - 1, call: (b, [x]) => b.exp(x!), ref: map1(Math.exp) },
  log: { inputs: 1, values: (i) => 0.5 + (i % 5), call: (b, [x]) => b.log(x!), ref: map1(Math.log) },
  sqrt: { inputs: 1, values: (i) => i % 5, call: (b, [x]) => b.sqrt(x!), ref: map1(Math.sqrt) },
  sigmoid: { inputs: 1, values: (i) => (i % 5) - 2, call: (b, [x]) => b.sigmoid(x!), ref: map1((a) => 1 / (1 + Math.exp(-a))) },
  tanh: { inputs: 1, values: (i) => (i % 5) - 2, call: (b, [x]) => b.tanh(x!), ref: map1(Math.tanh) },
  identity: { inputs: 1, values: signed, call: (b, [x]) => b.identity(x!), ref: (xs) => xs[0]! },
  reshape: { inputs: 1, values: signed, call: (b, [x]) => b.reshape(x!, [count([...x!.shape])]), ref: (xs) => xs[0]! },
  transpose: { inputs: 1, values: signed, call: (b, [x]) => b.transpose(x!), ref: (xs, s) => transposeRef(xs[0]!, s) },
  concat: { inputs: 1, values: signed, call: (b, [x]) => b.concat([x!, x!], 0), ref: (xs) => [...xs[0]!, ...xs[0]!], param: 'inputs' },
  softmax: {
    inputs: 1, values: (i) => (i % 5) - 2, call: (b, [x], _t, rank) => b.softmax(x!, rank - 1),
    ref: (xs, s) => {
      const last = s[s.length - 1]!;
      const out: number[] = [];
      for (let r = 0; r < xs[0]!.length; r += last) {
        const row = xs[0]!.slice(r, r + last).map(Math.exp);
        const sum = row.reduce((a, b) => a + b, 0);
        out.push(...row.map((v) => v / sum));
      }
      return out;
    },
  },
  matmul: {
    inputs: 2, values: signed, param: 'a',
    call: (b, [x, y]) => b.matmul(x!, b.transpose(y!, { permutation: [...y!.shape.keys()].map((k, _i, all) => (k >= all.length - 2 ? (k === all.length - 2 ? all.length - 1 : all.length - 2) : k)) })),
    ref: (xs, s) => {
      // x·yᵀ over the last two dims of shape s (y transposed in the graph), per batch.
      const [m, k] = [s[s.length - 2]!, s[s.length - 1]!];
      const out: number[] = [];
      for (let base = 0; base < xs[0]!.length; base += m * k) {
        for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
          let acc = 0;
          for (let p = 0; p < k; p++) acc += xs[0]![base + i * k + p]! * xs[1]![base + j * k + p]!;
          out.push(acc);
        }
      }
      return out;
    },
  },
};

async function runOne(ctx: MLContext, name: string, c: Case, t: MLOperandDataType, rank: number, castTo?: MLOperandDataType): Promise<void> {
  const shape = shapeOf(rank);
  const b = new MLGraphBuilder(ctx);
  const values = Array.from({ length: c.inputs }, (_, arg) => Array.from({ length: count(shape) }, (_, i) => c.values(i, arg, t)));
  const xs = values.map((_, arg) => b.input(`x${arg}`, { dataType: t, shape }));
  const y = castTo ? b.cast(xs[0]!, castTo) : c.call(b, xs, t, rank);
  const graph = await b.build({ y });
  const feeds = Object.fromEntries(values.map((v, arg) => [`x${arg}`, toArray(v, t)]));
  const out = (await ctx.compute(graph, feeds)).y!;
  const outType = castTo ?? t;
  const expected = (castTo ? values[0]! : c.ref(values, shape, t)).map((v) => Number(castNumber(v, outType)));
  const actual = fromArray(out.data, outType);
  const tol = outType === 'float16' ? 2e-3 : outType === 'float32' ? 1e-6 : 0;
  actual.forEach((a, i) => {
    const e = expected[i]!;
    assert.ok(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)), `${name} ${t} rank ${rank}: element ${i} is ${a}, expected ${e}`);
  });
  graph.destroy();
}

test('every data type and rank that opSupportLimits() advertises builds, runs and computes', async (t) => {
  const ctx = await ml.createContext();
  const limits = ctx.opSupportLimits() as unknown as Record<string, Limits>;
  for (const [name, c] of Object.entries(cases)) {
    await t.test(name, async () => {
      const lim = limits[name];
      assert.ok(lim, `opSupportLimits() has ${name}`);
      const param = c.param ?? (c.inputs === 2 ? 'a' : 'input');
      const { dataTypes, rankRange } = lim[param]!;
      assert.ok(dataTypes.length > 0);
      for (const dt of dataTypes) {
        for (let rank = Math.max(rankRange.min, name === 'matmul' ? 2 : 0); rank <= Math.min(rankRange.max, MAX_TESTED_RANK); rank++) {
          await runOne(ctx, name, c, dt, rank);
        }
      }
    });
  }
  await t.test('cast between every pair of advertised types', async () => {
    const { dataTypes } = limits.cast!.input!;
    const to = limits.cast!.output!.dataTypes;
    const values: Case = { inputs: 1, values: (i) => i % 4, call: () => { throw new Error('unused'); }, ref: (xs) => xs[0]! };
    for (const from of dataTypes) for (const target of to) await runOne(ctx, 'cast', values, from, 2, target);
  });
});
