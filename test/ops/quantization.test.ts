// quantizeLinear / dequantizeLinear: the spec's validation (TypeError naming the operator and label), int4/uint4
// tensors end to end, and every data type combination opSupportLimits() advertises against a plain-JS reference
// over per-tensor, per-axis and blockwise scales.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { intRange, packNibbles, unpackNibbles } from '../../src/graph/dtypes.js';
import { castNumber } from '../../src/graph/cast.js';
import { MLGraphBuilder, MLOperand, MLContext, type MLOperandDataType } from '../../src/index.js';
import { desc, f32, f16, i32, i8, u8, count, sampleValues, roundHalfEven, toArray, fromArray, typeError, context, runGraph, type TypedArray } from '../support/index.js';
import { validationTable, ok, bad, MAX_BYTES, type WptCase } from '../support/wpt.js';
let ctx: MLContext;
before(async () => {
  ctx = await context();
});

/** Index of the scale element covering input element `i` (blockwise broadcasting). */
function blockIndex(i: number, shape: readonly number[], scaleShape: readonly number[]): number {
  let rem = i;
  let s = 0;
  for (let d = 0; d < shape.length; d++) {
    const inner = count(shape.slice(d + 1));
    const idx = Math.floor(rem / inner);
    rem %= inner;
    const block = shape[d]! / scaleShape[d]!;
    s = s * scaleShape[d]! + Math.floor(idx / block);
  }
  return s;
}

// ---- validation ------------------------------------------------------------------------------------------------

describe('quantizeLinear/dequantizeLinear validation', () => {

  test('scale rank differs from the input rank', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', desc('int8', [4, 6]));
    const s = b.input('s', f32(2));
    const z = b.input('z', desc('int8', [2]));
    assert.throws(() => b.dequantizeLinear(x, s, z, { label: 'dq1' }),
      typeError(/^dequantizeLinear \[dq1\]: scale \(rank 1\) and zeroPoint \(rank 1\) must have the input's rank 2/));
  });

  test('scale dimensions that do not divide the input dimensions', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(4, 6));
    const s = b.input('s', f32(3, 6));
    const z = b.input('z', desc('uint8', [3, 6]));
    assert.throws(() => b.quantizeLinear(x, s, z, { label: 'q' }),
      typeError(/^quantizeLinear \[q\]: scale shape \[3, 6\] is not blockwise broadcastable to the input shape \[4, 6\]/));
    const b2 = new MLGraphBuilder(ctx);
    assert.throws(() => b2.dequantizeLinear(b2.input('x', desc('uint8', [4, 6])), b2.input('s', f32(4, 4)), b2.input('z', desc('uint8', [4, 4]))),
      typeError(/^dequantizeLinear: scale shape \[4, 4\] is not blockwise broadcastable/));
  });

  test('scale and zeroPoint shapes differ', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(4, 6));
    assert.throws(() => b.quantizeLinear(x, b.input('s', f32(2, 3)), b.input('z', desc('int8', [2, 1])), { label: 'q2' }),
      typeError(/^quantizeLinear \[q2\]: scale shape \[2, 3\] and zeroPoint shape \[2, 1\] must be equal/));
  });

  test('zeroPoint type differs from the input type (dequantizeLinear)', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', desc('int8', [4]));
    assert.throws(() => b.dequantizeLinear(x, b.input('s', f32(1)), b.input('z', desc('uint8', [1])), { label: 'zp' }),
      typeError(/^dequantizeLinear \[zp\]: zeroPoint has data type uint8, it must match the input's int8/));
  });

  test('scale type differs from the input type (quantizeLinear)', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(4));
    assert.throws(() => b.quantizeLinear(x, b.input('s', desc('float16', [1])), b.input('z', desc('int8', [1])), { label: 'st' }),
      typeError(/^quantizeLinear \[st\]: scale has data type float16, it must match the input's float32/));
  });

  test('types outside the tensor limits', () => {
    const b = new MLGraphBuilder(ctx);
    const i8 = b.input('i8', desc('int8', [2]));
    const f = b.input('f', f32(2));
    const i64 = b.input('i64', desc('int64', [2]));
    // quantizeLinear takes a float input; dequantizeLinear an integer one and a float scale.
    assert.throws(() => b.quantizeLinear(i8, f, i8, { label: 'a' }),
      typeError(/^quantizeLinear \[a\]: 'input' has data type int8, which is not one of the supported types \(float32, float16\)/));
    assert.throws(() => b.quantizeLinear(f, f, i64, { label: 'b' }), typeError(/^quantizeLinear \[b\]: 'zeroPoint' has data type int64/));
    assert.throws(() => b.dequantizeLinear(f, f, f, { label: 'c' }), typeError(/^dequantizeLinear \[c\]: 'input' has data type float32/));
    assert.throws(() => b.dequantizeLinear(i8, i8, i8, { label: 'd' }), typeError(/^dequantizeLinear \[d\]: 'scale' has data type int8/));
    assert.throws(() => b.dequantizeLinear(i64, f, i64), typeError(/^dequantizeLinear: 'input' has data type int64/));
  });

  test('missing operands', () => {
    const b = new MLGraphBuilder(ctx);
    const f = b.input('f', f32(2));
    assert.throws(() => (b.quantizeLinear as (...a: unknown[]) => MLOperand)(f, f), typeError(/^quantizeLinear: 3 arguments required, but only 2 present/));
  });

  test('int4 operands are refused by operators that do not list them', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', desc('int4', [4]));
    assert.throws(() => b.add(x, x, { label: 'n' }), typeError(/^add \[n\]: 'a' has data type int4, which is not one of the supported types/));
    assert.throws(() => b.cast(b.input('y', f32(4)), 'int4'), typeError(/^cast: output has data type int4/));
  });
});

