// The demo page's module: WebNN through navigator.ml (tsnn's where the browser has none), a MobileNet-style network
// built in the page, run, timed, and drawn by the graph viewer. Bundled by serve.ts; 'tsnn/web' and onnxruntime-web
// come from the page's import map.
import { graphView, installGlobals, loadGraphFromFiles, ml as tsnnMl, MLGraphBuilder as TsnnBuilder, type MLContext, type MLGraph } from '../../src/web.js';
import type { GraphView } from '../../src/viewer/model.js';
import type { Viewer, ViewerOptions } from '../../src/viewer/page.js';
import { buildMobileNet, CLASSES, INPUT, sampleImage } from './mobilenet.js';

declare const TsnnViewer: { render(el: HTMLElement, view: GraphView, options?: ViewerOptions): Viewer };

interface DemoResult { polyfilled: boolean; description: string; buildMs: number; firstMs: number; medianMs: number; runs: number; top: [number, number][]; sum: number }
declare global {
  interface Window { demo?: { result?: DemoResult; error?: string; viewer?: Viewer; done: boolean } }
}

const $ = (id: string) => document.getElementById(id)!;
const state: NonNullable<Window['demo']> = { done: false };
window.demo = state;

async function run(): Promise<void> {
  const polyfilled = installGlobals();
  const context: MLContext = await navigator.ml.createContext();
  const Builder = (globalThis as unknown as { MLGraphBuilder: typeof TsnnBuilder }).MLGraphBuilder;
  const description = (context as { backend?: string }).backend ?? "the browser's own WebNN";
  $('status').textContent = `navigator.ml: ${polyfilled ? 'tsnn (this browser has no WebNN)' : "the browser's own"} · ${description} · ` +
    `cross-origin isolated: ${String(globalThis.crossOriginIsolated)}`;

  let t = performance.now();
  const builder = new Builder(context);
  const { probs } = buildMobileNet(builder);
  const graph: MLGraph = await builder.build({ probs });
  const buildMs = performance.now() - t;

  const shape = [1, INPUT.channels, INPUT.size, INPUT.size];
  const input = await context.createTensor({ dataType: 'float32', shape, writable: true });
  const output = await context.createTensor({ dataType: 'float32', shape: [1, CLASSES], readable: true });
  context.writeTensor(input, sampleImage());
  const once = async () => {
    context.dispatch(graph, { image: input }, { probs: output });
    return new Float32Array(await context.readTensor(output));
  };
  t = performance.now();
  const values = await once();
  const firstMs = performance.now() - t;
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    t = performance.now();
    await once();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const medianMs = times[times.length >> 1]!;
  const top = [...values].map((p, i): [number, number] => [i, p]).sort((a, b) => b[1] - a[1]).slice(0, 5);
  const sum = values.reduce((a, b) => a + b, 0);
  state.result = { polyfilled, description, buildMs, firstMs, medianMs, runs: times.length, top, sum };
  $('result').textContent =
    `built in ${buildMs.toFixed(0)} ms · first run ${firstMs.toFixed(1)} ms · median of ${times.length} runs ${medianMs.toFixed(2)} ms\n` +
    `top classes: ${top.map(([i, p]) => `#${i} ${(p * 100).toFixed(2)}%`).join(', ')} (probabilities sum to ${sum.toFixed(5)})`;

  // The viewer reads tsnn's graphs; where the browser's own WebNN built the graph, the same network is built on tsnn.
  let viewed = graph;
  if (!polyfilled) {
    const b = new TsnnBuilder(await tsnnMl.createContext());
    viewed = await b.build(buildMobileNet(b));
  }
  state.viewer = TsnnViewer.render($('viewer'), graphView(viewed, 'MobileNet-style stack'));
  await state.viewer.done;

  ($('files') as HTMLInputElement).addEventListener('change', async (ev) => {
    const files = (ev.target as HTMLInputElement).files;
    if (!files?.length) return;
    try {
      const loaded = await loadGraphFromFiles(await tsnnMl.createContext(), files);
      $('error').textContent = '';
      state.viewer = TsnnViewer.render($('viewer'), graphView(loaded, [...files].map((f) => f.name).join(', ')));
    } catch (err) {
      $('error').textContent = String((err as Error).message ?? err);
    }
  });
}

run().then(() => (state.done = true), (err: unknown) => {
  state.error = `${(err as Error).name}: ${(err as Error).message}`;
  state.done = true;
  $('error').textContent = state.error;
});
