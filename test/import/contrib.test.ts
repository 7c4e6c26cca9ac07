// Each com.microsoft operator the importer decomposes, checked against onnxruntime's own contrib kernel on the
// CPU: one small model per operator (written with the project's ONNX encoder), imported once with dynamic
// dimensions and run at two or more shapes. Tolerance: |tsnn - ort| ≤ 1e-4 + 1e-3·|ort| (float32 throughout; the
// decompositions reorder a few float operations).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importOnnx, ml, type MLContext } from '../../src/index.js';
import { closeness, f32, model, node, random, runOrt, tensor, TT, valueInfo, type Feed, type ModelSpec } from '../support/onnx-builder.js';

const MS = 'com.microsoft';
const ATOL = 1e-4;
const RTOL = 1e-3;

let context: MLContext | undefined;
async function ctx(): Promise<MLContext> {
  context ??= await ml.createContext();
  return context;
}

/** Imports `spec` once and compares every output with onnxruntime at each set of feeds. */
async function agrees(spec: ModelSpec, runs: Record<string, Feed>[], atol = ATOL, rtol = RTOL): Promise<void> {
  // Small bounds: attention scores are [batch, heads, sequence, total], whose bound must stay under 2^31 elements.
  const bytes = model({ opset: 17, domains: { [MS]: 1 }, ...spec });
  const imported = await importOnnx(bytes, { context: await ctx(), defaultMaxSize: 64 });
  for (const feeds of runs) {
    const ort = await runOrt(bytes, feeds);
    // Inputs no output depends on (GroupQueryAttention's total_sequence_length) are not inputs of the WebNN graph.
    const used = Object.entries(feeds).filter(([k]) => k in imported.inputs);
    const ours = await imported.context.compute(imported.graph, Object.fromEntries(used.map(([k, f]) => [k, { data: f.data, shape: f.shape }])) as never);
    for (const o of spec.outputs) {
      const want = ort[o.name]!;
      const got = ours[o.name]!;
      assert.deepEqual(got.shape, want.shape, `${o.name} shape`);
      const c = closeness(got.data as ArrayLike<number>, want.data, atol, rtol);
      assert.ok(c <= 1, `${o.name}: off by ${c.toFixed(2)}× the tolerance at shapes ${JSON.stringify(Object.fromEntries(Object.entries(feeds).map(([k, f]) => [k, f.shape])))}`);
    }
  }
}

const rnd = random(42);
const feed = (shape: number[], lo = -2, hi = 2): Feed => ({ data: rnd(shape.reduce((a, b) => a * b, 1), lo, hi), shape });
const ints = (shape: number[], values: number[], big = true): Feed => ({
  data: big ? BigInt64Array.from(values.map(BigInt)) : Int32Array.from(values), shape,
});

test('FastGelu, with and without bias', async () => {
  await agrees({
    nodes: [node('FastGelu', ['x', 'bias'], ['y'], {}, MS), node('FastGelu', ['x'], ['z'], {}, MS)],
    inputs: [valueInfo('x', TT.FLOAT, ['b', 's', 8])],
    outputs: [valueInfo('y', TT.FLOAT, ['b', 's', 8]), valueInfo('z', TT.FLOAT, ['b', 's', 8])],
    initializers: [f32('bias', [8], rnd(8))],
  }, [{ x: feed([2, 3, 8], -5, 5) }, { x: feed([1, 7, 8], -5, 5) }]);
});

test('BiasGelu and QuickGelu', async () => {
  await agrees({
    nodes: [node('BiasGelu', ['x', 'bias'], ['y'], {}, MS), node('QuickGelu', ['x'], ['q'], {}, MS), node('QuickGelu', ['x'], ['q2'], { alpha: 1.25 }, MS)],
    inputs: [valueInfo('x', TT.FLOAT, ['n', 16])],
    outputs: [valueInfo('y', TT.FLOAT, ['n', 16]), valueInfo('q', TT.FLOAT, ['n', 16]), valueInfo('q2', TT.FLOAT, ['n', 16])],
    initializers: [f32('bias', [16], rnd(16))],
  }, [{ x: feed([3, 16], -6, 6) }, { x: feed([5, 16], -6, 6) }]);
});

