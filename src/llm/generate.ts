// Text generation on a loaded decoder: prompt → tokens streamed as they come, greedy or sampled, with stop tokens,
// stop strings, an AbortSignal, and a cache kept between calls so that a prompt extending the previous one (the
// next turn of a chat) prefills only its new tokens.
import type { DecoderShape } from './decoder.js';
import { Sampler, type SamplingOptions } from './sampling.js';
import { TextStream, type ChatMessage, type TextCodec } from './text.js';

export interface GenerateOptions extends SamplingOptions {
  /** New tokens at most (default 128). */
  maxNewTokens?: number;
  /** Stop when the generated text contains one of these (the text stops before it). */
  stop?: readonly string[];
  /** Aborts generation between steps; the iterator then throws the signal's reason. */
  signal?: AbortSignal;
  /** Generate past the end-of-sequence tokens (default false). */
  ignoreEos?: boolean;
}

export interface GeneratedPiece {
  /** The token id just generated. */
  token: number;
  /** Text that became final with it ('' while a character is incomplete). */
  text: string;
}

export interface GenerationStats {
  promptTokens: number;
  /** Prompt tokens that were already in the cache (not prefilled again). */
  reusedTokens: number;
  newTokens: number;
  /** From the call to the first generated token, ms. */
  timeToFirstTokenMs: number;
  /** The prefill dispatch (prompt tokens not in the cache), ms. */
  prefillMs: number;
  /** Decode steps after the first token, ms in all. */
  decodeMs: number;
  /** New tokens after the first, per second of decoding. */
  decodeTokensPerSecond: number;
  stopReason: 'eos' | 'length' | 'stop-string' | 'cache-full';
  text: string;
}

/** An async iterable of pieces; `stats` is set when it finishes. */
export interface Generation extends AsyncIterable<GeneratedPiece> {
  readonly stats: GenerationStats | undefined;
}

/** What generation needs of a decoder (src/llm/decoder.ts KvDecoder): a step over new tokens with a cache. */
export interface StepDecoder {
  readonly shape: Pick<DecoderShape, 'maxLength'>;
  /** Runs new tokens after the cached ones; returns the last one's logits. */
  step(ids: readonly number[]): Promise<Float32Array>;
  /** Empties the cache. */
  reset(): void;
}

export class Generator {
  /** Token ids whose keys and values are in the decoder's cache, in order. */
  #cached: number[] = [];
  #busy = false;

  constructor(
    readonly decoder: StepDecoder,
    readonly codec: TextCodec,
    /** End-of-sequence token ids (generation_config.json, else config.json). */
    readonly eosTokenIds: readonly number[],
  ) {}

  /** Forgets the cached conversation. */
  reset(): void {
    this.#cached = [];
    this.decoder.reset();
  }

  /** Generates after a text prompt (tokenized with the tokenizer's special tokens, e.g. a BOS). */
  generate(prompt: string, options: GenerateOptions = {}): Generation {
    return this.generateIds(this.codec.encode(prompt), options);
  }

  /** Generates after token ids. */
  generateIds(promptIds: readonly number[], options: GenerateOptions = {}): Generation {
    const self = this;
    let stats: GenerationStats | undefined;
    const iterator = async function* (): AsyncGenerator<GeneratedPiece> {
      if (self.#busy) throw new Error('this model is already generating; wait for the other generation to finish');
      self.#busy = true;
      try {
        stats = yield* self.#run(promptIds, options);
      } finally {
        self.#busy = false;
      }
    };
    return {
      [Symbol.asyncIterator]: iterator,
      get stats() {
        return stats;
      },
    };
  }

  async *#run(promptIds: readonly number[], options: GenerateOptions): AsyncGenerator<GeneratedPiece, GenerationStats> {
    const sampler = new Sampler(options);
    const maxNewTokens = options.maxNewTokens ?? 128;
    if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1) throw new RangeError(`maxNewTokens must be an integer ≥ 1, got ${maxNewTokens}`);
    if (promptIds.length === 0) throw new RangeError('the prompt has no tokens');
    const stops = options.stop ?? [];
    const signal = options.signal;
    signal?.throwIfAborted();
    const t0 = performance.now();

    // Reuse the cache when the prompt extends what it holds (by at least one token, whose logits are needed).
    const reusable = this.#cached.length < promptIds.length && this.#cached.every((id, i) => promptIds[i] === id);
    if (!reusable) this.reset();
    const reused = this.#cached.length;
    const fresh = promptIds.slice(reused);
    const maxLength = this.decoder.shape.maxLength;
    if (promptIds.length > maxLength) throw new RangeError(`the prompt has ${promptIds.length} tokens, more than the model's maximum length ${maxLength}`);

