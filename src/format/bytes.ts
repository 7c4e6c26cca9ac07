// Graph files from text and bytes already in memory — no file system — for platforms without files (the browser
// entry loads them from URLs and Files through this). The checks are those of loading from disk: the graph is
// replayed through the builder, and weights are checked against their manifest before any tensor is read.
import type { MLContext } from '../api/context.js';
import type { MLGraph } from '../api/graph.js';
import { buildGraphFile } from './graph-file.js';
import { parseGraphJsonText } from './json.js';
import { parseManifest, type Manifest, type ManifestTensor } from './manifest.js';
import { GraphFileError, type GraphFile } from './model.js';
import { parseWebnn } from './parser.js';
import type { TensorInfo, WeightSource } from './weights.js';

// The weights file's optional header, as src/format/weights.ts writes it (that module reads files, so it is not
// imported here): "WGWT" + u32 little-endian version 1.
const MAGIC = [0x57, 0x47, 0x57, 0x54];
const VERSION = 1;
const HEADER_BYTES = 8;

type Bytes = Uint8Array | ArrayBuffer;

function asBytes(b: Bytes): Uint8Array {
  return b instanceof Uint8Array ? b : new Uint8Array(b);
}

/** UTF-8 text of a graph or manifest; malformed UTF-8 is an error naming the file rather than U+FFFD in names. */
export function decodeText(data: string | Bytes, file: string): string {
  if (typeof data === 'string') return data;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(asBytes(data));
  } catch {
    throw new GraphFileError('the file is not valid UTF-8 text', undefined, file);
  }
}

/**
 * Parses a graph's text: the JSON form when the name (a file name or URL) ends in .json or the text starts with '{',
 * else the text form.
 */
export function parseGraphSource(text: string, file = 'graph'): GraphFile {
  const json = /\.json([?#].*)?$/i.test(file) || text.trimStart().startsWith('{');
  try {
    return json ? parseGraphJsonText(text) : parseWebnn(text);
  } catch (err) {
    throw err instanceof GraphFileError ? err.inFile(file) : err;
  }
}

/** A weights file held in memory, located by its manifest (the in-memory counterpart of ManifestWeights). */
export class BytesWeights implements WeightSource {
  private readonly bytes: Uint8Array;

  constructor(readonly file: string, bytes: Bytes, readonly manifest: Manifest) {
    this.bytes = asBytes(bytes);
    const size = this.bytes.byteLength;
    const hasHeader = size >= 4 && MAGIC.every((c, i) => this.bytes[i] === c);
    if (hasHeader) {
      if (size < HEADER_BYTES) throw new GraphFileError(`truncated header: expected 8 bytes ("WGWT" + version), the file has ${size}`, undefined, file);
      const version = new DataView(this.bytes.buffer, this.bytes.byteOffset, HEADER_BYTES).getUint32(4, true);
      if (version !== VERSION) throw new GraphFileError(`weights file version ${version}: expected ${VERSION}`, undefined, file);
    }
    for (const [key, t] of Object.entries(manifest.tensors)) {
      const end = t.byteOffset + t.byteLength;
      if (end > size) {
        throw new GraphFileError(`tensor '${key}' needs bytes ${t.byteOffset} to ${end} but the file has ${size} bytes: the file is truncated or the manifest's offsets run past its end`, undefined, file);
      }
      if (hasHeader && t.byteOffset < HEADER_BYTES && t.byteLength > 0) {
        throw new GraphFileError(`tensor '${key}' starts at byte ${t.byteOffset}, inside the 8-byte header: offsets count from the file start`, undefined, file);
      }
    }
  }

  keys(): string[] {
    return Object.keys(this.manifest.tensors);
  }

  private tensor(key: string): ManifestTensor | undefined {
    return Object.hasOwn(this.manifest.tensors, key) ? this.manifest.tensors[key] : undefined;
  }

  info(key: string): TensorInfo | undefined {
    const t = this.tensor(key);
    return t && { dataType: t.dataType, shape: t.shape, byteLength: t.byteLength };
  }

  /** A copy: the builder adopts the buffer, and the caller's weights are never modified or kept alive by the graph. */
  read(key: string): Uint8Array {
    const t = this.tensor(key);
    if (!t) throw new GraphFileError(`no tensor '${key}' in the manifest`, undefined, this.file);
    return this.bytes.slice(t.byteOffset, t.byteOffset + t.byteLength);
  }

  close(): void {}
}

export interface GraphBuffers {
  /** The graph: .webnn text or its JSON form, as text or UTF-8 bytes. */
  graph: string | Bytes;
  /** The weights file's bytes (for graphs with @weights constants). */
  weights?: Bytes;
  /** The weights manifest: its JSON text or bytes, or the parsed object. */
  manifest?: string | Bytes | object;
  /** Names in error messages and format detection (.json); default 'graph', '<graph>.weights', '<graph>.manifest.json'. */
  names?: { graph?: string; weights?: string; manifest?: string };
}

/** The manifest's JSON text, from whichever form it was given in. */
function manifestText(m: string | Bytes | object, file: string): string {
  if (typeof m === 'string' || m instanceof Uint8Array || m instanceof ArrayBuffer) return decodeText(m, file);
  return JSON.stringify(m);
}

/** The weights a parsed graph needs from in-memory buffers; undefined when the graph has no @weights constants. */
export function weightsFromBuffers(g: GraphFile, buffers: Omit<GraphBuffers, 'graph'>): WeightSource | undefined {
  if (!usesWeights(g)) return undefined;
  const graphName = buffers.names?.graph ?? 'graph';
  const stem = graphName.replace(/\.(webnn|json)$/i, '');
  const weightsName = buffers.names?.weights ?? `${stem}.weights`;
  const manifestName = buffers.names?.manifest ?? `${stem}.manifest.json`;
  if (!buffers.weights || !buffers.manifest) {
    const missing = [!buffers.weights && 'weights', !buffers.manifest && 'manifest'].filter(Boolean).join(' and ');
    throw new GraphFileError(`the graph uses @weights but no ${missing} were given: expected the weights file's bytes and its manifest`, undefined, graphName);
  }
  const manifest = parseManifest(manifestText(buffers.manifest, manifestName), manifestName);
  return new BytesWeights(weightsName, buffers.weights, manifest);
}

/** Whether a parsed graph takes constants from a weights file (@weights). */
export function usesWeights(g: GraphFile): boolean {
  return Object.values(g.consts).some((c) => c.init.kind === 'weights');
}

/** Loads a graph file (and its weights) held in memory into a built graph in `context`. */
export async function loadGraphFromBuffers(context: MLContext, buffers: GraphBuffers): Promise<MLGraph> {
  const name = buffers.names?.graph ?? 'graph';
  return buildParsedGraph(context, parseGraphSource(decodeText(buffers.graph, name), name), buffers);
}

/** Builds an already parsed graph (`buffers.graph` is not read again) with the weights in `buffers`. */
export async function buildParsedGraph(context: MLContext, g: GraphFile, buffers: Omit<GraphBuffers, 'graph'>): Promise<MLGraph> {
  const name = buffers.names?.graph ?? 'graph';
  const weights = weightsFromBuffers(g, buffers);
  try {
    return await buildGraphFile(context, g, weights);
  } catch (err) {
    throw err instanceof GraphFileError ? err.inFile(name) : err;
  }
}
