// Bad calls: each one must fail with the spec's error class (TypeError, or a DOMException with the right name) and a
// message that says what went wrong. Operator messages name the operator and its label ("add [mylabel]: ...").
// Failed dispatches must compute nothing, and caller-owned buffers are never modified.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ml, MLGraphBuilder, MLOperand, MLContext, MLGraph, MLTensor, type MLOperandDescriptor, type MLTensorDescriptor } from '../../src/index.js';
import { f32, i32, typeError, domException, context, readF32 } from '../support/index.js';

let ctx: MLContext;
before(async () => {
  ctx = await context();
});

// ---- builder: operator validation ------------------------------------------------------------------------------

describe('builder: wrong ranks', () => {
  test('matmul with a 1-D operand', () => {
    const b = new MLGraphBuilder(ctx);
    const a = b.input('a', f32(3));
    const m = b.input('m', f32(3, 4));
    assert.throws(() => b.matmul(a, m), typeError(/^matmul: 'a' has rank 1, outside the supported range 2 to \d+/));
    assert.throws(() => b.matmul(m, a), typeError(/^matmul: 'b' has rank 1/));
  });

  test('softmax on a scalar', () => {
    const b = new MLGraphBuilder(ctx);
    const s = b.input('s', f32());
    assert.throws(() => b.softmax(s, 0), typeError(/^softmax: .*rank 0/));
  });
});

describe('builder: mismatched shapes', () => {
  test('add of non-broadcastable shapes', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2, 3));
    const y = b.input('y', f32(4, 3));
    assert.throws(() => b.add(x, y), typeError(/^add: shapes \[2, 3\] and \[4, 3\] are not broadcastable$/));
  });

  test('concat with different non-axis dimensions', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2, 3));
    const y = b.input('y', f32(2, 4));
    assert.throws(() => b.concat([x, y], 0), typeError(/^concat: inputs\[1\] shape \[2, 4\] differs from inputs\[0\] shape \[2, 3\] outside axis 0/));
    // Along axis 1 the same pair is fine.
    assert.deepEqual(b.concat([x, y], 1).shape, [2, 7]);
  });

  test('concat with different ranks', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2, 3));
    const y = b.input('y', f32(2, 3, 1));
    assert.throws(() => b.concat([x, y], 0), typeError(/^concat: inputs\[1\] has rank 3, inputs\[0\] has rank 2/));
  });

  test('matmul with mismatched inner dimensions', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2, 3));
    const y = b.input('y', f32(4, 5));
    assert.throws(() => b.matmul(x, y), typeError(/^matmul: a's columns \(3.*must equal b's rows \(4/));
  });
});

describe('builder: wrong data types', () => {
  test('add float32 + int32', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2));
    const y = b.input('y', i32(2));
    assert.throws(() => b.add(x, y), typeError(/^add: a \(float32\) and b \(int32\) must have the same data type$/));
  });

  test('sigmoid on int32', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', i32(2));
    assert.throws(() => b.sigmoid(x), typeError(/^sigmoid: 'input' has data type int32, which is not one of the supported types \(float32, float16\)/));
  });

  test('matmul on int32', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', i32(2, 2));
    const y = b.input('y', i32(2, 2));
    assert.throws(() => b.matmul(x, y), typeError(/^matmul: 'a' has data type int32, which is not one of the supported types/));
  });

  test('concat of float32 and int32', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2));
    const y = b.input('y', i32(2));
    assert.throws(() => b.concat([x, y], 0), typeError(/^concat: inputs\[1\] has data type int32, inputs\[0\] has float32/));
  });
});

describe('builder: bad axis', () => {
  test('softmax axis ≥ rank', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2, 3));
    assert.throws(() => b.softmax(x, 2), typeError(/^softmax: axis 2 must be less than the input rank 2$/));
    assert.throws(() => b.softmax(x, 7), typeError(/^softmax: axis 7 /));
    assert.deepEqual(b.softmax(x, 1).shape, [2, 3]);
  });

  test('softmax axis that is not an unsigned long ([EnforceRange])', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2, 3));
    assert.throws(() => b.softmax(x, -1), typeError(/^softmax: axis -1 /));
    assert.throws(() => b.softmax(x, NaN), typeError(/^softmax: axis must be a finite number/));
  });

  test('concat axis ≥ rank', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2, 3));
    const y = b.input('y', f32(2, 3));
    assert.throws(() => b.concat([x, y], 2), typeError(/^concat: axis 2 must be less than the inputs' rank 2$/));
  });

  test('concat of no inputs', () => {
    const b = new MLGraphBuilder(ctx);
    assert.throws(() => b.concat([], 0), typeError(/^concat: needs 1 to \d+ inputs, got 0/));
  });
});

