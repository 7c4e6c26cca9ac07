// The tsnn command's exits: 0 ok, 1 a failure with a one-line reason (file:line:column where there is one, no stack
// trace), 2 a usage error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeNpy } from '../../src/format/npy.js';
import { examples, bin, node, tsnnIn, tempDir } from '../support/cli.js';

const dir = tempDir('tsnn-cli-');
const tsnn = tsnnIn(dir);

const graph = (body: string, version = 1) => `webnn_graph "g" v${version} {\n${body}\n}`;

test('errors: exit 1 with one line file:line:column: what was expected', () => {
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

test('usage errors exit 2 with one line saying what is wrong', () => {
  const mlp = join(examples, 'mlp.webnn');
  const cases: [string[], RegExp][] = [
    [['convert', mlp], /^error: required option '--to <format>' not specified$/],
    [['convert', mlp, '--to', 'tflite'], /^tsnn: --to must be one of webnn, json, onnx, not 'tflite'$/],
    [['run', mlp], /^tsnn: input 'x' is not given: add --input x=<file\.npy\|file\.json\|number>$/],
    [['run', mlp, '-i', 'x'], /^tsnn: --input x: expected name=<file\.npy\|file\.json\|number>$/],
    [['run', mlp, '-i', 'x=1', '-i', 'nope=1'], /^tsnn: 'nope' is not an input of .*mlp\.webnn \(inputs: x\)$/],
    [['run', mlp, '-i', 'x=abc'], /^tsnn: --input x=abc: expected a \.npy file, a \.json file or a number$/],
    [['validate'], /^error: missing required argument 'file'$/],
  ];
  for (const [args, message] of cases) {
    const r = tsnn(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr.trimEnd(), message, args.join(' '));
    assert.equal(r.stderr.split('\n').length, 2, `one line: ${r.stderr}`);
  }
});

test('tsnn exits 2 on a usage error', () => {
  const r = node([bin, 'no-such-command']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command/);
});

test('tsnn run/validate/convert: bad inputs and files exit 1 with one line, no stack trace', () => {
  writeFileSync(join(dir, 'r.webnn'), graph('inputs { x: f32[2, 3]; }\nnodes { y = relu(x); }\noutputs { y; }'));
  const good = Buffer.from(writeNpy({ dataType: 'float32', shape: [2, 3], bytes: new Uint8Array(24) }));
  writeFileSync(join(dir, 'trunc.npy'), good.subarray(0, good.byteLength - 1));
  writeFileSync(join(dir, 'i32.npy'), writeNpy({ dataType: 'int32', shape: [2, 3], bytes: new Uint8Array(24) }));
  writeFileSync(join(dir, 'shape.npy'), writeNpy({ dataType: 'float32', shape: [3, 2], bytes: new Uint8Array(24) }));
  writeFileSync(join(dir, 'fortran.npy'), Buffer.from(good.toString('latin1').replace("'fortran_order': False", "'fortran_order': True "), 'latin1'));
  writeFileSync(join(dir, 'jagged.json'), '[[1, 2, 3], [4, 5]]');
  writeFileSync(join(dir, 'strings.json'), '[["1", 2, 3], [4, 5, 6]]');
  writeFileSync(join(dir, 'deep.webnn'), `webnn_graph "g" v1 { nodes { y = relu(x, a=${'['.repeat(50_000)}`);
  writeFileSync(join(dir, 'long.webnn'), `webnn_graph "g" v1 { inputs { ${'x'.repeat(10_000_000)}: f32[2] } }`);
  const cases: [string[], RegExp][] = [
    [['run', 'r.webnn', '--input', 'x=trunc.npy'], /^trunc\.npy: not a readable \.npy file: expected 24 bytes of data, the file has 23: it is truncated$/],
    [['run', 'r.webnn', '--input', 'x=i32.npy'], /^i32\.npy: input 'x' is float32, the file holds int32$/],
    [['run', 'r.webnn', '--input', 'x=shape.npy'], /^input 'x' is \[3, 2\], expected \[2, 3\]$/],
    [['run', 'r.webnn', '--input', 'x=fortran.npy'], /^fortran\.npy: not a readable \.npy file: Fortran-ordered arrays are not supported/],
    [['run', 'r.webnn', '--input', 'x=missing.npy'], /^missing\.npy: cannot read the file: ENOENT$/],
    [['run', 'r.webnn', '--input', 'x=jagged.json'], /^jagged\.json: nested arrays have different lengths$/],
    [['run', 'r.webnn', '--input', 'x=strings.json'], /^strings\.json: expected numbers or nested arrays of numbers, found "1"$/],
    [['pack-weights', 'missing.safetensors', '--out', 'q.weights'], /^missing\.safetensors: cannot read the file: ENOENT$/],
    [['pack-weights', 'missing.npy', '--out', 'q.weights'], /^missing\.npy: cannot read the file: ENOENT$/],
    [['pack-weights', 'x=trunc.npy', '--out', 'q.safetensors'], /^q\.safetensors: tsnn writes weights as a weights file with a manifest, not as safetensors: name it \.weights$/],
    [['validate', 'deep.webnn'], /^deep\.webnn:1:301: arrays and objects nested more than 256 deep: expected a flatter value$/],
    [['validate', 'long.webnn'], /^long\.webnn:1:10000040: expected ';' after the input's type, found '}'$/],
    [['convert', 'r.webnn', '--to', 'json', '-o', join(dir, 'r.webnn', 'out.json')], /r\.webnn\/out\.json: cannot write the file: ENOTDIR$/],
  ];
  for (const [args, message] of cases) {
    const r = tsnn(...args);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr.trimEnd(), message);
    assert.equal(r.stderr.split('\n').length, 2, `one line: ${r.stderr}`);
    assert.ok(!/\n\s+at /.test(r.stderr));
  }
});
