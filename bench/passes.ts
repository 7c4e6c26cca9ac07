// What the graph passes buy: the same WebNN graph compiled with the backend's passes (fused) and as written
// (unfused), each side run in its own process (two onnxruntime sessions in one process disturb each other on a small
// machine), alternated ABBA, medians of per-process medians with their spread.
// Usage: npm run bench:passes [-- --rounds N]
// The graph: a decoder's normalizations — 8 RMS norms written out (x / sqrt(mean(x·x) + ε) · w) on [1, 128, 576],
// each feeding a residual add, as a Llama-style block stack has them.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { ml, MLGraphBuilder } from '../src/index.js';
import { graphInternals } from '../src/api/graph.js';
import { lowerToOnnx } from '../src/backends/onnxruntime/lower.js';
import { sessionOptions } from '../src/backends/onnxruntime/backend.js';
import { encodeModel } from '../src/onnx/schema.js';
import { describeMachine, median, watchOtherLoad } from './support.js';

const SHAPE = [1, 128, 576];
const LAYERS = 8;
const RUNS = 300;

async function side(which: 'fused' | 'unfused'): Promise<void> {
  const ctx = await ml.createContext();
  const b = new MLGraphBuilder(ctx);
  const hidden = SHAPE[2]!;
  let x = b.input('x', { dataType: 'float32', shape: SHAPE });
  for (let l = 0; l < LAYERS; l++) {
    const w = b.constant({ dataType: 'float32', shape: [hidden] }, new Float32Array(hidden).map((_, i) => 1 + (i % 7) / 10));
    const ms = b.reduceMean(b.mul(x, x), { axes: [2], keepDimensions: true });
    const norm = b.mul(b.div(x, b.sqrt(b.add(ms, b.constant('float32', 1e-5)))), w);
    x = b.add(x, norm);
  }
  const graph = await b.build({ y: x });
  const g = graphInternals(graph)!;
  if (which === 'fused' && g.optimized.fired.rmsNormalization !== LAYERS) throw new Error(`expected ${LAYERS} fusions, got ${JSON.stringify(g.optimized.fired)}`);
  // Both sides run the same way (a raw session on the lowered model), so only the lowering differs.
  const { model } = lowerToOnnx(which === 'fused' ? g.optimized.ir : g.ir);
  const session = await ort.InferenceSession.create(encodeModel(model), sessionOptions('cpu'));
  const feeds = { x: new ort.Tensor('float32', new Float32Array(SHAPE.reduce((a, c) => a * c, 1)).map((_, i) => Math.sin(i)), SHAPE) };
  for (let i = 0; i < 30; i++) await session.run(feeds);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t0) / 1e3);
  }
  process.stdout.write(JSON.stringify({ which, us: median(times), nodes: model.graph.node.length }) + '\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const sideArg = args.indexOf('--side');
  if (sideArg >= 0) return side(args[sideArg + 1] as 'fused' | 'unfused');
  const roundsArg = args.indexOf('--rounds');
  const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : 4;
  const self = fileURLToPath(import.meta.url);
  const results: Record<string, number[]> = { fused: [], unfused: [] };
  const nodes: Record<string, number> = {};
  const otherLoad = watchOtherLoad();
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ['fused', 'unfused', 'unfused', 'fused'] : ['unfused', 'fused', 'fused', 'unfused'];
    for (const which of order) {
      const out = spawnSync(process.execPath, ['--import', 'tsx', self, '--side', which], { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(out.stderr);
      const line = JSON.parse(out.stdout.trim().split('\n').pop()!) as { which: string; us: number; nodes: number };
      results[line.which]!.push(line.us);
      nodes[line.which] = line.nodes;
    }
  }
  const m = describeMachine();
  const spread = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
  console.log(`machine: ${m.cpu}, ${m.cores} cores, node ${m.node}, onnxruntime-node ${m.onnxruntime}; other load ${otherLoad()?.toFixed(2) ?? '?'} cores`);
  console.log(`graph: ${LAYERS} written-out RMS norms + residual adds on [${SHAPE.join(', ')}] float32; ${rounds * 2} processes per side, ${RUNS} runs each`);
  for (const which of ['unfused', 'fused']) {
    console.log(`${which.padEnd(8)} ${String(nodes[which]).padStart(3)} ONNX nodes  median ${median(results[which]!).toFixed(0)} µs per run (process medians ${spread(results[which]!)})`);
  }
  console.log(`speedup of the rmsNormalization pass: ${(median(results.unfused!) / median(results.fused!)).toFixed(2)}×`);
}

await main();