// ---- int4/uint4 tensors ------------------------------------------------------------------------------------------

describe('int4/uint4 tensors', () => {
  test('descriptors take ceil(elements / 2) bytes', async () => {
    const t = await ctx.createTensor({ dataType: 'int4', shape: [5], writable: true, readable: true });
    assert.throws(() => ctx.writeTensor(t, new Uint8Array(5)), typeError(/buffer has 5 bytes, the descriptor needs 3/));
    const b = new MLGraphBuilder(ctx);
    assert.throws(() => b.constant({ dataType: 'uint4', shape: [2, 3] }, new Uint8Array(6)), typeError(/needs 3/));
    assert.equal(b.constant({ dataType: 'uint4', shape: [2, 3] }, new Uint8Array(3)).dataType, 'uint4');
    t.destroy();
  });

  test('round trip: write packed, read back, dequantize, quantize', async () => {
    const values = [-8, 7, -1, 0, 5];
    const packed = packNibbles(values);
    assert.deepEqual([...packed], [0x78, 0x0f, 0x05]);
    const t = await ctx.createTensor({ dataType: 'int4', shape: [5], writable: true, readable: true });
    ctx.writeTensor(t, packed);
    assert.deepEqual([...new Uint8Array(await ctx.readTensor(t))], [...packed]);

    // dequantize (x - (-1)) * 0.5 from the int4 graph input, then quantize back with another zero point.
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'int4', shape: [5] });
    const scale = b.constant({ dataType: 'float32', shape: [1] }, new Float32Array([0.5]));
    const dq = b.dequantizeLinear(x, scale, b.constant({ dataType: 'int4', shape: [1] }, packNibbles([-1])));
    const q = b.quantizeLinear(dq, scale, b.constant({ dataType: 'int4', shape: [1] }, packNibbles([2])));
    const graph = await b.build({ dq, q });
    const dqOut = await ctx.createTensor({ dataType: 'float32', shape: [5], readable: true });
    const qOut = await ctx.createTensor({ dataType: 'int4', shape: [5], readable: true });
    ctx.dispatch(graph, { x: t }, { dq: dqOut, q: qOut });
    assert.deepEqual([...new Float32Array(await ctx.readTensor(dqOut))], values.map((v) => (v + 1) * 0.5));
    // (v + 1) + 2, saturated to [-8, 7]
    const qBytes = new Uint8Array(await ctx.readTensor(qOut));
    assert.deepEqual([...unpackNibbles('int4', qBytes, 5)], values.map((v) => Math.min(7, Math.max(-8, v + 3))));
    for (const tensor of [t, dqOut, qOut]) tensor.destroy();
    graph.destroy();
  });

  test('quantizeLinear saturates infinities and maps NaN to 0, like the spec\'s cast', async () => {
    for (const zt of ['int8', 'uint8', 'int32', 'uint32', 'int4', 'uint4'] as const) {
      const b = new MLGraphBuilder(ctx);
      const x = b.input('x', { dataType: 'float32', shape: [3] });
      const s = b.constant({ dataType: 'float32', shape: [1] }, new Float32Array([1]));
      const y = b.quantizeLinear(x, s, b.constant({ dataType: zt, shape: [1] }, toArray([3], zt)));
      const graph = await b.build({ y });
      const out = await ctx.compute(graph, { x: new Float32Array([NaN, Infinity, -Infinity]) });
      const { min, max } = intRange(zt);
      assert.deepEqual(fromArray(out.y!.data, zt, 3), [0, Number(max), Number(min)], zt);
      graph.destroy();
    }
  });

  test('uint4 graph input of odd length', async () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'uint4', shape: [3, 1] });
    const scale = b.constant({ dataType: 'float32', shape: [1, 1] }, new Float32Array([2]));
    const y = b.dequantizeLinear(x, scale, b.constant({ dataType: 'uint4', shape: [1, 1] }, packNibbles([3])));
    const graph = await b.build({ y });
    const out = await ctx.compute(graph, { x: packNibbles([15, 0, 9]) });
    assert.deepEqual([...(out.y!.data as Float32Array)], [24, -6, 12]);
    graph.destroy();
  });
});

