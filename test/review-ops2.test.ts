// Spec-faithfulness review of convolution, pooling, resample2d, normalization, matmul/gemm, the gather family,
// quantization and recurrent networks: edge cases the conformance sample does not reach, each checked against a
// plain-JS reference of the spec's semantics (values) or the TypeError the spec's steps require.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ml, MLGraphBuilder, type MLContext } from '../src/index.js';
import { count, fromArray, toArray, runGraph, type Feed, type GraphOf } from './support/limits.js';

let ctx: MLContext;
before(async () => {
  ctx = await ml.createContext();
});


const run = (build: GraphOf, inputs: Record<string, Feed>) => runGraph(ctx, build, inputs);

/** `values` rounded once to float16 (the spec's result of a float16 operator computed exactly). */
const f16 = (values: number[]) => fromArray(toArray(values, 'float16'), 'float16');

function assertClose(actual: number[], expected: number[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    assert.ok(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)), `${what}: element ${i} is ${a}, expected ${e}`);
  });
}

function typeError(prefix: string, message: RegExp) {
  return (err: unknown): true => {
    assert.ok(err instanceof TypeError, `expected a TypeError, got ${String(err)}`);
    assert.ok(err.message.startsWith(prefix), `message starts with ${prefix}: ${err.message}`);
    assert.match(err.message, message);
    return true;
  };
}

const vals = (n: number, seed = 1) => Array.from({ length: n }, (_, i) => (((i * 7 + seed * 13) % 16) - 8) / 4);

/** Row-major [M, K] x [K, N]. */
function matmul2d(a: number[], b: number[], M: number, K: number, N: number): number[] {
  const out: number[] = [];
  for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) {
    let acc = 0;
    for (let k = 0; k < K; k++) acc += a[m * K + k]! * b[k * N + n]!;
    out.push(acc);
  }
  return out;
}
const transpose2d = (x: number[], R: number, C: number) => Array.from({ length: R * C }, (_, i) => x[(i % R) * C + Math.floor(i / R)]!);

// ---- matmul / gemm ----------------------------------------------------------------------------------------------

describe('matmul and gemm', () => {
  // Partial sums reach 2500 (float16 spacing 2 there) and cancel to 0: accumulating in float16 loses the ones
  // added past 2048, computing in float32 and rounding once gives the exact 0.
  const K = 5000;
  const ones = new Array<number>(K).fill(1);
  const plusMinus = Array.from({ length: K }, (_, i) => (i < K / 2 ? 1 : -1));

  test('matmul float16 accumulates in float32 and rounds once', async () => {
    const out = await run((b, o) => b.matmul(o.a!, o.b!), {
      a: { type: 'float16', shape: [1, K], data: ones }, b: { type: 'float16', shape: [K, 1], data: plusMinus },
    });
    assert.deepEqual(out.data, [0]);
  });

  test('gemm float16 accumulates in float32 and rounds once', async () => {
    const out = await run((b, o) => b.gemm(o.a!, o.b!, { c: o.c!, beta: 0.5 }), {
      a: { type: 'float16', shape: [1, K], data: ones }, b: { type: 'float16', shape: [K, 1], data: plusMinus },
      c: { type: 'float16', shape: [], data: [3] },
    });
    assert.deepEqual(out.data, [1.5]);
  });

  for (const cShape of [[], [1], [4], [3, 1], [1, 4], [3, 4]]) {
    test(`gemm with c of shape [${cShape.join(', ')}], alpha, beta and both transposes`, async () => {
      const [M, K2, N] = [3, 5, 4];
      const a = vals(M * K2, 1);
      const bv = vals(K2 * N, 2);
      const cv = vals(count(cShape), 3);
      const out = await run((b, o) => b.gemm(o.a!, o.b!, { c: o.c!, alpha: 0.5, beta: -2, aTranspose: true, bTranspose: true }), {
        a: { type: 'float32', shape: [K2, M], data: transpose2d(a, M, K2) },
        b: { type: 'float32', shape: [N, K2], data: transpose2d(bv, K2, N) },
        c: { type: 'float32', shape: cShape, data: cv },
      });
      const prod = matmul2d(a, bv, M, K2, N);
      const cAt = (m: number, n: number) => {
        const r = cShape.length;
        if (r === 0) return cv[0]!;
        if (r === 1) return cv[cShape[0] === 1 ? 0 : n]!;
        return cv[(cShape[0] === 1 ? 0 : m) * cShape[1]! + (cShape[1] === 1 ? 0 : n)]!;
      };
      assert.deepEqual(out.shape, [M, N]);
      assertClose(out.data, prod.map((p, i) => 0.5 * p - 2 * cAt(Math.floor(i / N), i % N)), 1e-6, 'gemm');
    });
  }

  test('gemm with beta 0 still computes beta * c (0 * Infinity and 0 * NaN are NaN)', async () => {
    for (const type of ['float32', 'float16'] as const) {
      const out = await run((b, o) => b.gemm(o.a!, o.b!, { c: o.c!, beta: 0 }), {
        a: { type, shape: [2, 1], data: [1, 2] }, b: { type, shape: [1, 3], data: [1, 2, 3] },
        c: { type, shape: [3], data: [Infinity, NaN, 5] },
      });
      assert.ok(out.data.slice(0, 2).every(Number.isNaN) && out.data.slice(3, 5).every(Number.isNaN), `${type}: ${out.data.join(', ')}`);
      assert.deepEqual([out.data[2], out.data[5]], [3, 6]);
    }
  });

  test('matmul broadcasts a rank-2 a against a rank-4 b', async () => {
    const a = vals(6, 1);
    const bv = vals(2 * 3 * 3 * 2, 2);
    const out = await run((b, o) => b.matmul(o.a!, o.b!), {
      a: { type: 'float32', shape: [2, 3], data: a }, b: { type: 'float32', shape: [2, 3, 3, 2], data: bv },
    });
    assert.deepEqual(out.shape, [2, 3, 2, 2]);
    const expected = Array.from({ length: 6 }, (_, s) => matmul2d(a, bv.slice(s * 6, s * 6 + 6), 2, 3, 2)).flat();
    assertClose(out.data, expected, 1e-6, 'matmul');
  });
});

