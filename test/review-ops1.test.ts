// Review of the element-wise, logical, where, activation, reduction, shaping and movement operators against the
// spec: validation corner cases the shared cases do not reach, and value checks against JS references with
// parameters the WPT sample does not use (NaN, integer overflow, 64-bit values beyond 2^53).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ml, MLGraphBuilder, type MLContext, type MLOperand, type MLOperandDataType } from '../src/index.js';

let ctx: MLContext;
before(async () => {
  ctx = await ml.createContext();
});

/** A plain TypeError whose message starts with "op [label]: " and matches `message`. */
function typeError(op: string, label: string, message: RegExp) {
  return (err: unknown): true => {
    assert.ok(err instanceof TypeError && !(err instanceof DOMException), `expected a TypeError, got ${String(err)}`);
    assert.ok(err.message.startsWith(`${op} [${label}]: `), `message "${err.message}" does not name ${op} [${label}]`);
    assert.match(err.message, message);
    return true;
  };
}

type Value = number | bigint;
interface Input { dataType: MLOperandDataType; shape: number[]; values: Value[] }

const ARRAYS = {
  float32: Float32Array, int32: Int32Array, uint32: Uint32Array, int64: BigInt64Array, uint64: BigUint64Array,
  int8: Int8Array, uint8: Uint8Array,
} as const;

/** Builds f over graph inputs x0, x1, ... and returns the output's shape and values (64-bit ones as bigint). */
async function run(inputs: Input[], f: (b: MLGraphBuilder, ...xs: MLOperand[]) => MLOperand): Promise<{ shape: number[]; data: Value[] }> {
  const b = new MLGraphBuilder(ctx);
  const xs = inputs.map((x, i) => b.input(`x${i}`, { dataType: x.dataType, shape: x.shape }));
  const graph = await b.build({ y: f(b, ...xs) });
  const feeds = Object.fromEntries(inputs.map((x, i) => {
    const Arr = ARRAYS[x.dataType as keyof typeof ARRAYS];
    const big = Arr === BigInt64Array || Arr === BigUint64Array;
    return [`x${i}`, new (Arr as unknown as new (v: Value[]) => ArrayBufferView)(x.values.map((v) => (big ? BigInt(v) : Number(v))))];
  }));
  const y = (await ctx.compute(graph, feeds)).y!;
  return { shape: [...y.shape], data: Array.from(y.data as ArrayLike<Value>) };
}

describe('output descriptors', () => {
  test('an output whose element count exceeds 2^31 - 1 is a TypeError even when every dimension is valid', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'float32', shape: [1, 1] });
    assert.throws(() => b.expand(x, [65536, 65536], { label: 'e' }), typeError('expand', 'e', /element/));
    assert.throws(() => b.tile(x, [65536, 65536], { label: 't' }), typeError('tile', 't', /element/));
    assert.throws(() => b.pad(x, [0, 0], [65535, 65535], { label: 'p' }), typeError('pad', 'p', /element/));
    const y = b.input('y', { dataType: 'float32', shape: [65536, 1] });
    const z = b.input('z', { dataType: 'float32', shape: [1, 65536] });
    assert.throws(() => b.add(y, z, { label: 'a' }), typeError('add', 'a', /element/));
    // 2^30 int64 elements are 2^33 bytes, over the 2^32 maxTensorByteLength tsnn reports.
    const w = b.input('w', { dataType: 'int8', shape: [1, 1] });
    assert.throws(() => b.cast(b.expand(w, [32768, 32768]), 'int64', { label: 'c' }), typeError('cast', 'c', /byte length/));
  });
});

describe('NaN in order-based reductions', () => {
  // max() and min() propagate NaN; their reductions must too, wherever the NaN sits (onnxruntime's ReduceMax drops
  // a NaN that follows a number), and argMin/argMax must point at the first NaN, where the reduced value came from.
  const x: Input = { dataType: 'float32', shape: [3, 3], values: [NaN, 1, 2, 3, NaN, NaN, 4, 5, 6] };
  test('reduceMax and reduceMin are NaN where any reduced element is NaN', async () => {
    for (const op of ['reduceMax', 'reduceMin'] as const) {
      const rows = await run([x], (b, v) => b[op](v, { axes: [1] }));
      assert.deepEqual(rows, { shape: [3], data: [NaN, NaN, op === 'reduceMax' ? 6 : 4] }, op);
      const columns = await run([x], (b, v) => b[op](v, { axes: [0], keepDimensions: true }));
      assert.deepEqual(columns, { shape: [1, 3], data: [NaN, NaN, NaN] }, op);
    }
    const f16 = await run([{ ...x, dataType: 'float32' }], (b, v) => b.cast(b.reduceMax(b.cast(v, 'float16'), { axes: [1] }), 'float32'));
    assert.deepEqual(f16, { shape: [3], data: [NaN, NaN, 6] });
  });
  test('argMin and argMax give the index of the first NaN', async () => {
    for (const op of ['argMin', 'argMax'] as const) {
      const rows = await run([x], (b, v) => b[op](v, 1));
      assert.deepEqual(rows, { shape: [3], data: [0, 1, op === 'argMax' ? 2 : 0] }, op);
    }
  });
});
