// ms per run of the MobileNet-style network (examples/browser/mobilenet.ts) three ways: in Node through tsnn on
// onnxruntime-node; in headless Chromium through tsnn/web (the polyfill); and in the same page through onnxruntime-web
// directly, on the ONNX model tsnn compiles for the graph. Node runs in its own process; in the page the two sides
// alternate in blocks (ABBA over rounds); Node and the page alternate round by round. Medians with their spread.
// Usage: npm run bench:browser [-- --rounds 5 --runs 30]   (needs Debian's chromium; TSNN_CHROMIUM to point elsewhere)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeMachine, median, watchOtherLoad } from './support.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, runs: { type: 'string', default: '30' }, side: { type: 'string' } } });
const ROUNDS = Number(values.rounds);
const RUNS = Number(values.runs);
const WARMUP = 5;

if (values.side === 'node') {
  // One Node round: tsnn on onnxruntime-node, the same warm-up and runs as a page block.
  const { ml, MLGraphBuilder } = await import('../src/index.js');
  const { buildMobileNet, CLASSES, INPUT, sampleImage } = await import('../examples/browser/mobilenet.js');
  const context = await ml.createContext();
  const b = new MLGraphBuilder(context);
  const graph = await b.build(buildMobileNet(b));
  const input = await context.createTensor({ dataType: 'float32', shape: [1, INPUT.channels, INPUT.size, INPUT.size], writable: true });
  const output = await context.createTensor({ dataType: 'float32', shape: [1, CLASSES], readable: true });
  context.writeTensor(input, sampleImage());
  const times: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const t = performance.now();
    context.dispatch(graph, { image: input }, { probs: output });
    await context.readTensor(output);
    if (i >= WARMUP) times.push(performance.now() - t);
  }
  console.log(JSON.stringify({ backend: context.backend, times }));
  process.exit(0);
}

