// Checks a model folder written by scripts/export-llama.py against its reference.json, running the ONNX file
// directly in onnxruntime-node (not through tsnn) and the tokenizer in @huggingface/tokenizers. Used by
// test/llm/fixture.test.ts and by scripts/check-llama-onnx.ts (for folders too large to commit).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { Tokenizer } from '@huggingface/tokenizers';

/** reference.json as export-llama.py writes it (format 1). */
export interface LlamaReference {
  format: number;
  prompt: string;
  prompt_ids: number[];
  /** The first forward (empty cache, whole prompt): full logits rows at these prompt positions. */
  prefill: { positions: number[]; logits: number[][] };
  greedy: {
    max_new_tokens: number;
    new_ids: number[];
    text: string;
    eos_ignored: boolean;
    contains_eos: boolean;
    /** Logits of the second step: one new token over a cache of the whole prompt. */
    first_decode_logits: number[] | null;
    min_top2_margin: number;
  };
  tolerance: number;
}

export interface LlamaConfigJson {
  vocab_size: number;
  num_hidden_layers: number;
  num_key_value_heads: number;
  head_dim: number;
}

export function readJson<T>(dir: string, name: string): T {
  return JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;
}

export function loadTokenizer(dir: string): Tokenizer {
  return new Tokenizer(readJson<object>(dir, 'tokenizer.json'), readJson<object>(dir, 'tokenizer_config.json'));
}

/** One optimum-interface decoder session with its own KV cache, batch rows given explicitly. */
export class OrtDecoder {
  private past = new Map<string, ort.Tensor>();
  private mask: number[][] = [];

  private constructor(
    readonly session: ort.InferenceSession,
    readonly config: LlamaConfigJson,
    readonly batch: number,
  ) {
    this.reset();
  }

  static async open(dir: string, batch = 1): Promise<OrtDecoder> {
    const session = await ort.InferenceSession.create(join(dir, 'onnx', 'model.onnx'));
    return new OrtDecoder(session, readJson<LlamaConfigJson>(dir, 'config.json'), batch);
  }

  reset(): void {
    const { num_hidden_layers: n, num_key_value_heads: kv, head_dim: d } = this.config;
    this.past.clear();
    for (let i = 0; i < n; i++)
      for (const k of ['key', 'value'])
        this.past.set(`past_key_values.${i}.${k}`, new ort.Tensor('float32', new Float32Array(0), [this.batch, kv, 0, d]));
    this.mask = Array.from({ length: this.batch }, () => []);
  }

  get pastLength(): number {
    return this.mask[0]!.length;
  }

  /**
   * Runs new tokens (one row per batch entry, equal lengths; `keep` 0 marks padding) and returns the logits
   * [batch][seq][vocab] flattened. Position ids count only kept tokens, as Hugging Face's generate does.
   */
  async step(ids: number[][], keep?: number[][]): Promise<{ logits: Float32Array; seq: number }> {
    const seq = ids[0]!.length;
    const b = this.batch;
    const pos: bigint[] = [];
    for (let r = 0; r < b; r++) {
      let seen = this.mask[r]!.reduce((a, m) => a + m, 0);
      for (let j = 0; j < seq; j++) {
        const m = keep ? keep[r]![j]! : 1;
        this.mask[r]!.push(m);
        pos.push(BigInt(Math.max(0, seen + m - 1)));
        seen += m;
      }
    }
    const total = this.mask[0]!.length;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.flat().map(BigInt)), [b, seq]),
      attention_mask: new ort.Tensor('int64', BigInt64Array.from(this.mask.flat().map(BigInt)), [b, total]),
      position_ids: new ort.Tensor('int64', BigInt64Array.from(pos), [b, seq]),
    };
    for (const [k, v] of this.past) feeds[k] = v;
    const out = await this.session.run(feeds);
    for (const k of this.past.keys()) this.past.set(k, out[k.replace('past_key_values.', 'present.')]!);
    return { logits: out.logits!.data as Float32Array, seq };
  }
}

