// What the graph-file commands share: the usage error (exit code 2), loading a graph with its weights, and
// summaries of tensors.
import { readFileSync } from 'node:fs';
import { ml } from '../index.js';
import type { MLContext } from '../api/context.js';
import { fromFloat16Bits } from '../graph/float16.js';
import { DTYPES, viewAs, type MLOperandDataType } from '../graph/dtypes.js';
import { openWeights, readGraphFile, type WeightPaths } from '../format/io.js';
import { GraphFileError, type GraphFile } from '../format/model.js';
import type { WeightSource } from '../format/weights.js';

/** A file the command reads (an input, a tensor); failing to read it is a one-line error naming it (exit code 1). */
export function readDataFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new GraphFileError(`cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, undefined, path);
  }
}

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {}

export interface WeightOptions { weights?: string; manifest?: string }

export function weightOptions(cmd: { option(flags: string, description: string): unknown }): void {
  cmd.option('--weights <file>', 'weights file (.weights or .safetensors); default <stem>.weights beside the graph');
  cmd.option('--manifest <file>', 'weights manifest; default <stem>.manifest.json beside the graph');
}

export interface OpenedGraph {
  g: GraphFile;
  weights: WeightSource | undefined;
  close(): void;
}

export function openGraph(file: string, opts: WeightPaths): OpenedGraph {
  const g = readGraphFile(file);
  const weights = openWeights(file, g, opts);
  return { g, weights, close: () => weights?.close() };
}

export async function cpuContext(): Promise<MLContext> {
  return ml.createContext();
}

/** Elements of a tensor as numbers (bigints converted; float16 decoded). */
export function numbersOf(dataType: MLOperandDataType, bytes: Uint8Array): ArrayLike<number> & Iterable<number> {
  const view = viewAs(dataType, bytes);
  if (dataType === 'float16') return Array.from(view as Uint16Array, fromFloat16Bits);
  if (DTYPES[dataType].big) return Array.from(view as BigInt64Array, Number);
  return view as unknown as Float32Array;
}

/** "float32[1, 4] min=… max=… mean=… [first values…]" */
export function summarize(dataType: MLOperandDataType, shape: readonly number[], bytes: Uint8Array): string {
  const values = numbersOf(dataType, bytes);
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let nan = 0;
  for (const v of values) {
    if (Number.isNaN(v)) {
      nan++;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const n = values.length - nan;
  const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(6).replace(/\.?0+(e|$)/, '$1'));
  const head = Array.from({ length: Math.min(values.length, 8) }, (_, i) => fmt(values[i]!));
  const stats = n ? `min=${fmt(min)} max=${fmt(max)} mean=${fmt(sum / n)}` : 'no finite values';
  return `${dataType}[${shape.join(', ')}] ${stats}${nan ? ` nan=${nan}` : ''} [${head.join(', ')}${values.length > 8 ? ', …' : ''}]`;
}
