// The graph-file commands of tsnn, run as a user would (plain node on dist/): validate, convert, run, pack-weights,
// info FILE; exit codes 0 ok, 1 failure with a one-line reason, 2 usage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ml, loadGraph } from '../src/index.js';
import { readNpy, writeNpy } from '../src/format/npy.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'dist/src/cli/main.js');
const skip = existsSync(bin) ? false : 'dist/ is not built (npm run build)';
const examples = join(root, 'examples');
const dir = mkdtempSync(join(tmpdir(), 'tsnn-cli-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const tsnn = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
const X = Float32Array.from([0.5, -1, 2, 0.25, -0.5, 1.5, 0, 1]);
const npy = (name: string, dataType: 'float32' | 'int32', shape: number[], data: Float32Array | Int32Array) => {
  const path = join(dir, name);
  writeFileSync(path, writeNpy({ dataType, shape, bytes: new Uint8Array(data.buffer) }));
  return path;
};

async function expectedMlp() {
  const ctx = await ml.createContext();
  return ctx.compute(await loadGraph(ctx, join(examples, 'mlp.webnn')), { x: X });
}

test('tsnn run: inputs from .npy, outputs summarised and written as .npy', { skip }, async () => {
  const r = tsnn('run', join(examples, 'mlp.webnn'), '--input', `x=${npy('x.npy', 'float32', [2, 4], X)}`, '--output-dir', 'out');
  assert.equal(r.status, 0, r.stderr);
  const expected = await expectedMlp();
  assert.match(r.stdout, /^probs: float32\[2, 3\] min=[\d.e-]+ max=[\d.e-]+ mean=0\.333333 \[/m);
  assert.match(r.stdout, /^logits: float32\[2, 3\] /m);
  for (const name of ['probs', 'logits']) {
    const t = readNpy(new Uint8Array(readFileSync(join(dir, 'out', `${name}.npy`))));
    assert.equal(t.dataType, 'float32');
    assert.deepEqual(t.shape, [2, 3]);
    assert.deepEqual(new Float32Array(t.bytes.buffer, t.bytes.byteOffset, 6), expected[name]!.data);
  }
});

test('tsnn run: inputs from JSON arrays and scalars', { skip }, () => {
  const json = join(dir, 'a.json');
  writeFileSync(json, JSON.stringify([[1, 2, 3], [4, 5, 6]]));
  const r = tsnn('run', join(examples, 'shapes.webnn'), '-i', `a=${json}`, '-i', 'n=2');
  assert.equal(r.status, 0, r.stderr);
  // c = concat([a, reshape(transpose(a)) + 1]) = [1..6, 2, 5, 3, 6, 4, 7]; m = cast(n) * a = 2a
  assert.match(r.stdout, /^c: float32\[4, 3\] min=1 max=7 mean=4 \[1, 2, 3, 4, 5, 6, 2, 5, …\]$/m);
  assert.match(r.stdout, /^m: float32\[2, 3\] min=2 max=12 mean=7 \[2, 4, 6, 8, 10, 12\]$/m);
});

test('tsnn validate and info FILE', { skip }, () => {
  const ok = tsnn('validate', join(examples, 'mlp.webnn'));
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /mlp\.webnn: ok \(1 inputs, 4 constants, 6 nodes, 2 outputs\)/);
  const info = tsnn('info', join(examples, 'mlp.webnn'), '--json');
  assert.equal(info.status, 0, info.stderr);
  assert.deepEqual(JSON.parse(info.stdout), {
    name: 'mlp', version: 1, inputs: { x: 'f32[2, 4]' }, outputs: { probs: 'probs', logits: 'logits' },
    ops: { add: 2, matmul: 2, relu: 1, softmax: 1 }, nodes: 6, constants: 4, parameters: 67, parameterBytes: 268,
  });
  assert.match(tsnn('info', join(examples, 'mlp.webnn')).stdout, /nodes: 6 \(add 2, matmul 2, relu 1, softmax 1\)/);
});

test('errors: exit 1 with one line file:line:column: what was expected', { skip }, () => {
  const bad = join(dir, 'bad.webnn');
  writeFileSync(bad, 'webnn_graph "g" v1 {\n  inputs { x: f32[2]; }\n  nodes {\n    y = relu(x)\n  }\n  outputs { y; }\n}\n');
  const r = tsnn('validate', bad);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `${bad}:5:3: expected ';' after the operator call, found '}'\n`);
  writeFileSync(bad, 'webnn_graph "g" v1 {\n  inputs { x: f32[2, 3]; }\n  nodes {\n    y = matmul(x, x);\n  }\n  outputs { y; }\n}\n');
  const v = tsnn('validate', bad);
  assert.equal(v.status, 1);
  assert.match(v.stderr, new RegExp(`^${bad.replace(/[.]/g, '\\.')}:4:5: matmul: .*\n$`));
  // missing weights, truncated weights
  copyFileSync(join(examples, 'mlp.webnn'), join(dir, 'm.webnn'));
  const noWeights = tsnn('run', 'm.webnn', '-i', 'x=1');
  assert.equal(noWeights.status, 1);
  assert.match(noWeights.stderr, /^m\.webnn: the graph uses @weights but its weights file m\.weights does not exist/);
  writeFileSync(join(dir, 'm.weights'), readFileSync(join(examples, 'mlp.weights')).subarray(0, 100));
  copyFileSync(join(examples, 'mlp.manifest.json'), join(dir, 'm.manifest.json'));
  const truncated = tsnn('validate', 'm.webnn');
  assert.equal(truncated.status, 1);
  assert.match(truncated.stderr, /^m\.weights: tensor '[\w.]+' needs bytes \d+ to \d+ but the file has 100 bytes/);
  assert.equal(truncated.stderr.split('\n').length, 2);
});

test('usage errors exit 2', { skip }, () => {
  const mlp = join(examples, 'mlp.webnn');
  for (const args of [['convert', mlp], ['convert', mlp, '--to', 'tflite'], ['run', mlp], ['run', mlp, '-i', 'x'], ['run', mlp, '-i', 'x=1', '-i', 'nope=1'], ['run', mlp, '-i', 'x=abc'], ['validate']]) {
    const r = tsnn(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.stderr.trim().length > 0);
  }
});

test('tsnn convert: text → JSON → text is the identity; ONNX with external data', { skip }, () => {
  copyFileSync(join(examples, 'mlp.webnn'), join(dir, 'c.webnn'));
  const toJson = tsnn('convert', 'c.webnn', '--to', 'json');
  assert.equal(toJson.status, 0, toJson.stderr);
  assert.equal(JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8')).format, 'webnn-graph-json');
  const back = tsnn('convert', 'c.json', '--to', 'webnn', '-o', '-');
  assert.equal(back.status, 0, back.stderr);
  const canonical = tsnn('convert', 'c.webnn', '--to', 'webnn', '-o', '-');
  assert.equal(back.stdout, canonical.stdout);
  assert.match(back.stdout, /probs = softmax\(logits, axis=1\);/);
  const onnx = tsnn('convert', join(examples, 'mlp.webnn'), '--to', 'onnx', '-o', join(dir, 'm.onnx'));
  assert.equal(onnx.status, 0, onnx.stderr);
  assert.ok(readFileSync(join(dir, 'm.onnx')).byteLength > 100);
  // 268 bytes of weights, all under the 1 KiB external-data threshold: no side file
  assert.ok(!existsSync(join(dir, 'm.onnx.data')));
});

test('tsnn pack-weights: .npy tensors → weights + manifest that a graph loads', { skip }, async () => {
  const { ManifestWeights } = await import('../src/format/weights.js');
  const src = ManifestWeights.open(join(examples, 'mlp.weights'), join(examples, 'mlp.manifest.json'));
  const args = src.keys().map((k) => `${k}=${npy(`${k}.npy`, 'float32', src.info(k)!.shape, new Float32Array(src.read(k).buffer))}`);
  src.close();
  const r = tsnn('pack-weights', ...args, '--out', 'packed.weights');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /wrote packed\.weights \(3 tensors, 256 bytes\) and packed\.manifest\.json/);
  const run = tsnn('run', join(examples, 'mlp.webnn'), '--weights', 'packed.weights', '--manifest', 'packed.manifest.json', '-i', `x=${npy('x2.npy', 'float32', [2, 4], X)}`);
  assert.equal(run.status, 0, run.stderr);
  const expected = await expectedMlp();
  const first = Number(expected.probs!.data[0]);
  assert.match(run.stdout, new RegExp(`^probs: float32\\[2, 3\\] .*\\[${first.toPrecision(6).replace(/\.?0+$/, '').replace('.', '\\.')}, `, 'm'));
});

test('run inputs: a .npy gives the concrete shape of dynamic dimensions, within their maximum', async () => {
  const { readInput } = await import('../src/cli/run.js');
  const decl = { dataType: 'float32' as const, shape: [{ name: 'batch', maxSize: 4 }, 2] };
  const t = readInput('x', decl, npy('dyn.npy', 'float32', [3, 2], Float32Array.from([1, 2, 3, 4, 5, 6])));
  assert.deepEqual(t.shape, [3, 2]);
  assert.deepEqual([...new Float32Array(t.bytes.buffer, t.bytes.byteOffset, 6)], [1, 2, 3, 4, 5, 6]);
  assert.throws(() => readInput('x', decl, npy('dyn5.npy', 'float32', [5, 2], new Float32Array(10))), /input 'x' is \[5, 2\], expected \[batch≤4, 2\]/);
  assert.throws(() => readInput('x', decl, npy('dyni.npy', 'int32', [3, 2], new Int32Array(6))), /input 'x' is float32, the file holds int32/);
  assert.throws(() => readInput('x', decl, '1.5'), /input 'x' has dynamic dimensions: give a \.npy or \.json file/);
  const json = join(dir, 'flat.json');
  writeFileSync(json, '[1, 2, 3, 4]');
  assert.deepEqual(readInput('y', { dataType: 'int32', shape: [2, 2] }, json).shape, [2, 2]);
  const big = readInput('z', { dataType: 'int64', shape: [2] }, '9007199254740993');
  assert.deepEqual([...new BigInt64Array(big.bytes.buffer)], [9007199254740993n, 9007199254740993n]);
});

test('run inputs: JSON keeps 64-bit integers exact and reports syntax errors with their place', async () => {
  const { readInput } = await import('../src/cli/run.js');
  const json = join(dir, 'big.json');
  writeFileSync(json, '[9007199254740993, -1]');
  const t = readInput('i', { dataType: 'int64', shape: [2] }, json);
  assert.deepEqual([...new BigInt64Array(t.bytes.buffer)], [9007199254740993n, -1n]);
  writeFileSync(json, '[1,\n 2,, 3]');
  assert.throws(() => readInput('i', { dataType: 'int64', shape: [3] }, json), /big\.json:2:4: invalid JSON: unexpected ','/);
});
