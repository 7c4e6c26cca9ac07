// Dynamic dimensions through the import: symbolic sizes (SymInt), dim_param expressions, exporters' shape
// subgraphs that stay symbolic, and the rewrites that keep a dimension dynamic (a slice by a dynamic length as a
// gather, Range with a dynamic length as a cumulative sum) — each run at several sizes from one import and compared
// with onnxruntime.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importOnnx, ml, type MLContext } from '../../src/index.js';
import { decodeModel } from '../../src/onnx/decode.js';
import { SymInt } from '../../src/import/symbolic.js';
import { parseDimExpression } from '../../src/import/importer.js';
import { closeness, f32, i64, model, node, random, runOrt, TT, valueInfo, type Feed, type ModelSpec } from '../support/onnx-builder.js';

let context: MLContext | undefined;
const rnd = random(11);

test('SymInt: sums, differences, products, exact division, signs and WebNN dimensions', () => {
  const past = SymInt.name('past');
  const seq = SymInt.name('seq');
  const total = past.add(seq);
  assert.equal(total.text(), 'past + seq');
  assert.ok(total.sub(seq).equals(past));
  assert.equal(total.sub(SymInt.of(1)).text(), 'past + seq - 1');
  assert.equal(seq.mul(SymInt.of(4)).mul(past).text(), '4*past*seq');
  assert.equal(seq.mul(SymInt.of(6)).div(SymInt.of(3))!.text(), '2*seq');
  assert.equal(seq.mul(SymInt.of(6)).div(SymInt.of(4)), undefined);
  assert.equal(seq.mul(past).mul(SymInt.of(8)).div(seq.mul(SymInt.of(2)))!.text(), '4*past');
  assert.equal(total.sign(), 'nonneg');
  assert.equal(total.add(SymInt.of(1)).sign(), 'pos');
  assert.equal(SymInt.of(0).sub(total).sign(), 'nonpos');
  assert.equal(seq.sub(SymInt.of(1)).sign(), undefined);
  const bounds = new Map([['past', 64], ['seq', 16]]);
  assert.deepEqual(total.toDim(bounds), { name: 'past + seq', maxSize: 80 });
  assert.deepEqual(seq.mul(SymInt.of(3)).add(SymInt.of(2)).toDim(bounds), { name: '3*seq + 2', maxSize: 50 });
  assert.equal(seq.sub(SymInt.of(1)).toDim(bounds), undefined);
  assert.equal(SymInt.of(7).toDim(bounds), 7);
  assert.equal(parseDimExpression('past_sequence_length + sequence_length')!.text(), 'past_sequence_length + sequence_length');
  assert.equal(parseDimExpression('2*s0 - 1')!.text(), '2*s0 - 1');
  assert.equal(parseDimExpression('batch / 2'), undefined);
});

test('int64 attributes decode exactly beyond 2^53', () => {
  const bytes = model({
    nodes: [node('Slice', ['x'], ['y'], { ends: [9223372036854775807n], starts: [1n], big: 9007199254740993n })],
    inputs: [valueInfo('x', TT.FLOAT, [4])], outputs: [valueInfo('y', TT.FLOAT, [3])], opset: 9,
  });
  const attrs = decodeModel(bytes).graph.nodes[0]!.attributes;
  assert.deepEqual(attrs.get('ends')!.ints, [9223372036854775807n]);
  assert.equal(attrs.get('big')!.i, 9007199254740993n);
});

async function compare(spec: ModelSpec, runs: Record<string, Feed>[], maxSizes: Record<string, number>) {
  context ??= await ml.createContext();
  const bytes = model(spec);
  const m = await importOnnx(bytes, { context, maxSizes });
  for (const f of runs) {
    const want = await runOrt(bytes, f);
    const got = await context.compute(m.graph, Object.fromEntries(Object.entries(f).filter(([k]) => k in m.inputs)) as never);
    for (const [name, w] of Object.entries(want)) {
      assert.deepEqual(got[name]!.shape, w.shape, name);
      assert.ok(closeness(got[name]!.data as ArrayLike<number>, w.data, 1e-5, 1e-5) <= 1, `${name} at ${JSON.stringify(Object.values(f).map((x) => x.shape))}`);
    }
  }
  return m;
}

test('shape subgraphs stay symbolic: Reshape to a computed shape, -1 inference, Expand to a dynamic target', async () => {
  const m = await compare({
    nodes: [
      node('Shape', ['x'], ['s']), node('Gather', ['s', 'i1'], ['seq']), node('Unsqueeze', ['seq', 'ax0'], ['seq1']),
      node('Mul', ['seq1', 'two'], ['seq2']), node('Concat', ['minus1', 'seq2', 'four'], ['target'], { axis: 0 }),
      node('Reshape', ['x', 'target'], ['r']),
      node('Reshape', ['x', 'flat'], ['f']),
      node('Slice', ['s', 'st', 'en'], ['bs']), node('Concat', ['bs', 'eight'], ['etarget'], { axis: 0 }), node('Expand', ['row', 'etarget'], ['e']),
      node('Add', ['x', 'e'], ['y']),
    ],
    inputs: [valueInfo('x', TT.FLOAT, ['batch', 'seq', 8])],
    outputs: [valueInfo('r', TT.FLOAT, []), valueInfo('f', TT.FLOAT, []), valueInfo('y', TT.FLOAT, [])],
    initializers: [
      i64('i1', [], [1]), i64('ax0', [1], [0]), i64('two', [1], [2]), i64('minus1', [1], [-1]), i64('four', [1], [4]), i64('flat', [2], [-1, 8]),
      i64('st', [1], [0]), i64('en', [1], [2]), i64('eight', [1], [8]), f32('row', [8], rnd(8)),
    ],
  }, [{ x: { data: rnd(2 * 3 * 8), shape: [2, 3, 8] } }, { x: { data: rnd(5 * 8), shape: [1, 5, 8] } }], { batch: 4, seq: 32 });
  const out = m.graph.outputDescriptors;
  assert.deepEqual(out.r!.shape, [{ name: 'batch', maxSize: 4 }, { name: '2*seq', maxSize: 64 }, 4]);
  assert.deepEqual(out.f!.shape, [{ name: 'batch*seq', maxSize: 128 }, 8]);
  assert.deepEqual(out.y!.shape, [{ name: 'batch', maxSize: 4 }, { name: 'seq', maxSize: 32 }, 8]);
});

