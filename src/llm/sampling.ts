// Choosing the next token from a row of logits: greedy, or sampling with temperature, top-k and top-p, after a
// repetition penalty — in the order Hugging Face's generate() applies them — from a seeded generator, so one seed
// gives one text.

export interface SamplingOptions {
  /** 0 (the default) or absent picks the most likely token; above 0 samples from softmax(logits / temperature). */
  temperature?: number;
  /** Keep only the k most likely tokens before sampling (0: all). */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose probabilities reach p (1: all). */
  topP?: number;
  /** > 1 makes tokens already in the sequence less likely (CTRL's penalty: positive logits divided, negative multiplied). */
  repetitionPenalty?: number;
  /** Seed of the sampling generator; the same seed, prompt and options give the same tokens. */
  seed?: number;
}

/** A small, fast, seedable generator (mulberry32); uniform doubles in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkOptions(o: SamplingOptions): Required<SamplingOptions> {
  const temperature = o.temperature ?? 0;
  const topK = o.topK ?? 0;
  const topP = o.topP ?? 1;
  const repetitionPenalty = o.repetitionPenalty ?? 1;
  const seed = o.seed ?? 0;
  if (!Number.isFinite(temperature) || temperature < 0) throw new RangeError(`temperature must be a finite number ≥ 0, got ${temperature}`);
  if (!Number.isInteger(topK) || topK < 0) throw new RangeError(`topK must be an integer ≥ 0, got ${topK}`);
  if (!(topP > 0 && topP <= 1)) throw new RangeError(`topP must be in (0, 1], got ${topP}`);
  if (!Number.isFinite(repetitionPenalty) || repetitionPenalty <= 0) throw new RangeError(`repetitionPenalty must be a finite number > 0, got ${repetitionPenalty}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  return { temperature, topK, topP, repetitionPenalty, seed };
}

export class Sampler {
  readonly options: Readonly<Required<SamplingOptions>>;
  readonly #random: () => number;

  constructor(options: SamplingOptions = {}) {
    this.options = checkOptions(options);
    this.#random = seededRandom(this.options.seed);
  }

  get greedy(): boolean {
    return this.options.temperature === 0;
  }

  /** The next token id for `logits` (one row, vocabulary-sized), given the ids of the sequence so far. */
  next(logits: Float32Array, history: readonly number[]): number {
    const { temperature, topK, topP, repetitionPenalty } = this.options;
    let scores = logits;
    if (repetitionPenalty !== 1 && history.length) {
      scores = Float32Array.from(logits);
      for (const id of new Set(history)) {
        const v = scores[id];
        if (v !== undefined) scores[id] = v > 0 ? v / repetitionPenalty : v * repetitionPenalty;
      }
    }
    for (let i = 0; i < scores.length; i++) {
      if (Number.isNaN(scores[i])) throw new RangeError(`the model's logits hold NaN (token ${i}); nothing can be chosen`);
    }
    if (temperature === 0) return argmax(scores);

    // Candidates by descending score (ties: lower id first, as a stable sort gives).
    let order = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]! || a - b);
    if (topK > 0 && topK < order.length) order = order.slice(0, topK);
    const max = scores[order[0]!]!;
    let probs = order.map((id) => Math.exp((scores[id]! - max) / temperature));
    let total = probs.reduce((a, b) => a + b, 0);
    if (topP < 1) {
      let cumulative = 0;
      let keep = 0;
      while (keep < probs.length) {
        cumulative += probs[keep]! / total;
        keep++;
        if (cumulative >= topP) break;
      }
      order = order.slice(0, keep);
      probs = probs.slice(0, keep);
      total = probs.reduce((a, b) => a + b, 0);
    }
    let r = this.#random() * total;
    for (let i = 0; i < order.length; i++) {
      r -= probs[i]!;
      if (r < 0) return order[i]!;
    }
    return order[order.length - 1]!;
  }
}

/** The index of the first largest value. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
