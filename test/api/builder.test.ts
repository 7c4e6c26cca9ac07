// MLGraphBuilder: operand descriptors from shape inference, input() and constant() descriptors and buffers, build()
// once per builder, and WebIDL conversions of unsigned long and enum arguments.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MLGraphBuilder, MLContext, type MLOperandDataType } from '../../src/index.js';
import { f32, opTypeError, context } from '../support/index.js';
import { MAX_ULONG, MAX_BYTES } from '../support/wpt.js';

let ctx: MLContext;
before(async () => {
  ctx = await context();
});

describe('MLOperand.dataType and shape reflect inference', () => {
  test('matmul [2,3] x [3,4] gives [2,4]', () => {
    const b = new MLGraphBuilder(ctx);
    const y = b.matmul(b.input('a', f32(2, 3)), b.input('b', f32(3, 4)));
    assert.equal(y.dataType, 'float32');
    assert.deepEqual(y.shape, [2, 4]);
  });

  test('batched matmul broadcasts its batch dimensions', () => {
    const b = new MLGraphBuilder(ctx);
    const y = b.matmul(b.input('a', f32(5, 1, 2, 3)), b.input('b', f32(4, 3, 6)));
    assert.deepEqual(y.shape, [5, 4, 2, 6]);
  });

  test('other operators', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2, 1, 3));
    assert.deepEqual(b.add(x, b.input('y', f32(4, 1))).shape, [2, 4, 3]);
    assert.deepEqual(b.add(x, b.constant('float32', 1)).shape, [2, 1, 3]);
    assert.deepEqual(b.transpose(x).shape, [3, 1, 2]);
    assert.deepEqual(b.reshape(x, [3, 2]).shape, [3, 2]);
    assert.deepEqual(b.concat([x, x, x], 1).shape, [2, 3, 3]);
    assert.deepEqual(b.softmax(x, 2).shape, [2, 1, 3]);
    const c = b.cast(x, 'int8');
    assert.equal(c.dataType, 'int8');
    assert.deepEqual(c.shape, [2, 1, 3]);
    const s = b.input('s', { dataType: 'uint32', shape: [] });
    assert.equal(s.dataType, 'uint32');
    assert.deepEqual(s.shape, []);
  });

  test('operand shapes are snapshots: changing the caller\'s descriptor does nothing', () => {
    const b = new MLGraphBuilder(ctx);
    const desc = { dataType: 'float32' as const, shape: [2, 3] };
    const x = b.input('x', desc);
    desc.shape[0] = 9;
    assert.deepEqual(x.shape, [2, 3]);
    assert.throws(() => (x.shape as number[]).push(1), TypeError);
    assert.deepEqual(x.shape, [2, 3]);
  });

  test('graph input and output descriptors (non-standard accessors)', async () => {
    const b = new MLGraphBuilder(ctx);
    const graph = await b.build({ y: b.matmul(b.input('a', f32(2, 3)), b.input('b', f32(3, 4))) });
    assert.deepEqual(graph.inputDescriptors, { a: { dataType: 'float32', shape: [2, 3] }, b: { dataType: 'float32', shape: [3, 4] } });
    assert.deepEqual(graph.outputDescriptors, { y: { dataType: 'float32', shape: [2, 4] } });
  });
});