test('a slice by a dynamic length becomes a gather; Range with a dynamic length a cumulative sum', async () => {
  const table = rnd(64 * 4);
  const m = await compare({
    nodes: [
      node('Shape', ['x'], ['s']), node('Slice', ['s', 'one', 'two'], ['len']),
      node('Slice', ['table', 'zero', 'len', 'zero'], ['rows']), // table[:seq]
      node('Slice', ['x', 'minus1', 'big', 'one'], ['last']), // x[:, -1:]
      node('Squeeze', ['len', 'zero'], ['n']), node('Range', ['zs', 'n', 'ones'], ['pos']),
      node('Add', ['n', 'three'], ['n3']), node('Range', ['three', 'n3', 'ones'], ['pos3']),
      node('Concat', ['pos', 'pos3'], ['both'], { axis: 0 }),
    ],
    inputs: [valueInfo('x', TT.FLOAT, [1, 'seq', 4])],
    outputs: [valueInfo('rows', TT.FLOAT, []), valueInfo('last', TT.FLOAT, []), valueInfo('both', TT.INT64, [])],
    initializers: [
      f32('table', [64, 4], table), i64('zero', [1], [0]), i64('one', [1], [1]), i64('two', [1], [2]), i64('minus1', [1], [-1]),
      i64('big', [1], ['9223372036854775807' as unknown as number]), i64('zs', [], [0]), i64('ones', [], [1]), i64('three', [], [3]),
    ],
  }, [5, 1, 17].map((s) => ({ x: { data: rnd(s * 4), shape: [1, s, 4] } })), { seq: 32 });
  const out = m.graph.outputDescriptors;
  assert.deepEqual(out.rows!.shape, [{ name: 'seq', maxSize: 32 }, 4]);
  assert.deepEqual(out.last!.shape, [1, 1, 4]);
  assert.deepEqual(out.both!.shape, [{ name: '2*seq', maxSize: 64 }]);
});

test('sizes stay symbolic through float casts (Cast to float, Mul, Floor, Cast back)', async () => {
  const m = await compare({
    nodes: [
      node('Shape', ['x'], ['s']), node('Gather', ['s', 'one'], ['n']), node('Cast', ['n'], ['nf'], { to: TT.FLOAT }),
      node('Mul', ['nf', 'twof'], ['n2f']), node('Floor', ['n2f'], ['n2fl']), node('Cast', ['n2fl'], ['n2'], { to: TT.INT64 }),
      node('Unsqueeze', ['n2', 'ax0'], ['n2u']), node('Concat', ['onev', 'n2u', 'twov'], ['shape'], { axis: 0 }), node('Reshape', ['x', 'shape'], ['y']),
    ],
    inputs: [valueInfo('x', TT.FLOAT, [1, 'seq', 4])], outputs: [valueInfo('y', TT.FLOAT, [])],
    initializers: [i64('one', [], [1]), f32('twof', [], [2]), i64('ax0', [1], [0]), i64('onev', [1], [1]), i64('twov', [1], [2])],
  }, [3, 7].map((s) => ({ x: { data: rnd(s * 4), shape: [1, s, 4] } })), { seq: 16 });
  assert.deepEqual(m.graph.outputDescriptors.y!.shape, [1, { name: '2*seq', maxSize: 32 }, 2]);
});

test('a value that only the run time knows cannot become a shape: the error says so', async () => {
  context ??= await ml.createContext();
  const bytes = model({
    nodes: [node('Cast', ['n'], ['n64'], { to: TT.INT64 }), node('Reshape', ['x', 'n64'], ['y'])],
    inputs: [valueInfo('x', TT.FLOAT, [6]), valueInfo('n', TT.FLOAT, [2])], outputs: [valueInfo('y', TT.FLOAT, [])],
  });
  await assert.rejects(importOnnx(bytes, { context, modelName: 'rt.onnx' }), /rt\.onnx: node 'Reshape_y' \(Reshape\): the target shape must be known when the model is imported/);
  // Freezing the input makes it known.
  const m = await importOnnx(bytes, { context, values: { n: [2, 3] } });
  assert.deepEqual(m.graph.outputDescriptors.y!.shape, [2, 3]);
});

test('--dim fixes a dimension, --max bounds one, and a name no input has is an error', async () => {
  context ??= await ml.createContext();
  const bytes = model({ nodes: [node('Relu', ['x'], ['y'])], inputs: [valueInfo('x', TT.FLOAT, ['n', 'm'])], outputs: [valueInfo('y', TT.FLOAT, ['n', 'm'])] });
  const m = await importOnnx(bytes, { context, dims: { n: 3 }, maxSizes: { m: 10 } });
  assert.deepEqual(m.inputs.x!.shape, [3, { name: 'm', maxSize: 10 }]);
  const d = await importOnnx(bytes, { context });
  assert.deepEqual(d.inputs.x!.shape, [{ name: 'n', maxSize: 2048 }, { name: 'm', maxSize: 2048 }]);
  await assert.rejects(importOnnx(bytes, { context, dims: { k: 3 } }), /--dim k: no input has a dimension named 'k' \(dimensions: n, m\)/);
});
