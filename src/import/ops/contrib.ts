// onnxruntime's com.microsoft operators of optimized and quantized transformer exports, each decomposed into WebNN
// operators (facts about the kernels: ../shared/onnx/contrib-notes.md). Attention keeps the sequence and cache
// lengths dynamic: the causal mask is built from index ranges, and grouped-query heads share K/V by viewing the
// query heads of a group as one longer sequence (no copy of K/V per head).
import type { MLOperand } from '../../api/operand.js';
import { isDynamic, mulDims, type Dim } from '../../graph/dims.js';
import type { MLOperandDataType } from '../../graph/dtypes.js';
import { OnnxDataType as T } from '../../onnx/schema.js';
import type { NodeContext } from '../context.js';
import { SymInt } from '../symbolic.js';
import { family, MICROSOFT } from '../table.js';
import { ConstTensor, constVal, type Val } from '../values.js';
import { like } from './common.js';
import { geluTanh } from './activation.js';
import { matmulOf } from './matmul.js';
import { rmsNorm } from './normalization.js';

const D = (d: Dim) => d as number;

/** x[..., start:start+size] along the last axis (static), the other axes kept whole. */
function lastSlice(c: NodeContext, x: MLOperand, start: number, size: number): MLOperand {
  const dims = x.dimensions;
  const starts = dims.map((_, i) => (i === dims.length - 1 ? start : 0));
  const sizes = dims.map((d, i) => (i === dims.length - 1 ? size : d));
  return c.b.slice(x, starts, sizes);
}

function lastDim(c: NodeContext, x: MLOperand, what: string): number {
  const d = x.dimensions[x.dimensions.length - 1]!;
  if (isDynamic(d)) c.fail(`${what}'s last dimension must be static`);
  return d;
}

/** Rotary embedding of `x` (last axis: head_size) with cos/sin broadcastable to x[..., :rotaryDim/2]. */
function rotate(c: NodeContext, x: MLOperand, cos: MLOperand, sin: MLOperand, interleaved: boolean, rotaryDim: number): MLOperand {
  const b = c.b;
  const h = lastDim(c, x, 'the rotated input');
  const half = rotaryDim / 2;
  const xr = rotaryDim === h ? x : lastSlice(c, x, 0, rotaryDim);
  let out: MLOperand;
  if (!interleaved) {
    const x1 = lastSlice(c, xr, 0, half);
    const x2 = lastSlice(c, xr, half, half);
    out = b.concat([b.sub(b.mul(x1, cos), b.mul(x2, sin)), b.add(b.mul(x2, cos), b.mul(x1, sin))], xr.dimensions.length - 1);
  } else {
    const dims = xr.dimensions;
    const pairs = b.reshape(xr, [...dims.slice(0, -1), half, 2] as number[]);
    const flat = [...dims.slice(0, -1), half] as number[];
    const x1 = b.reshape(lastSlice(c, pairs, 0, 1), flat);
    const x2 = b.reshape(lastSlice(c, pairs, 1, 1), flat);
    const o1 = b.reshape(b.sub(b.mul(x1, cos), b.mul(x2, sin)), [...flat, 1]);
    const o2 = b.reshape(b.add(b.mul(x2, cos), b.mul(x1, sin)), [...flat, 1]);
    out = b.reshape(b.concat([o1, o2], flat.length), dims as number[]);
  }
  return rotaryDim === h ? out : b.concat([out, lastSlice(c, x, rotaryDim, h - rotaryDim)], x.dimensions.length - 1);
}

/** cos/sin tables gathered at `positions` (any int shape P) → P + [rotaryDim/2]. */
function gatherCache(c: NodeContext, cache: MLOperand, positions: MLOperand, dataType: MLOperandDataType): MLOperand {
  const g = c.b.gather(cache, positions, { axis: 0 });
  return g.dataType === dataType ? g : c.b.cast(g, dataType);
}

// ---- RotaryEmbedding ----

