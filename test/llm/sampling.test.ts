// Token choice (src/llm/sampling.ts) and the generation loop's stop rules (src/llm/generate.ts) on scripted logits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { argmax, Sampler } from '../../src/llm/sampling.js';
import { Generator, type StepDecoder } from '../../src/llm/generate.js';
import { TextCodec, TextStream, type TokenizerConfig } from '../../src/llm/text.js';

const logits = Float32Array.from([1, 3, 2, 3, -1]);

test('greedy takes the first largest logit', () => {
  assert.equal(argmax(logits), 1);
  assert.equal(new Sampler().next(logits, []), 1);
  assert.equal(new Sampler({ temperature: 0, topK: 2 }).next(logits, []), 1);
});

test('sampling follows softmax(logits / T) (frequencies within 3 standard errors over 20000 draws)', () => {
  const row = Float32Array.from([0, Math.log(2), Math.log(3), -Infinity]);
  const sampler = new Sampler({ temperature: 1, seed: 11 });
  const counts = [0, 0, 0, 0];
  const N = 20000;
  for (let i = 0; i < N; i++) counts[sampler.next(row, [])]!++;
  const expected = [1 / 6, 2 / 6, 3 / 6, 0];
  counts.forEach((c, i) => {
    const p = expected[i]!;
    const se = Math.sqrt((p * (1 - p)) / N);
    assert.ok(Math.abs(c / N - p) <= 3 * se + 1e-12, `token ${i}: ${c / N} vs ${p}`);
  });
  // Temperature 2 flattens: p ∝ sqrt(1, 2, 3).
  const flat = new Sampler({ temperature: 2, seed: 5 });
  const c2 = [0, 0, 0];
  for (let i = 0; i < N; i++) c2[flat.next(row.subarray(0, 3), [])]!++;
  const z = 1 + Math.SQRT2 + Math.sqrt(3);
  assert.ok(Math.abs(c2[0]! / N - 1 / z) < 0.015 && Math.abs(c2[2]! / N - Math.sqrt(3) / z) < 0.015, JSON.stringify(c2));
});

test('top-k and top-p keep the most likely tokens only', () => {
  const row = Float32Array.from([Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)]);
  const seen = (o: ConstructorParameters<typeof Sampler>[0]) => {
    const s = new Sampler({ temperature: 1, seed: 3, ...o });
    const set = new Set<number>();
    for (let i = 0; i < 3000; i++) set.add(s.next(row, []));
    return [...set].sort();
  };
  assert.deepEqual(seen({}), [0, 1, 2, 3]);
  assert.deepEqual(seen({ topK: 2 }), [0, 1]);
  assert.deepEqual(seen({ topP: 0.8 }), [0, 1]); // 0.5 + 0.3 reaches 0.8
  assert.deepEqual(seen({ topP: 0.81 }), [0, 1, 2]);
  assert.deepEqual(seen({ topP: 0.4 }), [0]);
  assert.deepEqual(seen({ topK: 3, topP: 0.9 }), [0, 1, 2]);
});

test('the repetition penalty divides positive and multiplies negative logits of tokens already seen', () => {
  const row = Float32Array.from([2, 1.9, -0.5, -0.6]);
  assert.equal(new Sampler().next(row, [0]), 0);
  assert.equal(new Sampler({ repetitionPenalty: 1.1 }).next(row, [0]), 1); // 2 / 1.1 < 1.9
  const negative = Float32Array.from([-0.5, -0.6]);
  assert.equal(new Sampler({ repetitionPenalty: 1.5 }).next(negative, [0]), 1); // -0.75 < -0.6
  assert.deepEqual(row, Float32Array.from([2, 1.9, -0.5, -0.6]), 'the logits passed in are not modified');
});