describe('builder: bad transpose permutation', () => {
  test('wrong length', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2, 3, 4));
    assert.throws(() => b.transpose(x, { permutation: [1, 0] }), typeError(/^transpose: permutation has 2 entries, the input rank is 3$/));
  });

  test('duplicate values', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2, 3, 4));
    assert.throws(() => b.transpose(x, { permutation: [0, 1, 1] }), typeError(/^transpose: permutation \[0, 1, 1\] has duplicate values$/));
  });

  test('value out of range', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2, 3, 4));
    assert.throws(() => b.transpose(x, { permutation: [0, 1, 3] }), typeError(/^transpose: permutation \[0, 1, 3\] has a value outside 0 to 2$/));
    assert.throws(() => b.transpose(x, { permutation: [0, 1, -1] }), typeError(/^transpose: permutation\[2\] -1 is out of the unsigned long range/));
  });

  test('a valid permutation still works', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2, 3, 4));
    assert.deepEqual(b.transpose(x, { permutation: [2, 0, 1] }).shape, [4, 2, 3]);
    assert.deepEqual(b.transpose(x).shape, [4, 3, 2]);
  });
});

describe('builder: reshape and cast', () => {
  test('reshape with the wrong element count', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2, 3));
    assert.throws(() => b.reshape(x, [4, 2]), typeError(/^reshape: newShape \[4, 2\] has 8 elements, the input \[2, 3\] has 6$/));
  });

  test('reshape with a zero dimension', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2, 3));
    assert.throws(() => b.reshape(x, [0, 6]), typeError(/^reshape: newShape \[0, 6\] has an invalid dimension 0$/));
  });

  test('cast to an unknown dataType', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2));
    assert.throws(() => b.cast(x, 'float64' as never), typeError(/^cast: dataType 'float64' is not an MLOperandDataType/));
    assert.throws(() => b.cast(x, undefined as never), typeError(/^cast: dataType 'undefined' is not an MLOperandDataType/));
  });
});

describe('builder: operands', () => {
  test('an operand from another builder', () => {
    const b1 = new MLGraphBuilder(ctx);
    const b2 = new MLGraphBuilder(ctx);
    const x = b1.input('x', f32(2));
    const y = b2.input('y', f32(2));
    assert.throws(() => b1.add(x, y), typeError(/^add: argument 'b' is not an MLOperand of this builder$/));
    assert.throws(() => b1.relu(y), typeError(/^relu: argument 'input' is not an MLOperand of this builder$/));
    assert.throws(() => b1.concat([x, y], 0), typeError(/^concat: argument 'inputs' is not an MLOperand of this builder$/));
  });

  test('something that is not an operand at all', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2));
    assert.throws(() => b.add(x, {} as MLOperand), typeError(/^add: argument 'b' is not an MLOperand of this builder$/));
    assert.throws(() => (b.add as (a: unknown) => MLOperand)(x), typeError(/^add: 2 arguments required, but only 1 present$/));
  });

  test('an operand from another builder as a build output', async () => {
    const b1 = new MLGraphBuilder(ctx);
    const b2 = new MLGraphBuilder(ctx);
    const y = b2.relu(b2.input('y', f32(2)));
    b1.relu(b1.input('x', f32(2)));
    await assert.rejects(b1.build({ y }), typeError(/^build: output 'y' is not an MLOperand of this builder$/));
  });
});

describe('builder: constructor', () => {
  test('something that is not an MLContext', () => {
    assert.throws(() => new MLGraphBuilder({} as MLContext), typeError(/^MLGraphBuilder: argument is not an MLContext$/));
  });
});

describe('builder: input()', () => {
  test('duplicate input names', () => {
    const b = new MLGraphBuilder(ctx);
    b.input('x', f32(2));
    assert.throws(() => b.input('x', f32(3)), typeError(/^input: an input named 'x' already exists$/));
  });

  test('empty input name', () => {
    const b = new MLGraphBuilder(ctx);
    assert.throws(() => b.input('', f32(2)), typeError(/^input: name must be a non-empty string$/));
  });
});

