// Loading a decoder-only language model for generation (Node): a Hugging Face model folder (config.json,
// generation_config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx with the optimum decoder
// interface), converted once through the ONNX importer with dynamic sequence and past lengths and cached as a
// .webnn graph beside the model (keyed by the ONNX file's size and modification time), or a .webnn graph directly.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ml, type MLContext, type MLContextOptions, type MLGraph } from '../core.js';
import { loadGraph, saveGraph } from '../format/io.js';
import { importOnnx } from '../import/node.js';
import { KvDecoder, type DecoderShape } from './decoder.js';
import { ChatSession, Generator, type GenerateOptions, type Generation } from './generate.js';
import { TextCodec, type TokenizerConfig } from './text.js';

export const DEFAULT_MAX_LENGTH = 2048;

export interface LoadModelOptions {
  /** The most tokens (prompt + generated) a conversation may hold: the bound of the graph's dynamic lengths. */
  maxLength?: number;
  /** The context to run on (default: a new one from ml.createContext(contextOptions)). */
  context?: MLContext;
  contextOptions?: MLContextOptions;
  /** Keep the converted graph beside the model (default true). */
  cache?: boolean;
  /** Progress of a conversion or a load: a phase and, where known, done/total. */
  onProgress?: (phase: string, done?: number, total?: number) => void;
}

interface LlamaConfig {
  vocab_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  num_key_value_heads?: number;
  hidden_size: number;
  head_dim?: number;
  max_position_embeddings?: number;
  eos_token_id?: number | number[];
}

export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
}

function readJson<T>(dir: string, name: string, required = true): T | undefined {
  const path = join(dir, name);
  if (!existsSync(path)) {
    if (required) throw new ModelLoadError(`${dir}: ${name} is missing (a model folder has config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx)`);
    return undefined;
  }
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (err) {
    throw new ModelLoadError(`${path}: not valid JSON (${(err as Error).message})`);
  }
}

/** Where the model's configuration lives and which graph to run. */
function locate(path: string): { configDir: string; onnx?: string; webnn?: string } {
  const full = resolve(path);
  if (!existsSync(full)) throw new ModelLoadError(`${path}: no such model folder or graph file`);
  if (full.endsWith('.webnn') || full.endsWith('.json') && !statSync(full).isDirectory()) {
    // A converted graph: the configuration is beside it, or in the model folder above tsnn's cache folder.
    const here = dirname(full);
    const configDir = existsSync(join(here, 'config.json')) ? here : dirname(here);
    return { configDir, webnn: full };
  }
  const onnx = join(full, 'onnx', 'model.onnx');
  if (!existsSync(onnx)) throw new ModelLoadError(`${path}: onnx/model.onnx is missing`);
  return { configDir: full, onnx };
}

interface CacheStamp { source: string; size: number; mtimeMs: number; maxLength: number; format: 1 }

/** The converted graph's path for `onnx` and `maxLength`, and whether a valid conversion is there. */
function cachePaths(onnx: string, maxLength: number): { graph: string; stampPath: string; stamp: CacheStamp; valid: boolean } {
  const dir = join(dirname(dirname(onnx)), 'tsnn');
  const graph = join(dir, `model-${maxLength}.webnn`);
  const stampPath = join(dir, `model-${maxLength}.stamp.json`);
  const st = statSync(onnx);
  const stamp: CacheStamp = { source: basename(onnx), size: st.size, mtimeMs: st.mtimeMs, maxLength, format: 1 };
  let valid = false;
  try {
    const old = JSON.parse(readFileSync(stampPath, 'utf8')) as CacheStamp;
    valid = existsSync(graph) && old.size === stamp.size && old.mtimeMs === stamp.mtimeMs && old.maxLength === maxLength && old.format === 1;
  } catch {
    valid = false;
  }
  return { graph, stampPath, stamp, valid };
}

export class LanguageModel {
  readonly generator: Generator;
  readonly decoder: KvDecoder;

  private constructor(
    readonly context: MLContext,
    readonly graph: MLGraph,
    readonly codec: TextCodec,
    readonly shape: DecoderShape,
    eos: readonly number[],
    /** Where the graph came from: 'converted' (imported now), 'cached' or 'graph file'. */
    readonly source: 'converted' | 'cached' | 'graph file',
    readonly loadMs: number,
  ) {
    this.decoder = new KvDecoder(context, graph, shape);
    this.generator = new Generator(this.decoder, codec, eos);
  }