function rotaryEmbedding(c: NodeContext): Val {
  const v = c.in(0);
  const x = c.op(v);
  const b = c.b;
  if (c.int('is_packed_batching', 0) !== 0) c.fail('is_packed_batching is not supported');
  if (c.float('scale', 1) !== 1) c.fail('scale other than 1 is not supported');
  const interleaved = c.int('interleaved', 0) === 1;
  const cosCache = c.op(2);
  const sinCache = c.op(3);
  const half = lastDim(c, cosCache, 'cos_cache');
  const rank = x.dimensions.length;
  let view: MLOperand;
  let seqAxis: number;
  let headSize: number;
  if (rank === 4) {
    // (batch, num_heads, sequence, head_size)
    view = x;
    seqAxis = 2;
    headSize = lastDim(c, x, 'input');
  } else if (rank === 3) {
    const hidden = lastDim(c, x, 'input');
    const heads = c.int('num_heads', 0);
    headSize = heads > 0 ? hidden / heads : 2 * half;
    if (!Number.isInteger(headSize) || hidden % headSize !== 0) c.fail(`hidden size ${hidden} does not split into heads of ${headSize}`);
    view = b.reshape(x, [x.dimensions[0]!, x.dimensions[1]!, hidden / headSize, headSize] as number[]);
    seqAxis = 1;
  } else return c.fail(`input of rank ${rank} is not supported (3 or 4)`);
  const rotaryDim = c.int('rotary_embedding_dim', 0) || Math.min(headSize, 2 * half);
  if (rotaryDim / 2 !== half && rotaryDim / 2 > half) c.fail(`rotary_embedding_dim ${rotaryDim} exceeds the cache width ${2 * half}`);
  const seq = view.dimensions[seqAxis]!;
  // Positions: (batch, sequence) ids, or one offset added to 0..sequence-1.
  const pv = c.in(1);
  let positions = c.op(pv);
  if (pv.dims.length <= 1) {
    const offset = b.reshape(positions.dataType === 'int64' ? positions : b.cast(positions, 'int64'), []);
    positions = b.reshape(b.add(c.core.iota(seq, 'int64'), offset), [1, seq] as number[]);
  }
  const table = (t: MLOperand) => {
    let g = gatherCache(c, t, positions, x.dataType);
    if (rotaryDim / 2 < half) g = lastSlice(c, g, 0, rotaryDim / 2);
    const pb = positions.dimensions[0]!;
    // [batch|1, sequence, half] → broadcast over heads.
    return seqAxis === 1 ? b.reshape(g, [pb, seq, 1, rotaryDim / 2] as number[]) : b.reshape(g, [pb, 1, seq, rotaryDim / 2] as number[]);
  };
  const y = rotate(c, view, table(cosCache), table(sinCache), interleaved, rotaryDim);
  return c.out(rank === 3 ? b.reshape(y, x.dimensions as number[]) : y, v.type);
}

// ---- attention ----

interface AttentionOptions {
  scale: number;
  /** Additive bias broadcastable to [B, N, S, T]. */
  bias?: MLOperand;
  /** Keys each query may see (uint8 0/1), broadcastable to [B, N, S, T]. */
  allowed?: MLOperand;
  softcap?: number;
  /** An extra logit of 0 in the softmax denominator. */
  smooth?: boolean;
}

const LOWEST = -3.4028234663852886e38;

/**
 * softmax(q·kᵀ·scale + bias, masked) · v for q [B, N, S, H], k/v [B, kvN, T, H]. Query heads of a group share one
 * K/V head: q is viewed as [B, kvN, g·S, H], so K and V are never repeated.
 */
