// Text generation: tsnn against raw onnxruntime-node running the same original ONNX with its own greedy loop, and
// transformers.js loading the same folder offline. Each side runs in its own process (two onnxruntime sessions in
// one process disturb each other on a small machine), sides alternated ABBA; medians with their spread.
// Usage: npm run bench:llm -- --model DIR [--rounds N] [--sides tsnn,ort,transformers] [--new-tokens 64]
// DIR: a model folder as scripts/export-llama.py writes it (e.g. --config smollm-135m). Per process: load time, time
// to first token of a 128-token prompt, decode tokens/s of 64 greedy tokens after an 8-token prompt, peak memory,
// and (tsnn, ort) decode ms per token at past length ≈10 and ≈1000.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine, median, watchOtherLoad } from './support.js';

type Side = 'tsnn' | 'ort' | 'transformers';
interface Result {
  side: Side;
  loadMs: number;
  ttft128Ms: number;
  decodeTokPerS: number;
  peakRssMb: number;
  msPerTokenPast10?: number;
  msPerTokenPast1000?: number;
  tokens: number[];
}

const args = process.argv.slice(2);
const arg = (name: string, fallback?: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const NEW_TOKENS = Number(arg('--new-tokens', '64'));

function promptIds(n: number, vocab: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return 3 + (s % (vocab - 3));
  });
}

/** Decode ms per token over 16 steps after a prompt of `past` tokens, given a step function. */
async function msPerToken(reset: () => void, step: (ids: number[]) => Promise<unknown>, vocab: number, past: number): Promise<number> {
  reset();
  await step(promptIds(past, vocab, past));
  const t0 = performance.now();
  for (let i = 0; i < 16; i++) await step([5 + i]);
  return (performance.now() - t0) / 16;
}

async function runSide(side: Side, dir: string): Promise<Result> {
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { vocab_size: number };
  const vocab = config.vocab_size;
  const short = promptIds(8, vocab, 1);
  const long = promptIds(128, vocab, 2);
  const t0 = performance.now();
  let result: Omit<Result, 'side' | 'peakRssMb' | 'loadMs'>;
  let loadMs: number;
  if (side === 'tsnn') {
    const { loadModel } = await import('../src/index.js');
    const model = await loadModel(dir, { maxLength: 2048 });
    loadMs = performance.now() - t0;
    const run = async (ids: number[], n: number) => {
      const gen = model.generator.generateIds(ids, { maxNewTokens: n, ignoreEos: true });
      const tokens: number[] = [];
      for await (const p of gen) tokens.push(p.token);
      return { tokens, stats: gen.stats! };
    };
    await run(short, 4);
    const ttft = (await run(long, 1)).stats.timeToFirstTokenMs;
    const decode = await run(short, NEW_TOKENS);
    const d = model.decoder;
    result = {
      ttft128Ms: ttft,
      decodeTokPerS: decode.stats.decodeTokensPerSecond,
      tokens: decode.tokens,
      msPerTokenPast10: await msPerToken(() => d.reset(), (ids) => d.step(ids), vocab, 10),
      msPerTokenPast1000: await msPerToken(() => d.reset(), (ids) => d.step(ids), vocab, 1000),
    };
  } else if (side === 'ort') {
    const { OrtGreedy } = await import('../src/llm/ort-reference.js');
    const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, number>;
    const shape = { layers: cfg.num_hidden_layers!, kvHeads: cfg.num_key_value_heads!, headDim: cfg.head_dim!, vocab, maxLength: 2048 };
    const ort = await OrtGreedy.open(join(dir, 'onnx', 'model.onnx'), shape);
    loadMs = performance.now() - t0;
    const run = async (ids: number[], n: number) => {
      const tokens: number[] = [];
      const start = performance.now();
      let first = 0;
      for await (const t of ort.greedy(ids, n)) {
        if (!tokens.length) first = performance.now();
        tokens.push(t);
      }
      return { tokens, ttft: first - start, decodeTokPerS: ((tokens.length - 1) * 1000) / (performance.now() - first) };
    };
    await run(short, 4);
    const ttft = (await run(long, 1)).ttft;
    const decode = await run(short, NEW_TOKENS);
    result = {
      ttft128Ms: ttft,
      decodeTokPerS: decode.decodeTokPerS,
      tokens: decode.tokens,
      msPerTokenPast10: await msPerToken(() => ort.reset(), (ids) => ort.step(ids), vocab, 10),
      msPerTokenPast1000: await msPerToken(() => ort.reset(), (ids) => ort.step(ids), vocab, 1000),
    };
  } else {
    const tjs = await import('@huggingface/transformers');
    tjs.env.allowRemoteModels = false;
    tjs.env.localModelPath = dirname(resolve(dir));
    const model = await tjs.AutoModelForCausalLM.from_pretrained(basename(resolve(dir)), { dtype: 'fp32', device: 'cpu', local_files_only: true });
    loadMs = performance.now() - t0;
    const run = async (ids: number[], n: number) => {
      const times: number[] = [];
      const tokens: number[] = [];
      const streamer = {
        put(value: bigint[][]) {
          times.push(performance.now());
          if (times.length > 1) tokens.push(Number(value[0]![0]!));
        },
        end() {},
      };
      const start = performance.now();
      const input_ids = new tjs.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]);
      await model.generate({ input_ids, attention_mask: new tjs.Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
        max_new_tokens: n, min_new_tokens: n, do_sample: false, streamer } as never);
      const first = times[1]!;
      return { tokens, ttft: first - start, decodeTokPerS: ((tokens.length - 1) * 1000) / (times[times.length - 1]! - first) };
    };
    await run(short, 4);
    const ttft = (await run(long, 1)).ttft;
    const decode = await run(short, NEW_TOKENS);
    result = { ttft128Ms: ttft, decodeTokPerS: decode.decodeTokPerS, tokens: decode.tokens };
  }
  return { side, loadMs, peakRssMb: process.resourceUsage().maxRSS / 1024, ...result };
}

