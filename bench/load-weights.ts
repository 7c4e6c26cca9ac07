// Peak memory of loading a graph file with large weights: writes a temporary graph whose constants total SIZE MB
// (default 500) to os.tmpdir(), then loads and builds it in a fresh child process and reports that process's peak
// resident set size (process.resourceUsage().maxRSS) next to the weights' size. The files are deleted afterwards.
//
// Usage: node --import tsx bench/load-weights.ts [--mb 500] [--tensors 50] [--json]
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MB = 1024 * 1024;
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

async function child(graphPath: string): Promise<void> {
  const { ml, loadGraph } = await import('../src/index.js');
  const ctx = await ml.createContext();
  const rssBefore = process.memoryUsage().rss;
  const maxBefore = process.resourceUsage().maxRSS * 1024;
  const t0 = performance.now();
  const graph = await loadGraph(ctx, graphPath);
  const ms = performance.now() - t0;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const rssAfterLoad = process.memoryUsage().rss;
  // One run touches every weight (onnxruntime maps the weights file, so its pages count once read).
  const [name, desc] = Object.entries(graph.inputDescriptors)[0]!;
  const elements = desc.shape.reduce((a, b) => a * b, 1);
  await ctx.compute(graph, { [name]: new Float32Array(elements) });
  const out = {
    loadMs: Math.round(ms),
    rssBeforeLoad: rssBefore,
    peakBeforeLoad: maxBefore,
    peakRss,
    rssAfterLoad,
    peakRssAfterRun: process.resourceUsage().maxRSS * 1024,
    runTensorBytes: elements * 4 * 2,
  };
  process.stdout.write(JSON.stringify(out));
}

function writeGraph(dir: string, totalMb: number, tensors: number): { graph: string; weightBytes: number } {
  // Each tensor is f32[rows, 1024]; the graph sums them all so none is pruned.
  const rows = Math.max(1, Math.round((totalMb * MB) / tensors / 4 / 1024));
  const bytes = rows * 1024 * 4;
  const weights = join(dir, 'big.weights');
  const fd = openSync(weights, 'w');
  const header = Buffer.alloc(8);
  header.write('WGWT', 0, 'latin1');
  header.writeUInt32LE(1, 4);
  writeSync(fd, header);
  const chunk = Buffer.alloc(4 * MB);
  for (let i = 0; i < chunk.length; i += 4) chunk.writeFloatLE(((i / 4) % 97) / 97, i);
  const manifest: Record<string, unknown> = {};
  let offset = 8;
  for (let t = 0; t < tensors; t++) {
    manifest[`w${t}`] = { dataType: 'float32', shape: [rows, 1024], byteOffset: offset, byteLength: bytes, layout: 'row-major' };
    for (let done = 0; done < bytes; done += chunk.length) writeSync(fd, chunk, 0, Math.min(chunk.length, bytes - done));
    offset += bytes;
  }
  closeSync(fd);
  writeFileSync(join(dir, 'big.manifest.json'), JSON.stringify({ format: 'wg-weights-manifest', version: 1, endianness: 'little', tensors: manifest }));
  const consts = Array.from({ length: tensors }, (_, t) => `    w${t}: f32[${rows}, 1024] @weights("w${t}");`);
  const nodes = ['    s0 = add(x, w0);', ...Array.from({ length: tensors - 1 }, (_, t) => `    s${t + 1} = add(s${t}, w${t + 1});`)];
  const text = `webnn_graph "big" v1 {\n  inputs { x: f32[${rows}, 1024]; }\n  consts {\n${consts.join('\n')}\n  }\n  nodes {\n${nodes.join('\n')}\n  }\n  outputs { s${tensors - 1}; }\n}\n`;
  const graph = join(dir, 'big.webnn');
  writeFileSync(graph, text);
  return { graph, weightBytes: bytes * tensors };
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]!);
} else {
  const totalMb = arg('mb', 500);
  const tensors = arg('tensors', 50);
  const dir = mkdtempSync(join(os.tmpdir(), 'tsnn-load-weights-'));
  try {
    const { graph, weightBytes } = writeGraph(dir, totalMb, tensors);
    const self = fileURLToPath(import.meta.url);
    const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', graph], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
    const m = JSON.parse(r.stdout) as {
      loadMs: number; rssBeforeLoad: number; peakBeforeLoad: number; peakRss: number; rssAfterLoad: number; peakRssAfterRun: number; runTensorBytes: number;
    };
    const result = {
      machine: `${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
      weightsMB: +(weightBytes / MB).toFixed(1),
      tensors,
      loadMs: m.loadMs,
      rssBeforeLoadMB: +(m.rssBeforeLoad / MB).toFixed(1),
      peakRssMB: +(m.peakRss / MB).toFixed(1),
      peakGrowthMB: +((m.peakRss - m.rssBeforeLoad) / MB).toFixed(1),
      rssAfterLoadMB: +(m.rssAfterLoad / MB).toFixed(1),
      peakOverWeights: +(m.peakRss / weightBytes).toFixed(2),
      growthOverWeights: +((m.peakRss - m.rssBeforeLoad) / weightBytes).toFixed(2),
      peakRssAfterOneRunMB: +(m.peakRssAfterRun / MB).toFixed(1),
      runInputOutputMB: +(m.runTensorBytes / MB).toFixed(1),
      peakAfterRunOverWeights: +(m.peakRssAfterRun / weightBytes).toFixed(2),
    };
    if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2));
    else for (const [k, v] of Object.entries(result)) console.log(`${k}: ${v}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