function attend(c: NodeContext, q: MLOperand, k: MLOperand, v: MLOperand, o: AttentionOptions): MLOperand {
  const b = c.b;
  const [B, N, S, H] = q.dimensions;
  const kvN = D(k.dimensions[1]!);
  const g = D(N!) / kvN;
  if (!Number.isInteger(g)) c.fail(`num_heads ${N} is not a multiple of kv_num_heads ${kvN}`);
  const grouped = g === 1 ? q : b.reshape(q, [B!, kvN, mulDims(g, S!), H!] as number[]);
  let scores = b.matmul(grouped, b.transpose(k, { permutation: [0, 1, 3, 2] }));
  const T_ = k.dimensions[2]!;
  if (g !== 1) scores = b.reshape(scores, [B!, N!, S!, T_] as number[]);
  scores = b.mul(scores, like(c, scores, o.scale));
  if (o.softcap) scores = b.mul(b.tanh(b.div(scores, like(c, scores, o.softcap))), like(c, scores, o.softcap));
  if (o.bias) scores = b.add(scores, o.bias);
  if (o.allowed) scores = b.where(o.allowed, scores, like(c, scores, LOWEST));
  let probs: MLOperand;
  if (o.smooth) {
    const m = b.max(b.reduceMax(scores, { axes: [3], keepDimensions: true }), like(c, scores, 0));
    const e = b.exp(b.sub(scores, m));
    probs = b.div(e, b.add(b.reduceSum(e, { axes: [3], keepDimensions: true }), b.exp(b.neg(m))));
  } else probs = b.softmax(scores, 3);
  const pg = g === 1 ? probs : b.reshape(probs, [B!, kvN, mulDims(g, S!), T_] as number[]);
  const out = b.matmul(pg, v);
  return g === 1 ? out : b.reshape(out, [B!, N!, S!, v.dimensions[3]!] as number[]);
}

/** [B, S, heads·H] → [B, heads, S, H]. */
function toHeads(c: NodeContext, x: MLOperand, heads: number): MLOperand {
  const [B, S, hidden] = x.dimensions;
  const h = D(hidden!) / heads;
  if (!Number.isInteger(h)) c.fail(`hidden size ${hidden} is not a multiple of ${heads} heads`);
  return c.b.transpose(c.b.reshape(x, [B!, S!, heads, h] as number[]), { permutation: [0, 2, 1, 3] });
}

/** [B, N, S, H] → [B, S, N·H]. */
function fromHeads(c: NodeContext, x: MLOperand): MLOperand {
  const [B, N, S, H] = x.dimensions;
  return c.b.reshape(c.b.transpose(x, { permutation: [0, 2, 1, 3] }), [B!, S!, D(N!) * D(H!)] as number[]);
}

/** keys j ≤ limit[…, s] (limit broadcast as [B|1, 1, S, 1]) as a uint8 mask [B|1, 1, S, T]. */
function causal(c: NodeContext, limit: MLOperand, T_: Dim): MLOperand {
  const kpos = c.b.reshape(c.core.iota(T_, 'int64'), [1, 1, 1, T_] as number[]);
  return c.b.lesserOrEqual(kpos, limit);
}

