// Graphs to and from files: builder → saveGraph → loadGraph → dispatch gives identical results, the example graphs
// compute what a JS reference computes, every node goes through the builder's validation, and ONNX export runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { GraphFileError, loadGraph, ml, MLGraphBuilder, parseWebnn, saveGraph } from '../../src/index.js';
import { buildGraphFile, graphToFile, replay } from '../../src/format/graph-file.js';
import { exportOnnx } from '../../src/format/onnx-export.js';
import { readGraphFile } from '../../src/format/io.js';
import { ManifestWeights } from '../../src/format/weights.js';
import { exampleTensor, MLP_WEIGHTS } from '../../scripts/make-example-weights.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tsnn-graphs-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

async function sampleGraph() {
  const ctx = await ml.createContext();
  const b = new MLGraphBuilder(ctx);
  const x = b.input('x', { dataType: 'float32', shape: [2, 3] });
  const w = b.constant({ dataType: 'float32', shape: [3, 4] }, Float32Array.from({ length: 12 }, (_, i) => i / 10 - 0.5));
  const bias = b.constant('float32', 0.25);
  const h = b.add(b.matmul(x, w), bias, { label: 'affine' });
  const t = b.transpose(h, { permutation: [1, 0] });
  const r = b.reshape(t, [2, 4]);
  const c = b.concat([r, b.relu(r)], 1);
  const k = b.cast(b.input('n', { dataType: 'int32', shape: [2, 8] }), 'float32');
  const p = b.softmax(h, 1);
  const graph = await b.build({ out: b.mul(c, k), probs: p, probs2: p });
  const inputs = { x: Float32Array.from([1, -2, 3, 0.5, 0, -1]), n: Int32Array.from({ length: 16 }, (_, i) => i - 4) };
  return { ctx, graph, inputs };
}

test('builder → saveGraph → loadGraph → dispatch gives identical results (text, JSON, inline)', async () => {
  const { ctx, graph, inputs } = await sampleGraph();
  const expected = await ctx.compute(graph, inputs);
  for (const [file, opts] of [['s.webnn', {}], ['s.json', {}], ['inline.webnn', { inline: true }]] as const) {
    const path = join(dir, file);
    const saved = saveGraph(graph, path, opts);
    assert.equal(Boolean(saved.weights), !('inline' in opts));
    const loaded = await loadGraph(ctx, path);
    const got = await ctx.compute(loaded, inputs);
    for (const name of Object.keys(expected)) {
      assert.deepEqual(got[name]!.shape, expected[name]!.shape);
      assert.deepEqual(Buffer.from(got[name]!.data.buffer), Buffer.from(expected[name]!.data.buffer), `${file}: ${name}`);
    }
    assert.deepEqual(loaded.inputDescriptors, graph.inputDescriptors);
    assert.deepEqual(loaded.outputDescriptors, graph.outputDescriptors);
  }
  // The saved text names operators and options exactly as the API does.
  const text = readFileSync(join(dir, 's.webnn'), 'utf8');
  assert.match(text, /= add\(v\d+, c\d+, label="affine"\);/);
  assert.match(text, /= transpose\(v\d+, permutation=\[1, 0\]\);/);
  assert.match(text, /= reshape\(v\d+, newShape=\[2, 4\]\);/);
  assert.match(text, /= concat\(\[v\d+, v\d+\], axis=1\);/);
  assert.match(text, /= cast\(n, dataType="float32"\);/);
  assert.match(text, /outputs \{ out; probs; probs2 = probs; \}/);
  // Saving what was loaded gives the same file again.
  const again = join(dir, 'again.webnn');
  saveGraph(await loadGraph(ctx, join(dir, 's.webnn')), again, { name: 's' });
  assert.equal(readFileSync(again, 'utf8'), text);
  assert.deepEqual(readFileSync(join(dir, 'again.weights')), readFileSync(join(dir, 's.weights')));
});

/** The mlp example computed in plain JS from the same weights formula. */
function mlpReference(x: number[]): { probs: number[]; logits: number[] } {
  const [w1, b1, w2] = MLP_WEIGHTS.map(([, shape], seed) => exampleTensor(seed, shape));
  const logits: number[] = [];
  for (let r = 0; r < 2; r++) {
    const h = Array.from({ length: 8 }, (_, j) => Math.max(0, [0, 1, 2, 3].reduce((s, k) => s + x[r * 4 + k]! * w1![k * 8 + j]!, 0) + b1![j]!));
    for (let c = 0; c < 3; c++) logits.push(h.reduce((s, v, k) => s + v * w2![k * 3 + c]!, 0) + Math.fround(0.1));
  }
  const probs = logits.map((_, i) => {
    const row = logits.slice(Math.floor(i / 3) * 3, Math.floor(i / 3) * 3 + 3);
    const m = Math.max(...row);
    return Math.exp(logits[i]! - m) / row.reduce((s, v) => s + Math.exp(v - m), 0);
  });
  return { probs, logits };
}