describe('builder: invalid descriptors', () => {
  const cases: [string, unknown, RegExp][] = [
    ['dimension 0', f32(2, 0), /^input 'x': shape \[2, 0\] has an invalid dimension 0 /],
    ['negative dimension', f32(2, -3), /^input 'x': shape \[2, -3\] has an invalid dimension -3 /],
    ['NaN dimension', f32(NaN), /^input 'x': shape \[NaN\] has an invalid dimension NaN /],
    ['infinite dimension', f32(Infinity), /^input 'x': shape \[Infinity\] has an invalid dimension Infinity /],
    ['dimension above the long range', f32(2 ** 31), /^input 'x': shape \[2147483648\] has an invalid dimension 2147483648 /],
    ['unknown dataType', { dataType: 'float64', shape: [2] }, /^input 'x': dataType 'float64' is not one of float32, float16, /],
    ['missing dataType', { shape: [2] }, /^input 'x': dataType 'undefined' is not one of /],
    ['missing shape', { dataType: 'float32' }, /^input 'x': shape must be a sequence of dimensions$/],
    ['the old "dimensions" member', { dataType: 'float32', dimensions: [2] }, /^input 'x': descriptor has 'dimensions'; the spec now calls it 'shape'$/],
    ['not an object', 'float32', /^input 'x': descriptor must be an object/],
    ['too many elements', f32(65536, 65536), /^input 'x': shape \[65536, 65536\] has 4294967296 elements, more than 2147483647$/],
    ['too many bytes', { dataType: 'int64', shape: [2 ** 30] }, /^input 'x': shape \[1073741824\] of int64 exceeds the maximum tensor byte length/],
  ];
  for (const [name, desc, message] of cases) {
    test(`input: ${name}`, () => {
      const b = new MLGraphBuilder(ctx);
      assert.throws(() => b.input('x', desc as MLOperandDescriptor), typeError(message));
    });
  }

  test('constant: dimension 0 and unknown dataType', () => {
    const b = new MLGraphBuilder(ctx);
    assert.throws(() => b.constant(f32(0), new Float32Array(0)), typeError(/^constant: shape \[0\] has an invalid dimension 0/));
    assert.throws(() => b.constant({ dataType: 'bool', shape: [1] } as never, new Uint8Array(1)), typeError(/^constant: dataType 'bool' is not one of/));
  });

  // WebIDL: `sequence<[EnforceRange] unsigned long> shape` converts 2.5 to IntegerPart(2.5) = 2 before the spec's
  // "check dimensions" runs, so a fractional dimension is truncated, not rejected (only NaN/±Infinity and values
  // outside 0..2^32-1 are TypeErrors at conversion).
  test('input: a fractional dimension is truncated ([EnforceRange] unsigned long)', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2.5, 3));
    assert.deepEqual(x.shape, [2, 3]);
  });
});

describe('builder: constant() buffers', () => {
  test('buffer of the wrong length', () => {
    const b = new MLGraphBuilder(ctx);
    assert.throws(() => b.constant(f32(2, 2), new Float32Array(3)), typeError(/^constant: buffer has 12 bytes, the descriptor needs 16$/));
    assert.throws(() => b.constant(f32(2, 2), new ArrayBuffer(20)), typeError(/^constant: buffer has 20 bytes, the descriptor needs 16$/));
  });

  test('typed array of the wrong type', () => {
    const b = new MLGraphBuilder(ctx);
    assert.throws(() => b.constant(f32(4), new Int32Array(4)), typeError(/^constant: a Int32Array cannot carry float32 data/));
    assert.throws(() => b.constant(i32(4), new Float32Array(4)), typeError(/^constant: a Float32Array cannot carry int32 data/));
    assert.throws(() => b.constant({ dataType: 'int64', shape: [2] }, new Float64Array(2)), typeError(/^constant: a Float64Array cannot carry int64 data/));
  });

  test('a Uint8Array or ArrayBuffer of the right byte length is accepted for any type', () => {
    const b = new MLGraphBuilder(ctx);
    assert.equal(b.constant(f32(4), new Uint8Array(16)).dataType, 'float32');
    assert.equal(b.constant(i32(4), new ArrayBuffer(16)).dataType, 'int32');
  });

  test('not a buffer at all', () => {
    const b = new MLGraphBuilder(ctx);
    assert.throws(() => b.constant(f32(1), [1] as never), typeError(/^constant: expected an ArrayBuffer, SharedArrayBuffer or ArrayBufferView$/));
  });

  test('scalar constant with an unknown dataType', () => {
    const b = new MLGraphBuilder(ctx);
    assert.throws(() => b.constant('float64' as never, 1), typeError(/^constant: dataType 'float64' is not an MLOperandDataType$/));
  });
});

