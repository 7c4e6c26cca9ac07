// tsnn run: inputs from .npy and JSON files and numbers (dynamic dimensions take the file's shape, 64-bit integers
// stay exact), outputs summarised and written as .npy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpy } from '../../src/format/npy.js';
import { examples, tsnnIn, tempDir, npyFile, MLP_INPUT, mlpOutputs } from '../support/cli.js';

const dir = tempDir('tsnn-cli-');
const tsnn = tsnnIn(dir);

test('tsnn run: inputs from .npy, outputs summarised and written as .npy', async () => {
  const r = tsnn('run', join(examples, 'mlp.webnn'), '--input', `x=${npyFile(dir, 'x.npy', 'float32', [2, 4], MLP_INPUT)}`, '--output-dir', 'out');
  assert.equal(r.status, 0, r.stderr);
  const expected = await mlpOutputs();
  assert.match(r.stdout, /^probs: float32\[2, 3\] min=[\d.e-]+ max=[\d.e-]+ mean=0\.333333 \[/m);
  assert.match(r.stdout, /^logits: float32\[2, 3\] /m);
  for (const name of ['probs', 'logits']) {
    const t = readNpy(new Uint8Array(readFileSync(join(dir, 'out', `${name}.npy`))));
    assert.equal(t.dataType, 'float32');
    assert.deepEqual(t.shape, [2, 3]);
    assert.deepEqual(new Float32Array(t.bytes.buffer, t.bytes.byteOffset, 6), expected[name]!.data);
  }
});

test('tsnn run: inputs from JSON arrays and scalars', () => {
  const json = join(dir, 'a.json');
  writeFileSync(json, JSON.stringify([[1, 2, 3], [4, 5, 6]]));
  const r = tsnn('run', join(examples, 'shapes.webnn'), '-i', `a=${json}`, '-i', 'n=2');
  assert.equal(r.status, 0, r.stderr);
  // c = concat([a, reshape(transpose(a)) + 1]) = [1..6, 2, 5, 3, 6, 4, 7]; m = cast(n) * a = 2a
  assert.match(r.stdout, /^c: float32\[4, 3\] min=1 max=7 mean=4 \[1, 2, 3, 4, 5, 6, 2, 5, …\]$/m);
  assert.match(r.stdout, /^m: float32\[2, 3\] min=2 max=12 mean=7 \[2, 4, 6, 8, 10, 12\]$/m);
});

test('run inputs: a .npy gives the concrete shape of dynamic dimensions, within their maximum', async () => {
  const { readInput } = await import('../../src/cli/run.js');
  const decl = { dataType: 'float32' as const, shape: [{ name: 'batch', maxSize: 4 }, 2] };
  const t = readInput('x', decl, npyFile(dir, 'dyn.npy', 'float32', [3, 2], Float32Array.from([1, 2, 3, 4, 5, 6])));
  assert.deepEqual(t.shape, [3, 2]);
  assert.deepEqual([...new Float32Array(t.bytes.buffer, t.bytes.byteOffset, 6)], [1, 2, 3, 4, 5, 6]);
  assert.throws(() => readInput('x', decl, npyFile(dir, 'dyn5.npy', 'float32', [5, 2], new Float32Array(10))), /input 'x' is \[5, 2\], expected \[batch≤4, 2\]/);
  assert.throws(() => readInput('x', decl, npyFile(dir, 'dyni.npy', 'int32', [3, 2], new Int32Array(6))), /input 'x' is float32, the file holds int32/);
  assert.throws(() => readInput('x', decl, '1.5'), /input 'x' has dynamic dimensions: give a \.npy or \.json file/);
  const json = join(dir, 'flat.json');
  writeFileSync(json, '[1, 2, 3, 4]');
  assert.deepEqual(readInput('y', { dataType: 'int32', shape: [2, 2] }, json).shape, [2, 2]);
  const big = readInput('z', { dataType: 'int64', shape: [2] }, '9007199254740993');
  assert.deepEqual([...new BigInt64Array(big.bytes.buffer)], [9007199254740993n, 9007199254740993n]);
});

test('run inputs: JSON keeps 64-bit integers exact and reports syntax errors with their place', async () => {
  const { readInput } = await import('../../src/cli/run.js');
  const json = join(dir, 'big.json');
  writeFileSync(json, '[9007199254740993, -1]');
  const t = readInput('i', { dataType: 'int64', shape: [2] }, json);
  assert.deepEqual([...new BigInt64Array(t.bytes.buffer)], [9007199254740993n, -1n]);
  writeFileSync(json, '[1,\n 2,, 3]');
  assert.throws(() => readInput('i', { dataType: 'int64', shape: [3] }, json), /big\.json:2:4: invalid JSON: unexpected ','/);
});

test('tsnn run takes a dynamic input at size 0 and ignores a declared input no output uses', async () => {
  const { runCommand } = await import('../../src/cli/run.js');
  const { writeNpy } = await import('../../src/format/npy.js');
  const dir = mkdtempSync(join(tmpdir(), 'tsnn-dyn-run-'));
  const lines: string[] = [];
  const log = console.log;
  try {
    const graph = join(dir, 'g.webnn');
    writeFileSync(graph, [
      'webnn_graph "g" v2 {', '  inputs {', '    x: f32[dyn("n", 6), 2];', '    unused: f32[2];', '  }', '  consts {', '  }', '  nodes {',
      '    c = concat([x, x], axis=0);', '    s = reduceSum(x, axes=[0]);', '  }', '  outputs { c; s; }', '}', '',
    ].join('\n'));
    const npy = (name: string, shape: number[], data: Float32Array) => {
      writeFileSync(join(dir, name), writeNpy({ dataType: 'float32', shape, bytes: new Uint8Array(data.buffer) }));
      return join(dir, name);
    };
    console.log = (line: string) => void lines.push(line);
    const unused = `unused=${npy('u.npy', [2], new Float32Array(2))}`;
    await runCommand(graph, { input: [`x=${npy('x0.npy', [0, 2], new Float32Array(0))}`, unused] });
    await runCommand(graph, { input: [`x=${npy('x3.npy', [3, 2], Float32Array.of(1, 2, 3, 4, 5, 6))}`, unused], outputDir: join(dir, 'out') });
    console.log = log;
    assert.match(lines[0]!, /^c: float32\[0, 2\]/);
    assert.match(lines[1]!, /^s: float32\[2\] .*\[0, 0\]$/);
    assert.match(lines[2]!, /^c: float32\[6, 2\] /);
    assert.match(lines[3]!, /^s: float32\[2\] .*\[9, 12\]$/);
    const { readNpy } = await import('../../src/format/npy.js');
    assert.deepEqual(readNpy(new Uint8Array(readFileSync(join(dir, 'out', 'c.npy')))).shape, [6, 2]);
  } finally {
    console.log = log;
    rmSync(dir, { recursive: true, force: true });
  }
});