// ---- normalization ------------------------------------------------------------------------------------------------

describe('normalization', () => {
  test('layerNormalization over non-trailing, unsorted axes with scale and bias in axes order (float16)', async () => {
    const shape = [3, 2, 4];
    const x = vals(24, 5).map((v, i) => v + i / 8);
    const axes = [2, 0];
    const scale = vals(12, 2); // shape [4, 3]: [x.shape[2], x.shape[0]]
    const bias = vals(12, 3);
    for (const type of ['float32', 'float16'] as const) {
      const out = await run((b, o) => b.layerNormalization(o.x!, { axes, scale: o.s!, bias: o.b!, epsilon: 1e-3 }), {
        x: { type, shape, data: x }, s: { type, shape: [4, 3], data: scale }, b: { type, shape: [4, 3], data: bias },
      });
      const xin = type === 'float16' ? f16(x) : x;
      const sIn = type === 'float16' ? f16(scale) : scale;
      const bIn = type === 'float16' ? f16(bias) : bias;
      const expected: number[] = new Array(24);
      for (let j = 0; j < 2; j++) {
        const pos: number[] = [];
        for (let i = 0; i < 3; i++) for (let k = 0; k < 4; k++) pos.push((i * 2 + j) * 4 + k);
        const mean = pos.reduce((s, p) => s + xin[p]!, 0) / pos.length;
        const variance = pos.reduce((s, p) => s + (xin[p]! - mean) ** 2, 0) / pos.length;
        const eps = type === 'float16' ? f16([1e-3])[0]! : Math.fround(1e-3);
        for (let i = 0; i < 3; i++) for (let k = 0; k < 4; k++) {
          const p = (i * 2 + j) * 4 + k;
          expected[p] = ((xin[p]! - mean) / Math.sqrt(variance + eps)) * sIn[k * 3 + i]! + bIn[k * 3 + i]!;
        }
      }
      assertClose(out.data, type === 'float16' ? f16(expected) : expected, type === 'float16' ? 1e-3 : 1e-5, type);
    }
  });

  test('batchNormalization on the last axis (nhwc)', async () => {
    const shape = [2, 2, 3, 4];
    const x = vals(48, 7);
    const mean = [0.5, -0.25, 1, 0];
    const variance = [1, 0.25, 4, 2];
    const scale = [2, -1, 0.5, 1];
    const bias = [0, 1, -1, 0.25];
    const out = await run((b, o) => b.batchNormalization(o.x!, o.m!, o.v!, { axis: 3, scale: o.s!, bias: o.b! }), {
      x: { type: 'float32', shape, data: x }, m: { type: 'float32', shape: [4], data: mean },
      v: { type: 'float32', shape: [4], data: variance }, s: { type: 'float32', shape: [4], data: scale },
      b: { type: 'float32', shape: [4], data: bias },
    });
    const eps = Math.fround(1e-5);
    assertClose(out.data, x.map((v, i) => {
      const c = i % 4;
      return ((v - mean[c]!) / Math.sqrt(variance[c]! + eps)) * scale[c]! + bias[c]!;
    }), 1e-5, 'batchNormalization');
  });
});