describe('input(), constant(), build() (WPT-style)', () => {
  const typeErr = (e: unknown) => e instanceof TypeError && !(e instanceof DOMException);
  test('input descriptors', () => {
    const b = new MLGraphBuilder(ctx);
    assert.deepEqual(b.input('a', { dataType: 'float32', shape: [] }).shape, []);
    assert.deepEqual(b.input('b', { dataType: 'int64', shape: [3] }).shape, [3]);
    for (const [name, shape] of [['', [3, 4]], ['c', [3, 0]], ['d', [MAX_ULONG + 1]], ['e', [MAX_ULONG, MAX_ULONG, MAX_ULONG]], ['f', [(MAX_BYTES + 1) / 4]], ['g', Array<number>(10).fill(2)]] as const) {
      assert.throws(() => b.input(name, { dataType: 'float32', shape: [...shape] }), typeErr, `input '${name}' [${shape.length > 3 ? '...' : shape}]`);
    }
  });

  test('constant(descriptor, buffer): views must match the data type, Uint8Array and ArrayBuffers always do', () => {
    const b = new MLGraphBuilder(ctx);
    const desc = (dataType: MLOperandDataType) => ({ dataType, shape: [2, 3] });
    const okCases: [MLOperandDataType, ArrayBufferView | ArrayBuffer | SharedArrayBuffer][] = [
      ['float32', new Float32Array(6)], ['float16', new Uint16Array(6)], ['int64', new BigInt64Array(6)], ['uint64', new BigUint64Array(6)],
      ['float32', new Uint8Array(24)], ['float16', new Uint8Array(12)], ['int32', new Uint8Array(24)], ['float32', new Int32Array(6).buffer],
      ['float32', new Float32Array(new SharedArrayBuffer(24))], ['uint8', new SharedArrayBuffer(6)],
    ];
    for (const [dt, buf] of okCases) assert.deepEqual(b.constant(desc(dt), buf).shape, [2, 3], `${dt} ${buf.constructor.name}`);
    const badCases: [MLOperandDataType, ArrayBufferView | ArrayBuffer][] = [
      ['float32', new Float32Array(5)], ['float16', new Uint16Array(5)], ['int32', new Int32Array(7)], ['uint32', new Uint32Array(7)],
      ['int64', new BigInt64Array(7)], ['uint64', new BigUint64Array(7)], ['int8', new Int8Array(20)], ['uint8', new Uint8Array(20)],
      ['float16', new Float32Array(6)], ['float16', new Int16Array(6)], ['float32', new Int32Array(6)], ['int16' as MLOperandDataType, new Int16Array(6)],
    ];
    for (const [dt, buf] of badCases) assert.throws(() => b.constant(desc(dt), buf), typeErr, `${dt} ${buf.constructor.name}`);
    assert.throws(() => b.constant({ dataType: 'float32', shape: [2, 0] }, new Float32Array(2)), typeErr);
  });

  test('constant(dataType, value): scalars of every type', () => {
    const b = new MLGraphBuilder(ctx);
    const scalars: [MLOperandDataType, number | bigint][] = [
      ['float32', 3.14], ['float16', 2.5], ['int32', 42], ['uint32', 123], ['int64', 9007199254740991n], ['uint64', 18446744073709551615n],
      ['int8', -128], ['uint8', 255], ['float32', 3.4028235e38], ['float32', 1.175494e-38],
      // spec: constant(dataType, value) casts any MLNumber to any MLOperandDataType; WPT throws for int4/uint4
      // scalars and for a bigint float32 value, which the spec's steps do not.
      ['int4', -2], ['uint4', 2], ['float32', 123n],
    ];
    for (const [dt, v] of scalars) {
      const c = b.constant(dt, v);
      assert.equal(c.dataType, dt);
      assert.deepEqual(c.shape, []);
    }
    assert.throws(() => b.constant('int16' as MLOperandDataType, 123), typeErr);
  });

  test('build(): once per builder, even before the first build settles; a bad call leaves it unbuilt', async () => {
    const d = { dataType: 'float32', shape: [2] } as const;
    const b = new MLGraphBuilder(ctx);
    const a = b.input('a', d);
    const c = b.add(a, b.input('b', d));
    await assert.rejects(b.build({ a }), typeErr);
    const first = b.build({ c });
    await assert.rejects(b.build({ c }), (e: unknown) => e instanceof DOMException && e.name === 'InvalidStateError');
    await first;
    const isInvalidState = (e: unknown) => e instanceof DOMException && e.name === 'InvalidStateError';
    assert.throws(() => b.sub(a, a), isInvalidState);
    assert.throws(() => b.input('d', d), isInvalidState);
    assert.throws(() => b.constant(d, new Float32Array(2)), isInvalidState);
  });
});

describe('[EnforceRange] unsigned long converts like WebIDL (ToNumber, then range check)', () => {
  test('null is 0 and objects convert through valueOf; NaN and out-of-range values throw', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', { dataType: 'float32', shape: [3, 4] });
    const idx = b.input('idx', { dataType: 'int32', shape: [2] });
    assert.deepEqual([...b.gather(x, idx, { axis: null as unknown as number }).shape], [2, 4]);
    assert.deepEqual([...b.gather(x, idx, { axis: { valueOf: () => 1 } as unknown as number }).shape], [3, 2]);
    assert.deepEqual([...b.gather(x, idx, { axis: [1] as unknown as number }).shape], [3, 2]);
    assert.throws(() => b.gather(x, idx, { axis: {} as unknown as number, label: 'lbl' }), opTypeError('gather', 'lbl', /axis must be a finite number/));
    assert.throws(() => b.gather(x, idx, { axis: -1, label: 'lbl' }), opTypeError('gather', 'lbl', /axis -1 is out of the unsigned long range/));
  });
});

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
      opTypeError('gru', 'lbl', /activations\[0\] 'undefined' is not one of relu, sigmoid, tanh/));
  });
});
