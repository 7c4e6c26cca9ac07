// Graph files on disk: reading either form, the default weights paths beside a graph, saveGraph and loadGraph.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { MLContext } from '../api/context.js';
import { graphInternals, type MLGraph } from '../api/graph.js';
import { parseGraphJsonText, printGraphJson } from './json.js';
import { GraphFileError, type GraphFile } from './model.js';
import { parseWebnn } from './parser.js';
import { printWebnn } from './printer.js';
import { buildGraphFile, graphToFile, rememberSaveId } from './graph-file.js';
import { SafetensorsWeights } from './safetensors.js';
import { writeFilesAtomically } from './atomic.js';
import { printManifest } from './manifest.js';
import { checkWeightsPath, ManifestWeights, writeWeightsTo, type TensorData, type WeightSource } from './weights.js';

export type GraphFormat = 'webnn' | 'json';

/** The text form unless the file is named .json or starts with '{'. */
export function detectFormat(path: string, text: string): GraphFormat {
  if (extname(path).toLowerCase() === '.json') return 'json';
  return text.trimStart().startsWith('{') ? 'json' : 'webnn';
}

export function parseGraphText(text: string, format: GraphFormat): GraphFile {
  return format === 'json' ? parseGraphJsonText(text) : parseWebnn(text);
}

export function printGraph(g: GraphFile, format: GraphFormat): string {
  return format === 'json' ? printGraphJson(g) : printWebnn(g);
}

/** Reads a graph file; errors name the file (file:line:column: ...). */
export function readGraphFile(path: string): GraphFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new GraphFileError(`cannot read the graph: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, undefined, path);
  }
  try {
    return parseGraphText(text, detectFormat(path, text));
  } catch (err) {
    throw err instanceof GraphFileError ? err.inFile(path) : err;
  }
}

/** `dir/stem` of a graph path (model.webnn, model.json → model). */
export function stemOf(path: string): string {
  return join(dirname(path), basename(path, extname(path)));
}

export interface WeightPaths {
  /** A weights file or a .safetensors file. */
  weights?: string;
  manifest?: string;
}

export function hasWeightRefs(g: GraphFile): boolean {
  return Object.values(g.consts).some((c) => c.init.kind === 'weights');
}

/**
 * Opens the weights a graph needs: the given paths, else <stem>.safetensors or <stem>.weights + <stem>.manifest.json
 * beside the graph. Undefined when the graph has no @weights constants.
 */
export function openWeights(graphPath: string, g: GraphFile, paths: WeightPaths = {}): WeightSource | undefined {
  if (!hasWeightRefs(g)) return undefined;
  const stem = stemOf(graphPath);
  let weights = paths.weights;
  if (!weights) weights = existsSync(`${stem}.safetensors`) && !paths.manifest ? `${stem}.safetensors` : `${stem}.weights`;
  const open = (what: string, p: string) => {
    if (!existsSync(p)) throw new GraphFileError(`the graph uses @weights but its ${what} ${p} does not exist (give --weights/--manifest)`, undefined, graphPath);
  };
  open('weights file', weights);
  if (extname(weights).toLowerCase() === '.safetensors') return new SafetensorsWeights(weights);
  const manifest = paths.manifest ?? `${stem}.manifest.json`;
  open('manifest', manifest);
  const source = ManifestWeights.open(weights, manifest); // checks that the weights file and manifest match
  // A graph saved with its weights carries the save's id; the files beside it must come from the same save (a save
  // killed between its renames leaves a newer manifest and weights, or only newer weights, beside an older graph).
  // Weights given explicitly may come from elsewhere on purpose.
  if (g.saveId !== undefined && paths.weights === undefined && paths.manifest === undefined && source.manifest.saveId !== g.saveId) {
    source.close();
    throw new GraphFileError(`the graph and its weights ${weights} / ${manifest} were written by different saves (save ids ${g.saveId} and ${source.manifest.saveId ?? 'none'}): a save was interrupted; save the graph again`, undefined, graphPath);
  }
  return source;
}

export interface LoadGraphOptions extends WeightPaths {}

/** Loads a .webnn or .json graph file into a built graph in `context`, with its weights. */
export async function loadGraph(context: MLContext, path: string, options: LoadGraphOptions = {}): Promise<MLGraph> {
  const g = readGraphFile(path);
  const weights = openWeights(path, g, options);
  try {
    const graph = await buildGraphFile(context, g, weights);
    if (g.saveId !== undefined && weights instanceof ManifestWeights && weights.manifest.saveId === g.saveId) rememberSaveId(graph, g.saveId);
    return graph;
  } catch (err) {
    throw err instanceof GraphFileError ? err.inFile(path) : err;
  } finally {
    weights?.close();
  }
}

export interface SaveGraphOptions extends WeightPaths {
  /** The graph's name in the file (default: the file's stem). */
  name?: string;
  /** Write constants inline (@bytes) instead of to a weights file. */
  inline?: boolean;
}

export interface SavedPaths { graph: string; weights?: string; manifest?: string }

/**
 * Saves a built graph: `path` (.webnn text, or .json) and, unless `inline`, its constants to <stem>.weights and
 * <stem>.manifest.json (or the paths given).
 */
export function saveGraph(graph: MLGraph, path: string, options: SaveGraphOptions = {}): SavedPaths {
  const { file, tensors } = graphToFile(graph, { name: options.name ?? basename(path, extname(path)), inline: options.inline });
  const format: GraphFormat = extname(path).toLowerCase() === '.json' ? 'json' : 'webnn';
  const text = printGraph(file, format); // before any file is written: a name the form cannot hold is an error now
  const saved: SavedPaths = { graph: path };
  if (tensors.size > 0) {
    saved.weights = options.weights ?? `${stemOf(path)}.weights`;
    saved.manifest = options.manifest ?? `${stemOf(path)}.manifest.json`;
    checkWeightsPath(saved.weights);
    const target = resolve(saved.weights);
    for (const ext of graphInternals(graph)!.ir.externalConstants?.values() ?? []) {
      if (ext.path === target) throw new GraphFileError(`saveGraph: ${saved.weights} holds this graph's constants (it was loaded from it); save the weights elsewhere`);
    }
  }
  // All files or none: each is written under a temporary name and renamed over its target once all are complete, the
  // graph last. One tensor in memory at a time: constants left in their weights file are read as they are written.
  // The renames are not one atomic step, so the graph, the weights file and the manifest all carry the save's id
  // (a digest of the weights), and loading refuses files from different saves instead of computing with a mix.
  writeFilesAtomically(saved.weights ? [saved.weights, saved.manifest!, path] : [path], (files) => {
    if (!saved.weights) return files[0]!.write(text);
    const manifest = writeWeightsTo(files[0]!, (function* () {
      for (const [key, t] of tensors) yield [key, { dataType: t.dataType, shape: t.shape, bytes: t.bytes() }] as [string, TensorData];
    })());
    files[1]!.write(printManifest(manifest));
    files[2]!.write(file.saveId === manifest.saveId ? text : printGraph({ ...file, saveId: manifest.saveId! }, format));
  });
  return saved;
}