test('one seed gives one sequence; bad options and NaN logits are errors that name them', () => {
  const draw = (seed: number) => {
    const s = new Sampler({ temperature: 0.7, seed });
    return Array.from({ length: 20 }, () => s.next(logits, []));
  };
  assert.deepEqual(draw(42), draw(42));
  assert.notDeepEqual(draw(42), draw(43));
  assert.throws(() => new Sampler({ topP: 0 }), /topP must be in \(0, 1\]/);
  assert.throws(() => new Sampler({ topK: 1.5 }), /topK must be an integer/);
  assert.throws(() => new Sampler({ repetitionPenalty: 0 }), /repetitionPenalty must be a finite number > 0/);
  assert.throws(() => new Sampler({ seed: 0.5 }), /seed must be an integer/);
  assert.throws(() => new Sampler().next(Float32Array.from([0, NaN]), []), /logits hold NaN \(token 1\)/);
});

// ---- the loop, on a scripted decoder and the tiny fixture's tokenizer ----
const dir = fileURLToPath(new URL('../fixtures/llama-tiny/', import.meta.url));
const codec = new TextCodec(JSON.parse(readFileSync(`${dir}tokenizer.json`, 'utf8')) as object,
  JSON.parse(readFileSync(`${dir}tokenizer_config.json`, 'utf8')) as TokenizerConfig);
const VOCAB = 320;

/** A decoder whose logits pick the tokens of `script` in turn. */
class Scripted implements StepDecoder {
  readonly shape = { maxLength: 64 };
  steps: number[][] = [];
  #at = 0;
  constructor(private readonly script: readonly number[]) {}
  async step(ids: readonly number[]): Promise<Float32Array> {
    this.steps.push([...ids]);
    const row = new Float32Array(VOCAB);
    row[this.script[this.#at++] ?? 0] = 10;
    return row;
  }
  reset(): void {}
}

async function run(script: number[], options: Parameters<Generator['generateIds']>[1]) {
  const g = new Generator(new Scripted(script), codec, [0]);
  const gen = g.generateIds([5, 6], options);
  const pieces: string[] = [];
  for await (const p of gen) pieces.push(p.text);
  return { pieces, stats: gen.stats! };
}

test('stop strings end the text before them, and a partial match is held back until it is decided', async () => {
  const script = codec.encode('one two END three', false);
  const { pieces, stats } = await run(script, { maxNewTokens: 50, stop: ['END'] });
  assert.equal(stats.text, 'one two ');
  assert.equal(pieces.join(''), 'one two ');
  assert.equal(stats.stopReason, 'stop-string');
  assert.ok(!pieces.some((p) => p.includes('E')), 'no piece of the stop string was emitted');
  // A near miss ('EN' then 'D' missing) is released once it can no longer be the stop string.
  const near = await run(codec.encode('EN X', false), { maxNewTokens: 4, stop: ['END'] });
  assert.equal(near.pieces.join(''), 'EN X');
  assert.equal(near.stats.stopReason, 'length');
});

test('an end-of-sequence token ends generation unless ignored; maxNewTokens caps it', async () => {
  const script = [...codec.encode('hi', false), 0, ...codec.encode('there', false)];
  const eos = await run(script, { maxNewTokens: 20 });
  assert.equal(eos.stats.text, 'hi');
  assert.equal(eos.stats.stopReason, 'eos');
  assert.equal(eos.stats.newTokens, 3);
  const capped = await run(codec.encode('abcdefgh', false), { maxNewTokens: 5 });
  assert.equal(capped.stats.text, 'abcde');
  assert.equal(capped.stats.newTokens, 5);
  assert.equal(capped.stats.stopReason, 'length');
});

test('streamed pieces never split a character and add up to the decoded text', () => {
  const text = 'héllo wörld — 日本語 😀 done';
  const ids = codec.encode(text, false);
  assert.ok(ids.length > [...text].length, 'multi-byte characters take several tokens');
  const stream = new TextStream(codec, 5);
  const pieces = ids.map((id) => stream.push(id));
  pieces.push(stream.flush());
  assert.ok(pieces.every((p) => !p.includes('\uFFFD')));
  assert.equal(pieces.join(''), codec.decode(ids));
  assert.equal(pieces.join(''), text);
});
