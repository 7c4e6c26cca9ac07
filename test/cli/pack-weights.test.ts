// tsnn pack-weights: .npy tensors into a weights file and manifest, written whole or not at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeNpy } from '../../src/format/npy.js';
import { examples, tsnnIn, tempDir, npyFile, MLP_INPUT, mlpOutputs } from '../support/cli.js';

const dir = tempDir('tsnn-cli-');
const tsnn = tsnnIn(dir);

test('tsnn pack-weights: .npy tensors → weights + manifest that a graph loads', async () => {
  const { ManifestWeights } = await import('../../src/format/weights.js');
  const src = ManifestWeights.open(join(examples, 'mlp.weights'), join(examples, 'mlp.manifest.json'));
  const args = src.keys().map((k) => `${k}=${npyFile(dir, `${k}.npy`, 'float32', src.info(k)!.shape, new Float32Array(src.read(k).buffer))}`);
  src.close();
  const r = tsnn('pack-weights', ...args, '--out', 'packed.weights');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /wrote packed\.weights \(3 tensors, 256 bytes\) and packed\.manifest\.json/);
  const result = tsnn('run', join(examples, 'mlp.webnn'), '--weights', 'packed.weights', '--manifest', 'packed.manifest.json', '-i', `x=${npyFile(dir, 'x2.npy', 'float32', [2, 4], MLP_INPUT)}`);
  assert.equal(result.status, 0, result.stderr);
  const expected = await mlpOutputs();
  const first = Number(expected.probs!.data[0]);
  assert.match(result.stdout, new RegExp(`^probs: float32\\[2, 3\\] .*\\[${first.toPrecision(6).replace(/\.?0+$/, '').replace('.', '\\.')}, `, 'm'));
});

test('tsnn pack-weights: a bad tensor mid-way leaves the old weights and manifest intact', () => {
  const a = join(dir, 'a.npy');
  writeFileSync(a, writeNpy({ dataType: 'float32', shape: [4], bytes: new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer) }));
  writeFileSync(join(dir, 'bad.npy'), Buffer.from('\x93NUMPY garbage', 'latin1'));
  const ok = tsnn('pack-weights', 'a.npy', '--out', 'p.weights');
  assert.equal(ok.status, 0, ok.stderr);
  const before = [readFileSync(join(dir, 'p.weights')), readFileSync(join(dir, 'p.manifest.json'))];
  const mtime = statSync(join(dir, 'p.weights')).mtimeMs;
  const listing = readdirSync(dir).sort();
  for (const bad of [['a.npy', 'bad.npy'], ['a.npy', 'a.npy'], ['a.npy', 'missing.npy']]) {
    const r = tsnn('pack-weights', ...bad, '--out', 'p.weights');
    assert.notEqual(r.status, 0);
    assert.equal(r.stderr.split('\n').length, 2, r.stderr);
    assert.deepEqual([readFileSync(join(dir, 'p.weights')), readFileSync(join(dir, 'p.manifest.json'))], before);
    assert.deepEqual(readdirSync(dir).sort(), listing, 'no temporary files are left');
  }
  assert.equal(statSync(join(dir, 'p.weights')).mtimeMs, mtime);
});