// ---- gather family ------------------------------------------------------------------------------------------------

describe('gather family', () => {
  test('gather on axis 2 of a rank-4 input with rank-2 (negative) indices', async () => {
    const shape = [2, 3, 4, 2];
    const x = Array.from({ length: 48 }, (_, i) => i);
    const idx = [3, -1, 0, 1, -4, 2];
    const out = await run((b, o) => b.gather(o.x!, o.i!, { axis: 2 }), {
      x: { type: 'float32', shape, data: x }, i: { type: 'int32', shape: [2, 3], data: idx },
    });
    assert.deepEqual(out.shape, [2, 3, 2, 3, 2]);
    const expected: number[] = [];
    for (let a = 0; a < 2; a++) for (let c = 0; c < 3; c++) for (const j of idx) for (let d = 0; d < 2; d++) {
      const k = j < 0 ? j + 4 : j;
      expected.push(((a * 3 + c) * 4 + k) * 2 + d);
    }
    assert.deepEqual(out.data, expected);
  });

  test('gatherND with rank-3 indices', async () => {
    const shape = [3, 4, 2];
    const x = Array.from({ length: 24 }, (_, i) => i * 10);
    const idx = [0, 1, 2, 3, 1, 0, 2, 2, -1, -1, 0, 0]; // [2, 3, 2]
    const out = await run((b, o) => b.gatherND(o.x!, o.i!), {
      x: { type: 'int32', shape, data: x }, i: { type: 'int64', shape: [2, 3, 2], data: idx },
    });
    assert.deepEqual(out.shape, [2, 3, 2]);
    const expected: number[] = [];
    for (let p = 0; p < 6; p++) {
      const r = (idx[2 * p]! + 3) % 3;
      const c = (idx[2 * p + 1]! + 4) % 4;
      expected.push(x[(r * 4 + c) * 2]!, x[(r * 4 + c) * 2 + 1]!);
    }
    assert.deepEqual(out.data, expected);
  });
});

// ---- quantization -------------------------------------------------------------------------------------------------

describe('quantization', () => {
  test('quantizeLinear and dequantizeLinear with a zeroPoint on a blockwise scale', async () => {
    const shape = [4, 6];
    const x = vals(24, 9).map((v, i) => v * 10 + i);
    const scale = [0.5, 2, 0.25, 1]; // [2, 2]: blocks of 2 x 3
    const zp = [10, -3, 0, 7];
    const block = (i: number) => Math.floor(Math.floor(i / 6) / 2) * 2 + Math.floor((i % 6) / 3);
    const roundEven = (v: number) => {
      const r = Math.round(v);
      return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
    };
    const q = await run((b, o) => b.quantizeLinear(o.x!, o.s!, o.z!), {
      x: { type: 'float32', shape, data: x }, s: { type: 'float32', shape: [2, 2], data: scale },
      z: { type: 'int8', shape: [2, 2], data: zp },
    });
    const expectedQ = x.map((v, i) => Math.min(127, Math.max(-128, roundEven(v / scale[block(i)]!) + zp[block(i)]!)));
    assert.deepEqual(q.data, expectedQ);
    const dq = await run((b, o) => b.dequantizeLinear(o.q!, o.s!, o.z!), {
      q: { type: 'int8', shape, data: expectedQ }, s: { type: 'float32', shape: [2, 2], data: scale },
      z: { type: 'int8', shape: [2, 2], data: zp },
    });
    assert.deepEqual(dq.data, expectedQ.map((v, i) => (v - zp[block(i)]!) * scale[block(i)]!));
  });
});

