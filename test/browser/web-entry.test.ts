// The browser entry (src/web.ts) without a browser: its bundle builds for browsers with nothing Node-specific in it,
// and in Node it runs on onnxruntime-web's own Node build (the same WebAssembly kernels a page uses): graphs compute,
// installGlobals leaves a browser's own WebNN alone unless forced, and graph files load from buffers, Files and URLs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GraphFileError, installGlobals, loadGraphFromBuffers, loadGraphFromFiles, loadGraphFromUrl, ml, MLContext, MLGraphBuilder, toFloat16Bits,
} from '../../src/web.js';
import { BROWSER_SWAPS, bundle, ROOT } from '../../scripts/build-web.js';
import { printGraphJson } from '../../src/format/json.js';
import { parseWebnn } from '../../src/format/parser.js';

const EXAMPLES = join(ROOT, 'examples');
const mlp = {
  graph: readFileSync(join(EXAMPLES, 'mlp.webnn'), 'utf8'),
  weights: new Uint8Array(readFileSync(join(EXAMPLES, 'mlp.weights'))),
  manifest: readFileSync(join(EXAMPLES, 'mlp.manifest.json'), 'utf8'),
};
const X = new Float32Array([0.5, -1, 2, 0.25, -0.75, 1.5, 0, 3]);

/** The example MLP computed here in plain JavaScript from its weights file: the reference for loading it. */
function mlpReference(): { probs: number[]; logits: number[] } {
  const manifest = JSON.parse(mlp.manifest) as { tensors: Record<string, { byteOffset: number; byteLength: number }> };
  const tensor = (key: string) => {
    const t = manifest.tensors[key]!;
    return new Float32Array(mlp.weights.slice(t.byteOffset, t.byteOffset + t.byteLength).buffer);
  };
  const [w1, b1, w2] = [tensor('layer1.weight'), tensor('layer1.bias'), tensor('layer2.weight')];
  const probs: number[] = [];
  const logits: number[] = [];
  for (let r = 0; r < 2; r++) {
    const h = Array.from({ length: 8 }, (_, j) => Math.max(0, b1[j]! + [0, 1, 2, 3].reduce((s, k) => s + X[r * 4 + k]! * w1[k * 8 + j]!, 0)));
    const l = Array.from({ length: 3 }, (_, j) => Math.fround(0.1) + h.reduce((s, v, k) => s + v * w2[k * 3 + j]!, 0));
    const e = l.map((v) => Math.exp(v - Math.max(...l)));
    logits.push(...l);
    probs.push(...e.map((v) => v / e.reduce((a, b) => a + b, 0)));
  }
  return { probs, logits };
}

async function computeMlp(graph: Awaited<ReturnType<typeof loadGraphFromBuffers>>, context: MLContext) {
  const out = await context.compute(graph, { x: X });
  return { probs: [...(out.probs!.data as Float32Array)], logits: [...(out.logits!.data as Float32Array)] };
}

function assertClose(actual: number[], expected: number[], what: string): void {
  assert.equal(actual.length, expected.length, what);
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) <= 1e-5, `${what}[${i}]: ${v}, expected ${expected[i]}`));
}

