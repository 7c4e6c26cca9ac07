// Bad input to graph files gives a clear, one-line error naming the problem (file:line:column for the text form),
// never a crash, a hang or a stack trace; writing never leaves a partial file over a good one; loading never
// changes the caller's files or buffers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphFileError, graphFromJson, loadGraph, ml, MLGraphBuilder, parseWebnn, printWebnn, saveGraph, type MLContext } from '../../src/index.js';
import { buildGraphFile, orderNodes } from '../../src/format/graph-file.js';
import { parseGraphJsonText } from '../../src/format/json.js';
import { readNpy, writeNpy } from '../../src/format/npy.js';
import { writeWeights } from '../../src/format/weights.js';

const dir = mkdtempSync(join(tmpdir(), 'tsnn-robust-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

let ctx: MLContext;
test.before(async () => {
  ctx = await ml.createContext();
});

/** Parses and builds `src`; expects a GraphFileError whose message matches `message` (a one-liner). */
async function rejects(src: string, message: RegExp, parse = parseWebnn): Promise<void> {
  await assert.rejects(async () => buildGraphFile(ctx, parse(src)), (err: unknown) => {
    assert.ok(err instanceof GraphFileError, `${String(err)}`);
    assert.match(err.message, message);
    assert.ok(!err.message.includes('\n'), err.message);
    assert.ok(err.message.length <= 1100, `a short message: ${err.message.length} characters`);
    return true;
  });
}

const graph = (body: string, version = 1) => `webnn_graph "g" v${version} {\n${body}\n}`;

test('huge, negative, fractional and NaN dimensions are errors naming the dimension (nothing is allocated)', async () => {
  await rejects(graph('inputs { x: f32[4294967296]; }\nnodes { y = relu(x); }\noutputs { y; }'),
    /^2:10: input 'x': shape \[4294967296\] has an invalid dimension 4294967296 \(must be an integer from 1 to 2147483647/);
  await rejects(graph('inputs { x: f32[2]; }\nconsts { c: f32[65536, 65536] @scalar(1); }\nnodes { y = relu(x); }\noutputs { y; }'),
    /^3:10: constant 'c': shape \[65536, 65536\] has 4294967296 elements, more than 2147483647$/);
  await rejects(graph('inputs { x: f32[2]; }\nconsts { c: f32[1073741824] @bytes([1]); }\nnodes { y = relu(x); }\noutputs { y; }'),
    /^3:10: constant 'c': shape \[1073741824\] of float32 exceeds the maximum tensor byte length 2147483647$/);
  await rejects(graph('inputs { x: f32[dyn("s", 1e12)]; }\nnodes { y = relu(x); }\noutputs { y; }', 2),
    /^2:26: expected the dynamic dimension's maximum size \(an integer\), found '1e12'$/);
  await rejects(graph('inputs { x: f32[dyn("s", 1000000000000)]; }\nnodes { y = relu(x); }\noutputs { y; }', 2),
    /^2:10: input 'x': dynamic dimension 0 's' has maxSize 1000000000000; it must be an integer from 1 to 2147483647$/);
  await rejects(graph('inputs { x: f32[99999999999999999999]; }'), /^2:17: a dimension \(an integer or dyn\("name", maxSize\)\): '99999999999999999999' is too large$/);
  for (const d of ['-1', '1.5', 'NaN', '1e3']) {
    await rejects(graph(`inputs { x: f32[${d}]; }`), new RegExp(`^2:17: expected a dimension \\(an integer or dyn\\("name", maxSize\\)\\), found '${d}'$`));
  }
  // The JSON form says where in the document.
  const json = (shape: string) => `{"format": "webnn-graph-json", "version": 2, "inputs": {"x": {"dataType": "float32", "shape": ${shape}}}, "nodes": []}`;
  await rejects(json('[1e300]'), /^\$\.inputs\.x\.shape\[0\]: expected a non-negative integer, found 1e\+300$/, parseGraphJsonText);
  await rejects(json('[99999999999999999999]'), /^\$\.inputs\.x\.shape\[0\]: expected a non-negative integer, found 99999999999999999999$/, parseGraphJsonText);
  await rejects(json('[-2]'), /^\$\.inputs\.x\.shape\[0\]: expected a non-negative integer, found -2$/, parseGraphJsonText);
  await rejects(json('[{"name": "s", "maxSize": 0.5}]'), /^\$\.inputs\.x\.shape\[0\]\.maxSize: expected a non-negative integer, found 0\.5$/, parseGraphJsonText);
  await rejects(json('[4294967296]'), /^input 'x': shape \[4294967296\] has an invalid dimension/, parseGraphJsonText);
});

test('deep nesting is an error, not a stack overflow; duplicate keys are errors', async () => {
  const deep = '['.repeat(100_000);
  await rejects(graph(`inputs { x: f32[2]; }\nnodes { y = relu(x, a=${deep}); }`), /^3:280: arrays and objects nested more than 256 deep: expected a flatter value$/);
  await rejects(graph(`inputs { x: f32[2]; }\nnodes { y = relu(x, a=${'{a: '.repeat(100_000)}); }`), /^3:\d+: arrays and objects nested more than 256 deep/);
  await rejects(deep, /^1:257: invalid JSON: arrays and objects nested more than 256 deep$/, parseGraphJsonText);
  await rejects('{"format": "webnn-graph-json", "version": 1, "nodes": [], "version": 2}', /^1:59: invalid JSON: duplicate key "version": expected each key once$/, parseGraphJsonText);
  await rejects(graph('inputs { x: f32[2]; }\nnodes { y = relu(x, a={k: 1, k: 2}); }'), /^3:30: duplicate key 'k' in the object: expected each key once$/);
  await rejects(graph('inputs { x: f32[2]; x: f32[3]; }'), /^2:21: 'x' is already declared: expected a new name$/);
  await rejects(graph('inputs { x: f32[2]; }\nnodes { y = relu(x, label="a", label="b"); }'), /^3:32: 'label' is given twice to relu: expected each argument once$/);
  await rejects('{"format": "webnn-graph-json", "version": 1, "inputs": {"x": {"dataType": "float64", "shape": [2]}}, "nodes": []}',
    /^\$\.inputs\.x\.dataType: expected a data type \(float32, .*\), found "float64"$/, parseGraphJsonText);
  await rejects(graph('inputs { x: f64[2]; }'), /^2:13: unknown data type 'f64': expected one of f32, f16/);
  await rejects('{"format": "webnn-graph-json", "version": 1, "nodes": [{"id": "y", "op": "relu", "inputs": ["x"], "options": {"label": "a\\q"}}]}',
    /^1:\d+: invalid JSON: invalid escape in string/, parseGraphJsonText);
  await rejects(graph('inputs { x: f32[2]; }\nnodes { y = gemm(x, x, c=99999999999999999999); }'), /^3:9: gemm option 'c' must name an operand, found 99999999999999999999$/);
});

test('names that are also Object.prototype members are ordinary names', async () => {
  const text = (a: string, out: string) => graph(`inputs { constructor: f32[2]; ${a}: f32[2]; }
consts { toString: f32[2] @scalar(10); }
nodes { hasOwnProperty = add(constructor, ${a}, label="constructor"); valueOf = mul(hasOwnProperty, toString); }
outputs { valueOf; ${out} = valueOf; }`);
  const g = parseWebnn(text('__proto__', '__proto__'));
  assert.deepEqual(Object.keys(g.inputs), ['constructor', '__proto__']);
  assert.deepEqual(Object.keys(g.outputs), ['valueOf', '__proto__']);
  assert.equal(Object.getPrototypeOf(g.inputs), Object.prototype);
  // (MLContext.compute() cannot take an input named __proto__, so the graph that runs names it otherwise.)
  const built = await buildGraphFile(ctx, parseWebnn(text('isPrototypeOf', 'toLocaleString')));
  const r = await ctx.compute(built, { constructor: Float32Array.from([1, 2]), isPrototypeOf: Float32Array.from([3, 4]) });
  for (const name of ['valueOf', 'toLocaleString']) assert.deepEqual([...r[name]!.data], [40, 60]);
  // The same through the JSON form: string values that are prototype member names stay strings.
  const j = parseGraphJsonText('{"format": "webnn-graph-json", "version": 1, "inputs": {"toString": {"dataType": "float32", "shape": [2]}},'
    + '"nodes": [{"id": "y", "op": "relu", "inputs": ["toString"], "options": {"label": "constructor"}}], "outputs": {"__proto__": "y"}}');
  assert.equal(j.nodes[0]!.options.label, 'constructor');
  assert.deepEqual(Object.keys(j.outputs), ['__proto__']);
});

test('a 10 MB single-line file is read in linear time (a long chain of nodes, long strings, long numbers)', async () => {
  const n = 450_000;
  let body = '';
  for (let i = 0; i < n; i++) body += `v${i + 1} = relu(v${i}); `;
  const src = `webnn_graph "g" v1 { inputs { v0: f32[2]; } nodes { ${body}} outputs { v${n}; } }`;
  assert.ok(src.length > 10_000_000 && !src.includes('\n'));
  const g = parseWebnn(src);
  assert.equal(orderNodes(g).length, n);
  g.nodes.reverse(); // listed in reverse: a 450 000-deep dependency chain, walked without recursion
  assert.equal(orderNodes(g)[n - 1]!.id, `v${n}`);
  await rejects(`webnn_graph "${'x'.repeat(10_000_000)}`, /^1:13: unterminated string: expected a closing '"' on the same line$/);
  await rejects(`{"format": "${'x'.repeat(10_000_000)}`, /^1:12: invalid JSON: unterminated string$/, parseGraphJsonText);
  await rejects(`{"format": "${'\\\\'.repeat(5_000_000)}"}`, /^\$\.format: expected "webnn-graph-json", found "(\\\\)+\.\.\.$/, parseGraphJsonText);
  await rejects(graph(`inputs { x: f32[${'7'.repeat(10_000_000)}]; }`), /^2:17: a dimension .*: '7{40}…' is too large$/);
});

function manifestFor(tensor: Record<string, unknown>): string {
  return JSON.stringify({ format: 'wg-weights-manifest', version: 1, endianness: 'little', tensors: { w: { dataType: 'float32', shape: [2], byteOffset: 8, byteLength: 8, ...tensor } } });
}

test('weights manifests: bad offsets, lengths, data types and duplicate keys are errors naming the manifest and the field', async () => {
  const stem = join(dir, 'm');
  writeWeights(`${stem}.weights`, `${stem}.manifest.json`, [['w', { dataType: 'float32', shape: [2], bytes: new Uint8Array(8) }]]);
  writeFileSync(`${stem}.webnn`, graph('inputs { x: f32[2]; }\nconsts { w: f32[2] @weights("w"); }\nnodes { y = add(x, w); }\noutputs { y; }'));
  const m = `${stem}.manifest.json`;
  const cases: [string, RegExp][] = [
    [manifestFor({ byteOffset: -8 }), /manifest tensors\.w\.byteOffset: expected a non-negative integer, found -8$/],
    [manifestFor({ byteOffset: 8.5 }), /manifest tensors\.w\.byteOffset: expected a non-negative integer, found 8\.5$/],
    [manifestFor({ byteOffset: 1e300 }), /manifest tensors\.w\.byteOffset: expected a non-negative integer, found 1e\+300$/],
    [manifestFor({ byteOffset: 9007199254740993 }).replace('9007199254740992', '9007199254740993'), /byteOffset: expected a non-negative integer, found 9007199254740993$/],
    [manifestFor({ byteOffset: 4096 }), /m\.weights: tensor 'w' needs bytes 4096 to 4104 but the file has 24 bytes/],
    [manifestFor({ byteLength: -1 }), /byteLength: expected a non-negative integer, found -1$/],
    [manifestFor({ byteLength: 12 }), /manifest tensors\.w\.byteLength: 12 bytes, expected 8 for float32 \[2\]$/],
    [manifestFor({ shape: [3] }), /manifest tensors\.w\.byteLength: 8 bytes, expected 12 for float32 \[3\]$/],
    [manifestFor({ shape: [2.5] }), /manifest tensors\.w\.shape: expected an array of non-negative integers, found \[2\.5\]$/],
    [manifestFor({ dataType: 'bfloat16' }), /manifest tensors\.w\.dataType: expected one of float32, .*, found "bfloat16"$/],
    [manifestFor({ dataType: 'int32' }), /constant 'w' is declared f32\[2\] but weights 'w' in .*m\.weights is i32\[2\]: expected the same data type and shape$/],
    [manifestFor({}).replace('"tensors":{', '"tensors":{"w":{},'), /manifest is not valid JSON: duplicate key "w": expected each key once at 1:\d+$/],
    [manifestFor({}).replace('{"format"', '{"version":1,"format"'), /manifest is not valid JSON: duplicate key "version"/],
    [manifestFor({}).slice(0, 40), /manifest is not valid JSON: unterminated string at 1:33$/],
    ['[]', /manifest must be a JSON object$/],
    ['{"format": "wg-weights-manifest", "version": 1, "tensors": []}', /manifest tensors: expected an object of name/],
  ];
  const good = readFileSync(`${stem}.weights`);
  for (const [text, message] of cases) {
    writeFileSync(m, text);
    await assert.rejects(loadGraph(ctx, `${stem}.webnn`), (err: unknown) => {
      assert.ok(err instanceof GraphFileError, String(err));
      assert.match(err.message, message);
      assert.match(err.message, /m\.(manifest\.json|weights|webnn)/, 'names the file');
      return true;
    }, text);
  }
  assert.deepEqual(readFileSync(`${stem}.weights`), good, 'loading never changes the weights file');
});

test('safetensors files: header length beyond the file, invalid JSON, bad offsets and sizes', async () => {
  const st = join(dir, 's.safetensors');
  writeFileSync(join(dir, 's.webnn'), graph('inputs { x: f32[2]; }\nconsts { w: f32[2] @weights("w"); }\nnodes { y = add(x, w); }\noutputs { y; }'));
  const file = (header: string, data = 8) => {
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(Buffer.byteLength(header)));
    return Buffer.concat([len, Buffer.from(header), Buffer.alloc(data)]);
  };
  const huge = Buffer.alloc(16);
  huge.writeBigUInt64LE(0xffffffffffffffffn);
  const cases: [Buffer, RegExp][] = [
    [huge, /not a valid safetensors file: header length 18446744073709552000 runs past the end of the file \(16 bytes\)$/],
    [Buffer.alloc(4), /not a valid safetensors file: 4 bytes, shorter than the 8-byte header length$/],
    [file('{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]'), /not a valid safetensors file: the header is not JSON: unexpected the end of the text at 1:60$/],
    [file('null'), /not a valid safetensors file: the header is not a JSON object$/],
    [file('{"w": 5}'), /tensor 'w' is not an object$/],
    [file('{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0.5, 8.5]}}'), /tensor 'w' has data_offsets \[0\.5,8\.5\]: expected \[begin, end\] with 0 ≤ begin ≤ end$/],
    [file('{"w": {"dtype": "F32", "shape": [2], "data_offsets": [-8, 0]}}'), /tensor 'w' has data_offsets \[-8,0\]/],
    [file('{"w": {"dtype": "F32", "shape": [2], "data_offsets": [8, 0]}}'), /tensor 'w' has data_offsets \[8,0\]/],
    [file('{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 800]}}'), /tensor 'w' bytes 0 to 800 run past the end of the data \(8 bytes\): the file is truncated$/],
    [file('{"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}'), /tensor 'w' has 8 bytes, expected 12 for F32 \[3\]$/],
    [file('{"w": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}}'), /tensor 'w' has shape \[-2\]: expected non-negative integers$/],
    [file('{"w": {"dtype": "F64", "shape": [1], "data_offsets": [0, 8]}}'), /tensor 'w' has safetensors dtype F64, which has no WebNN data type$/],
    [file('{"w": {"dtype": "constructor", "shape": [1], "data_offsets": [0, 8]}}'), /tensor 'w' has safetensors dtype constructor, which has no WebNN data type$/],
  ];
  for (const [bytes, message] of cases) {
    writeFileSync(st, bytes);
    await assert.rejects(loadGraph(ctx, join(dir, 's.webnn')), (err: unknown) => {
      assert.ok(err instanceof GraphFileError, String(err));
      assert.match(err.message, message);
      assert.ok(err.message.startsWith(st), err.message);
      return true;
    }, message.source);
    assert.deepEqual(readFileSync(st), bytes, 'loading never changes the file');
  }
});

test('.npy files: wrong magic, header, dtype, Fortran order, bad shapes and truncated data are one-line errors', () => {
  const good = Buffer.from(writeNpy({ dataType: 'float32', shape: [2, 3], bytes: new Uint8Array(24) }));
  const withHeader = (header: string) => Buffer.from(good.toString('latin1').replace(/\{.*\}/, header.padEnd(good.toString('latin1').match(/\{.*\}/)![0].length)), 'latin1');
  const cases: [Uint8Array, RegExp][] = [
    [Buffer.from('not numpy at all'), /not a readable \.npy file: missing the \\x93NUMPY magic$/],
    [good.subarray(0, 40), /not a readable \.npy file: the header runs past the end of the file$/],
    [good.subarray(0, good.byteLength - 4), /not a readable \.npy file: expected 24 bytes of data, the file has 20: it is truncated$/],
    [withHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }"), /Fortran-ordered arrays are not supported: save with C order$/],
    [withHeader("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }"), /numpy type '>f4' has no WebNN data type/],
    [withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"), /numpy type '<f8' has no WebNN data type/],
    [withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3), }"), /shape \(2, -3\) is not a tuple of non-negative integers$/],
    [withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2.5,), }"), /shape \(2\.5,\) is not a tuple of non-negative integers$/],
    [withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999), }"), /shape \(99999999999, 99999999999\) is too large$/],
    [withHeader("{'descr': '<f4', 'shape': (2, 3), }"), /lacks descr, fortran_order or shape$/],
  ];
  for (const [bytes, message] of cases) {
    const copy = Uint8Array.from(bytes);
    assert.throws(() => readNpy(copy, 'x.npy'), (err: unknown) => err instanceof GraphFileError && message.test(err.message) && err.message.startsWith('x.npy: '), message.source);
    assert.deepEqual(copy, Uint8Array.from(bytes), 'reading never changes the buffer');
  }
  // The tensor read is a copy: changing it leaves the caller's buffer alone.
  const t = readNpy(good);
  t.bytes.fill(7);
  assert.ok(good.subarray(good.byteLength - 24).every((b) => b === 0));
});

test('saveGraph writes all files or none: a failure mid-way leaves the old files intact and no temporary files', async () => {
  // A graph whose large constant stays in its weights file (read again while saving).
  const src = join(dir, 'src');
  const big = new Uint8Array(2 << 20).map((_, i) => i % 251);
  writeWeights(`${src}.weights`, `${src}.manifest.json`, [['w', { dataType: 'uint8', shape: [big.byteLength], bytes: big }]]);
  writeFileSync(`${src}.webnn`, graph(`inputs { x: u8[${big.byteLength}]; }\nconsts { w: u8[${big.byteLength}] @weights("w"); }\nnodes { y = add(x, w); }\noutputs { y; }`));
  const loaded = await loadGraph(ctx, `${src}.webnn`);
  const outDir = join(dir, 'saved');
  (await import('node:fs')).mkdirSync(outDir);
  const out = join(outDir, 'g.webnn');
  saveGraph(loaded, out);
  const files = readdirSync(outDir).sort();
  assert.deepEqual(files, ['g.manifest.json', 'g.webnn', 'g.weights']);
  const before = files.map((f) => readFileSync(join(outDir, f)));
  // The source weights file shrinks: reading the constant fails in the middle of writing the new weights.
  truncateSync(`${src}.weights`, 4096 + 1000);
  assert.throws(() => saveGraph(loaded, out), /ended before byte/);
  assert.deepEqual(readdirSync(outDir).sort(), files, 'no temporary files are left');
  files.forEach((f, i) => assert.deepEqual(readFileSync(join(outDir, f)), before[i], `${f} is intact`));
  // A graph the text form cannot name fails before anything is written.
  const b = new MLGraphBuilder(ctx);
  const g2 = await b.build({ 'out:0': b.relu(b.input('x', { dataType: 'float32', shape: [2] })) });
  assert.throws(() => saveGraph(g2, out), /output 'out:0' cannot be written in the \.webnn text form .* save as \.json instead/);
  files.forEach((f, i) => assert.deepEqual(readFileSync(join(outDir, f)), before[i], `${f} is intact`));
  saveGraph(g2, join(outDir, 'g2.json'));
  assert.deepEqual(Object.keys((await loadGraph(ctx, join(outDir, 'g2.json'))).outputDescriptors), ['out:0']);
  // A weights file named .safetensors would be read back as safetensors: refused.
  assert.throws(() => saveGraph(loaded, join(outDir, 'st.webnn'), { weights: join(outDir, 'st.safetensors') }),
    /st\.safetensors: tsnn writes weights as a weights file with a manifest, not as safetensors: name it \.weights$/);
  // A directory that cannot be written: a one-line error naming the file.
  assert.throws(() => saveGraph(g2, join(out, 'x.json')), (err: unknown) => err instanceof GraphFileError && /g\.webnn\/x\.json: cannot write the file: ENOTDIR$/.test(err.message));
  loaded.destroy();
});

test('loading leaves the caller\'s documents and files unchanged', async () => {
  const doc = {
    format: 'webnn-graph-json', version: 1, inputs: { x: { dataType: 'float32', shape: [2] } },
    nodes: [{ id: 'y', op: 'clamp', inputs: ['x'], options: { minValue: '-Infinity', maxValue: '-0' } }], outputs: { y: 'y' },
  };
  const deepFreeze = (o: object): void => {
    Object.freeze(o);
    for (const v of Object.values(o)) if (v && typeof v === 'object') deepFreeze(v as object);
  };
  const copy = structuredClone(doc);
  deepFreeze(doc);
  const g = graphFromJson(doc);
  assert.deepEqual(doc, copy);
  assert.equal(g.nodes[0]!.options.minValue, -Infinity);
  assert.ok(Object.is(g.nodes[0]!.options.maxValue, -0));
  const r = await ctx.compute(await buildGraphFile(ctx, g), { x: Float32Array.from([-1, 2]) });
  assert.deepEqual([...r.y!.data], [-1, -0]);
});

test('a label that reads like a number ("-0", "NaN") stays a string through the JSON form', async () => {
  for (const label of ['-0', 'NaN', 'Infinity']) {
    const g = parseGraphJsonText(`{"format": "webnn-graph-json", "version": 1, "inputs": {"x": {"dataType": "float32", "shape": [2]}},
      "nodes": [{"id": "y", "op": "reshape", "inputs": ["x"], "options": {"newShape": [3], "label": "${label}"}}], "outputs": {"y": "y"}}`);
    assert.equal(g.nodes[0]!.options.label, label);
    assert.equal(parseWebnn(printWebnn(g)).nodes[0]!.options.label, label);
    await rejects(printWebnn(g), new RegExp(`reshape \\[${label}\\]: newShape \\[3\\] has 3 elements`));
  }
});