describe('builder: build()', () => {
  test('build({}) rejects with TypeError', async () => {
    const b = new MLGraphBuilder(ctx);
    b.relu(b.input('x', f32(2)));
    await assert.rejects(b.build({}), typeError(/^build: at least one output is required$/));
  });

  test('an input operand as output rejects with TypeError', async () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2));
    await assert.rejects(b.build({ y: x }), typeError(/^build: output 'y' is a graph input; outputs must be computed by an operator$/));
  });

  test('a constant operand as output rejects with TypeError', async () => {
    const b = new MLGraphBuilder(ctx);
    const c = b.constant(f32(2), new Float32Array([1, 2]));
    await assert.rejects(b.build({ c }), typeError(/^build: output 'c' is a graph constant; outputs must be computed by an operator$/));
    const s = b.constant('float32', 3);
    await assert.rejects(b.build({ s }), typeError(/^build: output 's' is a graph constant/));
  });

  test('an empty output name rejects with TypeError', async () => {
    const b = new MLGraphBuilder(ctx);
    const y = b.relu(b.input('x', f32(2)));
    await assert.rejects(b.build({ '': y }), typeError(/^build: output names must be non-empty$/));
  });

  test('a failed build() leaves the builder usable', async () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2));
    await assert.rejects(b.build({ x }), TypeError);
    const graph = await b.build({ y: b.relu(x) });
    assert.ok(graph instanceof MLGraph);
  });

  test('using the builder after build() throws InvalidStateError', async () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2));
    const y = b.relu(x);
    await b.build({ y });
    const again = /the builder can no longer build|already built a graph/;
    assert.throws(() => b.input('z', f32(2)), domException('InvalidStateError', /^input: .*already built a graph/));
    assert.throws(() => b.constant(f32(1), new Float32Array(1)), domException('InvalidStateError', /^constant: .*already built a graph/));
    assert.throws(() => b.constant('float32', 1), domException('InvalidStateError', /^constant: /));
    assert.throws(() => b.add(x, y), domException('InvalidStateError', /^add: the builder can no longer build/));
    assert.throws(() => b.relu(x, { label: 'late' }), domException('InvalidStateError', /^relu \[late\]: /));
    await assert.rejects(b.build({ y }), domException('InvalidStateError', again));
  });
});

describe('builder: labels in messages', () => {
  test('add [mylabel]: ...', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2, 3));
    const y = b.input('y', f32(4, 3));
    assert.throws(() => b.add(x, y, { label: 'mylabel' }), typeError(/^add \[mylabel\]: shapes \[2, 3\] and \[4, 3\] are not broadcastable$/));
  });

  test('label on ops whose options are not the 3rd argument', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', i32(2, 3));
    const f = b.input('f', f32(2, 3));
    assert.throws(() => b.sigmoid(x, { label: 'act1' }), typeError(/^sigmoid \[act1\]: 'input' has data type int32/));
    assert.throws(() => b.transpose(f, { permutation: [0, 0], label: 'tr' }), typeError(/^transpose \[tr\]: permutation \[0, 0\] has duplicate values$/));
    assert.throws(() => b.softmax(f, 5, { label: 'sm' }), typeError(/^softmax \[sm\]: axis 5 /));
    assert.throws(() => b.concat([f, x], 0, { label: 'cat' }), typeError(/^concat \[cat\]: inputs\[1\] has data type int32/));
    assert.throws(() => b.reshape(f, [7], { label: 'rs' }), typeError(/^reshape \[rs\]: newShape \[7\] has 7 elements/));
    assert.throws(() => b.cast(f, 'nope' as never, { label: 'cv' }), typeError(/^cast \[cv\]: dataType 'nope'/));
    assert.throws(() => b.matmul(x, x, { label: 'mm' }), typeError(/^matmul \[mm\]: 'a' has data type int32/));
  });

  test('control characters are dropped from labels', () => {
    const b = new MLGraphBuilder(ctx);
    const x = b.input('x', f32(2));
    const y = b.input('y', f32(3));
    assert.throws(() => b.add(x, y, { label: 'a\nb\u0000c' }), typeError(/^add \[abc\]: /));
  });
});

// ---- context: dispatch ----------------------------------------------------------------------------------------

/** y = x + 1 over float32 [2, 2]: a fresh output tensor read after a dispatch that ran could never be all zeros. */
async function addOneGraph(context: MLContext): Promise<MLGraph> {
  const b = new MLGraphBuilder(context);
  const x = b.input('x', f32(2, 2));
  const one = b.constant(f32(2, 2), new Float32Array([1, 1, 1, 1]));
  return b.build({ y: b.add(x, one) });
}

const writable = (shape = [2, 2], dataType: MLTensorDescriptor['dataType'] = 'float32'): MLTensorDescriptor => ({ dataType, shape, writable: true });
const readable = (shape = [2, 2], dataType: MLTensorDescriptor['dataType'] = 'float32'): MLTensorDescriptor => ({ dataType, shape, readable: true });