test('FusedMatMul (transposes, alpha) and com.microsoft Gelu', async () => {
  await agrees({
    nodes: [
      node('FusedMatMul', ['a', 'w'], ['y'], { transB: 1, alpha: 0.5 }, MS), node('FusedMatMul', ['at', 'w2'], ['y2'], { transA: 1 }, MS),
      node('Gelu', ['x'], ['g'], {}, MS),
    ],
    inputs: [valueInfo('a', TT.FLOAT, ['b', 's', 8]), valueInfo('at', TT.FLOAT, ['b', 8, 's']), valueInfo('x', TT.FLOAT, ['b', 's', 8])],
    outputs: [valueInfo('y', TT.FLOAT, ['b', 's', 6]), valueInfo('y2', TT.FLOAT, ['b', 's', 6]), valueInfo('g', TT.FLOAT, ['b', 's', 8])],
    initializers: [f32('w', [6, 8], rnd(48)), f32('w2', [8, 6], rnd(48))],
  }, [[2, 3], [1, 5]].map(([B, S]) => ({ a: feed([B!, S!, 8]), at: feed([B!, 8, S!]), x: feed([B!, S!, 8], -4, 4) })));
});

test('SkipLayerNormalization and SkipSimplifiedLayerNormalization, with the sum output', async () => {
  const H = 16;
  await agrees({
    nodes: [
      node('SkipLayerNormalization', ['x', 'skip', 'gamma', 'beta', 'bias'], ['y', '', '', 'sum'], { epsilon: 1e-5 }, MS),
      node('SkipLayerNormalization', ['x', 'skip', 'gamma'], ['y2'], {}, MS),
      node('SkipSimplifiedLayerNormalization', ['x', 'skip', 'gamma', 'bias'], ['r', '', '', 'rsum'], { epsilon: 1e-6 }, MS),
      node('SimplifiedLayerNormalization', ['x', 'gamma'], ['rms'], { axis: -1, epsilon: 1e-5 }),
    ],
    inputs: [valueInfo('x', TT.FLOAT, ['b', 's', H]), valueInfo('skip', TT.FLOAT, ['b', 's', H])],
    outputs: ['y', 'sum', 'y2', 'r', 'rsum', 'rms'].map((n) => valueInfo(n, TT.FLOAT, ['b', 's', H])),
    initializers: [f32('gamma', [H], rnd(H, 0.5, 1.5)), f32('beta', [H], rnd(H)), f32('bias', [H], rnd(H))],
  }, [{ x: feed([2, 3, H]), skip: feed([2, 3, H]) }, { x: feed([1, 5, H]), skip: feed([1, 5, H]) }]);
});

test('RotaryEmbedding: 3-D and 4-D inputs, half and interleaved rotation, position ids and an offset', async () => {
  const N = 2;
  const Hd = 8;
  const maxS = 32;
  const cos = new Float32Array(maxS * (Hd / 2));
  const sin = new Float32Array(maxS * (Hd / 2));
  for (let p = 0; p < maxS; p++) {
    for (let i = 0; i < Hd / 2; i++) {
      const a = p / 10000 ** ((2 * i) / Hd);
      cos[p * (Hd / 2) + i] = Math.cos(a);
      sin[p * (Hd / 2) + i] = Math.sin(a);
    }
  }
  await agrees({
    nodes: [
      node('RotaryEmbedding', ['x', 'pos', 'cos', 'sin'], ['y'], { num_heads: N }, MS),
      node('RotaryEmbedding', ['x', 'pos', 'cos', 'sin'], ['yi'], { interleaved: 1, num_heads: N }, MS),
      node('RotaryEmbedding', ['x4', 'pos', 'cos', 'sin'], ['y4'], {}, MS),
      node('RotaryEmbedding', ['x', 'offset', 'cos', 'sin'], ['yo'], {}, MS),
    ],
    inputs: [
      valueInfo('x', TT.FLOAT, ['b', 's', N * Hd]), valueInfo('x4', TT.FLOAT, ['b', N, 's', Hd]),
      valueInfo('pos', TT.INT64, ['b', 's']), valueInfo('offset', TT.INT64, [1]),
    ],
    outputs: [valueInfo('y', TT.FLOAT, ['b', 's', N * Hd]), valueInfo('yi', TT.FLOAT, ['b', 's', N * Hd]), valueInfo('y4', TT.FLOAT, ['b', N, 's', Hd]), valueInfo('yo', TT.FLOAT, ['b', 's', N * Hd])],
    initializers: [f32('cos', [maxS, Hd / 2], cos), f32('sin', [maxS, Hd / 2], sin)],
  }, [
    { x: feed([2, 3, N * Hd]), x4: feed([2, N, 3, Hd]), pos: ints([2, 3], [0, 1, 2, 5, 6, 7]), offset: ints([1], [4]) },
    { x: feed([1, 1, N * Hd]), x4: feed([1, N, 1, Hd]), pos: ints([1, 1], [17]), offset: ints([1], [20]) },
  ]);
});