function groupQueryAttention(c: NodeContext): Val[] {
  const b = c.b;
  const N = c.int('num_heads') ?? c.fail('num_heads is required');
  const kvN = c.int('kv_num_heads') ?? c.fail('kv_num_heads is required');
  const qv = c.in(0);
  let query = c.op(qv);
  let key: MLOperand;
  let value: MLOperand;
  if (!c.has(1)) {
    // Packed QKV: (B, S, (N + 2·kvN)·H).
    const total = lastDim(c, query, 'query');
    const h = total / (N + 2 * kvN);
    key = lastSlice(c, query, N * h, kvN * h);
    value = lastSlice(c, query, (N + kvN) * h, kvN * h);
    query = lastSlice(c, query, 0, N * h);
  } else {
    key = c.op(1);
    value = c.op(2);
  }
  const H = lastDim(c, query, 'query') / N;
  if (c.int('local_window_size', -1) !== -1 && c.int('local_window_size', -1) <= 0) c.fail('local_window_size must be -1 or positive');
  if (c.has(9)) c.fail('position_ids is not supported');
  if (c.has(11)) c.fail('head_sink is not supported');
  if (c.int('qk_output', 0) !== 0) c.fail('qk_output is not supported');
  const S = query.dimensions[1]!;
  let q = toHeads(c, query, N);
  let k = toHeads(c, key, kvN);
  const v = toHeads(c, value, kvN);
  // Per batch: past length = seqlens_k + 1 - S (the kernel's rule), query s sits at past + s.
  const seqlens = b.cast(c.op(5), 'int64');
  const sizeS = c.core.dimScalar(SymInt.dim(S));
  const base = b.sub(b.add(seqlens, b.constant('int64', 1n)), sizeS); // [B]
  const qpos = b.add(b.reshape(base, [seqlens.dimensions[0]!, 1] as number[]), b.reshape(c.core.iota(S, 'int64'), [1, S] as number[])); // [B, S]
  if (c.int('do_rotary', 0) === 1) {
    const interleaved = c.int('rotary_interleaved', 0) === 1;
    const cos = gatherCache(c, c.op(7), qpos, query.dataType);
    const sin = gatherCache(c, c.op(8), qpos, query.dataType);
    const half = lastDim(c, cos, 'cos_cache');
    const shape = [cos.dimensions[0]!, 1, S, half] as number[];
    const [cb, sb] = [b.reshape(cos, shape), b.reshape(sin, shape)];
    q = rotate(c, q, cb, sb, interleaved, 2 * half);
    k = rotate(c, k, cb, sb, interleaved, 2 * half);
  }
  const presentK = c.has(3) ? b.concat([c.op(3), k], 2) : k;
  const presentV = c.has(4) ? b.concat([c.op(4), v], 2) : v;
  const T_ = presentK.dimensions[2]!;
  const limit = b.reshape(qpos, [qpos.dimensions[0]!, 1, S, 1] as number[]);
  let allowed = causal(c, limit, T_);
  const window = c.int('local_window_size', -1);
  if (window > 0) {
    const kpos = b.reshape(c.core.iota(T_, 'int64'), [1, 1, 1, T_] as number[]);
    allowed = b.logicalAnd(allowed, b.greater(kpos, b.sub(limit, b.constant('int64', BigInt(window)))));
  }
  const out = attend(c, q, presentK, presentV, {
    scale: c.float('scale', 0) || 1 / Math.sqrt(H),
    softcap: c.float('softcap', 0),
    smooth: c.int('smooth_softmax', 0) === 1,
    allowed,
    ...(c.has(10) ? { bias: c.op(10) } : {}),
  });
  return [c.out(fromHeads(c, out), qv.type), c.out(presentK, qv.type), c.out(presentV, qv.type)];
}

function multiHeadAttention(c: NodeContext): Val[] {
  const b = c.b;
  const N = c.int('num_heads') ?? c.fail('num_heads is required');
  const qv = c.in(0);
  let query = c.op(qv);
  if (!c.has(1)) c.fail('packed QKV (no key input) is not supported');
  if (c.has(8) || c.has(9)) c.fail('past_sequence_length and cache_indirection are not supported');
  let key = c.op(1);
  let value = c.has(2) ? c.op(2) : c.fail('value is required');
  const hidden = lastDim(c, query, 'query');
  const H = hidden / N;
  const bsnhKV = key.dimensions.length === 4;
  if (c.has(3)) {
    const bias = c.op(3);
    const vh = bsnhKV ? D(value.dimensions[3]!) * N : lastDim(c, value, 'value');
    query = b.add(query, lastSlice(c, bias, 0, hidden));
    if (!bsnhKV) {
      key = b.add(key, lastSlice(c, bias, hidden, hidden));
      value = b.add(value, lastSlice(c, bias, 2 * hidden, vh));
    }
  }
  const q = toHeads(c, query, N);
  let k = bsnhKV ? key : toHeads(c, key, N);
  let v = bsnhKV ? value : toHeads(c, value, N);
  const P = c.has(6) ? c.op(6).dimensions[2]! : 0;
  if (c.has(6)) k = b.concat([c.op(6), k], 2);
  if (c.has(7)) v = b.concat([c.op(7), v], 2);
  const T_ = k.dimensions[2]!;
  const S = q.dimensions[2]!;
  const options: AttentionOptions = { scale: c.float('scale', 0) || 1 / Math.sqrt(H) };
  let bias: MLOperand | undefined = c.has(5) ? c.op(5) : undefined;
  if (c.has(4)) {
    // key_padding_mask (B, T) of 1/0: masked keys get mask_filter_value added, as the kernel does.
    const mask = c.op(4);
    if (mask.dimensions.length !== 2) c.fail('key_padding_mask must be (batch, total_sequence_length)');
    const filter = c.float('mask_filter_value', -10000);
    const m = b.mul(b.sub(like(c, q, 1), b.cast(mask, q.dataType)), like(c, q, filter));
    const add = b.reshape(m, [mask.dimensions[0]!, 1, 1, mask.dimensions[1]!] as number[]);
    bias = bias ? b.add(bias, add) : add;
  }
  if (bias) options.bias = bias;
  if (c.int('unidirectional', 0) === 1) {
    const past = c.core.dimScalar(SymInt.dim(P));
    const limit = b.reshape(b.add(c.core.iota(S, 'int64'), past), [1, 1, S, 1] as number[]);
    options.allowed = causal(c, limit, T_);
  }
  const out = attend(c, q, k, v, options);
  const results: Val[] = [c.out(fromHeads(c, out), qv.type)];
  if (c.node.output[1]) results.push(c.out(k, qv.type));
  if (c.node.output[2]) results.push(c.out(v, qv.type));
  return results;
}

