// `tsnn import model.onnx -o model.webnn`: ONNX → WebNN graph file with weights and manifest beside it; `--check`
// lists every node that cannot be translated instead.
import { basename, dirname, extname, join } from 'node:path';
import { checkOnnx, convertOnnx } from '../import/node.js';
import type { InputValue } from '../import/importer.js';
import { UsageError } from './common.js';

export interface ImportCommandOptions {
  output?: string;
  dim?: string[];
  max?: string[];
  value?: string[];
  check?: boolean;
  progress?: boolean;
}

/** `name=N` options as a record of non-negative integers. */
export function sizes(list: string[] | undefined, flag: string, min: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of list ?? []) {
    const at = item.lastIndexOf('=');
    const name = item.slice(0, at);
    const text = item.slice(at + 1);
    if (at <= 0 || !/^[0-9]+$/.test(text) || Number(text) < min || Number(text) > 2 ** 31 - 1) {
      throw new UsageError(`${flag} ${item}: expected name=N with N an integer ≥ ${min}`);
    }
    out[name] = Number(text);
  }
  return out;
}

/** `input=v`: a number, true/false, or a JSON array of them. */
function values(list: string[] | undefined): Record<string, InputValue> {
  const out: Record<string, InputValue> = {};
  for (const item of list ?? []) {
    const at = item.indexOf('=');
    if (at <= 0) throw new UsageError(`--value ${item}: expected input=value`);
    const name = item.slice(0, at);
    const text = item.slice(at + 1).trim();
    let v: unknown;
    try {
      v = text === 'true' ? true : text === 'false' ? false : JSON.parse(text);
    } catch {
      throw new UsageError(`--value ${item}: the value must be a number, true/false or a JSON array`);
    }
    const flat = (x: unknown): (number | boolean)[] => (Array.isArray(x) ? x.flatMap(flat) : typeof x === 'number' || typeof x === 'boolean' ? [x] : []);
    if (typeof v === 'number' || typeof v === 'boolean') out[name] = v;
    else if (Array.isArray(v) && flat(v).length > 0) out[name] = flat(v);
    else throw new UsageError(`--value ${item}: the value must be a number, true/false or a JSON array`);
  }
  return out;
}

/**
 * A progress line on stderr: rewritten in place on a terminal; elsewhere printed only when the work takes long
 * (every 10 s after the first 5 s), so logs of quick imports stay clean.
 */
export function progressLine(label: string, enabled: boolean): { update(done: number, total: number): void; done(): void } {
  const tty = process.stderr.isTTY === true;
  const start = Date.now();
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      if (!enabled) return;
      const now = Date.now();
      if (tty) {
        if (now - last < 100) return;
        process.stderr.write(`\r${label}: ${done}/${total} nodes`);
        shown = true;
      } else {
        if (now - start < 5000 || now - last < 10000) return;
        process.stderr.write(`${label}: ${done}/${total} nodes (${((now - start) / 1000).toFixed(0)} s)\n`);
      }
      last = now;
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}

export async function importCommand(file: string, opts: ImportCommandOptions): Promise<number> {
  const dims = sizes(opts.dim, '--dim', 1);
  const maxSizes = sizes(opts.max, '--max', 1);
  const frozen = values(opts.value);
  for (const name of Object.keys(dims)) if (name in maxSizes) throw new UsageError(`--dim ${name} and --max ${name}: a fixed dimension has no bound to set`);
  const progress = progressLine(`importing ${basename(file)}`, opts.progress !== false);
  const common = { dims, maxSizes, values: frozen, onProgress: (d: number, t: number) => progress.update(d, t) };
  if (opts.check) {
    const report = checkOnnx(file, common);
    progress.done();
    if (report.failures.length === 0) {
      console.log(`${report.model}: all ${report.nodes} nodes the outputs need translate`);
      return 0;
    }
    console.log(`${report.model}: ${report.failures.length} of ${report.nodes} nodes cannot be translated${report.skipped ? ` (${report.skipped} more not checked: they depend on those)` : ''}`);
    for (const [op, n] of Object.entries(report.byOpType).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) console.log(`  ${op}: ${n}`);
    for (const f of report.failures) console.log(`  ${f.node} (${f.domain ? `${f.domain}.` : ''}${f.opType || 'output'}): ${f.reason}`);
    return 1;
  }
  const out = opts.output ?? join(dirname(file), `${basename(file, extname(file))}.webnn`);
  const ext = extname(out).toLowerCase();
  if (ext !== '.webnn' && ext !== '.json') throw new UsageError(`-o ${out}: the graph file must be named .webnn or .json`);
  const { saved, model } = await convertOnnx(file, out, common);
  progress.done();
  const dyn = Object.entries(model.dims).map(([n, d]) => `${n} ≤ ${d.maxSize}`);
  console.log(`wrote ${saved.graph}${saved.weights ? `, ${saved.weights} and ${saved.manifest}` : ''} (${model.nodes} ONNX nodes${dyn.length ? `; dynamic: ${dyn.join(', ')}` : ''}${model.unusedInputs.length ? `; unused inputs dropped: ${model.unusedInputs.join(', ')}` : ''})`);
  return 0;
}
