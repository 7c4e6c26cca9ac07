// 64-bit integer operands end to end: bigint data beyond 2^53, casts to int64, scalar int64 constants.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MLGraphBuilder, MLContext } from '../../src/index.js';
import { context } from '../support/index.js';

let ctx: MLContext;
before(async () => {
  ctx = await context();
});

describe('int64', () => {
  test('add on BigInt64Array data beyond 2^53', async () => {
    const b = new MLGraphBuilder(ctx);
    const desc = { dataType: 'int64', shape: [3] } as const;
    const graph = await b.build({ s: b.add(b.input('a', desc), b.constant(desc, new BigInt64Array([1n, 7n, -(2n ** 62n)]))) });
    const at = await ctx.createTensor({ ...desc, writable: true });
    const st = await ctx.createTensor({ ...desc, readable: true });
    ctx.writeTensor(at, new BigInt64Array([2n ** 60n, -5n, -(2n ** 62n)]));
    ctx.dispatch(graph, { a: at }, { s: st });
    const out = new BigInt64Array(2 * 3);
    await ctx.readTensor(st, out.subarray(3));
    assert.deepEqual([...out.subarray(3)], [2n ** 60n + 1n, 2n, -(2n ** 63n)]);
  });

  test('cast int32 → int64', async () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'int32', shape: [4] });
    const y = b.cast(x, 'int64');
    assert.equal(y.dataType, 'int64');
    const graph = await b.build({ y });
    const r = await ctx.compute(graph, { x: new Int32Array([0, -1, 2 ** 31 - 1, -(2 ** 31)]) });
    assert.ok(r.y!.data instanceof BigInt64Array);
    assert.deepEqual([...r.y!.data], [0n, -1n, 2n ** 31n - 1n, -(2n ** 31n)]);
  });

  test('a scalar int64 constant from a bigint', async () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'int64', shape: [2] });
    const graph = await b.build({ y: b.mul(x, b.constant('int64', 3n)) });
    const r = await ctx.compute(graph, { x: new BigInt64Array([2n ** 40n, -4n]) });
    assert.deepEqual([...r.y!.data], [3n * 2n ** 40n, -12n]);
  });
});
