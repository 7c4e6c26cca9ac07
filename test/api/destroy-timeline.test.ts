// The spec's timeline for destroy(): a tensor or graph destroyed right after dispatch() keeps its memory until the
// work queued before has run, so that dispatch computes; pending reads of a destroyed tensor reject with
// InvalidStateError; a failed dispatch marks every output; misuse gives the spec's error types.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ml, MLGraphBuilder, type MLContext, type MLGraph } from '../../src/index.js';

const desc = { dataType: 'float32', shape: [4] } as const;
const f32 = (t: ArrayBuffer) => [...new Float32Array(t)];

function domError(name: string) {
  return (err: unknown): true => {
    assert.ok(err instanceof DOMException, `expected a DOMException, got ${String(err)}`);
    assert.equal(err.name, name);
    return true;
  };
}

describe('destroy after dispatch', () => {
  let ctx: MLContext;
  let graph: MLGraph; // c = a * a + 1
  before(async () => {
    ctx = await ml.createContext();
    const b = new MLGraphBuilder(ctx);
    const a = b.input('a', desc);
    graph = await b.build({ c: b.add(b.mul(a, a), b.constant(desc, new Float32Array(4).fill(1))) });
  });
  after(() => ctx.destroy());

  test('destroying the input right after dispatch lets the dispatch read the written data', async () => {
    const i = await ctx.createTensor({ ...desc, writable: true });
    const o = await ctx.createTensor({ ...desc, readable: true });
    // An earlier result in the output: the destroyed input must not leave it in place.
    ctx.writeTensor(i, new Float32Array([5, 5, 5, 5]));
    ctx.dispatch(graph, { a: i }, { c: o });
    assert.deepEqual(f32(await ctx.readTensor(o)), [26, 26, 26, 26]);
    ctx.writeTensor(i, new Float32Array([2, 2, 2, 2]));
    ctx.dispatch(graph, { a: i }, { c: o });
    i.destroy();
    assert.deepEqual(f32(await ctx.readTensor(o)), [5, 5, 5, 5]);
    assert.throws(() => ctx.dispatch(graph, { a: i }, { c: o }), (e: unknown) => e instanceof TypeError && /destroyed/.test((e as Error).message));
    o.destroy();
  });

  test('destroying input, output and graph right after dispatch: the read queued before still gets the result', async () => {
    const b = new MLGraphBuilder(ctx);
    const a = b.input('a', desc);
    const g = await b.build({ c: b.mul(a, b.constant(desc, new Float32Array([1, 2, 3, 4]))) });
    const i = await ctx.createTensor({ ...desc, writable: true });
    const o = await ctx.createTensor({ ...desc, readable: true });
    ctx.writeTensor(i, new Float32Array([3, 3, 3, 3]));
    ctx.dispatch(g, { a: i }, { c: o });
    const read = ctx.readTensor(o);
    i.destroy();
    g.destroy();
    assert.deepEqual(f32(await read), [3, 6, 9, 12]);
    // The graph is gone for new work.
    const i2 = await ctx.createTensor({ ...desc, writable: true });
    const o2 = await ctx.createTensor({ ...desc, readable: true });
    assert.throws(() => ctx.dispatch(g, { a: i2 }, { c: o2 }), domError('InvalidStateError'));
    o.destroy();
  });

  test('an intermediate tensor destroyed right after the dispatch that reads it: the chain computes', async () => {
    const i = await ctx.createTensor({ ...desc, writable: true });
    const mid = await ctx.createTensor(desc); // neither readable nor writable: only dispatches touch it
    const o = await ctx.createTensor({ ...desc, readable: true });
    ctx.writeTensor(i, new Float32Array([0, 1, 2, 3]));
    ctx.dispatch(graph, { a: i }, { c: mid }); // 1, 2, 5, 10
    ctx.dispatch(graph, { a: mid }, { c: o }); // 2, 5, 26, 101
    mid.destroy();
    i.destroy();
    assert.deepEqual(f32(await ctx.readTensor(o)), [2, 5, 26, 101]);
    o.destroy();
  });

  test('a pending read of a tensor destroyed before it completes rejects with InvalidStateError', async () => {
    const i = await ctx.createTensor({ ...desc, writable: true });
    const o = await ctx.createTensor({ ...desc, readable: true });
    ctx.writeTensor(i, new Float32Array([1, 2, 3, 4]));
    ctx.dispatch(graph, { a: i }, { c: o });
    const pending = ctx.readTensor(o);
    const byob = ctx.readTensor(o, new Float32Array(4));
    o.destroy();
    await assert.rejects(pending, domError('InvalidStateError'));
    await assert.rejects(byob, domError('InvalidStateError'));
    // Reading a tensor already destroyed is a TypeError, as before.
    await assert.rejects(ctx.readTensor(o), (e: unknown) => e instanceof TypeError);
    i.destroy();
  });

  test('a read buffer detached while the read is queued rejects with a clear TypeError', async () => {
    const i = await ctx.createTensor({ ...desc, writable: true });
    const o = await ctx.createTensor({ ...desc, readable: true });
    ctx.writeTensor(i, new Float32Array([1, 2, 3, 4]));
    ctx.dispatch(graph, { a: i }, { c: o });
    const target = new Float32Array(4);
    const read = ctx.readTensor(o, target);
    structuredClone(target.buffer, { transfer: [target.buffer] }); // detaches it
    await assert.rejects(read, (e: unknown) => e instanceof TypeError && !(e instanceof DOMException)
      && /^readTensor: the output buffer was detached while the read was queued$/.test((e as Error).message));
    // Detached before the call: refused at once.
    await assert.rejects(ctx.readTensor(o, target), (e: unknown) => e instanceof TypeError && /detached/.test((e as Error).message));
    i.destroy();
    o.destroy();
  });
});

