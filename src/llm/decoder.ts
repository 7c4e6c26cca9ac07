// The decode loop's engine: one built graph with the optimum decoder interface (input_ids, attention_mask,
// position_ids, past_key_values.{i}.key/value → logits, present.{i}.key/value), run through dispatch() for the
// prefill of a whole prompt and for each decode step. The KV cache lives in MLTensors created once at the maximum
// length: each step's present tensors are the next step's past tensors (two sets, swapped), at active shapes —
// nothing of the cache passes through JavaScript.
import type { MLContext, MLGraph, MLTensor } from '../core.js';

export interface DecoderShape {
  layers: number;
  kvHeads: number;
  headDim: number;
  vocab: number;
  /** The most tokens the cache holds (past + new). */
  maxLength: number;
}

const pastName = (layer: number, kind: 'key' | 'value') => `past_key_values.${layer}.${kind}`;
const presentName = (layer: number, kind: 'key' | 'value') => `present.${layer}.${kind}`;
const KINDS = ['key', 'value'] as const;

/** Small int64 input tensors for one sequence length: ids and positions, rewritten each step. */
interface StepInputs { length: number; ids: MLTensor; positions: MLTensor; idBuffer: BigInt64Array; positionBuffer: BigInt64Array }

export class KvDecoder {
  readonly #context: MLContext;
  readonly #graph: MLGraph;
  readonly shape: DecoderShape;
  #caches: [Record<string, MLTensor>, Record<string, MLTensor>] | undefined;
  #mask: MLTensor | undefined;
  /** The step inputs and logits for one new token (decode) and for the longest prompt so far (prefill). */
  #single: { inputs: StepInputs; logits: MLTensor } | undefined;
  #prefill: { inputs: StepInputs; logits: MLTensor } | undefined;
  /** Which cache set holds the past; the other receives the present. */
  #current = 0;
  #pastLength = 0;
  #destroyed = false;
  /** Dispatches issued (one per step, prefill included). */
  dispatches = 0;

  constructor(context: MLContext, graph: MLGraph, shape: DecoderShape) {
    this.#context = context;
    this.#graph = graph;
    this.shape = shape;
  }

  get graph(): MLGraph {
    return this.#graph;
  }

  /** Tokens whose keys and values the cache holds. */
  get pastLength(): number {
    return this.#pastLength;
  }

  /** Forgets the cache (the next step starts from an empty one). */
  reset(): void {
    this.#pastLength = 0;
  }

  async #tensors(): Promise<[Record<string, MLTensor>, Record<string, MLTensor>]> {
    if (this.#caches) return this.#caches;
    const { layers, kvHeads, headDim, maxLength } = this.shape;
    const make = async () => {
      const set: Record<string, MLTensor> = {};
      for (let l = 0; l < layers; l++) {
        for (const kind of KINDS) {
          set[pastName(l, kind)] = await this.#context.createTensor({ dataType: 'float32', shape: [1, kvHeads, maxLength, headDim] });
        }
      }
      return set;
    };
    this.#caches = [await make(), await make()];
    this.#mask = await this.#context.createTensor({ dataType: 'int64', shape: [1, maxLength], writable: true });
    // No padding with one sequence: every position is attended to, so the mask is all ones once and for all.
    this.#context.writeTensor(this.#mask, new BigInt64Array(maxLength).fill(1n));
    return this.#caches;
  }

  async #stepTensors(length: number): Promise<{ inputs: StepInputs; logits: MLTensor }> {
    const make = async (n: number) => {
      const desc = { dataType: 'int64' as const, shape: [1, n], writable: true };
      return {
        inputs: {
          length: n,
          ids: await this.#context.createTensor(desc),
          positions: await this.#context.createTensor(desc),
          idBuffer: new BigInt64Array(n),
          positionBuffer: new BigInt64Array(n),
        },
        logits: await this.#context.createTensor({ dataType: 'float32', shape: [1, n, this.shape.vocab], readable: true }),
      };
    };
    if (length === 1) return (this.#single ??= await make(1));
    if (!this.#prefill || this.#prefill.inputs.length < length) {
      if (this.#prefill) for (const t of [this.#prefill.inputs.ids, this.#prefill.inputs.positions, this.#prefill.logits]) t.destroy();
      this.#prefill = await make(length);
    }
    return this.#prefill;
  }

  /**
   * Runs `ids` (one or more new tokens) after the cached ones and returns the logits of the last new token. One
   * dispatch, whatever the number of tokens.
   */
  async step(ids: readonly number[]): Promise<Float32Array> {
    if (this.#destroyed) throw new Error('the decoder was destroyed');
    const n = ids.length;
    if (n === 0) throw new RangeError('a step needs at least one token');
    const past = this.#pastLength;
    if (past + n > this.shape.maxLength) {
      throw new RangeError(`${past} cached + ${n} new tokens exceed the model's maximum length ${this.shape.maxLength}`);
    }
    const caches = await this.#tensors();
    const { inputs, logits } = await this.#stepTensors(n);
    for (let i = 0; i < n; i++) {
      inputs.idBuffer[i] = BigInt(ids[i]!);
      inputs.positionBuffer[i] = BigInt(past + i);
    }
    this.#context.writeTensor(inputs.ids, inputs.idBuffer);
    this.#context.writeTensor(inputs.positions, inputs.positionBuffer);

    const { layers, kvHeads, headDim, vocab } = this.shape;
    const from = caches[this.#current]!;
    const to = caches[1 - this.#current]!;
    const feeds: Record<string, MLTensor> = { input_ids: inputs.ids, attention_mask: this.#mask!, position_ids: inputs.positions };
    const fetches: Record<string, MLTensor> = { logits };
    const inputShapes: Record<string, number[]> = { input_ids: [1, n], attention_mask: [1, past + n], position_ids: [1, n] };
    const outputShapes: Record<string, number[]> = { logits: [1, n, vocab] };
    for (let l = 0; l < layers; l++) {
      for (const kind of KINDS) {
        feeds[pastName(l, kind)] = from[pastName(l, kind)]!;
        fetches[presentName(l, kind)] = to[pastName(l, kind)]!;
        inputShapes[pastName(l, kind)] = [1, kvHeads, past, headDim];
        outputShapes[presentName(l, kind)] = [1, kvHeads, past + n, headDim];
      }
    }
    this.#context.dispatch(this.#graph, feeds, fetches, { inputShapes, outputShapes });
    this.dispatches++;
    this.#current = 1 - this.#current;
    this.#pastLength = past + n;
    const bytes = await this.#context.readTensor(logits);
    return new Float32Array(bytes, (n - 1) * vocab * 4, vocab);
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    for (const set of this.#caches ?? []) for (const t of Object.values(set)) t.destroy();
    this.#mask?.destroy();
    for (const s of [this.#single, this.#prefill]) {
      if (s) for (const t of [s.inputs.ids, s.inputs.positions, s.logits]) t.destroy();
    }
  }
}