const { chromium } = await import('playwright-core');
const { bundle, ROOT } = await import('../scripts/build-web.js');
const { startServer } = await import('../examples/browser/serve.js');
const work = mkdtempSync(join(tmpdir(), 'tsnn-bench-browser-'));
const pageModule = join(work, 'bench.js');
await bundle(join(ROOT, 'bench/page/browser.ts'), pageModule, { format: 'esm', external: ['onnxruntime-web'] });
const server = await startServer({ files: { '/bench.js': pageModule } });
const browser = await chromium.launch({
  executablePath: process.env.TSNN_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const otherLoad = watchOtherLoad();
try {
  const page = await browser.newPage();
  // The demo page's import map and headers; its own module is not needed here.
  await page.route('**/demo.js', (r) => r.fulfill({ contentType: 'text/javascript', body: '' }));
  await page.goto(`${server.url}/`);
  await page.addScriptTag({ url: '/bench.js', type: 'module' });
  await page.waitForFunction(() => 'bench' in globalThis);
  type Bench = {
    setup(): Promise<{ backend: string; threads: number; maxDiff: number; isolated: boolean }>;
    interleaved(workload: string, n: number): Promise<{ tsnn: number[]; raw: number[] }>;
  };
  const info = await page.evaluate(() => (globalThis as unknown as { bench: Bench }).bench.setup());
  const interleaved = (workload: string, n: number) =>
    page.evaluate(([w, k]) => (globalThis as unknown as { bench: Bench }).bench.interleaved(w as string, k as number), [workload, n] as const);
  // Warm-up until the times settle: Chromium first compiles WebAssembly with its baseline compiler and swaps in
  // optimized code as it is ready (tier-up), which takes seconds for onnxruntime-web's module on a busy machine.
  const warmStart = Date.now();
  let last = Infinity;
  let settled = 0;
  while (settled < 3 && Date.now() - warmStart < 120_000) {
    const t = await interleaved('mobilenet', 10);
    const m = median([...t.tsnn, ...t.raw]);
    settled = Math.abs(m - last) / last < 0.05 ? settled + 1 : 0;
    last = m;
  }
  const warmUpS = (Date.now() - warmStart) / 1000;
  await interleaved('tiny', 50);

  const medians: Record<'node' | 'tsnn' | 'raw' | 'tinyTsnn' | 'tinyRaw' | 'pairs', number[]> = { node: [], tsnn: [], raw: [], tinyTsnn: [], tinyRaw: [], pairs: [] };
  let nodeBackend = '';
  const nodeRound = () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--side', 'node', '--runs', String(RUNS)], { encoding: 'utf8', cwd: ROOT });
    if (r.status !== 0) throw new Error(`the Node side failed: ${r.stderr}`);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { backend: string; times: number[] };
    nodeBackend = out.backend;
    medians.node.push(median(out.times));
  };
  const pageRound = async () => {
    const t = await interleaved('mobilenet', RUNS);
    medians.tsnn.push(median(t.tsnn));
    medians.raw.push(median(t.raw));
    // Each tsnn run over the raw run next to it in time: the load that both saw cancels out.
    medians.pairs.push(median(t.tsnn.map((x, i) => x / t.raw[i]!)));
    const tiny = await interleaved('tiny', 200);
    medians.tinyTsnn.push(median(tiny.tsnn));
    medians.tinyRaw.push(median(tiny.raw));
  };
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) {
      nodeRound();
      await pageRound();
    } else {
      await pageRound();
      nodeRound();
    }
    process.stderr.write(`round ${r + 1}/${ROUNDS}: node ${medians.node.at(-1)!.toFixed(2)} ms, page tsnn ${medians.tsnn.at(-1)!.toFixed(2)} ms, page raw ${medians.raw.at(-1)!.toFixed(2)} ms; one relu ${medians.tinyTsnn.at(-1)!.toFixed(3)} / ${medians.tinyRaw.at(-1)!.toFixed(3)} ms\n`);
  }
  const m = describeMachine();
  const show = (xs: number[], digits = 2) => `**${median(xs).toFixed(digits)} ms** | ${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)} ms`;
  const ratios = medians.tsnn.map((t, i) => t / medians.raw[i]!);
  console.log(`machine: ${m.cpu}, ${m.cores} cores, ${m.platform}, Node ${m.node}; Chromium ${browser.version()}`);
  console.log(`Node: ${nodeBackend}; page: ${info.backend}, ${info.threads} wasm thread(s), cross-origin isolated ${info.isolated}`);
  console.log(`tsnn vs raw onnxruntime-web in the page: max |Δ| of the probabilities ${info.maxDiff.toExponential(2)}`);
  console.log(`${ROUNDS} rounds × ${RUNS} runs of each (Node: after ${WARMUP} warm-up runs; the page: after ${warmUpS.toFixed(0)} s of warm-up, until three blocks of runs agreed within 5%); other processes kept ${otherLoad()?.toFixed(2) ?? '?'} cores busy\n`);
  console.log('| where | ms per run, median of round medians | spread (round medians) |');
  console.log('|---|---:|---|');
  console.log(`| Node, tsnn on onnxruntime-node | ${show(medians.node)} |`);
  console.log(`| Chromium, tsnn/web (polyfill) | ${show(medians.tsnn)} |`);
  console.log(`| Chromium, onnxruntime-web directly | ${show(medians.raw)} |`);
  console.log(`| Chromium, one relu on 64 floats, tsnn/web | ${show(medians.tinyTsnn, 3)} |`);
  console.log(`| Chromium, one relu on 64 floats, onnxruntime-web directly | ${show(medians.tinyRaw, 3)} |`);
  console.log(`\npolyfill / raw onnxruntime-web (MobileNet-style), ratio of the round medians: ${ratios.map((x) => x.toFixed(3)).join(', ')} (median ${median(ratios).toFixed(3)})`);
  console.log(`the same, median of the ratios of neighbouring runs: ${medians.pairs.map((x) => x.toFixed(3)).join(', ')} (median ${median(medians.pairs).toFixed(3)})`);
  const added = medians.tinyTsnn.map((t, i) => t - medians.tinyRaw[i]!);
  console.log(`what tsnn adds per dispatch + read (one-operator graph), per round: ${added.map((x) => `${(x * 1000).toFixed(0)} µs`).join(', ')}`);
} finally {
  await browser.close();
  await server.close();
  rmSync(work, { recursive: true, force: true });
}
