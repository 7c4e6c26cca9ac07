// Malformed ONNX gets one error line naming the model (and the node where there is one); nothing crashes and
// nothing is left half-written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importOnnx, convertOnnx, OnnxImportError, ml, type MLContext } from '../../src/index.js';
import { encodeModel, type OnnxTensor } from '../../src/onnx/schema.js';
import { f32, graph, model, node, TT, valueInfo } from '../support/onnx-builder.js';
import { bin, node as cliNode } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tsnn-malformed-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

let context: MLContext | undefined;
const ctx = async () => (context ??= await ml.createContext());

/** A good model: y = relu(x · w + b). */
function good(extra: Partial<Parameters<typeof model>[0]> = {}): Uint8Array {
  return model({
    nodes: [node('MatMul', ['x', 'w'], ['h'], {}, '', 'proj'), node('Add', ['h', 'b'], ['hb'], {}, '', 'bias'), node('Relu', ['hb'], ['y'], {}, '', 'act')],
    inputs: [valueInfo('x', TT.FLOAT, ['n', 4])],
    outputs: [valueInfo('y', TT.FLOAT, ['n', 3])],
    initializers: [f32('w', [4, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), f32('b', [3], [0.5, -0.5, 0])],
    ...extra,
  });
}

function write(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** Imports `path`, expecting an OnnxImportError whose message is one line matching `pattern`. */
async function fails(path: string, pattern: RegExp): Promise<string> {
  let err: unknown;
  try {
    await importOnnx(path, { context: await ctx() });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof OnnxImportError, `expected an OnnxImportError, got ${String(err)}`);
  const message = (err as Error).message;
  assert.ok(!message.includes('\n'), `one line: ${message}`);
  assert.match(message, pattern);
  return message;
}

test('the good model imports and runs (the baseline the malformed ones are cut from)', async () => {
  const m = await importOnnx(write('good.onnx', good()), { context: await ctx() });
  const r = await m.context.compute(m.graph, { x: { data: new Float32Array([1, 0, 0, -1]), shape: [1, 4] } });
  assert.deepEqual(Array.from(r.y!.data as Float32Array), [0, 0, 0]);
  const r2 = await m.context.compute(m.graph, { x: { data: new Float32Array([1, 1, 0, 0]), shape: [1, 4] } });
  assert.deepEqual(Array.from(r2.y!.data as Float32Array), [5.5, 6.5, 9]);
});

test('a truncated protobuf names the model', async () => {
  const bytes = good();
  await fails(write('truncated.onnx', bytes.subarray(0, Math.floor(bytes.length * 0.6))), /^truncated\.onnx: not a valid ONNX model: the protobuf is truncated or corrupt/);
  await fails(write('empty.onnx', new Uint8Array(0)), /^empty\.onnx: not a valid ONNX model: the file is empty/);
  // Every cut of the model fails cleanly or imports (a cut at a field boundary can leave a smaller valid model).
  for (let cut = 1; cut < bytes.length; cut += 7) {
    try {
      await importOnnx(bytes.subarray(0, cut), { context: await ctx(), modelName: `cut${cut}.onnx` });
    } catch (err) {
      assert.ok(err instanceof OnnxImportError, `cut at ${cut}: ${String(err)}`);
      assert.match((err as Error).message, new RegExp(`^cut${cut}\\.onnx: `));
    }
  }
});

test('a missing initializer (declared, without its data) names the model and the tensor', async () => {
  const short: OnnxTensor = { name: 'w', dims: [4, 3], dataType: TT.FLOAT, rawData: new Uint8Array(8) };
  const bytes = good({ initializers: [short, f32('b', [3], [0, 0, 0])] });
  await fails(write('short-init.onnx', bytes), /^short-init\.onnx: initializer 'w' has 8 bytes of data, 48 expected for float\[4, 3\]/);
  // And one the node refers to but the graph does not hold at all.
  const absent = good({ initializers: [f32('b', [3], [0, 0, 0])] });
  await fails(write('no-init.onnx', absent), /^no-init\.onnx: node 'proj' \(MatMul\): input 'w' is not defined/);
});

test('an undefined graph input names the model and the node that reads it', async () => {
  const bytes = good({ inputs: [valueInfo('z', TT.FLOAT, ['n', 4])] });
  await fails(write('undefined-input.onnx', bytes), /^undefined-input\.onnx: node 'proj' \(MatMul\): input 'x' is not defined \(not a graph input, an initializer or an earlier node's output\)/);
  const noOutput = good({ outputs: [valueInfo('nothing', TT.FLOAT, ['n', 3])] });
  await fails(write('undefined-output.onnx', noOutput), /^undefined-output\.onnx: graph output 'nothing' is not computed/);
});

test('an opset outside the supported range names the model', async () => {
  await fails(write('opset8.onnx', good({ opset: 8 })), /^opset8\.onnx: opset 8 of the default domain is outside the supported range 9–21/);
  await fails(write('opset22.onnx', good({ opset: 22 })), /^opset22\.onnx: opset 22 of the default domain is outside the supported range 9–21/);
  // An operator whose own version range the opset misses names the node.
  const old = good({ opset: 9, nodes: [node('Trilu', ['x'], ['y'], {}, '', 'tri')] });
  await fails(write('trilu9.onnx', old), /^trilu9\.onnx: node 'tri' \(Trilu\): opset 9 of Trilu is not supported \(supported: 14\+\)/);
});

/** The good model with w as external data in `file` (offset and length as given). */
function external(file: string, offset: number, length: number): Uint8Array {
  const w: OnnxTensor = {
    name: 'w', dims: [4, 3], dataType: TT.FLOAT, rawData: new Uint8Array(0), dataLocation: 1,
    externalData: [{ key: 'location', value: file }, { key: 'offset', value: String(offset) }, { key: 'length', value: String(length) }],
  };
  return encodeModel({
    irVersion: 8, opsetImport: [{ domain: '', version: 17 }], producerName: 't', producerVersion: '0',
    graph: graph({
      nodes: [node('MatMul', ['x', 'w'], ['y'], {}, '', 'proj')],
      inputs: [valueInfo('x', TT.FLOAT, [2, 4])], outputs: [valueInfo('y', TT.FLOAT, [2, 3])], initializers: [w],
    }),
  });
}

test('external data: read from the side file; a missing or short file names the model and the tensor', async () => {
  const weights = new Float32Array(16).map((_, i) => i);
  writeFileSync(join(dir, 'w.bin'), new Uint8Array(weights.buffer));
  const m = await importOnnx(write('ext.onnx', external('w.bin', 16, 48)), { context: await ctx() });
  const r = await m.context.compute(m.graph, { x: new Float32Array([1, 0, 0, 0, 0, 0, 0, 1]) });
  assert.deepEqual(Array.from(r.y!.data as Float32Array), [4, 5, 6, 13, 14, 15]);
  await fails(write('ext-missing.onnx', external('nowhere.bin', 0, 48)), /^ext-missing\.onnx: initializer 'w': external data file 'nowhere\.bin' cannot be read \(ENOENT\)/);
  await fails(write('ext-short.onnx', external('w.bin', 32, 48)), /^ext-short\.onnx: initializer 'w': external data file 'w\.bin' has 64 bytes, but the tensor lies at bytes 32–80/);
  await fails(write('ext-escape.onnx', external('../w.bin', 0, 48)), /^ext-escape\.onnx: initializer 'w': external data location '\.\.\/w\.bin' must be a path inside the model's directory/);
  await assert.rejects(importOnnx(external('w.bin', 16, 48), { context: await ctx(), modelName: 'bytes.onnx' }), /bytes\.onnx: .*external file 'w\.bin', but the model was given as bytes/);
});

test('a failed conversion leaves no graph file behind, and the CLI reports it on one line with exit code 1', async () => {
  const out = join(dir, 'never.webnn');
  await assert.rejects(convertOnnx(write('bad.onnx', good({ opset: 30 })), out), OnnxImportError);
  assert.ok(!existsSync(out));
  const r = cliNode([bin, 'import', join(dir, 'truncated.onnx'), '-o', out]);
  assert.equal(r.status, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /truncated\.onnx: not a valid ONNX model/);
  assert.ok(!existsSync(out));
  assert.ok(readFileSync(join(dir, 'good.onnx')).length > 0);
});