describe('dispatch: bad calls compute nothing', () => {
  let graph: MLGraph;
  let x: MLTensor;
  before(async () => {
    graph = await addOneGraph(ctx);
    x = await ctx.createTensor(writable());
    ctx.writeTensor(x, new Float32Array([1, 2, 3, 4]));
  });

  async function expectUntouched(out: MLTensor, previous = [0, 0, 0, 0]): Promise<void> {
    assert.deepEqual(await readF32(ctx, out), previous, 'the failed dispatch must not have written the output');
  }

  test('input tensor of the wrong shape', async () => {
    const bad = await ctx.createTensor(writable([4]));
    ctx.writeTensor(bad, new Float32Array([1, 2, 3, 4]));
    const y = await ctx.createTensor(readable());
    assert.throws(() => ctx.dispatch(graph, { x: bad }, { y }), typeError(/^dispatch: input 'x' is float32\[4\], the graph expects float32\[2, 2\]$/));
    await expectUntouched(y);
  });

  test('output tensor of the wrong shape', async () => {
    const y = await ctx.createTensor(readable([2, 2, 1]));
    assert.throws(() => ctx.dispatch(graph, { x }, { y }), typeError(/^dispatch: output 'y' is float32\[2, 2, 1\], the graph expects float32\[2, 2\]$/));
    assert.deepEqual([...new Float32Array(await ctx.readTensor(y))], [0, 0, 0, 0]);
  });

  test('input tensor of the wrong dataType', async () => {
    const bad = await ctx.createTensor(writable([2, 2], 'int32'));
    ctx.writeTensor(bad, new Int32Array([1, 2, 3, 4]));
    const y = await ctx.createTensor(readable());
    assert.throws(() => ctx.dispatch(graph, { x: bad }, { y }), typeError(/^dispatch: input 'x' is int32\[2, 2\], the graph expects float32\[2, 2\]$/));
    await expectUntouched(y);
  });

  test('a missing input name', async () => {
    const y = await ctx.createTensor(readable());
    assert.throws(() => ctx.dispatch(graph, {}, { y }), typeError(/^dispatch: missing input 'x'$/));
    await expectUntouched(y);
  });

  test('a missing output name', async () => {
    const y = await ctx.createTensor(readable());
    assert.throws(() => ctx.dispatch(graph, { x }, {}), typeError(/^dispatch: missing output 'y'$/));
    await expectUntouched(y);
  });

  test('an extra (unknown) input name', async () => {
    const z = await ctx.createTensor(writable());
    const y = await ctx.createTensor(readable());
    assert.throws(() => ctx.dispatch(graph, { x, z }, { y }), typeError(/^dispatch: 'z' is not an input of the graph \(inputs: x\)$/));
    await expectUntouched(y);
  });

  test('an extra (unknown) output name', async () => {
    const y = await ctx.createTensor(readable());
    const w = await ctx.createTensor(readable());
    assert.throws(() => ctx.dispatch(graph, { x }, { y, w }), typeError(/^dispatch: 'w' is not an output of the graph \(outputs: y\)$/));
    await expectUntouched(y);
    await expectUntouched(w);
  });

  test('the same tensor passed as two inputs', async () => {
    const b = new MLGraphBuilder(ctx);
    const g2 = await b.build({ s: b.add(b.input('p', f32(2, 2)), b.input('q', f32(2, 2))) });
    const s = await ctx.createTensor(readable());
    assert.throws(() => ctx.dispatch(g2, { p: x, q: x }, { s }), typeError(/^dispatch: the same MLTensor is passed more than once$/));
    await expectUntouched(s);
  });

  test('the same tensor passed as input and output', async () => {
    const b = new MLGraphBuilder(ctx);
    const g2 = await b.build({ r: b.relu(b.input('v', f32(2, 2))) });
    const t = await ctx.createTensor({ dataType: 'float32', shape: [2, 2], readable: true, writable: true });
    ctx.writeTensor(t, new Float32Array([-1, 2, -3, 4]));
    assert.throws(() => ctx.dispatch(g2, { v: t }, { r: t }), typeError(/^dispatch: the same MLTensor is passed more than once$/));
    await expectUntouched(t, [-1, 2, -3, 4]); // relu would have zeroed the negatives
  });

  test('the same tensor passed as two outputs', async () => {
    const b = new MLGraphBuilder(ctx);
    const i = b.input('i', f32(2, 2));
    const g2 = await b.build({ o1: b.relu(i), o2: b.neg(i) });
    const o = await ctx.createTensor(readable());
    assert.throws(() => ctx.dispatch(g2, { i: x }, { o1: o, o2: o }), typeError(/^dispatch: the same MLTensor is passed more than once$/));
    await expectUntouched(o);
  });

  test('a tensor from another context', async () => {
    const other = await ml.createContext();
    try {
      const foreign = await other.createTensor(writable());
      other.writeTensor(foreign, new Float32Array([1, 2, 3, 4]));
      const y = await ctx.createTensor(readable());
      assert.throws(() => ctx.dispatch(graph, { x: foreign }, { y }), typeError(/^dispatch input 'x': the tensor belongs to another context$/));
      await expectUntouched(y);
      const foreignOut = await other.createTensor(readable());
      assert.throws(() => ctx.dispatch(graph, { x }, { y: foreignOut }), typeError(/^dispatch output 'y': the tensor belongs to another context$/));
      assert.deepEqual(await readF32(other, foreignOut), [0, 0, 0, 0]);
    } finally {
      other.destroy();
    }
  });

  test('a destroyed tensor', async () => {
    const dead = await ctx.createTensor(writable());
    ctx.writeTensor(dead, new Float32Array([1, 2, 3, 4]));
    dead.destroy();
    const y = await ctx.createTensor(readable());
    assert.throws(() => ctx.dispatch(graph, { x: dead }, { y }), typeError(/^dispatch input 'x': the tensor is destroyed$/));
    await expectUntouched(y);
    const deadOut = await ctx.createTensor(readable());
    deadOut.destroy();
    assert.throws(() => ctx.dispatch(graph, { x }, { y: deadOut }), typeError(/^dispatch output 'y': the tensor is destroyed$/));
  });

  test('a constant tensor as input', async () => {
    const c = await ctx.createConstantTensor(f32(2, 2), new Float32Array([1, 2, 3, 4]));
    const y = await ctx.createTensor(readable());
    assert.throws(() => ctx.dispatch(graph, { x: c }, { y }), typeError(/^dispatch: input 'x' is a constant tensor$/));
    await expectUntouched(y);
  });

  test('a destroyed graph throws InvalidStateError', async () => {
    const g2 = await addOneGraph(ctx);
    g2.destroy();
    const y = await ctx.createTensor(readable());
    assert.throws(() => ctx.dispatch(g2, { x }, { y }), domException('InvalidStateError', /^dispatch: the graph is destroyed$/));
    await expectUntouched(y);
  });

  test('a graph from another context', async () => {
    const other = await ml.createContext();
    try {
      const foreignGraph = await addOneGraph(other);
      const y = await ctx.createTensor(readable());
      assert.throws(() => ctx.dispatch(foreignGraph, { x }, { y }), typeError(/^dispatch: the graph belongs to another context$/));
      await expectUntouched(y);
    } finally {
      other.destroy();
    }
  });

  test('inputs or outputs that are not records', async () => {
    const y = await ctx.createTensor(readable());
    assert.throws(() => ctx.dispatch(graph, null as never, { y }), typeError(/^dispatch: inputs must be a record of name → MLTensor$/));
    assert.throws(() => ctx.dispatch(graph, { x }, undefined as never), typeError(/^dispatch: outputs must be a record/));
    assert.throws(() => ctx.dispatch(graph, { x: {} as MLTensor }, { y }), typeError(/^dispatch input 'x': argument is not an MLTensor$/));
    await expectUntouched(y);
  });

  test('not a graph', async () => {
    const y = await ctx.createTensor(readable());
    assert.throws(() => ctx.dispatch({} as MLGraph, { x }, { y }), typeError(/^dispatch: argument is not an MLGraph$/));
    await expectUntouched(y);
  });

  test('the context still works after all those failures', async () => {
    const y = await ctx.createTensor(readable());
    ctx.dispatch(graph, { x }, { y });
    assert.deepEqual(await readF32(ctx, y), [2, 3, 4, 5]);
  });
});