export function argmax(a: ArrayLike<number>, from = 0, to = a.length): number {
  let best = from;
  for (let i = from + 1; i < to; i++) if (a[i]! > a[best]!) best = i;
  return best - from;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export interface CheckResult {
  /** Largest |ORT - PyTorch| over the reference prefill rows. */
  prefillDiff: number;
  /** Same for the first decode step (past length = prompt length). */
  decodeDiff: number;
  /** Greedy ids from ORT with the KV cache. */
  greedy: number[];
  /** Prompt split in two steps (second with past > 0, several tokens): |last row - reference|. */
  chunkedDiff: number;
  /** Batch of 2 with left padding: |padded row's last logits - unpadded run| (same model, same prompt). */
  paddedDiff: number;
  tokenizerIds: number[];
  tokenizerText: string;
  greedyText: string;
}

/** Runs every check of a model folder; throws on nothing, returns the measured numbers for the caller. */
export async function checkFolder(dir: string): Promise<CheckResult> {
  const ref = readJson<LlamaReference>(dir, 'reference.json');
  const cfg = readJson<LlamaConfigJson>(dir, 'config.json');
  const V = cfg.vocab_size;
  const tok = loadTokenizer(dir);
  const tokenizerIds = tok.encode(ref.prompt, { add_special_tokens: false }).ids;
  const tokenizerText = tok.decode(ref.prompt_ids);
  const greedyText = tok.decode(ref.greedy.new_ids);

  const dec = await OrtDecoder.open(dir);
  const ids = ref.prompt_ids;
  const s = ids.length;
  const first = await dec.step([ids]);
  let prefillDiff = 0;
  ref.prefill.positions.forEach((p, i) => {
    prefillDiff = Math.max(prefillDiff, maxAbsDiff(first.logits.subarray(p * V, (p + 1) * V), ref.prefill.logits[i]!));
  });
  const greedy: number[] = [argmax(first.logits, (s - 1) * V, s * V)];
  let decodeDiff = 0;
  while (greedy.length < ref.greedy.max_new_tokens) {
    const r = await dec.step([[greedy[greedy.length - 1]!]]);
    if (greedy.length === 1 && ref.greedy.first_decode_logits) decodeDiff = maxAbsDiff(r.logits, ref.greedy.first_decode_logits);
    greedy.push(argmax(r.logits));
  }

  // Past > 0 with several new tokens in one step.
  const chunk = await OrtDecoder.open(dir);
  const cut = Math.max(1, Math.floor(s / 3));
  await chunk.step([ids.slice(0, cut)]);
  const second = await chunk.step([ids.slice(cut)]);
  const lastRef = ref.prefill.logits[ref.prefill.positions.indexOf(s - 1)];
  const chunkedDiff = maxAbsDiff(second.logits.subarray((s - cut - 1) * V), lastRef!);

  // Left padding: row 1 is the prompt's tail padded to the full length; its last logits must equal an unpadded
  // run of that tail.
  const tail = ids.slice(Math.floor(s / 2));
  const solo = await OrtDecoder.open(dir);
  const soloOut = await solo.step([tail]);
  const pair = await OrtDecoder.open(dir, 2);
  const pad = s - tail.length;
  const padded = [...new Array<number>(pad).fill(0), ...tail];
  const keep = [new Array<number>(s).fill(1), [...new Array<number>(pad).fill(0), ...new Array<number>(tail.length).fill(1)]];
  const pairOut = await pair.step([ids, padded], keep);
  const paddedDiff = maxAbsDiff(
    pairOut.logits.subarray((2 * s - 1) * V, 2 * s * V),
    soloOut.logits.subarray((tail.length - 1) * V, tail.length * V),
  );
  return { prefillDiff, decodeDiff, greedy, chunkedDiff, paddedDiff, tokenizerIds, tokenizerText, greedyText };
}