describe('quantization', () => {
  test('quantizeLinear and dequantizeLinear with a zeroPoint on a blockwise scale', async () => {
    const shape = [4, 6];
    const x = sampleValues(24, 9).map((v, i) => v * 10 + i);
    const scale = [0.5, 2, 0.25, 1]; // [2, 2]: blocks of 2 x 3
    const zp = [10, -3, 0, 7];
    const block = (i: number) => Math.floor(Math.floor(i / 6) / 2) * 2 + Math.floor((i % 6) / 3);
    const q = await runGraph((b, o) => b.quantizeLinear(o.x!, o.s!, o.z!), {
      x: { type: 'float32', shape, data: x }, s: { type: 'float32', shape: [2, 2], data: scale },
      z: { type: 'int8', shape: [2, 2], data: zp },
    });
    const expectedQ = x.map((v, i) => Math.min(127, Math.max(-128, roundHalfEven(v / scale[block(i)]!) + zp[block(i)]!)));
    assert.deepEqual(q.data, expectedQ);
    const dq = await runGraph((b, o) => b.dequantizeLinear(o.q!, o.s!, o.z!), {
      q: { type: 'int8', shape, data: expectedQ }, s: { type: 'float32', shape: [2, 2], data: scale },
      z: { type: 'int8', shape: [2, 2], data: zp },
    });
    assert.deepEqual(dq.data, expectedQ.map((v, i) => (v - zp[block(i)]!) * scale[block(i)]!));
  });
});

const table: WptCase[] = [
  ok('dequantizeLinear', [i8(3, 2, 5), f32(3, 2, 5), i8(3, 2, 5)], 'float32', [3, 2, 5]),
  ok('dequantizeLinear', [u8(6, 4, 5), f32(3, 2, 1), u8(3, 2, 1)], 'float32', [6, 4, 5]),
  ok('dequantizeLinear', [i8(3, 2, 5), f16(1, 1, 5), i8(1, 1, 5)], 'float16', [3, 2, 5]),
  ok('dequantizeLinear', [desc('int4', [2, 4]), f32(2, 2), desc('int4', [2, 2])], 'float32', [2, 4]),
  // spec: scale and zeroPoint must have the input's rank (then blockwise broadcast); older WPT cases accepted
  // shapes [5] and [] for a rank-3 input by unidirectional broadcasting.
  bad('dequantizeLinear', [i8(3, 2, 5), f32(5), i8(5)], 'rank differs from the input'),
  bad('dequantizeLinear', [u8(3, 2, 5), f32(), u8()], 'rank differs from the input'),
  bad('dequantizeLinear', [u8(3, 2, 5), f32(1, 1, 2), u8(1, 1, 2)], 'block size not a factor'),
  bad('dequantizeLinear', [u8(3, 2, 5), f32(1, 1, 5), u8(1, 2, 1)]),
  bad('dequantizeLinear', [i8(3, 2, 5), f32(1, 1, 5), u8(1, 1, 5)]),
  bad('dequantizeLinear', [f16(3, 2, 5), f32(1, 1, 5), i8(1, 1, 5)]),
  bad('dequantizeLinear', [i8(3, 2, 5), f32(1, 1, 5), i32(1, 1, 5)]),
  bad('dequantizeLinear', [u8(3, 2, 5), i32(1, 1, 5), u8(1, 1, 5)]),
  bad('dequantizeLinear', [i8(Math.floor(MAX_BYTES / 5), 5), f32(1, 5), i8(1, 5)], 'output over maxTensorByteLength'),
  ok('quantizeLinear', [f32(3, 2, 5), f32(3, 2, 5), i8(3, 2, 5)], 'int8', [3, 2, 5]),
  ok('quantizeLinear', [f32(6, 4, 5), f32(2, 2, 1), i8(2, 2, 1)], 'int8', [6, 4, 5]),
  ok('quantizeLinear', [f16(6, 4, 5), f16(2, 2, 1), u8(2, 2, 1)], 'uint8', [6, 4, 5]),
  bad('quantizeLinear', [f32(3, 2, 5), f32(5), i8(5)], 'rank differs from the input (older WPT accepted it)'),
  bad('quantizeLinear', [f32(3, 2, 5), f32(2, 1, 5), i8(2, 1, 5)]),
  bad('quantizeLinear', [f32(3, 2, 5), f32(1, 1, 5), i8(1, 2, 5)]),
  bad('quantizeLinear', [f32(3, 2, 5), f16(3, 1, 5), i8(3, 1, 5)]),
  bad('quantizeLinear', [i32(3, 2, 5), f32(1, 1, 5), i8(1, 1, 5)]),
  bad('quantizeLinear', [f32(3, 2, 5), i32(1, 1, 5), u8(1, 1, 5)]),
  bad('quantizeLinear', [f32(3, 2, 5), f32(1, 1, 5), f16(1, 1, 5)]),
];
validationTable('quantization', table);