// ---- context: tensors -----------------------------------------------------------------------------------------

describe('tensors: read and write errors', () => {
  test('writeTensor on a non-writable tensor throws TypeError', async () => {
    const t = await ctx.createTensor(readable());
    assert.throws(() => ctx.writeTensor(t, new Float32Array(4)), typeError(/^writeTensor: the tensor was not created writable$/));
  });

  test('readTensor on a non-readable tensor rejects with TypeError', async () => {
    const t = await ctx.createTensor(writable());
    await assert.rejects(ctx.readTensor(t), typeError(/^readTensor: the tensor was not created readable$/));
    await assert.rejects(ctx.readTensor(t, new Float32Array(4)), typeError(/^readTensor: the tensor was not created readable$/));
  });

  test('writeTensor with a buffer of the wrong size throws TypeError and writes nothing', async () => {
    const t = await ctx.createTensor({ dataType: 'float32', shape: [2, 2], readable: true, writable: true });
    ctx.writeTensor(t, new Float32Array([1, 2, 3, 4]));
    assert.throws(() => ctx.writeTensor(t, new Float32Array(3)), typeError(/^writeTensor: buffer has 12 bytes, the descriptor needs 16 \(tensor float32\[2, 2\]\)$/));
    assert.throws(() => ctx.writeTensor(t, new Float32Array(5)), typeError(/^writeTensor: buffer has 20 bytes, the descriptor needs 16/));
    assert.throws(() => ctx.writeTensor(t, new Int32Array(4)), typeError(/^writeTensor: a Int32Array cannot carry float32 data/));
    assert.deepEqual(await readF32(ctx, t), [1, 2, 3, 4]);
  });

  test('readTensor into a buffer of the wrong size rejects with TypeError and writes nothing', async () => {
    const t = await ctx.createTensor({ dataType: 'float32', shape: [2, 2], readable: true, writable: true });
    ctx.writeTensor(t, new Float32Array([1, 2, 3, 4]));
    const small = new Float32Array([9, 9, 9]);
    await assert.rejects(ctx.readTensor(t, small), typeError(/^readTensor: buffer has 12 bytes, the descriptor needs 16 \(tensor float32\[2, 2\]\)$/));
    assert.deepEqual([...small], [9, 9, 9]);
    await assert.rejects(ctx.readTensor(t, new ArrayBuffer(32)), typeError(/^readTensor: buffer has 32 bytes, the descriptor needs 16/));
    await assert.rejects(ctx.readTensor(t, new Int32Array(4)), typeError(/^readTensor: a Int32Array cannot carry float32 data/));
  });

  test('read and write of a tensor from another context, or a destroyed one', async () => {
    const other = await ml.createContext();
    try {
      const foreign = await other.createTensor({ dataType: 'float32', shape: [2], readable: true, writable: true });
      assert.throws(() => ctx.writeTensor(foreign, new Float32Array(2)), typeError(/^writeTensor: the tensor belongs to another context$/));
      await assert.rejects(ctx.readTensor(foreign), typeError(/^readTensor: the tensor belongs to another context$/));
    } finally {
      other.destroy();
    }
    const t = await ctx.createTensor({ dataType: 'float32', shape: [2], readable: true, writable: true });
    t.destroy();
    assert.throws(() => ctx.writeTensor(t, new Float32Array(2)), typeError(/^writeTensor: the tensor is destroyed$/));
    await assert.rejects(ctx.readTensor(t), typeError(/^readTensor: the tensor is destroyed$/));
  });

  test('createTensor with a bad descriptor rejects with TypeError', async () => {
    await assert.rejects(ctx.createTensor({ dataType: 'float32', shape: [0], readable: true }), typeError(/^createTensor: shape \[0\] has an invalid dimension 0/));
    await assert.rejects(ctx.createTensor({ dataType: 'float32', shape: [-2] }), typeError(/^createTensor: shape \[-2\] has an invalid dimension -2/));
    await assert.rejects(ctx.createTensor({ dataType: 'complex64', shape: [2] } as never), typeError(/^createTensor: dataType 'complex64' is not one of/));
    await assert.rejects(ctx.createTensor({ dataType: 'float32', shape: [65536, 65536] }), typeError(/^createTensor: shape \[65536, 65536\] has 4294967296 elements/));
  });

  test('createConstantTensor with a bad buffer rejects with TypeError', async () => {
    await assert.rejects(ctx.createConstantTensor(f32(2), new Float32Array(3)), typeError(/^createConstantTensor: buffer has 12 bytes, the descriptor needs 8$/));
    await assert.rejects(ctx.createConstantTensor(f32(2), new Int32Array(2)), typeError(/^createConstantTensor: a Int32Array cannot carry float32 data/));
  });
});

