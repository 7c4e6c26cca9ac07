// `tsnn run FILE --input name=VALUE ...`: builds the graph, feeds each input from a .npy file, a .json array or a
// scalar, and prints every output's shape, data type and a summary (and writes DIR/<name>.npy with --output-dir).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { MLComputeInput } from '../api/context.js';
import { castNumber } from '../graph/cast.js';
import { DTYPES, type MLOperandDataType } from '../graph/dtypes.js';
import { toFloat16Bits } from '../graph/float16.js';
import { elementCount } from '../graph/shape.js';
import { writeFileAtomically } from '../format/atomic.js';
import { buildGraphFile } from '../format/graph-file.js';
import { describeValue, GraphFileError, isDynamic, type Dim, type InputDecl } from '../format/model.js';
import { readNpy, writeNpy } from '../format/npy.js';
import { parseJson } from '../format/json.js';
import type { TensorData } from '../format/weights.js';
import { cpuContext, openGraph, readDataFile, summarize, UsageError, type WeightOptions } from './common.js';

/** Bytes of `values` as `dataType`, each cast the way the spec casts numbers. */
function encode(dataType: MLOperandDataType, values: readonly (number | bigint)[]): Uint8Array {
  const d = DTYPES[dataType];
  const arr = new d.array(values.length) as unknown as { [i: number]: number | bigint; buffer: ArrayBuffer };
  values.forEach((v, i) => {
    const c = castNumber(v, dataType);
    arr[i] = dataType === 'float16' ? toFloat16Bits(c as number) : c;
  });
  return new Uint8Array(arr.buffer);
}

function jsonShape(v: unknown, what: string): { shape: number[]; flat: (number | bigint)[] } {
  if (typeof v === 'number' || typeof v === 'bigint') return { shape: [], flat: [v] };
  if (!Array.isArray(v)) throw new GraphFileError(`expected numbers or nested arrays of numbers, found ${describeValue(v)}`, undefined, what);
  const parts = v.map((x) => jsonShape(x, what));
  const inner = parts[0]?.shape ?? [];
  if (parts.some((p) => p.shape.join() !== inner.join())) throw new GraphFileError('nested arrays have different lengths', undefined, what);
  return { shape: [v.length, ...inner], flat: parts.flatMap((p) => p.flat) };
}

/** The concrete shape `given` if it fits the declared one (dynamic dimensions take 0 to maxSize). */
function fit(name: string, decl: readonly Dim[], given: readonly number[]): number[] {
  const ok = given.length === decl.length && decl.every((d, i) => (isDynamic(d) ? given[i]! >= 0 && given[i]! <= d.maxSize : given[i] === d));
  if (!ok) {
    const want = decl.map((d) => (isDynamic(d) ? `${d.name}≤${d.maxSize}` : String(d))).join(', ');
    throw new GraphFileError(`input '${name}' is [${given.join(', ')}], expected [${want}]`);
  }
  return [...given];
}

export function readInput(name: string, decl: InputDecl, spec: string): TensorData {
  const staticShape = decl.shape.some(isDynamic) ? undefined : (decl.shape as number[]);
  if (spec.endsWith('.npy')) {
    const t = readNpy(new Uint8Array(readDataFile(spec)), spec);
    if (t.dataType !== decl.dataType) throw new GraphFileError(`input '${name}' is ${decl.dataType}, the file holds ${t.dataType}`, undefined, spec);
    return { ...t, shape: fit(name, decl.shape, t.shape) };
  }
  if (spec.endsWith('.json')) {
    let doc: unknown;
    try {
      doc = parseJson(readDataFile(spec).toString('utf8'));
    } catch (err) {
      throw err instanceof GraphFileError ? err.inFile(spec) : err;
    }
    const { shape, flat } = jsonShape(doc, spec);
    // A flat list or a single number may stand for the declared (static) shape.
    let target = shape;
    if (staticShape && (shape.length <= 1) && flat.length === elementCount(staticShape)) target = staticShape;
    else if (staticShape && shape.length === 0) return { dataType: decl.dataType, shape: staticShape, bytes: encode(decl.dataType, new Array(elementCount(staticShape)).fill(flat[0])) };
    return { dataType: decl.dataType, shape: fit(name, decl.shape, target), bytes: encode(decl.dataType, flat) };
  }
  const n = Number(spec);
  if (spec.trim() === '' || (Number.isNaN(n) && spec !== 'NaN')) throw new UsageError(`--input ${name}=${spec}: expected a .npy file, a .json file or a number`);
  if (!staticShape) throw new UsageError(`input '${name}' has dynamic dimensions: give a .npy or .json file, not a scalar`);
  const value = DTYPES[decl.dataType].big && /^-?\d+$/.test(spec.trim()) ? BigInt(spec.trim()) : n;
  return { dataType: decl.dataType, shape: staticShape, bytes: encode(decl.dataType, new Array(elementCount(staticShape)).fill(value)) };
}

export async function runCommand(file: string, opts: WeightOptions & { input?: string[]; outputDir?: string }): Promise<void> {
  const given = new Map<string, string>();
  for (const item of opts.input ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--input ${item}: expected name=<file.npy|file.json|number>`);
    given.set(item.slice(0, eq), item.slice(eq + 1));
  }
  const { g, weights, close } = openGraph(file, opts);
  for (const name of given.keys()) if (!(name in g.inputs)) throw new UsageError(`'${name}' is not an input of ${file} (inputs: ${Object.keys(g.inputs).join(', ') || 'none'})`);
  for (const name of Object.keys(g.inputs)) if (!given.has(name)) throw new UsageError(`input '${name}' is not given: add --input ${name}=<file.npy|file.json|number>`);
  const context = await cpuContext();
  try {
    let graph;
    try {
      graph = await buildGraphFile(context, g, weights);
    } catch (err) {
      throw err instanceof GraphFileError ? err.inFile(file) : err;
    } finally {
      close();
    }
    // compute() takes each input's concrete shape (a dynamic dimension may be 0, which createTensor refuses) and
    // returns the outputs with theirs. A declared input that no output uses is not an input of the built graph.
    const feeds: Record<string, MLComputeInput> = {};
    for (const [name, decl] of Object.entries(g.inputs)) {
      const t = readInput(name, decl, given.get(name)!);
      if (name in graph.inputDescriptors) feeds[name] = { data: t.bytes, shape: t.shape };
    }
    const results = await context.compute(graph, feeds);
    if (opts.outputDir) mkdirSync(opts.outputDir, { recursive: true });
    for (const [name, { dataType, shape, data }] of Object.entries(results)) {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      console.log(`${name}: ${summarize(dataType, shape, bytes)}`);
      if (opts.outputDir) writeFileAtomically(join(opts.outputDir, `${name.replace(/[/\\]/g, '_')}.npy`), writeNpy({ dataType, shape, bytes }));
    }
  } finally {
    context.destroy();
  }
}
