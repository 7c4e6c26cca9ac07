// Which buffers carry tensor data: any ArrayBufferView by its real kind (Buffer, typed-array subclasses), never by
// its constructor's name; a Uint8Array view for every data type; ArrayBuffer and SharedArrayBuffer.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ml, MLGraphBuilder, type MLContext } from '../../src/index.js';
import { viewKind } from '../../src/api/buffers.js';

const desc = { dataType: 'float32', shape: [4] } as const;

class MyFloats extends Float32Array {}
class Disguised extends Int32Array {}
Object.defineProperty(Disguised, 'name', { value: 'Float32Array' });

const isTypeError = (message: RegExp) => (e: unknown): true => {
  assert.ok(e instanceof TypeError && !(e instanceof DOMException), `expected a TypeError, got ${String(e)}`);
  assert.match((e as Error).message, message);
  return true;
};

describe('buffer kinds', () => {
  let ctx: MLContext;
  let dir: string;
  before(async () => {
    ctx = await ml.createContext();
    dir = mkdtempSync(join(tmpdir(), 'tsnn-buffers-'));
  });
  after(() => {
    ctx.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test('real kinds: Buffer is a Uint8Array, a subclass is what it extends, a renamed constructor fools nothing', () => {
    assert.equal(viewKind(Buffer.alloc(4)), 'Uint8Array');
    assert.equal(viewKind(new MyFloats(2)), 'Float32Array');
    assert.equal(viewKind(new Disguised(2)), 'Int32Array');
    assert.equal(viewKind(new DataView(new ArrayBuffer(4))), 'DataView');
  });

  test('a Buffer read from a file goes into writeTensor, constant, createConstantTensor and compute', async () => {
    const file = join(dir, 'x.bin');
    writeFileSync(file, new Uint8Array(new Float32Array([1, -2, 3, -4]).buffer));
    const bytes = readFileSync(file); // a Buffer, possibly a slice of a shared pool
    assert.ok(Buffer.isBuffer(bytes));
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', desc);
    const graph = await b.build({ y: b.add(x, b.constant(desc, bytes)) });
    const out = await ctx.compute(graph, { x: bytes });
    assert.deepEqual([...(out.y!.data as Float32Array)], [2, -4, 6, -8]);

    const t = await ctx.createTensor({ ...desc, writable: true, readable: true });
    ctx.writeTensor(t, bytes);
    assert.deepEqual([...new Float32Array(await ctx.readTensor(t))], [1, -2, 3, -4]);
    const into = Buffer.alloc(16);
    await ctx.readTensor(t, into);
    assert.deepEqual([...new Float32Array(into.buffer, into.byteOffset, 4)], [1, -2, 3, -4]);
    const c = await ctx.createConstantTensor(desc, bytes);
    assert.equal(c.constant, true);
    t.destroy();
    c.destroy();
  });

  test('a subclass of the matching typed array is accepted', async () => {
    const t = await ctx.createTensor({ ...desc, writable: true, readable: true });
    ctx.writeTensor(t, MyFloats.from([0.5, 1, 1.5, 2]));
    const back = new MyFloats(4);
    await ctx.readTensor(t, back);
    assert.deepEqual([...back], [0.5, 1, 1.5, 2]);
    t.destroy();
  });

  test('an Int32Array subclass renamed "Float32Array" is refused for float32 data', async () => {
    const t = await ctx.createTensor({ ...desc, writable: true });
    assert.throws(() => ctx.writeTensor(t, new Disguised(4)), isTypeError(/^writeTensor: a Int32Array cannot carry float32 data/));
    const b = new MLGraphBuilder(ctx);
    assert.throws(() => b.constant(desc, new Disguised(4)), isTypeError(/^constant: a Int32Array cannot carry float32 data/));
    await assert.rejects(ctx.createConstantTensor(desc, new Disguised(4)), isTypeError(/^createConstantTensor: a Int32Array cannot carry float32 data/));
    // ... while it does carry int32 data.
    const i = await ctx.createTensor({ dataType: 'int32', shape: [4], writable: true, readable: true });
    ctx.writeTensor(i, Disguised.from([7, 8, 9, 10]));
    assert.deepEqual([...new Int32Array(await ctx.readTensor(i))], [7, 8, 9, 10]);
    t.destroy();
    i.destroy();
  });

  test('a DataView is refused with a reason; ArrayBuffer and SharedArrayBuffer are taken as bytes', async () => {
    const t = await ctx.createTensor({ ...desc, writable: true, readable: true });
    assert.throws(() => ctx.writeTensor(t, new DataView(new ArrayBuffer(16))), isTypeError(/a DataView cannot carry float32 data/));
    const shared = new SharedArrayBuffer(16);
    new Float32Array(shared).set([4, 3, 2, 1]);
    ctx.writeTensor(t, shared);
    assert.deepEqual([...new Float32Array(await ctx.readTensor(t))], [4, 3, 2, 1]);
    t.destroy();
  });
});
