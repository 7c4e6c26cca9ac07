// Importing a large ONNX model: time and peak memory of tsnn's import against onnxruntime-node's own session creation
// on the same file. Writes a temporary model of SIZE MB (default 500: a chain of MatMuls with f32[1024, 1024]
// initializers, embedded in the protobuf, or as external data with --external) to os.tmpdir(), then measures each
// side in a fresh child process, alternating them (ABBA), and prints medians with their spread and the ratios. The
// files are deleted afterwards.
//
//   import   importOnnx on a recording context: read, decode, translate every node through MLGraphBuilder (all
//            validation), build — everything but compiling for a backend (what `tsnn import` does before saving)
//   convert  the same, then saveGraph to a .webnn + weights file (= `tsnn import -o`)
//   ort      ort.InferenceSession.create(path) with the session options tsnn uses
//
// Usage: node --import tsx bench/import.ts [--mb 500] [--rounds 2] [--external] [--json]
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine, median, watchOtherLoad } from './support.js';

const MB = 1024 * 1024;
const N = 1024;
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

type Side = 'import' | 'convert' | 'ort';
interface Sample { ms: number; peakRss: number; rssBefore: number }

/**
 * This process's peak resident set size. VmHWM, where Linux has it: getrusage's maxRSS of a spawned process starts
 * at its parent's peak (Linux keeps it across fork and exec), and the parent holds the generated model.
 */
function peakRss(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

async function child(side: Side, model: string, out: string): Promise<void> {
  let run: () => Promise<unknown>;
  if (side === 'ort') {
    const ort = await import('onnxruntime-node');
    const { sessionOptions } = await import('../src/backends/onnxruntime/backend.js');
    run = async () => ort.InferenceSession.create(model, sessionOptions('cpu'));
  } else {
    const { importOnnx, convertOnnx } = await import('../src/index.js');
    const { recordingContext } = await import('../src/import/node.js');
    run = side === 'import'
      ? async () => importOnnx(model, { context: recordingContext(), maxSizes: { batch: 16 } })
      : async () => convertOnnx(model, out, { maxSizes: { batch: 16 } });
  }
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const result = await run();
  const ms = performance.now() - t0;
  const sample: Sample = { ms, peakRss: peakRss(), rssBefore };
  process.stdout.write(JSON.stringify(sample));
  void result;
}

/** A chain y = x · w0 · w1 · ... of f32[1024, 1024] weights totalling about `mb` MB. */
async function writeModel(dir: string, mb: number, external: boolean): Promise<{ path: string; bytes: number }> {
  const { encodeModel, OnnxDataType } = await import('../src/onnx/schema.js');
  const tensors = Math.max(1, Math.round((mb * MB) / (N * N * 4)));
  const w = new Float32Array(N * N);
  for (let i = 0; i < w.length; i++) w[i] = (((i * 2654435761) >>> 0) % 2001 - 1000) / 1000 / N;
  const raw = new Uint8Array(w.buffer);
  const dataFile = join(dir, 'big.onnx.data');
  if (external) {
    const fd = openSync(dataFile, 'w');
    for (let t = 0; t < tensors; t++) writeSync(fd, raw);
    closeSync(fd);
  }
  const initializer = Array.from({ length: tensors }, (_, t) => (external
    ? {
      name: `w${t}`, dims: [N, N], dataType: OnnxDataType.FLOAT, rawData: new Uint8Array(0), dataLocation: 1,
      externalData: [{ key: 'location', value: 'big.onnx.data' }, { key: 'offset', value: String(t * raw.byteLength) }, { key: 'length', value: String(raw.byteLength) }],
    }
    : { name: `w${t}`, dims: [N, N], dataType: OnnxDataType.FLOAT, rawData: raw }));
  const node = Array.from({ length: tensors }, (_, t) => ({
    name: `mm${t}`, opType: 'MatMul', input: [t === 0 ? 'x' : `h${t - 1}`, `w${t}`], output: [t === tensors - 1 ? 'y' : `h${t}`], attribute: [],
  }));
  const vi = (name: string) => ({ name, type: { tensorType: { elemType: OnnxDataType.FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: N }] } } } });
  const bytes = encodeModel({
    irVersion: 8, opsetImport: [{ domain: '', version: 17 }], producerName: 'tsnn bench/import', producerVersion: '0',
    graph: { name: 'big', node, initializer, input: [vi('x')], output: [vi('y')] },
  });
  const path = join(dir, 'big.onnx');
  const fd = openSync(path, 'w');
  writeSync(fd, bytes);
  closeSync(fd);
  return { path, bytes: statSync(path).size + (external ? statSync(dataFile).size : 0) };
}

function measure(side: Side, model: string, out: string): Sample {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', side, model, out], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${side} child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Sample;
}

if (process.argv[2] === '--child') {
  await child(process.argv[3] as Side, process.argv[4]!, process.argv[5]!);
} else {
  const mb = arg('mb', 500);
  const rounds = arg('rounds', 2);
  const external = process.argv.includes('--external');
  const dir = mkdtempSync(join(os.tmpdir(), 'tsnn-bench-import-'));
  try {
    const { path, bytes } = await writeModel(dir, mb, external);
    const out = join(dir, 'big.webnn');
    const samples: Record<Side, Sample[]> = { import: [], convert: [], ort: [] };
    const other = watchOtherLoad();
    // ABBA per round: import, ort, ort, import; the conversion (which also writes the weights) once per round.
    for (let r = 0; r < rounds; r++) {
      for (const side of ['import', 'ort', 'ort', 'import'] as const) samples[side].push(measure(side, path, out));
      samples.convert.push(measure('convert', path, out));
    }
    const otherLoad = other();
    const summary = (side: Side) => {
      const s = samples[side];
      return {
        msMedian: Math.round(median(s.map((x) => x.ms))),
        ms: s.map((x) => Math.round(x.ms)),
        peakRssMB: +(median(s.map((x) => x.peakRss)) / MB).toFixed(0),
        peakOverModel: +(median(s.map((x) => x.peakRss)) / bytes).toFixed(2),
        growthOverModel: +(median(s.map((x) => x.peakRss - x.rssBefore)) / bytes).toFixed(2),
      };
    };
    const result = {
      machine: { ...describeMachine(), memGiB: Math.round(os.totalmem() / 2 ** 30) },
      modelMB: +(bytes / MB).toFixed(1),
      external,
      rounds,
      import: summary('import'),
      convert: summary('convert'),
      ort: summary('ort'),
      importOverOrtTime: +(median(samples.import.map((x) => x.ms)) / median(samples.ort.map((x) => x.ms))).toFixed(2),
      otherLoadCores: otherLoad === undefined ? undefined : +otherLoad.toFixed(2),
    };
    if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2));
    else {
      console.log(`model: ${result.modelMB} MB (${external ? 'external data' : 'embedded'}), ${rounds} rounds; machine: ${result.machine.cpu} × ${result.machine.cores}`);
      for (const side of ['import', 'convert', 'ort'] as const) {
        const s = result[side];
        console.log(`${side.padEnd(8)} median ${s.msMedian} ms [${s.ms.join(', ')}]  peak RSS ${s.peakRssMB} MB = ${s.peakOverModel}× the model (growth ${s.growthOverModel}×)`);
      }
      console.log(`import / ort session creation: ${result.importOverOrtTime}×; other processes kept ${result.otherLoadCores ?? '?'} cores busy`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
