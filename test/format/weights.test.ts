// Weights: the headered and headerless weights files with their manifest, safetensors (bf16 widened), .npy, and
// malformed files that must fail with a clear message naming the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphFileError, ml, parseWebnn } from '../../src/index.js';
import { buildGraphFile, constantBytes } from '../../src/format/graph-file.js';
import { parseManifest } from '../../src/format/manifest.js';
import { readNpy, writeNpy } from '../../src/format/npy.js';
import { SafetensorsWeights, writeSafetensors } from '../../src/format/safetensors.js';
import { ManifestWeights, writeWeights } from '../../src/format/weights.js';

const dir = mkdtempSync(join(tmpdir(), 'tsnn-weights-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const f32Bytes = (...v: number[]) => new Uint8Array(Float32Array.from(v).buffer);
const TENSORS: [string, { dataType: 'float32' | 'int64' | 'uint8'; shape: number[]; bytes: Uint8Array }][] = [
  ['w', { dataType: 'float32', shape: [2, 2], bytes: f32Bytes(1, 2, 3, 4) }],
  ['idx', { dataType: 'int64', shape: [3], bytes: new Uint8Array(BigInt64Array.from([1n, -2n, 2n ** 40n]).buffer) }],
  ['mask', { dataType: 'uint8', shape: [5], bytes: Uint8Array.from([1, 0, 1, 1, 0]) }],
];

function fails(fn: () => unknown, message: RegExp, file?: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof GraphFileError, `expected a GraphFileError, got ${String(err)}`);
    assert.match(err.message, message);
    if (file) assert.equal(err.file, file);
    return true;
  });
}

test('a headered weights file round-trips; the same bytes without the header read identically', () => {
  const wPath = join(dir, 'a.weights');
  const mPath = join(dir, 'a.manifest.json');
  const manifest = writeWeights(wPath, mPath, TENSORS);
  const raw = readFileSync(wPath);
  assert.equal(raw.toString('latin1', 0, 4), 'WGWT');
  assert.equal(raw.readUInt32LE(4), 1);
  assert.deepEqual(parseManifest(readFileSync(mPath, 'utf8'), mPath), manifest);
  const headered = ManifestWeights.open(wPath, mPath);
  assert.equal(headered.hasHeader, true);
  // Without the header: the same data, offsets moved down by 8 (they count from the file start either way).
  const bare = join(dir, 'bare.weights');
  writeFileSync(bare, raw.subarray(8));
  const bareManifest = structuredClone(manifest);
  for (const t of Object.values(bareManifest.tensors)) t.byteOffset -= 8;
  const headerless = new ManifestWeights(bare, bareManifest);
  assert.equal(headerless.hasHeader, false);
  for (const [key, t] of TENSORS) {
    assert.deepEqual(headered.read(key), t.bytes);
    assert.deepEqual(headerless.read(key), t.bytes);
    assert.deepEqual(headered.info(key), { dataType: t.dataType, shape: t.shape, byteLength: t.bytes.byteLength });
  }
  headered.close();
  headerless.close();
});

test('a graph computes the same with headered and headerless weights', async () => {
  const wPath = join(dir, 'g.weights');
  const mPath = join(dir, 'g.manifest.json');
  const manifest = writeWeights(wPath, mPath, TENSORS.slice(0, 1));
  const bare = join(dir, 'g-bare.weights');
  writeFileSync(bare, readFileSync(wPath).subarray(8));
  manifest.tensors.w!.byteOffset -= 8;
  const g = parseWebnn('webnn_graph "g" v1 { inputs { x: f32[2, 2]; } consts { w: f32[2, 2] @weights("w"); } nodes { y = matmul(x, w); } outputs { y; } }');
  const ctx = await ml.createContext();
  const results = [];
  for (const source of [ManifestWeights.open(wPath, mPath), new ManifestWeights(bare, manifest)]) {
    const graph = await buildGraphFile(ctx, g, source);
    source.close();
    results.push((await ctx.compute(graph, { x: f32Bytes(1, 0, 0, 1) })).y!.data);
  }
  assert.deepEqual([...results[0]!], [1, 2, 3, 4]);
  assert.deepEqual(results[0], results[1]);
});