/** Packs 4-bit values two per byte, low nibble first, rows padded to whole bytes. */
function packRows(values: number[], rows: number, perRow: number): Uint8Array {
  const bytesPerRow = Math.ceil(perRow / 2);
  const out = new Uint8Array(rows * bytesPerRow);
  for (let r = 0; r < rows; r++) for (let i = 0; i < perRow; i++) out[r * bytesPerRow + (i >> 1)]! |= (values[r * perRow + i]! & 0xf) << ((i & 1) * 4);
  return out;
}

test('MatMulNBits: 4-bit and 8-bit, with and without zero points, K not a multiple of the block', async () => {
  for (const [bits, K, N, block] of [[4, 64, 12, 16], [4, 40, 8, 16], [8, 48, 6, 16]] as const) {
    const blocks = Math.ceil(K / block);
    const levels = 1 << bits;
    const q = Array.from({ length: N * blocks * block }, (_, i) => (i * 7 + 3) % levels);
    const data = bits === 4 ? packRows(q, N * blocks, block) : Uint8Array.from(q);
    const scales = rnd(N * blocks, 0.01, 0.1);
    const zps = Array.from({ length: N * blocks }, (_, i) => (i * 5) % levels);
    const zpBytes = bits === 4 ? packRows(zps, N, blocks) : Uint8Array.from(zps);
    const attrs = { K, N, bits, block_size: block };
    await agrees({
      nodes: [
        node('MatMulNBits', ['a', 'B', 'scales', 'zp'], ['y'], attrs, MS),
        node('MatMulNBits', ['a', 'B', 'scales'], ['y0'], attrs, MS),
        node('MatMulNBits', ['a', 'B', 'scales', '', '', 'bias'], ['yb'], attrs, MS),
      ],
      inputs: [valueInfo('a', TT.FLOAT, ['b', 's', K])],
      outputs: ['y', 'y0', 'yb'].map((n) => valueInfo(n, TT.FLOAT, ['b', 's', N])),
      initializers: [
        tensor('B', TT.UINT8, [N, blocks, (block * bits) / 8], data), f32('scales', [N * blocks], scales),
        tensor('zp', TT.UINT8, [bits === 4 ? N * Math.ceil(blocks / 2) : N * blocks], zpBytes), f32('bias', [N], rnd(N)),
      ],
    }, [{ a: feed([2, 3, K]) }, { a: feed([1, 1, K]) }]);
  }
});

test('GatherBlockQuantized: packed uint8 with and without zero points, int4 data, out-of-range indices give zeros', async () => {
  const V = 6;
  const K = 32;
  const block = 16;
  const blocks = K / block;
  const q = Array.from({ length: V * K }, (_, i) => (i * 11 + 1) % 16);
  const packed = packRows(q, V, K);
  const scales = rnd(V * blocks, 0.05, 0.2);
  const zps = Array.from({ length: V * blocks }, (_, i) => (i * 3) % 16);
  const signed = q.map((x) => x - 8);
  const int4 = packRows(signed, V, K);
  await agrees({
    nodes: [
      node('GatherBlockQuantized', ['data', 'idx', 'scales', 'zp'], ['y'], { block_size: block, quantize_axis: 1 }, MS),
      node('GatherBlockQuantized', ['data', 'idx', 'scales'], ['y0'], { block_size: block, quantize_axis: 1 }, MS),
      node('GatherBlockQuantized', ['data4', 'idx', 'scales'], ['y4'], { block_size: block, quantize_axis: 1 }, MS),
    ],
    inputs: [valueInfo('idx', TT.INT64, ['b', 's'])],
    outputs: ['y', 'y0', 'y4'].map((n) => valueInfo(n, TT.FLOAT, ['b', 's', K])),
    initializers: [
      tensor('data', TT.UINT8, [V, K / 2], packed), tensor('data4', TT.INT4, [V, K], int4),
      f32('scales', [V, blocks], scales), tensor('zp', TT.UINT8, [V, Math.ceil(blocks / 2)], packRows(zps, V, blocks)),
    ],
  }, [{ idx: ints([2, 3], [0, 5, 2, 3, 3, 1]) }, { idx: ints([1, 4], [4, 1, 0, 2]) }]);
});

