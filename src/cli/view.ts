// `tsnn view FILE -o graph.html`: draws a graph — a .webnn file, its JSON form, or an ONNX model through the importer
// — as ONE self-contained HTML file: the graph's view (src/viewer/model.ts) as JSON and the viewer's page code with
// its layout library (dist/web/viewer.js, built by `npm run build:web`) inline, nothing fetched from anywhere.
// Nothing is compiled: graphs are built on a recording context, and a graph file's weights are optional (without
// them only their shapes are known, which is all the drawing needs).
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { byteLength } from '../api/descriptor.js';
import type { MLGraph } from '../api/graph.js';
import { writeFileAtomically } from '../format/atomic.js';
import { buildGraphFile } from '../format/graph-file.js';
import { hasWeightRefs, openWeights, readGraphFile, stemOf } from '../format/io.js';
import { GraphFileError, type GraphFile } from '../format/model.js';
import type { TensorInfo, WeightSource } from '../format/weights.js';
import { importOnnx, recordingContext } from '../import/node.js';
import { graphView, type GraphView } from '../viewer/model.js';
import { UsageError, type WeightOptions } from './common.js';
import { sizes } from './import.js';

export interface ViewCommandOptions extends WeightOptions {
  /** The HTML file to write (default <stem>.html beside the graph). */
  output?: string;
  /** ONNX models: fix symbolic dimensions (`name=N`), as `tsnn import --dim`. */
  dim?: string[];
  /** ONNX models: bounds of symbolic dimensions (`name=N`), as `tsnn import --max`. */
  max?: string[];
  /** About how many nodes the viewer lays out together (default 120). */
  partSize?: string;
}

/**
 * Stand-in weights for a graph file whose weights are not at hand: each @weights tensor as the graph declares it.
 * Large ones are located (never read), so they stay out of memory; small ones read as zeros, and the view is told
 * that constant values are unknown.
 */
class DeclaredWeights implements WeightSource {
  readonly file = '(weights not given)';
  private readonly declared = new Map<string, TensorInfo>();

  constructor(g: GraphFile) {
    for (const c of Object.values(g.consts)) {
      if (c.init.kind !== 'weights' || this.declared.has(c.init.ref)) continue;
      this.declared.set(c.init.ref, { dataType: c.dataType, shape: c.shape, byteLength: byteLength({ dataType: c.dataType, shape: c.shape }) });
    }
  }

  keys(): string[] {
    return [...this.declared.keys()];
  }

  info(key: string): TensorInfo | undefined {
    return this.declared.get(key);
  }

  read(key: string): Uint8Array {
    return new Uint8Array(this.declared.get(key)?.byteLength ?? 0);
  }

  locate(key: string) {
    return { path: resolve('(weights not given)'), byteOffset: 0, byteLength: this.declared.get(key)?.byteLength ?? 0 };
  }

  close(): void {}
}

/** Whether a graph file's weights can be opened (given, or beside the graph under the default names). */
function weightsAtHand(file: string, opts: WeightOptions): boolean {
  if (opts.weights || opts.manifest) return true;
  const stem = stemOf(file);
  return existsSync(`${stem}.safetensors`) || (existsSync(`${stem}.weights`) && existsSync(`${stem}.manifest.json`));
}

/**
 * The bound of an ONNX model's symbolic dimensions where --max does not say: far below the importer's default, so that
 * no intermediate tensor of a large model exceeds the size limits at its bounds (a drawing needs no real bound).
 */
export const VIEW_MAX_SIZE = 64;

export interface LoadViewOptions extends WeightOptions {
  /** ONNX models: symbolic dimensions fixed to sizes. */
  dims?: Record<string, number>;
  /** ONNX models: bounds of symbolic dimensions (others: VIEW_MAX_SIZE). */
  maxSizes?: Record<string, number>;
}

/** The view of a graph file or an ONNX model. */
export async function loadView(file: string, opts: LoadViewOptions = {}): Promise<GraphView> {
  const name = basename(file);
  if (extname(file).toLowerCase() === '.onnx') {
    const model = await importOnnx(file, { context: recordingContext(), dims: opts.dims, maxSizes: opts.maxSizes, defaultMaxSize: VIEW_MAX_SIZE });
    return graphView(model.graph, name);
  }
  const g = readGraphFile(file);
  const real = !hasWeightRefs(g) || weightsAtHand(file, opts);
  const weights = real ? openWeights(file, g, opts) : new DeclaredWeights(g);
  let graph: MLGraph;
  try {
    graph = await buildGraphFile(recordingContext(), g, weights);
  } catch (err) {
    throw err instanceof GraphFileError ? err.inFile(file) : err;
  } finally {
    weights?.close();
  }
  return graphView(graph, name, { values: real });
}

/** The repository (or installed package) root: the folder of the package.json named tsnn above this module. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'tsnn') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the tsnn package folder');
    dir = up;
  }
}

/** The viewer's page code: dist/web/viewer.js, or the file TSNN_VIEWER_SCRIPT names (tests use a fresh build). */
export function viewerScript(): string {
  const path = process.env.TSNN_VIEWER_SCRIPT ?? join(packageRoot(), 'dist/web/viewer.js');
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new Error(`the viewer's script ${path} is missing: build it with npm run build:web`);
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * One HTML page that draws `view` with no network access: the view as JSON data (every '<' escaped, so no name in a
 * graph can end the element), the viewer's script inline (a '</script' inside its strings escaped likewise).
 */
export function viewerHtml(view: GraphView, script: string, options: { partSize?: number } = {}): string {
  const data = JSON.stringify(view).replace(/</g, '\\u003c');
  const code = script.replace(/<\/(script)/gi, '<\\/$1');
  const settings = JSON.stringify(options.partSize ? { partSize: options.partSize } : {});
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(view.name)} · tsnn view</title>
<style>html,body{margin:0;height:100%}#graph-view{height:100vh}</style>
</head>
<body>
<div id="graph-view"></div>
<script id="graph-data" type="application/json">${data}</script>
<script>${code}</script>
<script>window.viewer = TsnnViewer.render(document.getElementById('graph-view'), JSON.parse(document.getElementById('graph-data').textContent), ${settings});</script>
</body>
</html>
`;
}

export async function viewCommand(file: string, opts: ViewCommandOptions): Promise<void> {
  let partSize: number | undefined;
  if (opts.partSize !== undefined) {
    partSize = Number(opts.partSize);
    if (!Number.isInteger(partSize) || partSize < 10) throw new UsageError(`--part-size ${opts.partSize}: expected an integer ≥ 10`);
  }
  const out = opts.output ?? `${stemOf(file)}.html`;
  if (resolve(out) === resolve(file)) throw new UsageError(`the output ${out} is the input: give another -o`);
  const script = viewerScript();
  const view = await loadView(file, { ...opts, dims: sizes(opts.dim, '--dim', 0), maxSizes: sizes(opts.max, '--max', 1) });
  writeFileAtomically(out, viewerHtml(view, script, { partSize }));
  console.log(`${out}: ${view.stats.operators} operators, ${view.edges.length} edges, ${view.stats.constants} constants folded into their nodes`);
}
