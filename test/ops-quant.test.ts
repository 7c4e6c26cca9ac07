// quantizeLinear / dequantizeLinear: the spec's validation (TypeError naming the operator and label), int4/uint4
// tensors end to end, and every data type combination opSupportLimits() advertises against a plain-JS reference
// over per-tensor, per-axis and blockwise scales.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ml, MLGraphBuilder, type MLContext, type MLOperand, type MLOperandDataType } from '../src/index.js';
import { DTYPES, intRange, packNibbles, unpackNibbles, type TypedArray } from '../src/graph/dtypes.js';
import { fromFloat16Bits, toFloat16Bits } from '../src/graph/float16.js';
import { castNumber } from '../src/graph/cast.js';

let ctx: MLContext;
before(async () => {
  ctx = await ml.createContext();
});

function typeError(message: RegExp) {
  return (err: unknown): true => {
    assert.ok(err instanceof TypeError && !(err instanceof DOMException), `expected a TypeError, got ${String(err)}`);
    assert.match(err.message, message);
    return true;
  };
}

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** `values` as the buffer the API takes for `t` (float16 as bits, 4-bit types packed). */
function encode(values: readonly number[], t: MLOperandDataType): TypedArray {
  const d = DTYPES[t];
  if (d.bits < 8) return packNibbles(values);
  const out = new d.array(values.length);
  values.forEach((v, i) => {
    if (d.big) (out as BigInt64Array)[i] = BigInt(v);
    else if (t === 'float16') (out as Uint16Array)[i] = toFloat16Bits(v);
    else (out as Float32Array)[i] = v;
  });
  return out;
}

function decode(data: TypedArray, t: MLOperandDataType, n: number): number[] {
  if (DTYPES[t].bits < 8) return Array.from(unpackNibbles(t, data as Uint8Array, n));
  return Array.from(data as ArrayLike<number>).map((v) => (t === 'float16' ? fromFloat16Bits(v) : Number(v)));
}

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

const roundEven = (x: number) => {
  const f = Math.floor(x);
  const r = x - f;
  return r > 0.5 || (r === 0.5 && f % 2 !== 0) ? f + 1 : f;
};

// ---- validation ------------------------------------------------------------------------------------------------

describe('quantizeLinear/dequantizeLinear validation', () => {
  const f32 = (shape: number[]) => ({ dataType: 'float32' as const, shape });
  const typed = (dataType: MLOperandDataType, shape: number[]) => ({ dataType, shape });

  test('scale rank differs from the input rank', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', typed('int8', [4, 6]));
    const s = b.input('s', f32([2]));
    const z = b.input('z', typed('int8', [2]));
    assert.throws(() => b.dequantizeLinear(x, s, z, { label: 'dq1' }),
      typeError(/^dequantizeLinear \[dq1\]: scale \(rank 1\) and zeroPoint \(rank 1\) must have the input's rank 2/));
  });

  test('scale dimensions that do not divide the input dimensions', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32([4, 6]));
    const s = b.input('s', f32([3, 6]));
    const z = b.input('z', typed('uint8', [3, 6]));
    assert.throws(() => b.quantizeLinear(x, s, z, { label: 'q' }),
      typeError(/^quantizeLinear \[q\]: scale shape \[3, 6\] is not blockwise broadcastable to the input shape \[4, 6\]/));
    const b2 = new MLGraphBuilder(ctx);
    assert.throws(() => b2.dequantizeLinear(b2.input('x', typed('uint8', [4, 6])), b2.input('s', f32([4, 4])), b2.input('z', typed('uint8', [4, 4]))),
      typeError(/^dequantizeLinear: scale shape \[4, 4\] is not blockwise broadcastable/));
  });

  test('scale and zeroPoint shapes differ', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32([4, 6]));
    assert.throws(() => b.quantizeLinear(x, b.input('s', f32([2, 3])), b.input('z', typed('int8', [2, 1])), { label: 'q2' }),
      typeError(/^quantizeLinear \[q2\]: scale shape \[2, 3\] and zeroPoint shape \[2, 1\] must be equal/));
  });

  test('zeroPoint type differs from the input type (dequantizeLinear)', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', typed('int8', [4]));
    assert.throws(() => b.dequantizeLinear(x, b.input('s', f32([1])), b.input('z', typed('uint8', [1])), { label: 'zp' }),
      typeError(/^dequantizeLinear \[zp\]: zeroPoint has data type uint8, it must match the input's int8/));
  });

  test('scale type differs from the input type (quantizeLinear)', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32([4]));
    assert.throws(() => b.quantizeLinear(x, b.input('s', typed('float16', [1])), b.input('z', typed('int8', [1])), { label: 'st' }),
      typeError(/^quantizeLinear \[st\]: scale has data type float16, it must match the input's float32/));
  });

  test('types outside the tensor limits', () => {
    const b = new MLGraphBuilder(ctx);
    const i8 = b.input('i8', typed('int8', [2]));
    const f = b.input('f', f32([2]));
    const i64 = b.input('i64', typed('int64', [2]));
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
    const f = b.input('f', f32([2]));
    assert.throws(() => (b.quantizeLinear as (...a: unknown[]) => MLOperand)(f, f), typeError(/^quantizeLinear: argument 'zeroPoint' is required/));
  });

  test('int4 operands are refused by operators that do not list them', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', typed('int4', [4]));
    assert.throws(() => b.add(x, x, { label: 'n' }), typeError(/^add \[n\]: 'a' has data type int4, which is not one of the supported types/));
    assert.throws(() => b.cast(b.input('y', f32([4])), 'int4'), typeError(/^cast: output has data type int4/));
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
