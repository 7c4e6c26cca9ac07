// Helpers shared by the op families: elementwise operators that fold at import time when their inputs are known, and
// small WebNN building blocks.
import type { MLGraphBuilder } from '../../api/builder.js';
import type { MLOperand } from '../../api/operand.js';
import { isDynamic, sameDim, type Dim } from '../../graph/dims.js';
import type { MLOperandDataType } from '../../graph/dtypes.js';
import { OnnxDataType as T } from '../../onnx/schema.js';
import type { NodeContext } from '../context.js';
import { asSym, fromKnown, isElem, knownOf, mapBroadcast, type Known } from '../fold.js';
import { SymInt } from '../symbolic.js';
import { isBigType, isFloatType, type Elem, type Val } from '../values.js';

export type Binary = (b: MLGraphBuilder, x: MLOperand, y: MLOperand) => MLOperand;
export type Unary = (b: MLGraphBuilder, x: MLOperand) => MLOperand;

export interface ElementwiseSpec {
  /** The WebNN computation on operands (all of the inputs' data type). */
  webnn: (c: NodeContext, xs: MLOperand[], type: number) => MLOperand;
  /** JS evaluation of one element (numbers, or bigints for 64-bit integer types). */
  fold?: (xs: Elem[], type: number) => Elem;
  /** Evaluation on SymInts (integer values known up to dimensions); undefined where it cannot decide. */
  sym?: (xs: SymInt[], type: number) => SymInt | undefined;
  /** Output ONNX type from the first input's type (default: the same). */
  outType?: (type: number) => number;
}

/** An elementwise operator over broadcast inputs: folded when they are known, WebNN otherwise. */
export function elementwise(c: NodeContext, inputs: Val[], spec: ElementwiseSpec): Val {
  const type = inputs[0]!.type;
  const outType = spec.outType ? spec.outType(type) : type;
  const known = inputs.map(knownOf);
  if (known.every((k) => k !== undefined)) {
    const ks = known as NonNullable<(typeof known)[number]>[];
    const anySym = ks.some((k) => k.elems.some((e) => !isElem(e)));
    if (!anySym && spec.fold) {
      const r = mapBroadcast(ks, (xs) => spec.fold!(xs as Elem[], type));
      if (r) return fromKnown(outType, r.shape, r.elems);
    } else if (anySym && spec.sym && ks.every((k) => k.elems.every((e) => !isElem(e) || Number.isInteger(Number(e))))) {
      // Sizes stay symbolic through float casts too (Cast(Shape) to float, then Div/Floor and back), as long as every
      // value is a whole number.
      let ok = true;
      const r = mapBroadcast(ks, (xs) => {
        const s = spec.sym!(xs.map(asSym), type);
        if (!s) ok = false;
        return s ?? SymInt.of(0);
      });
      if (r && ok) return fromKnown(outType, r.shape, r.elems as Known[]);
    }
  }
  const operands = alignDynamic(c, inputs.map((v) => c.op(v)));
  return c.out(spec.webnn(c, operands, type), outType);
}

/**
 * Operands whose right-aligned dimensions are two different dynamic dimensions: ONNX checks their equality when the
 * model runs, WebNN when it is built. The exporter's graph says they are the same size (e.g. an attention mask of
 * `total_sequence_length` against keys of `past_sequence_length + sequence_length`), so the later name is carried
 * over to the first by gathering along that axis with 0..n-1 (a relabelling that costs one gather).
 */
export function alignDynamic(c: NodeContext, xs: MLOperand[]): MLOperand[] {
  if (xs.length < 2) return xs;
  const rank = Math.max(...xs.map((x) => x.dimensions.length));
  const target: (Dim | undefined)[] = new Array(rank).fill(undefined);
  for (const x of xs) {
    const d = x.dimensions;
    d.forEach((dim, i) => {
      const at = rank - d.length + i;
      if (target[at] === undefined || target[at] === 1) target[at] = dim;
    });
  }
  return xs.map((x) => {
    let out = x;
    const d = x.dimensions;
    d.forEach((dim, i) => {
      const t = target[rank - d.length + i]!;
      if (isDynamic(dim) && isDynamic(t) && !sameDim(dim, t)) out = relabel(c, out, i, t);
    });
    return out;
  });
}

/** `x` with axis `axis` carrying dimension `to` (same size at run time): gather with 0..to-1. */
export function relabel(c: NodeContext, x: MLOperand, axis: number, to: Dim): MLOperand {
  return c.b.gather(x, c.core.iota(to, 'int32'), { axis });
}

/** A scalar constant of the operand's data type, reshaped to broadcast against it. */
export function like(c: NodeContext, x: MLOperand, value: number): MLOperand {
  const t = x.dataType;
  return c.b.constant(t, t === 'int64' || t === 'uint64' ? BigInt(Math.trunc(value)) : value);
}

export function isFloatOperand(x: MLOperand): boolean {
  return x.dataType === 'float32' || x.dataType === 'float16';
}

/** Number → element of an ONNX type (bigint for 64-bit integers). */
export function elem(type: number, v: number): Elem {
  return isBigType(type) ? BigInt(Math.trunc(v)) : v;
}

/** Truncating integer division that never traps (x / 0 = 0 here; ONNX leaves it undefined). */
export function intDiv(a: Elem, b: Elem): Elem {
  if (typeof a === 'bigint' && typeof b === 'bigint') return b === 0n ? 0n : a / b;
  const x = Number(a);
  const y = Number(b);
  return y === 0 ? 0 : Math.trunc(x / y);
}

/** Number operations on elements of either kind (bigints for 64-bit types). */
export function arith(op: '+' | '-' | '*' | '/' | 'min' | 'max', a: Elem, b: Elem, type: number): Elem {
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    const x = BigInt(a);
    const y = BigInt(b);
    switch (op) {
      case '+': return x + y;
      case '-': return x - y;
      case '*': return x * y;
      case '/': return y === 0n ? 0n : x / y;
      case 'min': return x < y ? x : y;
      case 'max': return x > y ? x : y;
    }
  }
  const x = a as number;
  const y = b as number;
  switch (op) {
    case '+': return x + y;
    case '-': return x - y;
    case '*': return isFloatType(type) ? x * y : Number(BigInt.asIntN(64, BigInt(x) * BigInt(y)));
    case '/': return isFloatType(type) ? x / y : intDiv(x, y);
    case 'min': return Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.min(x, y);
    case 'max': return Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.max(x, y);
  }
}

export const BOOL = T.BOOL;

/** WebNN data type of an operand made from a value of ONNX type `type`. */
export function dataTypeOf(c: NodeContext, type: number): MLOperandDataType {
  return c.webnnType(type);
}
