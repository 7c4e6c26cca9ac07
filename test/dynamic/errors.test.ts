// Flexible inputs: every way to misuse a dynamic dimension is a TypeError that says what and where.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MLGraphBuilder, MLContext } from '../../src/index.js';
import { OpContext, type OperandRef } from '../../src/ops/context.js';
import { limits } from '../../src/ops/registry.js';
import { f32, throwsType } from '../support/index.js';
import { ctx } from '../support/flexible.js';

const seq = { name: 'seq', maxSize: 8 };
const past = { name: 'past', maxSize: 16 };
test('declarations: one maxSize per name, identifier names, maxSize ≥ 1; constants and tensors are static', async () => {
  const context = await ctx();
  const b = new MLGraphBuilder(context);
  b.input('a', f32(seq, 2));
  throwsType(() => b.input('b', f32({ name: 'seq', maxSize: 9 })),
    "input 'b': dynamic dimension 'seq' has maxSize 9, but input 'a' declared it with maxSize 8");
  throwsType(() => b.input('c', f32({ name: 'n', maxSize: 2 }, { name: 'n', maxSize: 3 })),
    "input 'c': dynamic dimension 'n' has maxSize 3, but input 'c' declared it with maxSize 2");
  throwsType(() => b.input('d', f32({ name: 'a + b', maxSize: 2 })), /input 'd': dynamic dimension 0 has name "a \+ b"; a dynamic dimension's name must be an identifier/);
  throwsType(() => b.input('e', f32({ name: 'n', maxSize: 0 })), "input 'e': dynamic dimension 0 'n' has maxSize 0; it must be an integer from 1 to 2147483647");
  throwsType(() => b.input('f', f32({ name: 'n', maxSize: 2 ** 31 })), /maxSize 2147483648; it must be an integer from 1/);
  throwsType(() => b.input('g', f32({ name: 'big', maxSize: 2 ** 20 }, 2 ** 12)), /has 4294967296 elements, more than 2147483647/);
  throwsType(() => b.constant(f32(seq) as never, new Float32Array(8)),
    'constant: dimension 0 is dynamic ({"name":"seq","maxSize":8}); only graph inputs may have dynamic dimensions');
  await assert.rejects(context.createTensor(f32(seq) as never),
    { name: 'TypeError', message: 'createTensor: dimension 0 is dynamic ({"name":"seq","maxSize":8}); only graph inputs may have dynamic dimensions' });
  // Names already declared can be reused with the same maxSize.
  assert.deepEqual(b.input('h', f32(seq)).shape, [seq]);
});

test('an operator that has not opted in rejects a dynamic argument, naming the argument, the dimension and the op', () => {
  const ref: OperandRef = { id: 0, dataType: 'float32', shape: [8, 2], rank: 2, dims: [seq, 2] };
  const resolve = (v: unknown) => (v === ref ? ref : undefined);
  const lims = { input: limits(['float32']) };
  const c = new OpContext('gemm', 'proj', resolve, lims);
  throwsType(() => c.operand(ref, 'a'), "gemm [proj]: argument 'a' has dynamic dimension 'seq'; gemm requires static shapes");
  throwsType(() => c.operandList([ref], 'inputs'), "gemm [proj]: argument 'inputs' has dynamic dimension 'seq'; gemm requires static shapes");
  // Opted in (OpDef.dynamic): the operand resolves, with its dims.
  assert.deepEqual(new OpContext('gemm', '', resolve, lims, true).operand(ref, 'a').dims, [seq, 2]);
  // Static operands are unaffected either way.
  const stat: OperandRef = { id: 1, dataType: 'float32', shape: [8, 2], rank: 2, dims: [8, 2] };
  assert.equal(new OpContext('gemm', '', (v) => (v === stat ? stat : undefined), lims).operand(stat, 'a'), stat);
});

test('shape inference: broadcasting, matmul, concat and reshape say where dynamic dimensions do not fit', async () => {
  const b = new MLGraphBuilder(await ctx());
  const x = b.input('x', f32(seq, 4));
  const p = b.input('p', f32(past, 4));
  const five = b.input('five', f32(5, 4));
  throwsType(() => b.add(x, five, { label: 'l' }),
    'add [l]: shapes [seq, 4] and [5, 4] are not broadcastable (a dynamic dimension broadcasts only against the same dimension or a static 1)');
  throwsType(() => b.mul(x, p), /mul: shapes \[seq, 4\] and \[past, 4\] are not broadcastable/);
  throwsType(() => b.matmul(x, p), "matmul: a's columns (4, of [seq, 4]) must equal b's rows (past, of [past, 4])");
  const w = b.input('w', f32(past, 4, 2));
  assert.deepEqual(b.matmul(b.reshape(x, [1, seq, 4]), w).shape, [past, seq, 2]);
  throwsType(() => b.matmul(b.reshape(x, [seq, 1, 4]), w),
    /matmul: batch dimensions of \[seq, 1, 4\] and \[past, 4, 2\] are not broadcastable \(a dynamic dimension/);
  throwsType(() => b.concat([x, p], 1), 'concat: inputs[1] shape [past, 4] differs from inputs[0] shape [seq, 4] outside axis 1');
  throwsType(() => b.reshape(x, [8, 4]), 'reshape: newShape [8, 4] has 32 elements, the input [seq, 4] has 4*seq');
  throwsType(() => b.reshape(x, [{ name: 'tokens', maxSize: 8 }, 4]), "reshape: newShape[0] names dynamic dimension 'tokens', which no graph input declares");
  throwsType(() => b.reshape(x, [{ name: 'seq', maxSize: 9 }, 4]), "reshape: newShape[0] 'seq' has maxSize 9, but its bound is 8");
  throwsType(() => b.reshape(x, [{ name: 'seq+1', maxSize: 9 }, 4]),
    `reshape: newShape[0] has name "seq+1", which is not a dimension name (an identifier, or a derived name such as 'past + seq' or '4*seq')`);
  throwsType(() => b.reshape(x, [{ maxSize: 8 } as never, 4]), 'reshape: newShape[0] must be an unsigned long or {name, maxSize}');
  throwsType(() => b.reshape(x, [{ name: 'seq', maxSize: 8 }, 2, 3]), 'reshape: newShape [seq, 2, 3] has 6*seq elements, the input [seq, 4] has 4*seq');
  assert.deepEqual(b.reshape(x, [seq, 2, 2]).shape, [seq, 2, 2]);
  // Built outputs may carry derived dimensions; a derived bound must stay a valid dimension.
  const huge = b.input('huge', { dataType: 'int8', shape: [{ name: 'h', maxSize: 2 ** 30 }] });
  throwsType(() => b.concat([huge, huge, huge], 0), /concat: output dimension '3\*h' can reach 3221225472, more than 2147483647/);
});

async function decoderLike(context: MLContext) {
  const b = new MLGraphBuilder(context);
  const x = b.input('x', f32(1, seq));
  const p = b.input('p', f32(1, past));
  const graph = await b.build({ y: b.concat([p, x], 1), z: b.relu(x) });
  const tensor = (shape: number[]) => context.createTensor({ dataType: 'float32', shape, readable: true, writable: true });
  return { graph, tensor };
}

test('dispatch checks every input shape before anything runs', async () => {
  const context = await ctx();
  const { graph, tensor } = await decoderLike(context);
  const y = await tensor([1, 24]);
  const z = await tensor([1, 8]);
  context.writeTensor(y, new Float32Array(24).fill(7));
  const dispatchWith = async (xShape: number[], pShape: number[], outs = { y, z }) =>
    context.dispatch(graph, { x: await tensor(xShape), p: await tensor(pShape) }, outs);
  await assert.rejects(dispatchWith([1, 2, 1], [1, 3]), { name: 'TypeError', message: "dispatch: input 'x' has shape [1, 2, 1] of rank 3; the graph expects rank 2" });
  await assert.rejects(dispatchWith([2, 2], [1, 3]), { name: 'TypeError', message: "dispatch: input 'x' has shape [2, 2]: dimension 0 is 2, the graph's static size is 1" });
  await assert.rejects(dispatchWith([1, 9], [1, 3]), { name: 'TypeError', message: "dispatch: input 'x' has shape [1, 9]: dimension 1 ('seq') is 9, more than its maxSize 8" });
  await assert.rejects(dispatchWith([1, 2], [1, 17]), { name: 'TypeError', message: "dispatch: input 'p' has shape [1, 17]: dimension 1 ('past') is 17, more than its maxSize 16" });
  // Output tensors must have the output shapes those sizes give, or hold them (outputShapes) in enough bytes.
  await assert.rejects(dispatchWith([1, 8], [1, 15]),
    { name: 'TypeError', message: "dispatch: output 'y' has shape [1, 24]; for these inputs float32[1, past + seq] is [1, 23] (pass outputShapes to write it into a larger tensor)" });
  await assert.rejects(dispatchWith([1, 2], [1, 3], { y, z: await tensor([1, 2]) }),
    { name: 'TypeError', message: "dispatch: output 'y' has shape [1, 24]; for these inputs float32[1, past + seq] is [1, 5] (pass outputShapes to write it into a larger tensor)" });
  const small = await tensor([1, 23]);
  assert.throws(() => context.dispatch(graph, { x: z, p: small }, { y: small, z: y }), /the same MLTensor is passed more than once/);
  const x8 = await tensor([1, 8]);
  const p16 = await tensor([1, 16]);
  assert.throws(() => context.dispatch(graph, { x: x8, p: p16 }, { y: small, z }, { outputShapes: { y: [1, 24] } }),
    { name: 'TypeError', message: "dispatch: output 'y' needs 96 bytes for shape [1, 24]; the tensor float32[1, 23] has 92" });
  assert.throws(() => context.dispatch(graph, { x: x8, p: p16 }, { y, z }, { outputShapes: { y: [1, 23] } }),
    /dispatch: output 'y' has shape \[1, 23\]; for these inputs float32\[1, past \+ seq\] is \[1, 24\]/);
  assert.throws(() => context.dispatch(graph, { x: x8, p: p16 }, { y, z }, { outputShapes: { w: [1] } }),
    { name: 'TypeError', message: "dispatch: outputShapes names 'w', which is not an output of the graph" });
  const i32 = await context.createTensor({ dataType: 'int32', shape: [1, 2], writable: true });
  assert.throws(() => context.dispatch(graph, { x: i32, p: z }, { y, z: z }), TypeError);
  // Nothing ran: y still holds what was written.
  assert.ok(new Float32Array(await context.readTensor(y)).every((v) => v === 7));
});

test('one size per name across all inputs; active shapes must fit their tensors and name inputs/outputs of the graph', async () => {
  const context = await ctx();
  const b = new MLGraphBuilder(context);
  const a = b.input('a', f32(seq, 2));
  const c = b.input('c', f32(2, seq));
  const graph = await b.build({ s: b.add(a, b.transpose(c)) });
  const t = (shape: number[]) => context.createTensor({ dataType: 'float32', shape, readable: true, writable: true });
  const out = await t([8, 2]);
  assert.throws(() => context.dispatch(graph, { a: out }, { s: out }), /missing input 'c'/);
  const A = await t([8, 2]);
  const C = await t([2, 8]);
  assert.throws(() => context.dispatch(graph, { a: A, c: C }, { s: out }, { inputShapes: { a: [3, 2], c: [2, 4] } }),
    { name: 'TypeError', message: "dispatch: input 'c' has shape [2, 4]: dimension 1 ('seq') is 4, but input 'a' gives 'seq' the size 3" });
  assert.throws(() => context.dispatch(graph, { a: A, c: C }, { s: out }, { inputShapes: { b: [3, 2] } }),
    { name: 'TypeError', message: "dispatch: inputShapes names 'b', which is not an input of the graph" });
  assert.throws(() => context.dispatch(graph, { a: A, c: C }, { s: out }, { inputShapes: { a: [3, -2] } }),
    { name: 'TypeError', message: "dispatch: inputShapes['a'] must be a sequence of non-negative integers" });
  const small = await t([2, 2]);
  assert.throws(() => context.dispatch(graph, { a: small, c: C }, { s: out }, { inputShapes: { a: [3, 2], c: [2, 3] }, outputShapes: { s: [3, 2] } }),
    { name: 'TypeError', message: "dispatch: input 'a' needs 24 bytes for shape [3, 2]; the tensor float32[2, 2] has 16" });
  // A good dispatch with active shapes smaller than the tensors; the output's memory past its active shape is kept.
  context.writeTensor(A, new Float32Array([1, 2, 3, 4, 5, 6, ...new Array(10).fill(0)]));
  context.writeTensor(C, new Float32Array([10, 20, 30, 40, 50, 60, ...new Array(10).fill(0)]));
  context.writeTensor(out, new Float32Array(16).fill(-1));
  context.dispatch(graph, { a: A, c: C }, { s: out }, { inputShapes: { a: [3, 2], c: [2, 3] }, outputShapes: { s: [3, 2] } });
  // c as [2, 3] is [[10, 20, 30], [40, 50, 60]]; transposed [[10, 40], [20, 50], [30, 60]].
  assert.deepEqual([...new Float32Array(await context.readTensor(out))], [11, 42, 23, 54, 35, 66, ...new Array(10).fill(-1)]);
  // Static graphs take no inputShapes.
  const sb = new MLGraphBuilder(context);
  const sg = await sb.build({ y: sb.relu(sb.input('x', f32(8, 2))) });
  assert.throws(() => context.dispatch(sg, { x: A }, { y: out }, { inputShapes: { x: [8, 2] } }),
    { name: 'TypeError', message: 'dispatch: inputShapes and outputShapes apply only to graphs with dynamic dimensions' });
});

test('outputShapes and compute report the same errors as dispatch', async () => {
  const context = await ctx();
  const { graph } = await decoderLike(context);
  assert.throws(() => graph.outputShapes({ x: [1, 2] }), { name: 'TypeError', message: "outputShapes: missing the shape of input 'p'" });
  assert.throws(() => graph.outputShapes({ x: [1, 2], p: [1, 20] }),
    { name: 'TypeError', message: "outputShapes: input 'p' has shape [1, 20]: dimension 1 ('past') is 20, more than its maxSize 16" });
  assert.throws(() => graph.outputShapes({ x: [1, 2], p: [1, 2], q: [1] }), { name: 'TypeError', message: "outputShapes: 'q' is not an input of the graph" });
  assert.throws(() => graph.outputShapes({ x: [1, 2.5], p: [1, 2] }), /outputShapes: the shape of input 'x' must be a sequence of non-negative integers/);
  await assert.rejects(context.compute(graph, { x: new Float32Array(2), p: { data: new Float32Array(2), shape: [1, 2] } }),
    { name: 'TypeError', message: "compute: input 'x' (float32[1, seq]) has dynamic dimensions; pass {data, shape}" });
  await assert.rejects(context.compute(graph, { x: { data: new Float32Array(3), shape: [1, 2] }, p: { data: new Float32Array(2), shape: [1, 2] } }),
    { name: 'TypeError', message: "compute: input 'x' (shape [1, 2]): buffer has 12 bytes, the descriptor needs 8" });
  const r = await context.compute(graph, { x: { data: new Float32Array([1, -2]), shape: [1, 2] }, p: { data: new Float32Array(0), shape: [1, 0] } });
  assert.deepEqual(r.y!.shape, [1, 2]);
  assert.deepEqual([...r.y!.data], [1, -2]);
  assert.deepEqual([...r.z!.data], [1, 0]);
});