test('the mlp example loads with its weights and matches a JS reference', async () => {
  const ctx = await ml.createContext();
  const graph = await loadGraph(ctx, join(examples, 'mlp.webnn'));
  const x = [0.5, -1, 2, 0.25, -0.5, 1.5, 0, 1];
  const r = await ctx.compute(graph, { x: Float32Array.from(x) });
  const ref = mlpReference(x);
  for (const name of ['probs', 'logits'] as const) {
    assert.deepEqual(r[name]!.shape, [2, 3]);
    [...r[name]!.data].forEach((v, i) => assert.ok(Math.abs(Number(v) - ref[name][i]!) < 1e-5, `${name}[${i}] ${v} vs ${ref[name][i]}`));
  }
});

test('every node goes through the builder validation; errors keep the node\'s location', async () => {
  const ctx = await ml.createContext();
  const build = (src: string) => buildGraphFile(ctx, parseWebnn(src));
  const at = async (src: string, line: number, message: RegExp) => assert.rejects(build(src), (err: unknown) => {
    assert.ok(err instanceof GraphFileError, String(err));
    assert.equal(err.pos?.line, line, err.message);
    assert.match(err.message, message);
    return true;
  });
  await at('webnn_graph "g" v1 {\n  inputs { a: f32[2, 3]; b: f32[4, 5]; }\n  nodes {\n    y = matmul(a, b, label="mm");\n  }\n  outputs { y; }\n}', 4, /^4:5: matmul \[mm\]: /);
  await at('webnn_graph "g" v1 {\n  inputs { a: f32[2, 3]; }\n  nodes {\n    y = reshape(a, [7]);\n  }\n  outputs { y; }\n}', 4, /reshape: newShape \[7\] has 7 elements/);
  await at('webnn_graph "g" v1 {\n  inputs { a: f32[2, 3]; }\n  nodes {\n    y = cast(a, "float64");\n  }\n  outputs { y; }\n}', 4, /cast: dataType 'float64' is not an MLOperandDataType/);
  // A WebNN operator the file may name but this build does not implement yet fails at validation, located.
  const unimplemented = ['gelu', 'erf', 'gatherND', 'where', 'lstm'].find((op) => !(op in MLGraphBuilder.prototype));
  if (unimplemented) {
    await at(`webnn_graph "g" v1 {\n  inputs { a: f32[2]; }\n  nodes {\n    y = ${unimplemented}(a);\n  }\n  outputs { y; }\n}`, 4, new RegExp(`unknown operator '${unimplemented}': tsnn does not implement it yet`));
  }
  await at('webnn_graph "g" v1 {\n  inputs { a: f32[2]; }\n  consts { w: f32[3] @bytes([1, 2]); }\n  nodes { y = relu(a); }\n  outputs { y; }\n}', 3, /constant 'w': @bytes has 2 bytes, expected 12 for f32\[3\]/);
  await at('webnn_graph "g" v1 {\n  inputs { a: f32[2]; }\n  nodes { y = relu(a); }\n  outputs { a; }\n}', 4, /output 'a' names input 'a': expected a node's output/);
  await at('webnn_graph "g" v1 {\n  inputs { a: f32[2]; }\n  nodes {\n    [y, z] = relu(a);\n  }\n  outputs { y; }\n}', 4, /relu returns 1 operand, the file names 2/);
  // @scalar fills the declared shape
  const g = await build('webnn_graph "g" v1 { inputs { a: f32[3]; } consts { s: f32[3] @scalar(2.5); z: i64[2] @scalar(-3); } nodes { y = mul(a, s); } outputs { y; } }');
  assert.deepEqual([...(await ctx.compute(g, { a: Float32Array.from([1, 2, 3]) })).y!.data], [2.5, 5, 7.5]);
});

test('dynamic dimensions: dyn("name", max) becomes {name, maxSize} in the input descriptor', async () => {
  const g = parseWebnn('webnn_graph "d" v2 { inputs { x: f32[dyn("batch", 4), 3]; } nodes { y = relu(x); } outputs { y; } }');
  assert.deepEqual(g.inputs.x!.shape, [{ name: 'batch', maxSize: 4 }, 3]);
  const ctx = await ml.createContext();
  const replayed = replay(ctx, g);
  const graph = await replayed.builder.build(replayed.outputs);
  const { file } = graphToFile(graph);
  assert.equal(file.version, 2);
  assert.deepEqual(file.inputs.x!.shape, [{ name: 'batch', maxSize: 4 }, 3]);
  // One graph runs at every batch size up to the bound.
  for (const batch of [1, 4]) {
    const data = Float32Array.from({ length: batch * 3 }, (_, i) => i - 5);
    const out = (await ctx.compute(graph, { x: { data, shape: [batch, 3] } })).y!;
    assert.deepEqual(out.shape, [batch, 3]);
    assert.deepEqual([...out.data as Float32Array], [...data].map((v) => Math.max(v, 0)));
  }
});

test('ONNX export with external data runs in onnxruntime and matches tsnn', async () => {
  const ctx = await ml.createContext();
  const graph = await loadGraph(ctx, join(examples, 'mlp.webnn'));
  const path = join(dir, 'mlp.onnx');
  const r = exportOnnx(graph, path, { externalThreshold: 64 });
  assert.equal(r.data, `${path}.data`);
  assert.equal(r.externalTensors, 2); // layer1.weight (128 bytes) and layer2.weight (96 bytes)
  const session = await ort.InferenceSession.create(path);
  const x = Float32Array.from([0.5, -1, 2, 0.25, -0.5, 1.5, 0, 1]);
  const out = await session.run({ x: new ort.Tensor('float32', x, [2, 4]) });
  const ours = await ctx.compute(graph, { x });
  assert.deepEqual([...(out.probs!.data as Float32Array)], [...ours.probs!.data]);
  await session.release();
});

test('graphs load with weights from a safetensors file beside them', async () => {
  const { writeSafetensors } = await import('../../src/format/safetensors.js');
  const src = ManifestWeights.open(join(examples, 'mlp.weights'), join(examples, 'mlp.manifest.json'));
  const stem = join(dir, 'st');
  writeSafetensors(`${stem}.safetensors`, src.keys().map((k) => [k, { ...src.info(k)!, bytes: src.read(k) }]));
  src.close();
  const g = readGraphFile(join(examples, 'mlp.webnn'));
  const { printWebnn } = await import('../../src/index.js');
  (await import('node:fs')).writeFileSync(`${stem}.webnn`, printWebnn(g));
  const ctx = await ml.createContext();
  const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
  const a = await ctx.compute(await loadGraph(ctx, `${stem}.webnn`), { x });
  const b = await ctx.compute(await loadGraph(ctx, join(examples, 'mlp.webnn')), { x });
  assert.deepEqual(a.probs!.data, b.probs!.data);
});

test('large weights stay in their file (onnxruntime reads them there) and still save and export', async () => {
  const { writeWeights } = await import('../../src/format/weights.js');
  const { graphInternals } = await import('../../src/api/graph.js');
  const { writeFileSync } = await import('node:fs');
  const rows = 512; // f32[512, 1024] = 2 MiB: above the 1 MiB external-data threshold
  const w = Float32Array.from({ length: rows * 1024 }, (_, i) => (i % 101) / 7);
  const small = Float32Array.from([1, 2, 3, 4]);
  const stem = join(dir, 'big');
  const manifest = writeWeights(`${stem}.weights`, `${stem}.manifest.json`, [
    ['small', { dataType: 'float32', shape: [4], bytes: new Uint8Array(small.buffer) }],
    ['w', { dataType: 'float32', shape: [rows, 1024], bytes: new Uint8Array(w.buffer) }],
  ]);
  assert.equal(manifest.tensors.w!.byteOffset % 4096, 0, 'large tensors are page-aligned');
  writeFileSync(`${stem}.webnn`, `webnn_graph "big" v1 { inputs { x: f32[${rows}, 1024]; } consts { w: f32[${rows}, 1024] @weights("w"); s: f32[4] @weights("small"); }
    nodes { y = add(x, w); r = reshape(y, [${rows * 256}, 4]); z = mul(r, s); } outputs { z; } }`);
  const ctx = await ml.createContext();
  const graph = await loadGraph(ctx, `${stem}.webnn`);
  const ir = graphInternals(graph)!.ir;
  assert.equal(ir.externalConstants?.size, 1);
  assert.equal(ir.constants.size, 1);
  const x = Float32Array.from({ length: rows * 1024 }, (_, i) => i % 3);
  const z = (await ctx.compute(graph, { x })).z!.data as Float32Array;
  for (const i of [0, 1, 2, 3, 4097, rows * 1024 - 1]) assert.equal(z[i], Math.fround(Math.fround(x[i]! + w[i]!) * small[i % 4]!));
  // saving re-reads the bytes from the weights file
  const saved = saveGraph(graph, join(dir, 'big-again.webnn'));
  const again = ManifestWeights.open(saved.weights!, saved.manifest!);
  assert.deepEqual(new Float32Array(again.read('c0').buffer), w);
  again.close();
  const onnx = exportOnnx(graph, join(dir, 'big.onnx'));
  assert.equal(onnx.externalTensors, 1);
  const session = await ort.InferenceSession.create(onnx.model);
  const out = await session.run({ x: new ort.Tensor('float32', x, [rows, 1024]) });
  assert.deepEqual(out.z!.data, z);
  await session.release();
});

test('saving a graph over the weights file it reads its constants from is refused', async () => {
  const { writeWeights } = await import('../../src/format/weights.js');
  const { writeFileSync } = await import('node:fs');
  const stem = join(dir, 'self');
  writeWeights(`${stem}.weights`, `${stem}.manifest.json`, [['w', { dataType: 'float32', shape: [512, 1024], bytes: new Uint8Array(512 * 1024 * 4) }]]);
  writeFileSync(`${stem}.webnn`, 'webnn_graph "self" v1 { inputs { x: f32[512, 1024]; } consts { w: f32[512, 1024] @weights("w"); } nodes { y = add(x, w); } outputs { y; } }');
  const ctx = await ml.createContext();
  const graph = await loadGraph(ctx, `${stem}.webnn`);
  assert.throws(() => saveGraph(graph, `${stem}.webnn`), /self\.weights holds this graph's constants \(it was loaded from it\); save the weights elsewhere/);
  assert.equal(readFileSync(`${stem}.weights`).byteLength, 4096 + 512 * 1024 * 4);
});

test('saveGraph/loadGraph (.webnn and .json) keep dynamic dimension names, derived shapes and every output shape', async () => {
  const context = await ml.createContext();
  const b = new MLGraphBuilder(context);
  const [n, m, k] = [{ name: 'n', maxSize: 6 }, { name: 'm', maxSize: 5 }, { name: 'k', maxSize: 4 }];
  const x = b.input('x', { dataType: 'float32', shape: [n, 4] });
  const y = b.input('y', { dataType: 'float32', shape: [m, 4] });
  b.input('z', { dataType: 'float32', shape: [k] }); // only carries k
  const w = b.constant({ dataType: 'float32', shape: [4, 2] }, Float32Array.from({ length: 8 }, (_, i) => i - 3));
  const cat = b.concat([x, y, x], 0);
  const graph = await b.build({
    cat: b.matmul(cat, w), flat: b.reshape(b.relu(cat), [b.concat([cat, cat, cat, cat], 0).dimensions[0]!]),
    wide: b.expand(b.constant({ dataType: 'float32', shape: [1] }, Float32Array.of(3)), [k]),
  });
  const dynDir = mkdtempSync(join(tmpdir(), 'tsnn-dyn-'));
  const feeds = (sizes: { n: number; m: number; k: number }) => ({
    x: { data: Float32Array.from({ length: sizes.n * 4 }, (_, i) => i - 5), shape: [sizes.n, 4] },
    y: { data: Float32Array.from({ length: sizes.m * 4 }, (_, i) => 2 - i), shape: [sizes.m, 4] },
    z: { data: new Float32Array(sizes.k), shape: [sizes.k] },
  });
  try {
    for (const file of ['g.webnn', 'g.json']) {
      saveGraph(graph, join(dynDir, file));
      const loaded = await loadGraph(context, join(dynDir, file));
      assert.deepEqual(loaded.inputDescriptors, graph.inputDescriptors, file);
      assert.deepEqual(loaded.outputDescriptors, graph.outputDescriptors, file);
      assert.deepEqual(loaded.outputDescriptors.flat!.shape, [{ name: '4*m + 8*n', maxSize: 68 }]);
      for (const sizes of [{ n: 6, m: 5, k: 4 }, { n: 2, m: 0, k: 1 }, { n: 0, m: 1, k: 0 }]) {
        const shapes = { x: [sizes.n, 4], y: [sizes.m, 4], z: [sizes.k] };
        assert.deepEqual(loaded.outputShapes(shapes), graph.outputShapes(shapes));
        assert.deepEqual(loaded.outputShapes(shapes), { cat: [2 * sizes.n + sizes.m, 2], flat: [8 * sizes.n + 4 * sizes.m], wide: [sizes.k] });
        assert.deepEqual(await context.compute(loaded, feeds(sizes)), await context.compute(graph, feeds(sizes)), `${file} ${JSON.stringify(sizes)}`);
      }
    }
  } finally {
    rmSync(dynDir, { recursive: true, force: true });
  }
});