test('the browser bundle builds with no Node built-in and without the onnxruntime-node backend', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsnn-web-bundle-'));
  try {
    // platform 'browser' fails the build on any Node built-in it would have to include.
    const inputs = await bundle(join(ROOT, 'src/web.ts'), join(dir, 'tsnn.js'), { format: 'esm', external: ['onnxruntime-web'] });
    assert.ok(inputs.includes('src/backends/onnxruntime-web/backend.ts'), 'the web backend is in the bundle');
    assert.ok(inputs.includes('src/format/bytes.ts'));
    for (const [from, to] of Object.entries(BROWSER_SWAPS)) {
      assert.ok(!inputs.includes(from) && inputs.includes(to), `${from} is replaced by ${to}`);
    }
    assert.deepEqual(inputs.filter((f) => /onnxruntime-node|backends\/onnxruntime\/backend\.ts|src\/index\.ts|format\/(io|weights|atomic)\.ts/.test(f)), []);
    const code = readFileSync(join(dir, 'tsnn.js'), 'utf8');
    assert.match(code, /from"onnxruntime-web"|from "onnxruntime-web"/, 'onnxruntime-web is left to the page');
    assert.doesNotMatch(code, /from\s*"node:|require\("node:/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('each browser swap exports what the module it replaces exports', async () => {
  for (const [from, to] of Object.entries(BROWSER_SWAPS)) {
    const a = Object.keys(await import(join(ROOT, from))).sort();
    const b = Object.keys(await import(join(ROOT, to))).sort();
    assert.deepEqual(b, a, `${to} vs ${from}`);
  }
});

test('a graph computes on onnxruntime-web (its WebAssembly build, here in Node)', async () => {
  const context = await ml.createContext();
  assert.match(context.backend, /^onnxruntime-web \d+\.\d+\.\d+ \(wasm/);
  assert.equal(context.accelerated, false);
  const b = new MLGraphBuilder(context);
  const x = b.input('x', { dataType: 'float32', shape: [2, 3] });
  const y = b.relu(b.add(x, b.constant({ dataType: 'float32', shape: [3] }, new Float32Array([1, -2, 0.5]))));
  const z = b.cast(b.mul(x, x), 'float16');
  const graph = await b.build({ y, z });
  const input = new Float32Array([1, 2, 3, -4, -5, -6]);
  const copy = input.slice();
  const out = await context.compute(graph, { x: input });
  assert.deepEqual([...(out.y!.data as Float32Array)], [2, 0, 3.5, 0, 0, 0]);
  assert.deepEqual([...(out.z!.data as Uint16Array)], [0x3c00, 0x4400, 0x4880, 0x4c00, 0x4e40, 0x5080]); // 1, 4, 9, 16, 25, 36
  assert.deepEqual(input, copy, 'the caller\'s input is not modified');
  // float16 rounds after every operator, as on onnxruntime-node (onnxruntime would otherwise compute the chain in
  // float32): 60000 + 60000 is Infinity in float16, whatever it is cast to next.
  const h = new MLGraphBuilder(context);
  const hx = h.input('x', { dataType: 'float16', shape: [1] });
  const overflow = await h.build({ y: h.cast(h.add(hx, hx), 'float32') });
  assert.deepEqual([...((await context.compute(overflow, { x: Uint16Array.of(toFloat16Bits(60000)) })).y!.data as Float32Array)], [Infinity]);
  // A context asking for an accelerator gets WebAssembly where there is no WebGPU, and says why.
  const accelerated = await ml.createContext({ accelerated: true } as Parameters<typeof ml.createContext>[0]);
  assert.equal(accelerated.accelerated, false);
  assert.match(accelerated.backend, /webgpu unavailable: .*navigator\.gpu/);
});

test('installGlobals defines navigator.ml only where there is none, unless forced', () => {
  const g = globalThis as Record<string, unknown>;
  const saved = Object.getOwnPropertyDescriptor(g, 'navigator');
  try {
    Object.defineProperty(g, 'navigator', { value: {}, configurable: true, writable: true });
    assert.equal(installGlobals(), true);
    assert.equal((g.navigator as { ml: unknown }).ml, ml);
    assert.equal(g.MLGraphBuilder, MLGraphBuilder);

    const native = { createContext() {} };
    Object.defineProperty(g, 'navigator', { value: { ml: native }, configurable: true, writable: true });
    delete g.MLGraphBuilder;
    assert.equal(installGlobals(), false);
    assert.equal((g.navigator as { ml: unknown }).ml, native, "the browser's own WebNN stays");
    assert.equal(g.MLGraphBuilder, undefined);
    assert.equal(installGlobals({ force: true }), true);
    assert.equal((g.navigator as { ml: unknown }).ml, ml);
  } finally {
    if (saved) Object.defineProperty(g, 'navigator', saved);
    else delete g.navigator;
  }
});

test('a graph file loads from buffers (text, weights bytes, manifest) and computes the same as by hand', async () => {
  const context = await ml.createContext();
  const expected = mlpReference();
  const weights = mlp.weights.slice();
  const graph = await loadGraphFromBuffers(context, { graph: mlp.graph, weights, manifest: mlp.manifest });
  const got = await computeMlp(graph, context);
  assertClose(got.probs, expected.probs, 'probs');
  assertClose(got.logits, expected.logits, 'logits');
  assert.deepEqual(weights, mlp.weights, 'the weights given are not modified');
  // The same from UTF-8 bytes, an ArrayBuffer of weights and a parsed manifest.
  const again = await loadGraphFromBuffers(context, {
    graph: new TextEncoder().encode(mlp.graph), weights: mlp.weights.slice().buffer, manifest: JSON.parse(mlp.manifest) as object,
  });
  assertClose((await computeMlp(again, context)).probs, expected.probs, 'probs (bytes)');
});

test('loading from buffers says what is wrong', async () => {
  const context = await ml.createContext();
  await assert.rejects(loadGraphFromBuffers(context, { graph: mlp.graph, names: { graph: 'mlp.webnn' } }),
    (e: Error) => e instanceof GraphFileError && /^mlp\.webnn: the graph uses @weights but no weights and manifest were given/.test(e.message));
  await assert.rejects(loadGraphFromBuffers(context, { graph: mlp.graph, weights: mlp.weights.slice(0, 100), manifest: mlp.manifest }),
    /graph\.weights: tensor '.*' needs bytes .* but the file has 100 bytes/);
  await assert.rejects(loadGraphFromBuffers(context, { graph: Uint8Array.of(0x77, 0xff, 0xfe), names: { graph: 'bad.webnn' } }),
    /^GraphFileError: bad\.webnn: the file is not valid UTF-8 text$|bad\.webnn: the file is not valid UTF-8 text/);
  await assert.rejects(loadGraphFromBuffers(context, { graph: mlp.graph.replace('relu(h1)', 'relu(h9)'), weights: mlp.weights, manifest: mlp.manifest }),
    /graph:\d+:\d+: 'h9' is not defined/);
  await assert.rejects(loadGraphFromBuffers(context, { graph: mlp.graph, weights: mlp.weights, manifest: '{"format": 1' }), /manifest is not valid JSON/);
});

test('a graph file loads from File objects and from URLs', async () => {
  const context = await ml.createContext();
  const expected = mlpReference();
  const files = [
    new File([mlp.manifest], 'mlp.manifest.json'), new File([mlp.graph], 'mlp.webnn'), new File([mlp.weights], 'mlp.weights'),
  ];
  assertClose((await computeMlp(await loadGraphFromFiles(context, files), context)).probs, expected.probs, 'probs (Files)');
  await assert.rejects(loadGraphFromFiles(context, [files[0]!, files[2]!]), /no graph \(\.webnn or \.json\) file among mlp\.manifest\.json, mlp\.weights/);

  const served: Record<string, Uint8Array | string> = {
    '/models/mlp.webnn': mlp.graph, '/models/mlp.weights': mlp.weights, '/models/mlp.manifest.json': mlp.manifest,
    '/json/mlp.json': printGraphJson(parseWebnn(mlp.graph)), '/json/w.bin': mlp.weights, '/json/m.json': mlp.manifest,
  };
  const server = createServer((req, res) => {
    const body = served[new URL(req.url ?? '/', 'http://x').pathname];
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200).end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  try {
    const graph = await loadGraphFromUrl(context, `${base}/models/mlp.webnn`);
    assertClose((await computeMlp(graph, context)).probs, expected.probs, 'probs (URL)');
    // The JSON form, its weights and manifest under other names.
    const json = await loadGraphFromUrl(context, new URL(`${base}/json/mlp.json?v=2`), { weights: 'w.bin', manifest: `${base}/json/m.json` });
    assertClose((await computeMlp(json, context)).probs, expected.probs, 'probs (JSON form by URL)');
    delete served['/models/mlp.manifest.json'];
    await assert.rejects(loadGraphFromUrl(context, `${base}/models/mlp.webnn`), new RegExp(`${base}/models/mlp\\.manifest\\.json: cannot fetch the manifest: HTTP 404`));
  } finally {
    server.close();
  }
});