describe('a failed dispatch marks every output', () => {
  test('reads of all outputs reject with OperationError until the next successful dispatch', async () => {
    const ctx = await ml.createContext();
    try {
      const b = new MLGraphBuilder(ctx);
      const a = b.input('a', desc);
      const graph = await b.build({ x: b.neg(a), y: b.abs(a) });
      // Make the compiled graph fail once, as a backend failure would.
      const { graphInternals } = await import('../../src/api/graph.js');
      const compiled = graphInternals(graph)!.compiled;
      const run = compiled.run.bind(compiled);
      let fail = true;
      (compiled as { run: typeof run }).run = async (ins, outs) => {
        if (fail) throw new Error('injected failure');
        return run(ins, outs);
      };
      const i = await ctx.createTensor({ ...desc, writable: true });
      const x = await ctx.createTensor({ ...desc, readable: true });
      const y = await ctx.createTensor({ ...desc, readable: true });
      ctx.writeTensor(i, new Float32Array([1, -2, 3, -4]));
      ctx.dispatch(graph, { a: i }, { x, y });
      await assert.rejects(ctx.readTensor(x), (e: unknown) => domError('OperationError')(e) && /injected failure/.test((e as Error).message));
      await assert.rejects(ctx.readTensor(y), domError('OperationError'));
      fail = false;
      ctx.dispatch(graph, { a: i }, { x, y });
      assert.deepEqual(f32(await ctx.readTensor(x)), [-1, 2, -3, 4]);
      assert.deepEqual(f32(await ctx.readTensor(y)), [1, 2, 3, 4]);
    } finally {
      ctx.destroy();
    }
  });
});

describe('context options', () => {
  test('createContext(null) reads null as an empty dictionary', async () => {
    const ctx = await ml.createContext(null);
    assert.equal(ctx.accelerated, false);
    ctx.destroy();
    await assert.rejects(ml.createContext(5 as never), (e: unknown) => e instanceof TypeError);
  });
});