// ---- every advertised combination against a JS reference ---------------------------------------------------------

/** Input shapes by rank with a scale shape each: per-tensor, per-axis, blockwise on one or several axes, full. */
const SHAPES: { shape: number[]; scale: number[] }[] = [
  { shape: [], scale: [] },
  { shape: [6], scale: [2] },
  { shape: [5], scale: [5] },
  { shape: [4, 6], scale: [4, 1] },
  { shape: [4, 6, 2], scale: [2, 3, 1] },
  { shape: [2, 4, 6, 2], scale: [1, 2, 3, 2] },
  { shape: [2, 3, 1, 4, 2], scale: [1, 1, 1, 1, 1] },
];

/** Integer values spread over the type's range, including both ends. */
function integers(t: MLOperandDataType, n: number, seed: number): number[] {
  const { min, max } = intRange(t);
  const lo = Number(min);
  const span = Number(max) - lo;
  return Array.from({ length: n }, (_, i) => (i === 0 ? lo : i === 1 ? Number(max) : lo + Math.floor((((i * 7919 + seed * 104729) % 1000) / 999) * span)));
}

/** Rounds to the stored value of float type `t`. */
const stored = (v: number, t: MLOperandDataType) => Number(castNumber(v, t));

function closeTo(a: number, e: number, t: MLOperandDataType): boolean {
  if (a === e) return true;
  // One unit in the last place of the output type (the graph computes in float32 and rounds once more to float16).
  const ulp = t === 'float16' ? 2 ** (Math.floor(Math.log2(Math.abs(e))) - 10) : 2 ** (Math.floor(Math.log2(Math.abs(e))) - 23);
  return Math.abs(a - e) <= ulp;
}

type Feeds = Record<string, TypedArray>;

/** Builds scale and zeroPoint as graph inputs or as constants, runs, and returns the output values. */
async function quantOp(op: 'quantizeLinear' | 'dequantizeLinear', asInputs: boolean,
  x: { t: MLOperandDataType; shape: number[]; v: number[] }, s: { t: MLOperandDataType; shape: number[]; v: number[] },
  z: { t: MLOperandDataType; v: number[] }, outType: MLOperandDataType): Promise<number[]> {
  const b = new MLGraphBuilder(ctx);
  const feeds: Feeds = { x: toArray(x.v, x.t) };
  const operand = (name: string, t: MLOperandDataType, shape: number[], v: number[]) => {
    if (!asInputs) return b.constant({ dataType: t, shape }, toArray(v, t));
    feeds[name] = toArray(v, t);
    return b.input(name, { dataType: t, shape });
  };
  const input = b.input('x', { dataType: x.t, shape: x.shape });
  const y = b[op](input, operand('s', s.t, s.shape, s.v), operand('z', z.t, s.shape, z.v));
  assert.equal(y.dataType, outType);
  assert.deepEqual(y.shape, x.shape);
  const graph = await b.build({ y });
  const out = (await ctx.compute(graph, feeds)).y!;
  graph.destroy();
  return fromArray(out.data, outType, count(x.shape));
}