// ---- what the spec allows -----------------------------------------------------------------------------------------

describe('accepted option forms', () => {
  test('sequence options given as any iterable, and undefined members take their defaults', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'float32', shape: [1, 2, 5, 5] });
    const w = b.input('w', { dataType: 'float32', shape: [2, 1, 3, 3] });
    function* two() { yield 2; yield 2; }
    const y = b.conv2d(x, w, { padding: new Set([1]).size ? [1, 1, 1, 1].values() as unknown as number[] : [], strides: two() as unknown as number[], dilations: undefined, groups: 2, bias: undefined });
    assert.deepEqual([...y.shape], [1, 2, 3, 3]);
    const p = b.maxPool2d(x, { windowDimensions: new Set([2, 3]) as unknown as number[], outputSizes: undefined, padding: undefined });
    assert.deepEqual([...p.shape], [1, 2, 4, 3]);
    const t = b.convTranspose2d(x, b.input('wt', { dataType: 'float32', shape: [2, 1, 3, 3] }),
      { strides: [2, 2], outputSizes: [12, 11], outputPadding: [5, 5], groups: 2 });
    // outputPadding is ignored (not validated against strides) when outputSizes is given.
    assert.deepEqual([...t.shape], [1, 2, 12, 11]);
  });
});

// ---- maxPool2d on 64-bit integers -----------------------------------------------------------------------------------

describe('maxPool2d on every data type', () => {
  test('opSupportLimits() lists every data type for maxPool2d, as the spec table does ("any")', () => {
    const limits = ctx.opSupportLimits() as unknown as Record<string, Record<string, { dataTypes: string[] }>>;
    const all = ['float32', 'float16', 'int32', 'uint32', 'int64', 'uint64', 'int8', 'uint8'];
    assert.deepEqual([...limits.maxPool2d!.input!.dataTypes].sort(), [...all].sort());
    assert.deepEqual([...limits.maxPool2d!.output!.dataTypes].sort(), [...all].sort());
  });

  for (const dataType of ['int64', 'uint64'] as const) {
    test(`${dataType} max pooling is exact beyond 2^53, with padding, strides, dilations, ceil rounding and nhwc`, async () => {
      const [H, W, C] = [3, 5, 2];
      const big = dataType === 'int64' ? [2n ** 62n + 1n, 2n ** 62n, -(2n ** 63n) + 3n, 2n ** 63n - 1n, -5n, 2n ** 53n + 1n, 2n ** 53n]
        : [2n ** 64n - 1n, 2n ** 64n - 2n, 2n ** 63n + 1n, 2n ** 63n, 0n, 2n ** 53n + 1n, 2n ** 53n];
      const wrap = (v: bigint) => (dataType === 'int64' ? BigInt.asIntN(64, v) : BigInt.asUintN(64, v));
      const x = Array.from({ length: H * W * C }, (_, i) => wrap(big[(i * 3) % big.length]! + BigInt(i % 2)));
      const opts = { windowDimensions: [2, 2], strides: [2, 1], dilations: [1, 2], padding: [1, 0, 0, 1], outputShapeRounding: 'ceil' as const, layout: 'nhwc' as const };
      const b = new MLGraphBuilder(ctx);
      const y = b.maxPool2d(b.input('x', { dataType, shape: [1, H, W, C] }), opts);
      // height ceil((3 - 2 + 1) / 2 + 1) = 2, width (5 - 3 + 1) / 1 + 1 = 4
      assert.deepEqual([...y.shape], [1, 2, 4, C]);
      const graph = await b.build({ y });
      const arr = dataType === 'int64' ? BigInt64Array.from(x) : BigUint64Array.from(x);
      const out = [...((await ctx.compute(graph, { x: arr })).y!.data as BigInt64Array | BigUint64Array)];
      const lowest = dataType === 'int64' ? -(2n ** 63n) : 0n;
      const expected: bigint[] = [];
      for (let oh = 0; oh < 2; oh++) for (let ow = 0; ow < 4; ow++) for (let c = 0; c < C; c++) {
        let m = lowest;
        for (let kh = 0; kh < 2; kh++) for (let kw = 0; kw < 2; kw++) {
          const ih = oh * 2 - 1 + kh;
          const iw = ow + kw * 2;
          if (ih < 0 || ih >= H || iw >= W) continue;
          const v = x[(ih * W + iw) * C + c]!;
          if (v > m) m = v;
        }
        expected.push(m);
      }
      assert.deepEqual(out, expected);
    });
  }
});