  /** Generates a continuation of `prompt`. */
  generate(prompt: string, options?: GenerateOptions): Generation {
    return this.generator.generate(prompt, options);
  }

  /** A multi-turn conversation with the model's chat template. */
  chat(system?: string): ChatSession {
    return new ChatSession(this.generator, system);
  }

  destroy(): void {
    this.decoder.destroy();
    this.graph.destroy();
  }

  static async load(path: string, options: LoadModelOptions = {}): Promise<LanguageModel> {
    const t0 = performance.now();
    const where = locate(path);
    const config = readJson<LlamaConfig>(where.configDir, 'config.json')!;
    const generation = readJson<{ eos_token_id?: number | number[] }>(where.configDir, 'generation_config.json', false) ?? {};
    const codec = new TextCodec(readJson<object>(where.configDir, 'tokenizer.json')!, readJson<TokenizerConfig>(where.configDir, 'tokenizer_config.json')!);
    const maxLength = options.maxLength ?? Math.min(DEFAULT_MAX_LENGTH, config.max_position_embeddings ?? DEFAULT_MAX_LENGTH);
    if (!Number.isInteger(maxLength) || maxLength < 2) throw new ModelLoadError(`maxLength must be an integer ≥ 2, got ${maxLength}`);
    const shape: DecoderShape = {
      layers: config.num_hidden_layers,
      kvHeads: config.num_key_value_heads ?? config.num_attention_heads,
      headDim: config.head_dim ?? config.hidden_size / config.num_attention_heads,
      vocab: config.vocab_size,
      maxLength,
    };
    const eosIds = generation.eos_token_id ?? config.eos_token_id;
    const eos = eosIds === undefined ? [] : Array.isArray(eosIds) ? eosIds : [eosIds];
    const context = options.context ?? (await ml.createContext(options.contextOptions));
    const progress = options.onProgress;

    let graph: MLGraph;
    let source: LanguageModel['source'];
    if (where.webnn) {
      progress?.('loading graph');
      graph = await loadGraph(context, where.webnn);
      source = 'graph file';
    } else {
      const cache = cachePaths(where.onnx!, maxLength);
      if (options.cache !== false && cache.valid) {
        progress?.('loading converted graph');
        graph = await loadGraph(context, cache.graph);
        source = 'cached';
      } else {
        const imported = await importOnnx(where.onnx!, {
          context,
          // One sequence at a time; the sequence and past lengths stay dynamic up to maxLength.
          dims: { batch_size: 1 },
          maxSizes: { sequence_length: maxLength, past_sequence_length: maxLength },
          onProgress: (done, total) => progress?.('converting', done, total),
        });
        graph = imported.graph;
        source = 'converted';
        if (options.cache !== false) {
          try {
            progress?.('saving converted graph');
            mkdirSync(dirname(cache.graph), { recursive: true });
            await saveGraph(graph, cache.graph);
            // The stamp goes last: a conversion interrupted before it is redone next time.
            writeFileSync(`${cache.stampPath}.tmp`, JSON.stringify(cache.stamp));
            renameSync(`${cache.stampPath}.tmp`, cache.stampPath);
          } catch (err) {
            progress?.(`not caching the converted graph: ${(err as Error).message}`);
          }
        }
      }
    }
    checkInterface(graph, shape, path);
    return new LanguageModel(context, graph, codec, shape, eos, source, performance.now() - t0);
  }
}

/** The graph must have the optimum decoder interface with the configuration's sizes. */
function checkInterface(graph: MLGraph, shape: DecoderShape, path: string): void {
  const inputs = graph.inputDescriptors as Record<string, unknown>;
  const outputs = graph.outputDescriptors as Record<string, unknown>;
  const need = ['input_ids', 'attention_mask', 'position_ids'];
  for (let l = 0; l < shape.layers; l++) for (const k of ['key', 'value']) need.push(`past_key_values.${l}.${k}`);
  const missing = need.filter((n) => !Object.hasOwn(inputs, n));
  const missingOut = ['logits', ...Array.from({ length: shape.layers }, (_, l) => `present.${l}.key`)].filter((n) => !Object.hasOwn(outputs, n));
  if (missing.length || missingOut.length) {
    throw new ModelLoadError(`${path}: the graph does not have the decoder interface tsnn generates with (missing ${[...missing, ...missingOut].join(', ')}; config.json says ${shape.layers} layers)`);
  }
}

/** Loads a model folder (or a converted .webnn graph) for generation. */
export function loadModel(path: string, options?: LoadModelOptions): Promise<LanguageModel> {
  return LanguageModel.load(path, options);
}