describe('opSupportLimits() truth: quantizeLinear/dequantizeLinear', () => {
  type QLimits = Record<'input' | 'scale' | 'zeroPoint' | 'output', { dataTypes: MLOperandDataType[]; rankRange: { min: number; max: number } }>;
  const limitsOf = (op: string) => (ctx.opSupportLimits() as unknown as Record<string, QLimits>)[op]!;

  test('advertised types are the spec tables plus int4/uint4', () => {
    const dq = limitsOf('dequantizeLinear');
    const q = limitsOf('quantizeLinear');
    const ints = ['uint8', 'int8', 'uint32', 'int32', 'int4', 'uint4'];
    assert.deepEqual(dq.input.dataTypes, ints);
    assert.deepEqual(dq.zeroPoint.dataTypes, ints);
    assert.deepEqual(dq.scale.dataTypes, ['float32', 'float16']);
    assert.deepEqual(q.input.dataTypes, ['float32', 'float16']);
    assert.deepEqual(q.output.dataTypes, ints);
    // 4-bit types appear nowhere but here and at the graph's edges.
    for (const [op, lim] of Object.entries(ctx.opSupportLimits() as unknown as Record<string, QLimits>)) {
      // The context-wide input/constant/output members do list them: graphs take and give 4-bit tensors.
      if (['quantizeLinear', 'dequantizeLinear', 'input', 'constant', 'output'].includes(op) || typeof lim !== 'object' || !lim) continue;
      for (const [param, l] of Object.entries(lim)) {
        if (!l || typeof l !== 'object' || !('dataTypes' in l)) continue;
        assert.ok(!l.dataTypes.includes('int4') && !l.dataTypes.includes('uint4'), `${op}.${param} does not list 4-bit types`);
      }
    }
  });

  test('dequantizeLinear: every input × scale type, ranks 0 to 5', async () => {
    const lim = limitsOf('dequantizeLinear');
    for (const it of lim.input.dataTypes) {
      assert.ok(lim.zeroPoint.dataTypes.includes(it));
      for (const st of lim.scale.dataTypes) {
        for (const [k, { shape, scale }] of SHAPES.entries()) {
          const xs = integers(it, count(shape), k);
          const zs = integers(it, count(scale), k + 3).map((v) => Math.trunc(v / 2));
          const ss = Array.from({ length: count(scale) }, (_, j) => stored(0.1 * (j + 1) + 0.013 * k, st));
          const got = await quantOp('dequantizeLinear', k % 2 === 1, { t: it, shape, v: xs }, { t: st, shape: scale, v: ss }, { t: it, v: zs }, st);
          got.forEach((a, i) => {
            const j = blockIndex(i, shape, scale);
            const e = stored((xs[i]! - zs[j]!) * ss[j]!, st);
            assert.ok(closeTo(a, e, st), `${it}/${st} ${JSON.stringify(shape)}/${JSON.stringify(scale)} element ${i}: ${a}, expected ${e}`);
          });
        }
      }
    }
  });

  test('quantizeLinear: every input × zeroPoint type, ranks 0 to 5, with ties and saturation', async () => {
    const lim = limitsOf('quantizeLinear');
    for (const it of lim.input.dataTypes) {
      assert.ok(lim.scale.dataTypes.includes(it));
      for (const zt of lim.zeroPoint.dataTypes) {
        assert.ok(lim.output.dataTypes.includes(zt));
        const { min, max } = intRange(zt);
        const span = Number(max) - Number(min);
        for (const [k, { shape, scale }] of SHAPES.entries()) {
          // Power-of-two scales keep input / scale exact, so halves stay halves (round to even is observable).
          const ss = Array.from({ length: count(scale) }, (_, j) => 2 ** ((j % 4) - 2));
          const zs = integers(zt, count(scale), k).map((v) => Math.trunc(v / 4));
          const xs = Array.from({ length: count(shape) }, (_, i) => {
            const q = ((i * 7 + k) % 23 - 11) * Math.floor(span / 8) + (i % 2 ? 0.5 : 0);
            return stored(q * ss[blockIndex(i, shape, scale)]!, it);
          });
          const got = await quantOp('quantizeLinear', k % 2 === 0, { t: it, shape, v: xs }, { t: it, shape: scale, v: ss }, { t: zt, v: zs }, zt);
          got.forEach((a, i) => {
            const j = blockIndex(i, shape, scale);
            const e = Math.min(Number(max), Math.max(Number(min), roundHalfEven(xs[i]! / ss[j]!) + zs[j]!));
            assert.equal(a, e, `${it}/${zt} ${JSON.stringify(shape)}/${JSON.stringify(scale)} element ${i} (x ${xs[i]}, scale ${ss[j]}, zeroPoint ${zs[j]})`);
          });
        }
      }
    }
  });
});
