// The reference tsnn's generation is checked against: the original ONNX model in onnxruntime-node, with its own
// greedy loop over the optimum decoder interface (each step's present tensors fed back as the next step's past).
// Nothing of tsnn's graph building, lowering or dispatch is involved.
import ort from 'onnxruntime-node';
import { argmax } from './sampling.js';
import type { DecoderShape } from './decoder.js';

export class OrtGreedy {
  #past = new Map<string, ort.Tensor>();
  #length = 0;

  private constructor(private readonly session: ort.InferenceSession, private readonly shape: DecoderShape) {
    this.reset();
  }

  static async open(onnxPath: string, shape: DecoderShape, options: ort.InferenceSession.SessionOptions = {}): Promise<OrtGreedy> {
    const session = await ort.InferenceSession.create(onnxPath, { graphOptimizationLevel: 'all', ...options });
    return new OrtGreedy(session, shape);
  }

  reset(): void {
    const { layers, kvHeads, headDim } = this.shape;
    this.#past.clear();
    this.#length = 0;
    for (let l = 0; l < layers; l++) {
      for (const kind of ['key', 'value']) {
        this.#past.set(`past_key_values.${l}.${kind}`, new ort.Tensor('float32', new Float32Array(0), [1, kvHeads, 0, headDim]));
      }
    }
  }

  /** Runs new tokens after the cached ones; returns the last token's logits. */
  async step(ids: readonly number[]): Promise<Float32Array> {
    const n = ids.length;
    const total = this.#length + n;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, n]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
      position_ids: new ort.Tensor('int64', BigInt64Array.from({ length: n }, (_, i) => BigInt(this.#length + i)), [1, n]),
    };
    for (const [name, t] of this.#past) feeds[name] = t;
    const out = await this.session.run(feeds);
    for (const name of this.#past.keys()) this.#past.set(name, out[name.replace('past_key_values.', 'present.')]!);
    this.#length = total;
    const logits = out.logits!.data as Float32Array;
    return logits.subarray((n - 1) * this.shape.vocab, n * this.shape.vocab);
  }

  /** Greedy continuation of `promptIds`: `maxNewTokens` ids (end-of-sequence tokens are not special here). */
  async *greedy(promptIds: readonly number[], maxNewTokens: number): AsyncGenerator<number> {
    this.reset();
    let logits = await this.step(promptIds);
    for (let i = 0; i < maxNewTokens; i++) {
      const token = argmax(logits);
      yield token;
      if (i + 1 < maxNewTokens) logits = await this.step([token]);
    }
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
