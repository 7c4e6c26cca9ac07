// The importer's Node.js entry: reads a model from a path (and its external data files beside it), builds the graph
// on a context, and offers a graph-file-only mode (no backend compile) for conversion. The core (importer.ts) stays
// platform-neutral.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { ml } from '../api/ml.js';
import { createContextObject, type MLContext } from '../api/context.js';
import type { MLGraph } from '../api/graph.js';
import type { Backend } from '../backends/backend.js';
import { decodeModel, OnnxDecodeError, type DecodedModel } from '../onnx/decode.js';
import { saveGraph, type SavedPaths } from '../format/io.js';
import { importModel, OnnxImportError, type CheckFailure, type ExternalDataSource, type ImportedDim, type ImportedInput, type ImportOptions, type ImportResult } from './importer.js';
import type { ExternalBytes } from './values.js';

export interface ImportOnnxOptions extends Omit<ImportOptions, 'externalData' | 'modelName'> {
  /** The context to build on (default: a new context from `ml.createContext()`). */
  context?: MLContext;
  /** Directory of external data files when the model is given as bytes. */
  baseDir?: string;
  /** Name of the model in messages (default: the file name). */
  modelName?: string;
}

export interface ImportedOutput {
  onnxType: string;
  dataType: string;
  shape: (number | { name: string; maxSize: number })[];
}

export interface ImportedModel {
  graph: MLGraph;
  context: MLContext;
  /** The graph's inputs (ONNX inputs that no output depends on are left out: see unusedInputs). */
  inputs: Record<string, ImportedInput>;
  /** ONNX inputs that no output depends on; the WebNN graph does not take them. */
  unusedInputs: string[];
  outputs: Record<string, ImportedOutput>;
  /** Dynamic dimensions of the inputs (WebNN name → ONNX dim_param and bound). */
  dims: Record<string, ImportedDim>;
  /** Inputs frozen to constants. */
  frozen: string[];
  /** Nodes translated. */
  nodes: number;
  opsets: Record<string, number>;
}