    let logits = await this.decoder.step(fresh);
    this.#cached.push(...fresh);
    const prefillMs = performance.now() - t0;
    const history = [...promptIds];
    const generated: number[] = [];
    const stream = new TextStream(this.codec);
    // Final text so far; the part after `emitted` is held back while it could be the start of a stop string.
    let text = '';
    let emitted = 0;
    let firstTokenAt = 0;
    let stopReason: GenerationStats['stopReason'] = 'length';
    const eos = new Set(this.eosTokenIds);

    for (;;) {
      signal?.throwIfAborted();
      const token = sampler.next(logits, history);
      if (generated.length === 0) firstTokenAt = performance.now();
      generated.push(token);
      history.push(token);
      const isEos = !options.ignoreEos && eos.has(token);
      if (!isEos) text += stream.push(token);
      const hit = firstStop(text, stops, Math.max(0, emitted - longest(stops)));
      if (hit >= 0) {
        text = text.slice(0, hit);
        stopReason = 'stop-string';
      } else if (isEos) {
        stopReason = 'eos';
      }
      const done = hit >= 0 || isEos || generated.length >= maxNewTokens || this.#cached.length >= maxLength;
      if (done && hit < 0) text += stream.flush();
      const upTo = done ? text.length : text.length - heldBack(text, stops);
      yield { token, text: text.slice(emitted, upTo) };
      emitted = upTo;
      if (done) {
        if (stopReason === 'length' && generated.length < maxNewTokens) stopReason = 'cache-full';
        break;
      }
      logits = await this.decoder.step([token]);
      this.#cached.push(token);
    }
    const decodeMs = performance.now() - firstTokenAt;
    const decodeSteps = generated.length - 1;
    return {
      promptTokens: promptIds.length,
      reusedTokens: reused,
      newTokens: generated.length,
      timeToFirstTokenMs: firstTokenAt - t0,
      prefillMs,
      decodeMs,
      decodeTokensPerSecond: decodeSteps > 0 ? (decodeSteps * 1000) / decodeMs : 0,
      stopReason,
      text,
    };
  }
}

const longest = (stops: readonly string[]) => stops.reduce((m, s) => Math.max(m, s.length), 0);

/** Length of the longest end of `text` that is the start of a stop string (it may still become one). */
function heldBack(text: string, stops: readonly string[]): number {
  let hold = 0;
  for (const s of stops) {
    for (let k = Math.min(s.length - 1, text.length); k > hold; k--) {
      if (text.endsWith(s.slice(0, k))) {
        hold = k;
        break;
      }
    }
  }
  return hold;
}

/** Index of the earliest stop string in `text` found at or after `from`, or -1. */
function firstStop(text: string, stops: readonly string[], from: number): number {
  let best = -1;
  for (const s of stops) {
    if (!s) continue;
    const at = text.indexOf(s, from);
    if (at >= 0 && (best < 0 || at < best)) best = at;
  }
  return best;
}

/**
 * A conversation: each turn renders the whole conversation with the chat template and generates the assistant's
 * reply; the cache is reused when the new prompt's tokens extend the cached ones, so a turn prefills only what is new.
 */
export class ChatSession {
  readonly messages: ChatMessage[] = [];
  /** Prompt and generated ids of the conversation so far (the tokens the cache was built from). */
  #ids: number[] = [];

  constructor(private readonly generator: Generator, system?: string) {
    if (system) this.messages.push({ role: 'system', content: system });
  }

  send(content: string, options: GenerateOptions = {}): Generation {
    const codec = this.generator.codec;
    const previous = this.#ids;
    this.messages.push({ role: 'user', content });
    const prompt = codec.applyChatTemplate(this.messages);
    // Keep the exact tokens of the conversation so far when the template's text starts with them, so the cache
    // holds a prefix of the new prompt; otherwise tokenize the whole prompt.
    const so_far = codec.decode(previous, false);
    const ids = previous.length && prompt.startsWith(so_far)
      ? [...previous, ...codec.encode(prompt.slice(so_far.length), false)]
      : codec.encode(prompt, false);
    const generation = this.generator.generateIds(ids, options);
    const messages = this.messages;
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        const tokens: number[] = [];
        for await (const piece of generation) {
          tokens.push(piece.token);
          yield piece;
        }
        messages.push({ role: 'assistant', content: generation.stats?.text ?? '' });
        self.#ids = [...ids, ...tokens];
      },
      get stats() {
        return generation.stats;
      },
    };
  }
}
