// A Llama-style decoder built with the WebNN builder, with as many layers as asked: RMS norms written out, rotary
// embeddings, attention over a key/value cache (dynamic 'seq' and 'past' dimensions), a SwiGLU MLP, and the
// cache's new keys and values as outputs of every layer. Its weights are zeros: it is for tests of graph size and
// structure (the viewer's 30-layer decoder), not of values.
import type { MLGraphBuilder, MLOperand } from '../../src/core.js';

export interface DecoderShape { layers: number; hidden: number; heads: number; intermediate: number; vocab: number; maxSeq: number }

export const DECODER_30: DecoderShape = { layers: 30, hidden: 64, heads: 4, intermediate: 128, vocab: 256, maxSeq: 64 };

/** Builds the decoder; returns its outputs (logits and every layer's present key and value). */
export function buildDecoder(b: MLGraphBuilder, s: DecoderShape): Record<string, MLOperand> {
  const d = s.hidden / s.heads;
  const seq = { name: 'seq', maxSize: s.maxSeq };
  const past = { name: 'past', maxSize: s.maxSeq };
  const f32 = (shape: number[]) => b.constant({ dataType: 'float32', shape }, new Float32Array(shape.reduce((a, x) => a * x, 1)));
  const scalar = (v: number) => b.constant({ dataType: 'float32', shape: [] }, new Float32Array([v]));
  const ids = b.input('input_ids', { dataType: 'int32', shape: [1, seq] as unknown as number[] });
  const cos = b.input('cos', { dataType: 'float32', shape: [1, 1, seq, d] as unknown as number[] });
  const sin = b.input('sin', { dataType: 'float32', shape: [1, 1, seq, d] as unknown as number[] });
  const rms = (x: MLOperand, label: string) => {
    const ms = b.reduceMean(b.mul(x, x), { axes: [2], keepDimensions: true, label: `${label}.ms` });
    const inv = b.div(scalar(1), b.sqrt(b.add(ms, scalar(1e-5))));
    return b.mul(b.mul(x, inv), f32([s.hidden]), { label: `${label}.weight` });
  };
  const heads = (x: MLOperand) => b.transpose(b.reshape(x, [1, seq, s.heads, d] as unknown as number[]), { permutation: [0, 2, 1, 3] });
  const rotate = (x: MLOperand) => {
    const half = d / 2;
    const x1 = b.slice(x, [0, 0, 0, 0], [1, s.heads, seq, half] as unknown as number[]);
    const x2 = b.slice(x, [0, 0, 0, half], [1, s.heads, seq, half] as unknown as number[]);
    return b.add(b.mul(x, cos), b.mul(b.concat([b.neg(x2), x1], 3), sin));
  };
  const outputs: Record<string, MLOperand> = {};
  let x = b.gather(f32([s.vocab, s.hidden]), ids, { axis: 0, label: 'embed' });
  for (let l = 0; l < s.layers; l++) {
    const p = `layers.${l}`;
    const h = rms(x, `${p}.input_norm`);
    const q = rotate(heads(b.matmul(h, f32([s.hidden, s.hidden]), { label: `${p}.q_proj` })));
    const k = rotate(heads(b.matmul(h, f32([s.hidden, s.hidden]), { label: `${p}.k_proj` })));
    const v = heads(b.matmul(h, f32([s.hidden, s.hidden]), { label: `${p}.v_proj` }));
    const pastK = b.input(`past.${l}.key`, { dataType: 'float32', shape: [1, s.heads, past, d] as unknown as number[] });
    const pastV = b.input(`past.${l}.value`, { dataType: 'float32', shape: [1, s.heads, past, d] as unknown as number[] });
    const keys = b.concat([pastK, k], 2, { label: `${p}.cache_k` });
    const values = b.concat([pastV, v], 2, { label: `${p}.cache_v` });
    outputs[`present.${l}.key`] = keys;
    outputs[`present.${l}.value`] = values;
    const scores = b.mul(b.matmul(q, b.transpose(keys, { permutation: [0, 1, 3, 2] })), scalar(1 / Math.sqrt(d)));
    const attn = b.matmul(b.softmax(scores, 3, { label: `${p}.softmax` }), values);
    const merged = b.reshape(b.transpose(attn, { permutation: [0, 2, 1, 3] }), [1, seq, s.hidden] as unknown as number[]);
    x = b.add(x, b.matmul(merged, f32([s.hidden, s.hidden]), { label: `${p}.o_proj` }), { label: `${p}.residual1` });
    const m = rms(x, `${p}.post_norm`);
    const gate = b.matmul(m, f32([s.hidden, s.intermediate]), { label: `${p}.gate_proj` });
    const up = b.matmul(m, f32([s.hidden, s.intermediate]), { label: `${p}.up_proj` });
    const act = b.mul(b.mul(gate, b.sigmoid(gate)), up);
    x = b.add(x, b.matmul(act, f32([s.intermediate, s.hidden]), { label: `${p}.down_proj` }), { label: `${p}.residual2` });
  }
  outputs.logits = b.matmul(rms(x, 'final_norm'), f32([s.hidden, s.vocab]), { label: 'lm_head' });
  return outputs;
}