/** Reads external data files relative to a model directory, checking that each tensor's bytes are there. */
export function fileExternalData(baseDir: string, modelName: string): ExternalDataSource {
  const sizes = new Map<string, number>();
  return {
    locate(location, offset, length, tensor): ExternalBytes {
      if (isAbsolute(location) || normalize(location).split(/[\\/]/).includes('..')) {
        throw new Error(`external data location '${location}' must be a path inside the model's directory`);
      }
      const path = resolve(join(baseDir, location));
      let size = sizes.get(path);
      if (size === undefined) {
        let fd: number;
        try {
          fd = openSync(path, 'r');
        } catch (err) {
          throw new Error(`external data file '${location}' cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
        }
        try {
          size = fstatSync(fd).size;
        } finally {
          closeSync(fd);
        }
        sizes.set(path, size);
      }
      const byteLength = length ?? size - offset;
      if (offset + byteLength > size) {
        throw new Error(`external data file '${location}' has ${size} bytes, but the tensor lies at bytes ${offset}–${offset + byteLength}`);
      }
      return {
        path,
        byteOffset: offset,
        byteLength,
        read() {
          const bytes = new Uint8Array(byteLength);
          const fd = openSync(path, 'r');
          try {
            for (let done = 0; done < byteLength;) {
              const n = readSync(fd, bytes, done, byteLength - done, offset + done);
              if (n === 0) throw new Error(`${modelName}: tensor '${tensor}': external data file '${location}' ended early (did it change?)`);
              done += n;
            }
          } finally {
            closeSync(fd);
          }
          return bytes;
        },
      };
    },
  };
}

interface Loaded { model: DecodedModel; name: string; baseDir?: string }

function load(source: string | Uint8Array, options: ImportOnnxOptions): Loaded {
  if (typeof source === 'string') {
    const name = options.modelName ?? basename(source);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(source);
    } catch (err) {
      throw new OnnxImportError(`${name}: cannot read the model (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    return { model: decode(bytes, name), name, baseDir: options.baseDir ?? dirname(resolve(source)) };
  }
  if (!(source instanceof Uint8Array)) throw new TypeError('importOnnx: the model must be a path or a Uint8Array of its bytes');
  const name = options.modelName ?? 'model';
  return { model: decode(source, name), name, baseDir: options.baseDir };
}

function decode(bytes: Uint8Array, name: string): DecodedModel {
  try {
    return decodeModel(bytes);
  } catch (err) {
    if (err instanceof OnnxDecodeError) throw new OnnxImportError(`${name}: ${err.message}`);
    throw err;
  }
}

function run(context: MLContext, loaded: Loaded, options: ImportOnnxOptions): ImportResult {
  const { context: _ctx, baseDir: _dir, ...rest } = options;
  const externalData = loaded.baseDir === undefined ? undefined : fileExternalData(loaded.baseDir, loaded.name);
  return importModel(context, loaded.model, { ...rest, modelName: loaded.name, externalData });
}

function outputsOf(graph: MLGraph, result: ImportResult): Record<string, ImportedOutput> {
  const out: Record<string, ImportedOutput> = {};
  for (const [name, desc] of Object.entries(graph.outputDescriptors)) {
    out[name] = { onnxType: result.outputTypes[name] ?? '', dataType: desc.dataType, shape: [...desc.shape] };
  }
  return out;
}

/**
 * Imports an ONNX model (a path, or its bytes) as a WebNN graph built on `options.context` (default: a new CPU
 * context). The graph runs through dispatch/compute and saves with saveGraph like any other.
 */
export async function importOnnx(source: string | Uint8Array, options: ImportOnnxOptions = {}): Promise<ImportedModel> {
  const loaded = load(source, options);
  const context = options.context ?? (await ml.createContext());
  const result = run(context, loaded, { ...options, check: false });
  let graph: MLGraph;
  try {
    graph = await result.builder.build(result.outputs);
  } catch (err) {
    throw new OnnxImportError(`${loaded.name}: ${(err as Error).message}`);
  }
  const used = graph.inputDescriptors;
  const inputs = Object.fromEntries(Object.entries(result.inputs).filter(([k]) => Object.hasOwn(used, k)));
  return {
    graph, context, inputs, unusedInputs: Object.keys(result.inputs).filter((k) => !Object.hasOwn(used, k)),
    outputs: outputsOf(graph, result), dims: result.dims, frozen: result.frozen, nodes: result.nodes, opsets: result.opsets,
  };
}

/** A backend that compiles nothing: graphs built on it can be saved but not run (conversion to graph files). */
const recordOnly: Backend = {
  name: 'record-only',
  profile: { name: 'record-only' },
  accelerated: false,
  description: 'no backend (graphs for saving only)',
  externalConstants: true,
  async compile() {
    return {
      async run() {
        throw new Error('this graph was imported for saving only; import it on a context to run it');
      },
      async release() {},
    };
  },
};

/** A context whose graphs are validated and recorded but never compiled (for conversion to graph files). */
export function recordingContext(): MLContext {
  return createContextObject({ backend: recordOnly, powerPreference: 'default' });
}

/**
 * Converts an ONNX model to a graph file (`out`: .webnn or .json) with its weights and manifest beside it, without
 * compiling it for any backend.
 */
export async function convertOnnx(source: string | Uint8Array, out: string, options: Omit<ImportOnnxOptions, 'context'> = {}): Promise<{ saved: SavedPaths; model: ImportedModel }> {
  const model = await importOnnx(source, { ...options, context: recordingContext() });
  const saved = saveGraph(model.graph, out);
  return { saved, model };
}

export interface CheckReport {
  model: string;
  /** Nodes the outputs need. */
  nodes: number;
  failures: CheckFailure[];
  /** Failures per op type (domain-qualified outside the default domain). */
  byOpType: Record<string, number>;
  /** Nodes not checked because an input came from a failed node. */
  skipped: number;
}

/** Translates what it can and lists every node that cannot be translated (op type, domain, why). */
export function checkOnnx(source: string | Uint8Array, options: Omit<ImportOnnxOptions, 'context' | 'check'> = {}): CheckReport {
  const loaded = load(source, options);
  const result = run(recordingContext(), loaded, { ...options, check: true });
  const byOpType: Record<string, number> = {};
  for (const f of result.failures) {
    const key = f.domain ? `${f.domain}.${f.opType}` : f.opType || '(graph output)';
    byOpType[key] = (byOpType[key] ?? 0) + 1;
  }
  return { model: loaded.name, nodes: result.nodes, failures: result.failures, byOpType, skipped: result.skipped };
}

export { OnnxImportError, DEFAULT_MAX_SIZE } from './importer.js';
export type { CheckFailure, ImportedDim, ImportedInput, InputValue } from './importer.js';
