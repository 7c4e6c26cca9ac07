// MLTensor reads: into caller buffers of every kind (BYOB), or a fresh ArrayBuffer each time.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MLGraphBuilder, MLContext, MLGraph, MLTensor } from '../../src/index.js';
import { f32, context, readF32 } from '../support/index.js';

let ctx: MLContext;
before(async () => {
  ctx = await context();
});

describe('readTensor with an output buffer', () => {
  let graph: MLGraph;
  let x: MLTensor;
  let y: MLTensor;
  before(async () => {
    const b = new MLGraphBuilder(ctx);
    graph = await b.build({ y: b.neg(b.input('x', f32(2, 2))) });
    x = await ctx.createTensor({ dataType: 'float32', shape: [2, 2], writable: true });
    y = await ctx.createTensor({ dataType: 'float32', shape: [2, 2], readable: true });
    ctx.writeTensor(x, new Float32Array([1, -2, 3.5, 0]));
    ctx.dispatch(graph, { x }, { y });
  });

  test('into a Float32Array; resolves undefined', async () => {
    const out = new Float32Array(4).fill(99);
    const r = await ctx.readTensor(y, out);
    assert.equal(r, undefined);
    assert.deepEqual([...out], [-1, 2, -3.5, -0]);
    assert.ok(Object.is(out[3], -0));
  });

  test('into an ArrayBuffer', async () => {
    const out = new ArrayBuffer(16);
    await ctx.readTensor(y, out);
    assert.deepEqual([...new Float32Array(out)], [-1, 2, -3.5, -0]);
  });

  test('into a Uint8Array view at an offset of a larger buffer, leaving the rest alone', async () => {
    const backing = new Uint8Array(24).fill(0xee);
    const view = backing.subarray(4, 20);
    await ctx.readTensor(y, view);
    assert.deepEqual([...backing.subarray(0, 4)], [0xee, 0xee, 0xee, 0xee]);
    assert.deepEqual([...backing.subarray(20)], [0xee, 0xee, 0xee, 0xee]);
    assert.deepEqual([...new Float32Array(backing.slice(4, 20).buffer)], [-1, 2, -3.5, -0]);
  });

  test('into a SharedArrayBuffer', async () => {
    const out = new SharedArrayBuffer(16);
    await ctx.readTensor(y, out);
    assert.deepEqual([...new Float32Array(out)], [-1, 2, -3.5, -0]);
  });

  test('readTensor without a buffer returns a fresh ArrayBuffer each time', async () => {
    const a = await ctx.readTensor(y);
    const b = await ctx.readTensor(y);
    assert.ok(a instanceof ArrayBuffer);
    assert.notEqual(a, b);
    new Float32Array(a).fill(7);
    assert.deepEqual(await readF32(ctx, y), [-1, 2, -3.5, -0]);
  });
});