// ---- normalizations ----

function skipNorm(simplified: boolean) {
  return (c: NodeContext): (Val | undefined)[] => {
    const b = c.b;
    const xv = c.in(0);
    let sum = b.add(c.op(xv), c.op(1));
    const biasAt = simplified ? 3 : 4;
    if (c.has(biasAt)) sum = b.add(sum, c.op(biasAt));
    const epsilon = c.float('epsilon', 1e-5);
    const rank = sum.dimensions.length;
    let y: MLOperand;
    if (simplified) y = rmsNorm(c, sum, [rank - 1], epsilon, c.op(2));
    else {
      y = b.layerNormalization(sum, { axes: [rank - 1], epsilon, scale: c.op(2), ...(c.has(3) ? { bias: c.op(3) } : {}) });
    }
    if (c.node.output[1] || c.node.output[2]) c.fail('the mean and inv_std_var outputs are not supported');
    return [c.out(y, xv.type), undefined, undefined, c.out(sum, xv.type)];
  };
}

// ---- quantized weights ----

/** Unpacks row-packed sub-byte zero points (rows of ceil(n·bits/8) bytes) into `n` values per row. */
function unpackRows(bytes: Uint8Array, rows: number, n: number, bits: number): number[] {
  const perRow = Math.ceil((n * bits) / 8);
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < n; i++) {
      if (bits === 8) out.push(bytes[r * perRow + i]!);
      else out.push((bytes[r * perRow + (i >> 1)]! >> ((i & 1) * 4)) & 0xf);
    }
  }
  return out;
}

/**
 * The dequantized weight of a blockwise-quantized tensor as a WebNN operand: `data` holds rows × blocks × block
 * elements (4-bit packed low nibble first — the same bytes as WebNN's uint4 — or 8-bit), scales one per block.
 */
function dequantizeBlocks(c: NodeContext, data: ConstTensor, rows: number, blocks: number, blockSize: number, bits: number, signed: boolean, scales: MLOperand, zeroPoints: Val | undefined, defaultZp: number, packedZp: boolean): MLOperand {
  const b = c.b;
  const onnxQ = bits === 4 ? (signed ? T.INT4 : T.UINT4) : (signed ? T.INT8 : T.UINT8);
  if (data.byteLength !== (rows * blocks * blockSize * bits) / 8) c.fail(`the quantized data has ${data.byteLength} bytes, ${(rows * blocks * blockSize * bits) / 8} expected`);
  const q = c.op(constVal(ConstTensor.fromBytes(onnxQ, [rows, blocks, blockSize], data.bytes())));
  const scale = b.reshape(scales, [rows, blocks, 1]);
  let zp: MLOperand;
  let floatZp: MLOperand | undefined;
  if (!zeroPoints) {
    zp = c.op(constVal(ConstTensor.fromValues(onnxQ, [rows, blocks, 1], new Array(rows * blocks).fill(defaultZp))));
  } else if (zeroPoints.type === T.UINT8 && packedZp) {
    const k = zeroPoints.konst ?? c.fail('zero_points must be a constant');
    const vals = unpackRows(k.bytes(), rows, blocks, bits);
    zp = c.op(constVal(ConstTensor.fromValues(onnxQ, [rows, blocks, 1], vals)));
  } else if (zeroPoints.type === T.UINT8 || zeroPoints.type === T.INT4 || zeroPoints.type === T.UINT4 || zeroPoints.type === T.INT8) {
    const k = zeroPoints.konst ?? c.fail('zero_points must be a constant');
    zp = c.op(constVal(ConstTensor.fromValues(onnxQ, [rows, blocks, 1], Array.from(k.values(), Number))));
  } else {
    // Float zero points: (q - zp) · scale = q · scale - zp · scale.
    zp = c.op(constVal(ConstTensor.fromValues(onnxQ, [rows, blocks, 1], new Array(rows * blocks).fill(0))));
    floatZp = b.mul(b.reshape(c.op(zeroPoints), [rows, blocks, 1]), scale);
  }
  let w = b.dequantizeLinear(q, scale, zp);
  if (floatZp) w = b.sub(w, floatZp);
  return b.reshape(w, [rows, blocks * blockSize]);
}