test('malformed weights: truncated file, offsets past the end, header only, wrong version, bad manifest', () => {
  const wPath = join(dir, 'm.weights');
  const mPath = join(dir, 'm.manifest.json');
  writeWeights(wPath, mPath, TENSORS);
  const raw = readFileSync(wPath);
  const truncated = join(dir, 'truncated.weights');
  writeFileSync(truncated, raw.subarray(0, raw.byteLength - 3));
  fails(() => ManifestWeights.open(truncated, mPath), /tensor 'mask' needs bytes \d+ to \d+ but the file has \d+ bytes: the file is truncated or the manifest's offsets run past its end/, truncated);
  const manifest = JSON.parse(readFileSync(mPath, 'utf8'));
  manifest.tensors.w.byteOffset = 1_000_000;
  const past = join(dir, 'past.manifest.json');
  writeFileSync(past, JSON.stringify(manifest));
  fails(() => ManifestWeights.open(wPath, past), /tensor 'w' needs bytes 1000000 to 1000016/, wPath);
  const headerOnly = join(dir, 'header-only.weights');
  writeFileSync(headerOnly, raw.subarray(0, 6));
  fails(() => ManifestWeights.open(headerOnly, mPath), /truncated header: expected 8 bytes/, headerOnly);
  const v2 = Buffer.from(raw);
  v2.writeUInt32LE(2, 4);
  const v2Path = join(dir, 'v2.weights');
  writeFileSync(v2Path, v2);
  fails(() => ManifestWeights.open(v2Path, mPath), /weights file version 2: expected 1/, v2Path);
  const bad = join(dir, 'bad.manifest.json');
  writeFileSync(bad, JSON.stringify({ format: 'wg-weights-manifest', version: 1, tensors: { w: { dataType: 'float32', shape: [2], byteOffset: -1, byteLength: 8 } } }));
  fails(() => ManifestWeights.open(wPath, bad), /manifest tensors\.w\.byteOffset: expected a non-negative integer, found -1/, bad);
  writeFileSync(bad, '{"format": "wg-weights-manifest", "version": 1, "tensors": {');
  fails(() => ManifestWeights.open(wPath, bad), /manifest is not valid JSON/, bad);
  writeFileSync(bad, JSON.stringify({ format: 'other', version: 1, tensors: {} }));
  fails(() => ManifestWeights.open(wPath, bad), /manifest format: expected "wg-weights-manifest", found "other"/, bad);
});

test('a type or shape mismatch between manifest and declaration is an error at the constant', () => {
  const wPath = join(dir, 't.weights');
  const mPath = join(dir, 't.manifest.json');
  writeWeights(wPath, mPath, TENSORS);
  const source = ManifestWeights.open(wPath, mPath);
  const g = parseWebnn('webnn_graph "g" v1 {\n  consts {\n    a: f16[2, 2] @weights("w");\n    b: f32[4] @weights("w");\n    c: f32[4] @weights("nope");\n    d: f32[4];\n  }\n}');
  const at = (name: string, line: number, message: RegExp) => assert.throws(() => constantBytes(name, g.consts[name]!, source), (err: unknown) => {
    assert.ok(err instanceof GraphFileError);
    assert.equal(err.pos?.line, line);
    assert.match(err.message, message);
    return true;
  });
  at('a', 3, /constant 'a' is declared f16\[2, 2\] but weights 'w' in .*t\.weights is f32\[2, 2\]: expected the same data type and shape/);
  at('b', 4, /constant 'b' is declared f32\[4\] but weights 'w' .* is f32\[2, 2\]/);
  at('c', 5, /constant 'c': no tensor 'nope' in/);
  at('d', 6, /no tensor 'd'/); // a constant without an initialiser takes the weights of its own name
  assert.throws(() => constantBytes('a', g.consts.a!, undefined), /uses @weights\("w"\) but no weights were given/);
  source.close();
});

test('safetensors: tensors read by name, bfloat16 widened to float32, truncated files rejected', () => {
  const path = join(dir, 'm.safetensors');
  const bf16 = new Uint16Array([0x3f80, 0xc000, 0x4049, 0x0000]); // 1, -2, 3.140625, 0
  writeSafetensors(path, [
    ['w', TENSORS[0]![1]],
    ['h', { dataType: 'float32', dtype: 'BF16', shape: [4], bytes: new Uint8Array(bf16.buffer) }],
  ]);
  const st = new SafetensorsWeights(path);
  assert.deepEqual(st.keys(), ['w', 'h']);
  assert.deepEqual(st.read('w'), TENSORS[0]![1].bytes);
  assert.deepEqual(st.info('h'), { dataType: 'float32', shape: [4], byteLength: 16 });
  assert.deepEqual([...new Float32Array(st.read('h').buffer)], [1, -2, 3.140625, 0]);
  st.close();
  const truncated = join(dir, 'cut.safetensors');
  writeFileSync(truncated, readFileSync(path).subarray(0, readFileSync(path).byteLength - 1));
  fails(() => new SafetensorsWeights(truncated), /tensor 'h' bytes 16 to 24 run past the end of the data .*truncated/, truncated);
  writeFileSync(truncated, Buffer.from([255, 0, 0, 0, 0, 0, 0, 0, 123]));
  fails(() => new SafetensorsWeights(truncated), /header length 255 runs past the end of the file/, truncated);
});

test('.npy files round-trip every data type numpy has, and reject what they cannot hold', () => {
  for (const [, t] of TENSORS) assert.deepEqual(readNpy(writeNpy(t)), t);
  const half = { dataType: 'float16' as const, shape: [1, 2, 1], bytes: new Uint8Array(new Uint16Array([0x3c00, 0xc000]).buffer) };
  assert.deepEqual(readNpy(writeNpy(half)), half);
  const npy = Buffer.from(writeNpy(TENSORS[0]![1]));
  assert.equal(npy.toString('latin1', 0, 6), '\x93NUMPY');
  assert.equal((10 + npy.readUInt16LE(8)) % 64, 0);
  const header = npy.toString('latin1', 10, 10 + npy.readUInt16LE(8));
  assert.match(header, /'descr': '<f4', 'fortran_order': False, 'shape': \(2, 2\)/);
  fails(() => readNpy(npy.subarray(0, npy.byteLength - 1), 'x.npy'), /expected 16 bytes of data, the file has 15: it is truncated/);
  const f64 = Buffer.from(npy);
  f64.write("'<f8'", f64.indexOf("'<f4'"), 'latin1');
  fails(() => readNpy(f64, 'x.npy'), /numpy type '<f8' has no WebNN data type/);
});

test('a headered weights file: a tensor starting inside the 8-byte header is refused, one starting at byte 8 reads', () => {
  const wPath = join(dir, 'h.weights');
  const mPath = join(dir, 'h.manifest.json');
  const manifest = writeWeights(wPath, mPath, TENSORS);
  const raw = readFileSync(wPath);
  for (const offset of [0, 4, 7]) {
    const m = structuredClone(manifest);
    m.tensors.w!.byteOffset = offset;
    fails(() => new ManifestWeights(wPath, m), new RegExp(`h\.weights: tensor 'w' starts at byte ${offset}, inside the 8-byte header: offsets count from the file start$`), wPath);
  }
  const m = structuredClone(manifest);
  m.tensors.w!.byteOffset = 8;
  const weights = new ManifestWeights(wPath, m);
  assert.deepEqual(weights.read('w'), new Uint8Array(raw.subarray(8, 24)));
  weights.close();
  // Headerless, offsets from 0 are data.
  const bare = join(dir, 'h-bare.weights');
  writeFileSync(bare, raw.subarray(8));
  const b = structuredClone(manifest);
  for (const t of Object.values(b.tensors)) t.byteOffset -= 8;
  b.tensors.w!.byteOffset = 0;
  const headerless = new ManifestWeights(bare, b);
  assert.deepEqual(headerless.read('w'), new Uint8Array(raw.subarray(8, 24)));
  headerless.close();
});