describe('context: destroy()', () => {
  test('lost resolves with a message; later calls fail with InvalidStateError', async () => {
    const c = await ml.createContext();
    const b = new MLGraphBuilder(c);
    const xOp = b.input('x', f32(2));
    const graph = await b.build({ y: b.relu(xOp) });
    const t = await c.createTensor({ dataType: 'float32', shape: [2], readable: true, writable: true });
    const b2 = new MLGraphBuilder(c);

    c.destroy();
    const info = await c.lost;
    assert.equal(typeof info.message, 'string');
    assert.match(info.message, /destroy/);

    await assert.rejects(c.createTensor(readable()), domException('InvalidStateError', /^createTensor: the context is lost$/));
    await assert.rejects(c.createConstantTensor(f32(1), new Float32Array(1)), domException('InvalidStateError', /^createConstantTensor: the context is lost$/));
    assert.throws(() => new MLGraphBuilder(c), domException('InvalidStateError', /^MLGraphBuilder: the context is lost$/));
    // A builder made before the loss can no longer build.
    assert.throws(() => b2.input('x', f32(2)), domException('InvalidStateError', /^input: the context is lost$/));
    // Graphs and tensors of a lost context are destroyed with it.
    assert.throws(() => c.dispatch(graph, { x: t }, { y: t }), domException('InvalidStateError', /^dispatch: the graph is destroyed$/));
    await assert.rejects(c.readTensor(t), typeError(/^readTensor: the tensor is destroyed$/));
    // destroy() is idempotent.
    c.destroy();
  });

  test('work still pending when the context is destroyed fails with InvalidStateError', async () => {
    const c = await ml.createContext();
    const b = new MLGraphBuilder(c);
    const graph = await b.build({ y: b.relu(b.input('x', f32(2))) });
    const x = await c.createTensor({ dataType: 'float32', shape: [2], writable: true });
    const y = await c.createTensor({ dataType: 'float32', shape: [2], readable: true });
    c.writeTensor(x, new Float32Array([1, 2]));
    c.dispatch(graph, { x }, { y });
    const read = c.readTensor(y);
    const created = c.createTensor(readable());
    const b2 = new MLGraphBuilder(c);
    const building = b2.build({ z: b2.neg(b2.input('x', f32(2))) });
    c.destroy();
    await assert.rejects(read, domException('InvalidStateError', /context is lost/));
    await assert.rejects(created, domException('InvalidStateError', /context is lost/));
    await assert.rejects(building, domException('InvalidStateError', /context was lost/));
  });
});