async function main(): Promise<void> {
  const dir = arg('--model');
  if (!dir) throw new Error('--model DIR is required (e.g. a folder written by scripts/export-llama.py --config smollm-135m)');
  const side = arg('--side') as Side | undefined;
  if (side) {
    process.stdout.write(`${JSON.stringify(await runSide(side, dir))}\n`);
    return;
  }
  const sides = (arg('--sides', 'tsnn,ort,transformers')!).split(',') as Side[];
  const rounds = Number(arg('--rounds', '2'));
  const self = fileURLToPath(import.meta.url);
  const spawn = (s: Side | 'prepare') => {
    const out = spawnSync(process.execPath, ['--import', 'tsx', self, '--model', dir, '--side', s === 'prepare' ? 'tsnn' : s, '--new-tokens', String(NEW_TOKENS)],
      { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (out.status !== 0) throw new Error(`${s}: ${out.stderr}`);
    return JSON.parse(out.stdout.trim().split('\n').pop()!) as Result;
  };
  spawn('prepare'); // converts the model once (cached beside it), so tsnn's load times below are cached loads
  const results = new Map<Side, Result[]>(sides.map((s) => [s, []]));
  const otherLoad = watchOtherLoad();
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? [...sides, ...[...sides].reverse()] : [...[...sides].reverse(), ...sides];
    for (const s of order) {
      const res = spawn(s);
      results.get(s)!.push(res);
      console.error(`${s}: load ${res.loadMs.toFixed(0)} ms, ttft ${res.ttft128Ms.toFixed(1)} ms, decode ${res.decodeTokPerS.toFixed(1)} tok/s`);
    }
  }
  const m = describeMachine();
  console.log(`machine: ${m.cpu}, ${m.cores} cores, node ${m.node}, onnxruntime-node ${m.onnxruntime}; other load ${otherLoad()?.toFixed(2) ?? '?'} cores`);
  console.log(`model: ${dir}; ${rounds * 2} processes per side; 128-token prompt for time to first token; 8-token prompt + ${NEW_TOKENS} greedy tokens for decode`);
  const stat = (s: Side, f: (r: Result) => number | undefined) => {
    const xs = results.get(s)!.map(f).filter((x): x is number => x !== undefined);
    return xs.length ? { med: median(xs), lo: Math.min(...xs), hi: Math.max(...xs) } : undefined;
  };
  const fmt = (v: { med: number; lo: number; hi: number } | undefined, d = 1) => (v ? `${v.med.toFixed(d)} (${v.lo.toFixed(d)}–${v.hi.toFixed(d)})` : '—');
  console.log('| side | load ms | time to first token (128) ms | decode tok/s | peak RSS MB | ms/token past 10 | ms/token past 1000 |');
  console.log('|---|---|---|---|---|---|---|');
  for (const s of sides) {
    console.log(`| ${s} | ${fmt(stat(s, (r) => r.loadMs), 0)} | ${fmt(stat(s, (r) => r.ttft128Ms))} | ${fmt(stat(s, (r) => r.decodeTokPerS))} | ${fmt(stat(s, (r) => r.peakRssMb), 0)} | ${fmt(stat(s, (r) => r.msPerTokenPast10), 2)} | ${fmt(stat(s, (r) => r.msPerTokenPast1000), 2)} |`);
  }
  const tsnn = stat('tsnn', (r) => r.decodeTokPerS);
  for (const other of sides.filter((s) => s !== 'tsnn')) {
    const o = stat(other, (r) => r.decodeTokPerS);
    const t = stat(other, (r) => r.ttft128Ms);
    const tt = stat('tsnn', (r) => r.ttft128Ms);
    if (tsnn && o && t && tt) console.log(`tsnn / ${other}: decode ${(tsnn.med / o.med).toFixed(2)}×, time to first token ${(tt.med / t.med).toFixed(2)}× (lower is better)`);
  }
  const p10 = stat('tsnn', (r) => r.msPerTokenPast10);
  const p1000 = stat('tsnn', (r) => r.msPerTokenPast1000);
  if (p10 && p1000) console.log(`tsnn decode at past 1000 / past 10: ${(p1000.med / p10.med).toFixed(2)}×`);
  // Same greedy tokens on every side (same model, same prompt).
  const tokens = sides.map((s) => JSON.stringify(results.get(s)![0]!.tokens));
  console.log(`greedy tokens identical across sides: ${tokens.every((t) => t === tokens[0])}`);
}

await main();
