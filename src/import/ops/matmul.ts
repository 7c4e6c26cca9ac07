// MatMul (with ONNX's 1-D promotion rules), Gemm and MatMulInteger.
import type { MLOperand } from '../../api/operand.js';
import { isDynamic, sameDim, type Dim } from '../../graph/dims.js';
import { OnnxDataType as T } from '../../onnx/schema.js';
import type { NodeContext } from '../context.js';
import { family } from '../table.js';
import { isFloatType, type Val } from '../values.js';
import { relabel } from './common.js';

/** a × b with numpy's matmul rules for 1-D operands (promoted to a row/column, the extra axis dropped after). */
export function matmulOf(c: NodeContext, a: MLOperand, b: MLOperand): MLOperand {
  const ra = a.dimensions.length;
  const rb = b.dimensions.length;
  const x = ra === 1 ? c.b.reshape(a, [1, a.dimensions[0]!] as number[]) : a;
  let y = rb === 1 ? c.b.reshape(b, [b.dimensions[0]!, 1] as number[]) : b;
  const k1 = x.dimensions[x.dimensions.length - 1]!;
  const k2 = y.dimensions[y.dimensions.length - 2]!;
  // The inner dimension named apart on the two sides (same size at run time): carry a's name over to b.
  if (isDynamic(k1) && isDynamic(k2) && !sameDim(k1, k2)) y = relabel(c, y, y.dimensions.length - 2, k1);
  let out = c.b.matmul(x, y);
  if (ra === 1 || rb === 1) {
    const d: Dim[] = [...out.dimensions];
    if (rb === 1) d.splice(d.length - 1, 1);
    if (ra === 1) d.splice(d.length - (rb === 1 ? 1 : 2), 1);
    out = c.b.reshape(out, d as number[]);
  }
  return out;
}

function matmul(c: NodeContext): Val {
  const a = c.in(0);
  if (!isFloatType(a.type)) c.fail('integer MatMul is not supported (WebNN matmul takes floating-point operands)');
  return c.out(matmulOf(c, c.op(a), c.op(1)), a.type);
}

function gemm(c: NodeContext): Val {
  const a = c.in(0);
  const options = {
    alpha: c.float('alpha', 1),
    beta: c.float('beta', 1),
    aTranspose: c.int('transA', 0) === 1,
    bTranspose: c.int('transB', 0) === 1,
    ...(c.has(2) ? { c: c.op(2) } : {}),
  };
  return c.out(c.b.gemm(c.op(a), c.op(1), options), a.type);
}

function matmulInteger(c: NodeContext): Val {
  // int8/uint8 products accumulated in float32 (exact while sums stay below 2^24), rounded and cast to int32.
  const b = c.b;
  const shifted = (i: number, zp: number, axis: 'row' | 'col') => {
    const f = b.cast(c.op(i), 'float32');
    if (!c.has(zp)) return f;
    let z = b.cast(c.op(zp), 'float32');
    const zd = z.dimensions;
    if (zd.length === 1 && zd[0] !== 1) {
      // Per-row zero point of a (shape [M]) or per-column of b (shape [N]).
      z = b.reshape(z, (axis === 'row' ? [zd[0]!, 1] : [1, zd[0]!]) as number[]);
    }
    return b.sub(f, z);
  };
  const y = matmulOf(c, shifted(0, 2, 'row'), shifted(1, 3, 'col'));
  return c.out(b.cast(b.roundEven(y), 'int32'), T.INT32);
}

export const matmulOps = family('matmul', [
  { op: 'MatMul', note: 'matmul (1-D operands promoted and squeezed)', handler: matmul },
  { op: 'Gemm', note: 'gemm', handler: gemm },
  { op: 'MatMulInteger', since: 10, note: 'matmul in float32 on the zero-point-shifted inputs, cast to int32', handler: matmulInteger },
]);