// ---- caller buffers are never modified ------------------------------------------------------------------------

describe('caller buffers', () => {
  test('writeTensor + dispatch + readTensor leave the input array unchanged', async () => {
    const b = new MLGraphBuilder(ctx);
    const xOp = b.input('x', f32(4));
    // Outputs computed in place would be tempting to alias with the input: identity and neg.
    const graph = await b.build({ same: b.identity(xOp), neg: b.neg(xOp) });
    const input = new Float32Array([1.5, -2, 3, 0.25]);
    const snapshot = [...input];
    const x = await ctx.createTensor(writable([4]));
    const same = await ctx.createTensor(readable([4]));
    const neg = await ctx.createTensor(readable([4]));
    ctx.writeTensor(x, input);
    ctx.dispatch(graph, { x }, { same, neg });
    const negOut = new Float32Array(4);
    await ctx.readTensor(neg, negOut);
    const sameOut = new Float32Array(await ctx.readTensor(same));
    assert.deepEqual([...input], snapshot);
    assert.deepEqual([...negOut], [-1.5, 2, -3, -0.25]);
    assert.deepEqual([...sameOut], snapshot);
    // Changing the caller's array after writeTensor does not change the tensor either (writeTensor copied it).
    input.fill(100);
    ctx.dispatch(graph, { x }, { same, neg });
    assert.deepEqual(await readF32(ctx, same), snapshot);
  });

  test('compute() leaves the input array unchanged', async () => {
    const b = new MLGraphBuilder(ctx);
    const graph = await b.build({ y: b.neg(b.input('x', f32(3))) });
    const input = new Float32Array([1, 2, 3]);
    const r = await ctx.compute(graph, { x: input });
    assert.deepEqual([...input], [1, 2, 3]);
    assert.deepEqual([...r.y!.data], [-1, -2, -3]);
  });

  test('a constant source buffer modified after builder.constant() does not change results', async () => {
    const b = new MLGraphBuilder(ctx);
    const source = new Float32Array([10, 20, 30]);
    const c = b.constant(f32(3), source);
    source.set([-1, -1, -1]); // before build
    const graph = await b.build({ y: b.add(b.input('x', f32(3)), c) });
    source.set([-7, -7, -7]); // after build
    const r = await ctx.compute(graph, { x: new Float32Array([1, 2, 3]) });
    assert.deepEqual([...r.y!.data], [11, 22, 33]);
  });

  test('a createConstantTensor source buffer modified afterwards does not change results', async () => {
    const source = new Float32Array([10, 20, 30]);
    const tensor = await ctx.createConstantTensor(f32(3), source);
    source.fill(0);
    const b = new MLGraphBuilder(ctx);
    const c = b.constant(tensor);
    const graph = await b.build({ y: b.add(b.input('x', f32(3)), c) });
    tensor.destroy(); // legal after build (spec note under dispatch())
    const r = await ctx.compute(graph, { x: new Float32Array([1, 2, 3]) });
    assert.deepEqual([...r.y!.data], [11, 22, 33]);
  });
});
