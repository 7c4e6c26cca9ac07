// `tsnn generate`: text from a decoder-only language model folder (or a converted .webnn graph), streamed to stdout,
// with a summary line on stderr; --compare-ort checks greedy decoding token for token against onnxruntime-node
// running the original ONNX model.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { loadModel, type LanguageModel } from '../llm/model.js';
import type { GenerateOptions, Generation } from '../llm/generate.js';
import { OrtGreedy } from '../llm/ort-reference.js';
import { progressLine } from './import.js';
import { UsageError } from './common.js';

export interface GenerateCliOptions {
  model: string;
  prompt?: string;
  maxNewTokens?: string;
  temperature?: string;
  topK?: string;
  topP?: string;
  repetitionPenalty?: string;
  seed?: string;
  stop?: string[];
  chat?: boolean;
  system?: string;
  compareOrt?: boolean;
  maxLength?: string;
  ignoreEos?: boolean;
  progress?: boolean;
}

function number(value: string | undefined, flag: string, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${flag} must be ${integer ? 'an integer' : 'a number'}, got '${value}'`);
  }
  return n;
}

function generateOptions(o: GenerateCliOptions): GenerateOptions {
  const options: GenerateOptions = {
    maxNewTokens: number(o.maxNewTokens, '--max-new-tokens', true) ?? 128,
    temperature: number(o.temperature, '--temperature', false),
    topK: number(o.topK, '--top-k', true),
    topP: number(o.topP, '--top-p', false),
    repetitionPenalty: number(o.repetitionPenalty, '--repetition-penalty', false),
    seed: number(o.seed, '--seed', true),
    stop: o.stop ?? [],
    ignoreEos: o.ignoreEos === true,
  };
  const checks: [boolean, string][] = [
    [options.maxNewTokens! >= 1, '--max-new-tokens must be at least 1'],
    [(options.temperature ?? 0) >= 0, '--temperature must be ≥ 0'],
    [(options.topK ?? 0) >= 0, '--top-k must be ≥ 0'],
    [options.topP === undefined || (options.topP > 0 && options.topP <= 1), '--top-p must be in (0, 1]'],
    [options.repetitionPenalty === undefined || options.repetitionPenalty > 0, '--repetition-penalty must be > 0'],
  ];
  for (const [ok, message] of checks) if (!ok) throw new UsageError(message);
  return options;
}

/** Streams a generation to stdout; returns its summary line. */
async function stream(generation: Generation): Promise<string> {
  for await (const piece of generation) if (piece.text) process.stdout.write(piece.text);
  process.stdout.write('\n');
  const s = generation.stats!;
  return `prompt tokens ${s.promptTokens}${s.reusedTokens ? ` (${s.reusedTokens} cached)` : ''}, new tokens ${s.newTokens}, `
    + `time to first token ${s.timeToFirstTokenMs.toFixed(1)} ms, prefill ${s.prefillMs.toFixed(1)} ms, `
    + `decode ${s.decodeTokensPerSecond.toFixed(1)} tokens/s (${s.stopReason})`;
}

async function compareWithOrt(model: LanguageModel, modelPath: string, promptIds: number[], maxNewTokens: number): Promise<number> {
  const onnx = join(resolve(modelPath), 'onnx', 'model.onnx');
  if (!existsSync(onnx)) throw new UsageError('--compare-ort needs a model folder with onnx/model.onnx (the original model to compare against)');
  const reference = await OrtGreedy.open(onnx, model.shape);
  const ours = model.generator.generateIds(promptIds, { maxNewTokens, ignoreEos: true })[Symbol.asyncIterator]();
  const theirs = reference.greedy(promptIds, maxNewTokens);
  try {
    for (let i = 0; i < maxNewTokens; i++) {
      const [a, b] = await Promise.all([ours.next(), theirs.next()]);
      const tsnn = a.done ? undefined : a.value.token;
      const ort = b.done ? undefined : b.value;
      if (tsnn !== ort) {
        const show = (id: number | undefined) => (id === undefined ? 'nothing' : `${id} ${JSON.stringify(model.codec.decode([id], false))}`);
        process.stderr.write(`tsnn and onnxruntime differ at new token ${i + 1}: tsnn ${show(tsnn)}, onnxruntime ${show(ort)}\n`);
        return 1;
      }
      process.stdout.write(model.codec.decode([tsnn!], false));
    }
    process.stdout.write('\n');
    process.stderr.write(`tsnn and onnxruntime agree on all ${maxNewTokens} greedy tokens\n`);
    return 0;
  } finally {
    await ours.return?.(undefined);
    await reference.release();
  }
}

export async function generateCommand(o: GenerateCliOptions): Promise<number> {
  const options = generateOptions(o);
  if (o.prompt === undefined && !o.chat) throw new UsageError('--prompt is required (or --chat to read conversation turns from stdin)');
  if (o.compareOrt && ((options.temperature ?? 0) > 0 || o.chat && o.prompt === undefined)) {
    throw new UsageError('--compare-ort compares greedy decoding of one prompt: leave out --temperature and give --prompt');
  }
  const maxLength = number(o.maxLength, '--max-length', true);
  const enabled = o.progress !== false;
  let phase = '';
  let progress = progressLine(phase, false);
  const model = await loadModel(o.model, {
    ...(maxLength !== undefined ? { maxLength } : {}),
    onProgress: (p, done, total) => {
      if (p !== phase) {
        progress.done();
        phase = p;
        progress = progressLine(p, enabled);
      }
      if (done !== undefined && total !== undefined) progress.update(done, total);
    },
  });
  progress.done();
  if (o.progress !== false) process.stderr.write(`model: ${o.model} (${model.source}, ${model.loadMs.toFixed(0)} ms)\n`);
  try {
    if (o.compareOrt) {
      const ids = o.chat ? model.codec.encodeChat([{ role: 'user', content: o.prompt! }]) : model.codec.encode(o.prompt!);
      return await compareWithOrt(model, o.model, ids, options.maxNewTokens!);
    }
    if (!o.chat) {
      process.stderr.write(`${await stream(model.generate(o.prompt!, options))}\n`);
      return 0;
    }
    const chat = model.chat(o.system);
    if (o.prompt !== undefined) {
      process.stderr.write(`${await stream(chat.send(o.prompt, options))}\n`);
      return 0;
    }
    // One user turn per line of stdin; the cache carries over between turns.
    const lines = createInterface({ input: process.stdin, terminal: false });
    for await (const line of lines) {
      if (!line.trim()) continue;
      process.stderr.write(`${await stream(chat.send(line, options))}\n`);
    }
    return 0;
  } finally {
    model.destroy();
  }
}