// ---- output descriptors are checked like any other ("check dimensions": element count and byte length) ------------

describe('outputs too large to exist', () => {
  test('an output whose element count or byte length is beyond the limits throws a TypeError', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'float32', shape: [1, 1, 2, 2] });
    assert.throws(() => b.resample2d(x, { sizes: [65536, 65536], label: 'lbl' }),
      typeError('resample2d [lbl]: ', /output shape \[1, 1, 65536, 65536\] has 4294967296 elements/));
    const big = b.input('big', { dataType: 'float32', shape: [4096, 4096] });
    const idx = b.input('idx', { dataType: 'int32', shape: [4096, 65] });
    assert.throws(() => b.gather(big, idx, { label: 'lbl' }), typeError('gather [lbl]: ', /has 1090519040 elements.*byte length/));
    const w = b.input('w', { dataType: 'float32', shape: [1, 1, 1, 1] });
    assert.throws(() => b.convTranspose2d(x, w, { strides: [40000, 40000], label: 'lbl' }),
      typeError('convTranspose2d [lbl]: ', /output shape \[1, 1, 40001, 40001\] has 1600080001 elements.*byte length/));
  });
});

// ---- WebIDL conversions of unsigned long arguments ------------------------------------------------------------------

describe('[EnforceRange] unsigned long converts like WebIDL (ToNumber, then range check)', () => {
  test('null is 0 and objects convert through valueOf; NaN and out-of-range values throw', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'float32', shape: [3, 4] });
    const idx = b.input('idx', { dataType: 'int32', shape: [2] });
    assert.deepEqual([...b.gather(x, idx, { axis: null as unknown as number }).shape], [2, 4]);
    assert.deepEqual([...b.gather(x, idx, { axis: { valueOf: () => 1 } as unknown as number }).shape], [3, 2]);
    assert.deepEqual([...b.gather(x, idx, { axis: [1] as unknown as number }).shape], [3, 2]);
    assert.throws(() => b.gather(x, idx, { axis: {} as unknown as number, label: 'lbl' }), typeError('gather [lbl]: ', /axis must be a finite number/));
    assert.throws(() => b.gather(x, idx, { axis: -1, label: 'lbl' }), typeError('gather [lbl]: ', /axis -1 is out of the unsigned long range/));
  });
});

// ---- WebIDL conversions of enum values ------------------------------------------------------------------------------

describe('enum arguments convert like WebIDL (ToString, then membership)', () => {
  test('a String object or an object with toString is its string; undefined inside a sequence is not a default', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'float32', shape: [1, 1, 2, 2] });
    const linear = b.resample2d(x, { mode: new String('linear') as unknown as 'linear', sizes: [3, 3] });
    assert.deepEqual([...linear.shape], [1, 1, 3, 3]);
    const nhwc = b.averagePool2d(x, { layout: { toString: () => 'nhwc' } as unknown as 'nhwc' });
    assert.deepEqual([...nhwc.shape], [1, 1, 1, 2]);
    const input = b.input('in', { dataType: 'float32', shape: [2, 1, 3] });
    const w = b.input('w', { dataType: 'float32', shape: [1, 6, 3] });
    const r = b.input('r', { dataType: 'float32', shape: [1, 6, 2] });
    assert.throws(() => b.gru(input, w, r, 2, 2, { activations: [undefined, 'tanh'] as unknown as ['sigmoid', 'tanh'], label: 'lbl' }),
      typeError('gru [lbl]: ', /activations\[0\] 'undefined' is not one of relu, sigmoid, tanh/));
  });
});