function matMulNBits(c: NodeContext): Val {
  const K = c.int('K') ?? c.fail('K is required');
  const N = c.int('N') ?? c.fail('N is required');
  const bits = c.int('bits', 4);
  const blockSize = c.int('block_size') ?? c.fail('block_size is required');
  if (bits !== 4 && bits !== 8) c.fail(`bits ${bits} is not supported (4 or 8)`);
  if (c.has(4)) c.fail('g_idx is not supported');
  const av = c.in(0);
  const data = c.konst(1) ?? c.fail('B must be a constant');
  const blocks = Math.ceil(K / blockSize);
  let w = dequantizeBlocks(c, data, N, blocks, blockSize, bits, false, c.op(2), c.opt(3), 1 << (bits - 1), true);
  if (blocks * blockSize !== K) w = c.b.slice(w, [0, 0], [N, K]);
  if (w.dataType !== c.op(av).dataType) w = c.b.cast(w, c.op(av).dataType);
  let y = matmulOf(c, c.op(av), c.b.transpose(w));
  if (c.has(5)) y = c.b.add(y, c.op(5));
  return c.out(y, av.type);
}

function gatherBlockQuantized(c: NodeContext): Val {
  const dv = c.in(0);
  const data = dv.konst ?? c.fail('data must be a constant');
  const rank = dv.dims.length;
  const gatherAxis = c.axis(c.int('gather_axis', 0), rank);
  const quantizeAxis = c.axis(c.int('quantize_axis', 1), rank);
  const blockSize = c.int('block_size', 128);
  const bits = c.int('bits', 4);
  if (gatherAxis !== 0 || quantizeAxis !== rank - 1) c.fail('only gather_axis 0 with quantize_axis the last axis is supported');
  const packed = dv.type === T.UINT8 && bits === 4;
  const typed4 = dv.type === T.INT4 || dv.type === T.UINT4;
  const shape = dv.dims as number[];
  const width = packed ? shape[rank - 1]! * 2 : shape[rank - 1]!;
  const rows = shape.slice(0, -1).reduce((a, x) => a * x, 1);
  if (width % blockSize !== 0) c.fail(`the quantized axis (${width}) is not a multiple of block_size ${blockSize}`);
  const blocks = width / blockSize;
  const signed = dv.type === T.INT4 || dv.type === T.INT8;
  const defaultZp = packed ? 8 : typed4 ? 0 : dv.type === T.UINT8 ? 128 : 0;
  const table = dequantizeBlocks(c, data, rows, blocks, blockSize, packed || typed4 ? 4 : 8, signed, c.op(2), c.opt(3), defaultZp, packed);
  const outRow = [...shape.slice(0, -1), width];
  const full = c.b.reshape(table, outRow);
  const scales = c.op(2);
  const typed = full.dataType === scales.dataType ? full : c.b.cast(full, scales.dataType);
  // An out-of-range index gives zeros (the kernel's rule); WebNN's gather would clamp it.
  const idx = c.op(1);
  const n = shape[0]!;
  const b = c.b;
  const g = b.gather(typed, idx, { axis: 0 });
  const big = idx.dataType === 'int64';
  const lo = b.constant(idx.dataType, big ? BigInt(-n) : -n);
  const hi = b.constant(idx.dataType, big ? BigInt(n) : n);
  const valid = b.logicalAnd(b.greaterOrEqual(idx, lo), b.lesser(idx, hi));
  const mask = b.reshape(valid, [...idx.dimensions, ...new Array<number>(rank - 1).fill(1)] as number[]);
  return c.out(b.where(mask, g, like(c, g, 0)), c.in(2).type);
}