test('GroupQueryAttention: KV cache at several past and sequence lengths, grouped heads, rotary, local window', async () => {
  const N = 4;
  const kvN = 2;
  const H = 16; // the kernel's rotary needs a multiple of 16
  const maxS = 64;
  const cos = new Float32Array(maxS * (H / 2));
  const sin = new Float32Array(maxS * (H / 2));
  for (let p = 0; p < maxS; p++) for (let i = 0; i < H / 2; i++) {
    cos[p * (H / 2) + i] = Math.cos(p * 0.3 / (i + 1));
    sin[p * (H / 2) + i] = Math.sin(p * 0.3 / (i + 1));
  }
  const ins = ['q', 'k', 'v', 'pk', 'pv', 'seqlens', 'total'];
  const spec = (extra: Record<string, number>, rotary: boolean): ModelSpec => ({
    nodes: [node('GroupQueryAttention', rotary ? [...ins, 'cos', 'sin'] : ins, ['y', 'presk', 'presv'], { num_heads: N, kv_num_heads: kvN, ...extra }, MS)],
    inputs: [
      valueInfo('q', TT.FLOAT, ['b', 's', N * H]), valueInfo('k', TT.FLOAT, ['b', 's', kvN * H]), valueInfo('v', TT.FLOAT, ['b', 's', kvN * H]),
      valueInfo('pk', TT.FLOAT, ['b', kvN, 'p', H]), valueInfo('pv', TT.FLOAT, ['b', kvN, 'p', H]),
      valueInfo('seqlens', TT.INT32, ['b']), valueInfo('total', TT.INT32, []),
    ],
    outputs: [valueInfo('y', TT.FLOAT, ['b', 's', N * H]), valueInfo('presk', TT.FLOAT, ['b', kvN, 't', H]), valueInfo('presv', TT.FLOAT, ['b', kvN, 't', H])],
    initializers: rotary ? [f32('cos', [maxS, H / 2], cos), f32('sin', [maxS, H / 2], sin)] : [],
  });
  // onnxruntime takes batch > 1 with a past only one token at a time.
  const runs = [[1, 4, 5], [2, 1, 9], [1, 6, 1]].map(([B, S, P]) => ({
    q: feed([B!, S!, N * H]), k: feed([B!, S!, kvN * H]), v: feed([B!, S!, kvN * H]),
    pk: feed([B!, kvN, P!, H]), pv: feed([B!, kvN, P!, H]),
    seqlens: ints([B!], new Array(B!).fill(P! + S! - 1), false), total: ints([], [P! + S!], false),
  }));
  await agrees(spec({}, false), runs);
  await agrees(spec({ do_rotary: 1 }, true), runs);
  await agrees(spec({ do_rotary: 1, rotary_interleaved: 1, local_window_size: 3, scale: 0.2 }, true), runs);
});

test('MultiHeadAttention: bias, past key/value, unidirectional, key padding mask', async () => {
  const N = 2;
  const H = 8;
  const D = N * H;
  await agrees({
    nodes: [
      node('MultiHeadAttention', ['q', 'k', 'v', 'bias', '', '', 'pk', 'pv'], ['y', 'presk', 'presv'], { num_heads: N, unidirectional: 1 }, MS),
      node('MultiHeadAttention', ['q', 'k', 'v', '', 'mask'], ['y2'], { num_heads: N, scale: 0.3 }, MS),
    ],
    inputs: [
      valueInfo('q', TT.FLOAT, ['b', 's', D]), valueInfo('k', TT.FLOAT, ['b', 's', D]), valueInfo('v', TT.FLOAT, ['b', 's', D]),
      valueInfo('pk', TT.FLOAT, ['b', N, 'p', H]), valueInfo('pv', TT.FLOAT, ['b', N, 'p', H]), valueInfo('mask', TT.INT32, ['b', 's']),
    ],
    outputs: [valueInfo('y', TT.FLOAT, ['b', 's', D]), valueInfo('presk', TT.FLOAT, ['b', N, 't', H]), valueInfo('presv', TT.FLOAT, ['b', N, 't', H]), valueInfo('y2', TT.FLOAT, ['b', 's', D])],
    initializers: [f32('bias', [3 * D], rnd(3 * D))],
  }, [[2, 3, 4], [1, 1, 6]].map(([B, S, P]) => ({
    q: feed([B!, S!, D]), k: feed([B!, S!, D]), v: feed([B!, S!, D]), pk: feed([B!, N, P!, H]), pv: feed([B!, N, P!, H]),
    mask: ints([B!, S!], Array.from({ length: B! * S! }, (_, i) => (i % 3 === 2 ? 0 : 1)), false),
  })));
});
