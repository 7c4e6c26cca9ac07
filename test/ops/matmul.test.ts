// matmul and gemm: validation, values against a JS matrix product (float16 accumulated in float32, every c
// broadcast, both transposes, beta 0 with non-finite c, batch broadcasting), and every data type and rank
// opSupportLimits() advertises.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MLGraphBuilder, MLContext } from '../../src/index.js';
import { desc, f32, f16, i32, count, sampleValues, assertClose, typeError, context, runGraph, constant } from '../support/index.js';
import { checkAdvertised, signed, floatish, assertLimits, type Case, type Limits } from '../support/limits.js';
import { validationTable, ok, bad, type WptCase } from '../support/wpt.js';

let ctx: MLContext;
before(async () => {
  ctx = await context();
});

describe('validation', () => {
  test('gemm operands are 2-D with matching inner dimensions after the transposes', () => {
    const b = new MLGraphBuilder(ctx);
    const a = b.input('a', f32(3, 4));
    const a3 = b.input('a3', f32(1, 3, 4));
    const b45 = b.input('b', f32(4, 5));
    assert.throws(() => b.gemm(a3, b45, { label: 'g' }), typeError(/^gemm \[g\]: 'a' has rank 3, outside the supported range 2 to 2$/));
    assert.throws(() => b.gemm(a, b45, { aTranspose: true, label: 'g' }), typeError(/^gemm \[g\]: a's columns \(3, of \[4, 3\] transposed\) must equal b's rows \(4, of \[4, 5\]\)$/));
    assert.deepEqual(b.gemm(a, b.input('bt', f32(5, 4)), { bTranspose: true }).shape, [3, 5]);
  });
  test('gemm c is unidirectionally broadcastable to [M, N] and has a\'s type', () => {
    const b = new MLGraphBuilder(ctx);
    const a = b.input('a', f32(3, 4));
    const bb = b.input('b', f32(4, 5));
    for (const shape of [[], [1], [5], [3, 1], [1, 5], [3, 5]]) assert.deepEqual(b.gemm(a, bb, { c: b.input(`c${shape.join('x')}`, f32(...shape)) }).shape, [3, 5]);
    assert.throws(() => b.gemm(a, bb, { c: b.input('c3', f32(3)), label: 'g' }), typeError(/^gemm \[g\]: c of shape \[3\] is not broadcastable to \[3, 5\]$/));
    assert.throws(() => b.gemm(a, bb, { c: b.input('c135', f32(1, 3, 5)) }), typeError(/^gemm: 'c' has rank 3/));
    assert.throws(() => b.gemm(a, bb, { c: b.input('ch', desc('float16', [5])) }), typeError(/^gemm: c \(float16\) must have a's data type \(float32\)$/));
    assert.throws(() => b.gemm(a, b.input('bh', desc('float16', [4, 5]))), typeError(/^gemm: a \(float32\) and b \(float16\) must have the same data type$/));
  });
  test('matmul needs rank ≥ 2 and broadcastable batch dimensions', () => {
    const b = new MLGraphBuilder(ctx);
    const v = b.input('v', f32(4));
    const m = b.input('m', f32(2, 3, 4));
    assert.throws(() => b.matmul(v, m, { label: 'mm' }), typeError(/^matmul \[mm\]: 'a' has rank 1/));
    assert.throws(() => b.matmul(m, b.input('n', f32(3, 4, 5))), typeError(/^matmul: batch dimensions of \[2, 3, 4\] and \[3, 4, 5\] are not broadcastable$/));
    assert.deepEqual(b.matmul(m, b.input('k', f32(5, 1, 4, 6))).shape, [5, 2, 3, 6]);
  });
});

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

describe('values', () => {
  // Partial sums reach 2500 (float16 spacing 2 there) and cancel to 0: accumulating in float16 loses the ones
  // added past 2048, computing in float32 and rounding once gives the exact 0.
  const K = 5000;
  const ones = new Array<number>(K).fill(1);
  const plusMinus = Array.from({ length: K }, (_, i) => (i < K / 2 ? 1 : -1));

  test('matmul float16 accumulates in float32 and rounds once', async () => {
    const out = await runGraph((b, o) => b.matmul(o.a!, o.b!), {
      a: { type: 'float16', shape: [1, K], data: ones }, b: { type: 'float16', shape: [K, 1], data: plusMinus },
    });
    assert.deepEqual(out.data, [0]);
  });

  test('gemm float16 accumulates in float32 and rounds once', async () => {
    const out = await runGraph((b, o) => b.gemm(o.a!, o.b!, { c: o.c!, beta: 0.5 }), {
      a: { type: 'float16', shape: [1, K], data: ones }, b: { type: 'float16', shape: [K, 1], data: plusMinus },
      c: { type: 'float16', shape: [], data: [3] },
    });
    assert.deepEqual(out.data, [1.5]);
  });

  for (const cShape of [[], [1], [4], [3, 1], [1, 4], [3, 4]]) {
    test(`gemm with c of shape [${cShape.join(', ')}], alpha, beta and both transposes`, async () => {
      const [M, K2, N] = [3, 5, 4];
      const a = sampleValues(M * K2, 1);
      const bv = sampleValues(K2 * N, 2);
      const cv = sampleValues(count(cShape), 3);
      const out = await runGraph((b, o) => b.gemm(o.a!, o.b!, { c: o.c!, alpha: 0.5, beta: -2, aTranspose: true, bTranspose: true }), {
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
      const out = await runGraph((b, o) => b.gemm(o.a!, o.b!, { c: o.c!, beta: 0 }), {
        a: { type, shape: [2, 1], data: [1, 2] }, b: { type, shape: [1, 3], data: [1, 2, 3] },
        c: { type, shape: [3], data: [Infinity, NaN, 5] },
      });
      assert.ok(out.data.slice(0, 2).every(Number.isNaN) && out.data.slice(3, 5).every(Number.isNaN), `${type}: ${out.data.join(', ')}`);
      assert.deepEqual([out.data[2], out.data[5]], [3, 6]);
    }
  });

  test('matmul broadcasts a rank-2 a against a rank-4 b', async () => {
    const a = sampleValues(6, 1);
    const bv = sampleValues(2 * 3 * 3 * 2, 2);
    const out = await runGraph((b, o) => b.matmul(o.a!, o.b!), {
      a: { type: 'float32', shape: [2, 3], data: a }, b: { type: 'float32', shape: [2, 3, 3, 2], data: bv },
    });
    assert.deepEqual(out.shape, [2, 3, 2, 2]);
    const expected = Array.from({ length: 6 }, (_, s) => matmul2d(a, bv.slice(s * 6, s * 6 + 6), 2, 3, 2)).flat();
    assertClose(out.data, expected, 1e-6, 'matmul');
  });
});

const table: WptCase[] = [
  ok('gemm', [f32(2, 3), f32(3, 4)], 'float32', [2, 4]),
  bad('gemm', [f32(2, 3), f32(2, 4)]),
  ok('gemm', [f32(2, 3), f32(2, 4), { aTranspose: true }], 'float32', [3, 4]),
  bad('gemm', [f32(2, 3), f32(3, 4), { aTranspose: true }]),
  ok('gemm', [f32(2, 3), f32(4, 3), { bTranspose: true }], 'float32', [2, 4]),
  bad('gemm', [f32(2, 3), f32(3, 4), { bTranspose: true }]),
  bad('gemm', [f32(2, 3, 1), f32(2, 4)]),
  bad('gemm', [f32(2, 4), f32(2, 3, 1)]),
  bad('gemm', [f32(2, 3), f16(3, 4)]),
  ok('gemm', [f32(2, 3), f32(3, 4), { c: f32(4) }], 'float32', [2, 4]),
  ok('gemm', [f32(2, 3), f32(3, 4), { c: f32() }], 'float32', [2, 4]),
  ok('gemm', [f32(2, 3), f32(3, 4), { c: f32(2, 1) }], 'float32', [2, 4]),
  bad('gemm', [f32(2, 3), f32(3, 4), { c: f32(2, 3) }]),
  bad('gemm', [i32(2, 3), i32(3, 4)]),
  bad('gemm', [f32(3, 2), f32(4, 3), { c: f16(2, 4), aTranspose: true, bTranspose: true }]),
  bad('gemm', [f32(3, 2), f32(4, 3), { c: f32(2, 3, 4), aTranspose: true, bTranspose: true }]),
  ok('matmul', [f32(2, 3), f32(3, 4)], 'float32', [2, 4]),
  ok('matmul', [f32(5, 2, 3), f32(3, 4)], 'float32', [5, 2, 4]),
  ok('matmul', [f32(1, 2, 3), f32(6, 3, 4)], 'float32', [6, 2, 4]),
  bad('matmul', [f32(2, 3), f32(2, 4)]),
  bad('matmul', [f32(2, 2, 3), f32(3, 3, 4)]),
  bad('matmul', [f32(2, 3), f16(3, 4)]),
  bad('matmul', [f32(3), f32(3, 4)]),
];
validationTable('matmul', table);

const advertised: Record<string, Case> = {
  gemm: {
    inputs: 2, values: floatish, param: 'a',
    call: (b, [x, y], t) => b.gemm(x!, y!, { bTranspose: true, alpha: 0.5, beta: 2, c: constant(b, t, [], [3]) }),
    ref: (xs, s) => {
      const [m, k] = [s[0]!, s[1]!];
      const out: number[] = [];
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) acc += xs[0]![i * k + p]! * xs[1]![j * k + p]!;
        out.push(0.5 * acc + 6);
      }
      return out;
    },
  },
  matmul: {
    inputs: 2, values: signed, param: 'a', minRank: 2,
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

test('every data type and rank opSupportLimits() advertises for the matmul and gemm operators builds, runs and computes', async (t) => {
  await checkAdvertised(t, advertised);
});

test('opSupportLimits() reports the spec\'s tables for gemm and matmul', () => {
  const limits = ctx.opSupportLimits() as unknown as Record<string, Limits>;
  const floats = ['float32', 'float16'];
  assertLimits(limits, 'gemm', 'a', floats, 2, 2);
  assertLimits(limits, 'gemm', 'c', floats, 0, 2);
  assertLimits(limits, 'matmul', 'b', floats, 2);
});