// ---- activations ----

function fastGelu(c: NodeContext): Val {
  const v = c.in(0);
  let x = c.op(v);
  if (c.has(1)) x = c.b.add(x, c.op(1));
  return c.out(geluTanh(c, x), v.type);
}

function biasGelu(c: NodeContext): Val {
  const v = c.in(0);
  return c.out(c.b.gelu(c.b.add(c.op(v), c.op(1))), v.type);
}

function quickGelu(c: NodeContext): Val {
  const v = c.in(0);
  const x = c.op(v);
  const alpha = c.float('alpha', 1.702);
  return c.out(c.b.mul(x, c.b.sigmoid(c.b.mul(x, like(c, x, alpha)))), v.type);
}

function fusedMatMul(c: NodeContext): Val {
  if (c.int('transBatchA', 0) || c.int('transBatchB', 0)) c.fail('transBatchA/transBatchB are not supported');
  const b = c.b;
  const swap = (x: MLOperand) => {
    const r = x.dimensions.length;
    if (r < 2) c.fail('transposed operands must have rank 2 or more');
    return b.transpose(x, { permutation: [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2] });
  };
  const a = c.int('transA', 0) ? swap(c.op(0)) : c.op(0);
  const w = c.int('transB', 0) ? swap(c.op(1)) : c.op(1);
  let y = matmulOf(c, a, w);
  const alpha = c.float('alpha', 1);
  if (alpha !== 1) y = b.mul(y, like(c, y, alpha));
  return c.out(y, c.in(0).type);
}

export const contribOps = family('contrib', [
  { op: 'GroupQueryAttention', domain: MICROSOFT, note: 'attention with grouped K/V heads, causal mask from seqlens_k, KV cache concat, optional rotary', handler: groupQueryAttention },
  { op: 'MultiHeadAttention', domain: MICROSOFT, note: 'attention with optional bias, past K/V, key padding mask, attention bias, unidirectional mask', handler: multiHeadAttention },
  { op: 'RotaryEmbedding', domain: MICROSOFT, note: 'cos/sin gathered at position_ids; half or interleaved rotation', handler: rotaryEmbedding },
  { op: 'SkipLayerNormalization', domain: MICROSOFT, note: 'add, add bias, layerNormalization (output 3: the sum)', handler: skipNorm(false) },
  { op: 'SkipSimplifiedLayerNormalization', domain: MICROSOFT, note: 'add, add bias, RMS normalization (output 3: the sum)', handler: skipNorm(true) },
  { op: 'MatMulNBits', domain: MICROSOFT, note: 'dequantizeLinear of the 4/8-bit blocks (uint4 view of the packed bytes), then matmul', handler: matMulNBits },
  { op: 'GatherBlockQuantized', domain: MICROSOFT, note: 'dequantizeLinear of the table, gather, zeros for out-of-range indices', handler: gatherBlockQuantized },
  { op: 'FastGelu', domain: MICROSOFT, note: 'tanh approximation of gelu (with optional bias)', handler: fastGelu },
  { op: 'BiasGelu', domain: MICROSOFT, note: 'gelu(a + b)', handler: biasGelu },
  { op: 'QuickGelu', domain: MICROSOFT, note: 'x · sigmoid(alpha · x)', handler: quickGelu },
  { op: 'Gelu', domain: MICROSOFT, note: 'gelu', handler: (c) => c.out(c.b.gelu(c.op(0)), c.in(0).type) },
  { op: 'FusedMatMul', domain: MICROSOFT, note: 'matmul of the (transposed) operands, times alpha', handler: fusedMatMul },
]);
