// tsnn for browsers: the WebNN API (src/core.ts) on onnxruntime-web, as a polyfill for browsers without WebNN.
// Graph files load from URLs and Files. Built into dist/web/tsnn.js by scripts/build-web.ts; onnxruntime-web stays
// an import of the page (an import map or the application's bundler resolves it), so its WebAssembly files and the
// workers its threads start are served from the application's origin — see docs/browser.md.
import { registerBackend } from './backends/registry.js';
import { onnxruntimeWebFactory } from './backends/onnxruntime-web/backend.js';
import { installGlobals as defineGlobals } from './api/globals.js';
import type { MLContext } from './api/context.js';
import type { MLGraph } from './api/graph.js';
import { GraphFileError } from './format/model.js';
import { buildParsedGraph, decodeText, loadGraphFromBuffers, parseGraphSource, usesWeights } from './format/bytes.js';

registerBackend(onnxruntimeWebFactory);

export * from './core.js';
export { ortWebVersion, webSessionOptions } from './backends/onnxruntime-web/backend.js';
export { loadGraphFromBuffers, parseGraphSource, BytesWeights } from './format/bytes.js';
export type { GraphBuffers } from './format/bytes.js';
export { graphView } from './viewer/model.js';
export type { GraphView, GraphViewOptions, ViewNode, ViewEdge, ViewConstant } from './viewer/model.js';

export interface InstallGlobalsOptions {
  /** Replace the browser's own WebNN (navigator.ml and the ML* interfaces) where it has one. */
  force?: boolean;
}

/**
 * Defines `navigator.ml` and the WebNN interface objects (MLContext, MLGraphBuilder, ...) from tsnn where the
 * browser has no WebNN, or always with `force`. Returns whether tsnn's were installed.
 */
export function installGlobals(options: InstallGlobalsOptions = {}): boolean {
  const nav = (globalThis as { navigator?: { ml?: unknown } }).navigator;
  if (nav?.ml !== undefined && !options.force) return false;
  defineGlobals();
  return true;
}

/** The parts of a `File` (or `Blob` with a name) that loading reads. */
export interface FileLike {
  readonly name: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** The parts of `fetch` that loading uses (typed here: the project compiles without the DOM library). */
interface FetchResponse { ok: boolean; status: number; statusText: string; arrayBuffer(): Promise<ArrayBuffer> }
type Fetch = (url: string) => Promise<FetchResponse>;

async function fetchBytes(url: string, what: string): Promise<ArrayBuffer> {
  const fetchFn = (globalThis as { fetch?: Fetch }).fetch;
  if (!fetchFn) throw new Error('loadGraphFromUrl: this platform has no fetch()');
  let res: FetchResponse;
  try {
    res = await fetchFn(url);
  } catch (err) {
    throw new GraphFileError(`cannot fetch the ${what}: ${(err as Error).message}`, undefined, url);
  }
  if (!res.ok) throw new GraphFileError(`cannot fetch the ${what}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`, undefined, url);
  return res.arrayBuffer();
}

export interface LoadGraphFromUrlOptions {
  /** The weights file (default: <graph stem>.weights beside the graph, fetched only when the graph uses @weights). */
  weights?: string | URL;
  /** The manifest (default: <graph stem>.manifest.json beside the graph). */
  manifest?: string | URL;
}

/** Fetches a .webnn (or .json) graph, and its weights and manifest when it uses @weights, and builds it in `context`. */
export async function loadGraphFromUrl(context: MLContext, url: string | URL, options: LoadGraphFromUrlOptions = {}): Promise<MLGraph> {
  const base = (globalThis as { location?: { href: string } }).location?.href;
  const graphUrl = new URL(String(url), base);
  const name = graphUrl.href;
  // Parsed before anything else is fetched: the weights (megabytes) only when the graph uses them.
  const g = parseGraphSource(decodeText(await fetchBytes(name, 'graph'), name), name);
  if (!usesWeights(g)) return buildParsedGraph(context, g, { names: { graph: name } });
  const stem = name.replace(/(\.webnn|\.json)?([?#].*)?$/i, '');
  const weightsUrl = new URL(String(options.weights ?? `${stem}.weights`), graphUrl).href;
  const manifestUrl = new URL(String(options.manifest ?? `${stem}.manifest.json`), graphUrl).href;
  const [weights, manifest] = await Promise.all([fetchBytes(weightsUrl, 'weights file'), fetchBytes(manifestUrl, 'manifest')]);
  return buildParsedGraph(context, g, { weights, manifest, names: { graph: name, weights: weightsUrl, manifest: manifestUrl } });
}

/**
 * Builds a graph from user-chosen files (an <input type=file multiple> or a drop): the graph (.webnn, or .json other
 * than a manifest), its weights (.weights) and manifest (.manifest.json).
 */
export async function loadGraphFromFiles(context: MLContext, files: Iterable<FileLike> | ArrayLike<FileLike>): Promise<MLGraph> {
  const list = Array.from(files as ArrayLike<FileLike>);
  const pick = (what: string, test: (name: string) => boolean, required: boolean): FileLike | undefined => {
    const found = list.filter((f) => test(f.name.toLowerCase()));
    if (found.length > 1) throw new GraphFileError(`several ${what} files given (${found.map((f) => f.name).join(', ')}): expected one`);
    if (required && found.length === 0) throw new GraphFileError(`no ${what} file among ${list.map((f) => f.name).join(', ') || 'the files given'}`);
    return found[0];
  };
  const isManifest = (n: string) => n.endsWith('.manifest.json');
  const graphFile = pick('graph (.webnn or .json)', (n) => n.endsWith('.webnn') || (n.endsWith('.json') && !isManifest(n)), true)!;
  const weightsFile = pick('weights (.weights)', (n) => n.endsWith('.weights'), false);
  const manifestFile = pick('manifest (.manifest.json)', isManifest, false);
  const [graph, weights, manifest] = await Promise.all([graphFile.arrayBuffer(), weightsFile?.arrayBuffer(), manifestFile?.arrayBuffer()]);
  return loadGraphFromBuffers(context, {
    graph, weights, manifest,
    names: { graph: graphFile.name, weights: weightsFile?.name, manifest: manifestFile?.name },
  });
}
