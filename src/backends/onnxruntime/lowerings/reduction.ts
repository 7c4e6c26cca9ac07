// Reductions, argMin/argMax and cumulativeSum → ONNX.
import { DTYPES, type MLOperandDataType } from '../../../graph/dtypes.js';
import { encodeScalar } from '../../../graph/cast.js';
import { isDynamic, productDims, type Dim } from '../../../graph/dims.js';
import type { ReductionOp } from '../../../ops/reduction.js';
import { defineLowering, int, ints, INT64_MIN, type Emitter } from '../emitter.js';
import type { Kernel } from '../profiles.js';

const ONNX_REDUCE: Readonly<Record<ReductionOp, Kernel>> = {
  reduceL1: 'ReduceL1', reduceL2: 'ReduceL2', reduceLogSum: 'ReduceLogSum', reduceLogSumExp: 'ReduceLogSumExp',
  reduceMax: 'ReduceMax', reduceMean: 'ReduceMean', reduceMin: 'ReduceMin', reduceProduct: 'ReduceProd',
  reduceSum: 'ReduceSum', reduceSumSquare: 'ReduceSumSquare',
};

/**
 * Runs an order-based body (max, min, argmax, argmin) on a type ORT has a kernel for. uint32 widens to int64
 * exactly; uint64 is reinterpreted as int64 with its top bit flipped, which maps unsigned order onto signed order
 * (undone afterwards when `restore` is set, i.e. when the body's result holds values rather than indices).
 */
function orderPreserving(e: Emitter, kernel: Kernel, t: MLOperandDataType, x: string, restore: boolean,
  body: (x: string) => string): string {
  if (e.kernel(kernel).includes(t)) return body(x);
  if (t !== 'uint64') {
    const y = body(e.cast(x, 'int64'));
    return restore ? e.cast(y, t) : y;
  }
  const flip = e.int64s([INT64_MIN], []);
  const y = body(e.op('BitwiseXor', [e.cast(x, 'int64'), flip]));
  return restore ? e.cast(e.op('BitwiseXor', [y, flip]), t) : y;
}

/**
 * `value` where no reduced element of float `x` is NaN, and `ifNaN` where one is. onnxruntime's ReduceMax/Min and
 * ArgMax/Min keep or drop a NaN depending on where it sits; WebNN's max() and min() propagate NaN, so their
 * reductions do too, and argMin/argMax point at the first NaN.
 */
function whereNaN(e: Emitter, x: string, reduceFlags: (flags: string) => string, ifNaN: (flags: string) => string,
  value: string, output: string): void {
  const flags = e.cast(e.op('IsNaN', [x]), 'uint8');
  e.op('Where', [e.cast(reduceFlags(flags), 'bool'), ifNaN(flags), value], {}, output);
}

/**
 * An exact integer sum or product of `x` (of `shape`) over `axes`, wrapping modulo 2^64 in int64; the caller's cast
 * back to a narrower type wraps modulo 2^bits, as add() and mul() do. onnxruntime's integer ReduceSum/ReduceProd
 * accumulate in double (int64 sums beyond 2^53 lose bits, overflow saturates), so the reduced axes go last, are
 * flattened, and are summed with CumSum (exact) or multiplied pairwise in a tree of Mul.
 */
function integerReduce(e: Emitter, x: string, dims: readonly Dim[], axes: readonly number[], product: boolean,
  outputDims: readonly Dim[]): string {
  const kept = dims.map((_, i) => i).filter((i) => !axes.includes(i));
  const perm = [...kept, ...axes];
  if (perm.some((p, i) => p !== i)) x = e.op('Transpose', [x], { perm: ints(perm) });
  const outer = productDims(kept.map((i) => dims[i]!));
  const innerDim = productDims(axes.map((i) => dims[i]!));
  x = e.op('Reshape', [x, e.shapeOf([outer, innerDim])], { allowzero: int(1) });
  const reduced = isDynamic(innerDim) ? dynamicColumns(e, x, innerDim.maxSize, product) : staticColumns(e, x, innerDim, product);
  return e.op('Reshape', [reduced, e.shapeOf(outputDims)], { allowzero: int(1) });
}

const slice = (e: Emitter, v: string, from: string, to: string) => e.op('Slice', [v, from, to, e.int64s([1])]);
/** A Slice end past any row: Slice clamps it to the width. */
const TO_END = Number.MAX_SAFE_INTEGER;

/** [outer, width] → [outer, 1]: the sum (CumSum, last column) or the product (pairwise tree) of each row. */
function staticColumns(e: Emitter, x: string, width: number, product: boolean): string {
  const columns = (v: string, from: number, to: number) => slice(e, v, e.int64s([from]), e.int64s([to]));
  if (!product) return columns(e.op('CumSum', [x, e.int64s([1], [])]), width - 1, width);
  while (width > 1) {
    const half = Math.floor(width / 2);
    const pairs = e.op('Mul', [columns(x, 0, half), columns(x, half, 2 * half)]);
    x = width % 2 === 0 ? pairs : e.op('Concat', [pairs, columns(x, 2 * half, width)], { axis: int(1) });
    width -= half;
  }
  return x;
}

/**
 * The same over a width known only at run time (up to `bound`), with work proportional to the run-time width: one
 * identity column in front (so an empty row gives 0 or 1), then a sum's last CumSum column, or for a product
 * ceil(log2(bound + 1)) halving steps, each padding an odd width with a 1 and multiplying the two halves.
 */
function dynamicColumns(e: Emitter, x: string, bound: number, product: boolean): string {
  x = e.op('Pad', [x, e.int64s([0, 1, 0, 0]), e.int64s([product ? 1 : 0], [])]);
  if (!product) return slice(e, e.op('CumSum', [x, e.int64s([1], [])]), e.int64s([-1]), e.int64s([TO_END]));
  const one = e.int64s([1], []);
  const two = e.int64s([2]);
  for (let width = bound + 1; width > 1; width = Math.ceil(width / 2)) {
    const odd = e.op('Mod', [e.op('Shape', [x], { start: int(1), end: int(2) }), two]);
    x = e.op('Pad', [x, e.op('Concat', [e.int64s([0, 0, 0]), odd], { axis: int(0) }), one]);
    const half = e.op('Div', [e.op('Shape', [x], { start: int(1), end: int(2) }), two]);
    x = e.op('Mul', [slice(e, x, e.int64s([0]), half), slice(e, x, half, e.int64s([TO_END]))]);
  }
  return x;
}

for (const [op, onnxOp] of Object.entries(ONNX_REDUCE) as [ReductionOp, Kernel][]) {
  defineLowering(op, (n, e) => {
    const t = n.inputTypes[0]!;
    const rank = n.inputShapes[0]!.length;
    let axes = [...n.attrs.axes];
    let x = n.inputs[0]!;
    let xDims = n.inputDims[0]!;
    let keepdims = n.attrs.keepDimensions;
    // No axes (explicitly empty, or a scalar input) applies the reduction to each element on its own. ONNX's
    // noop_with_empty_axes would instead pass the input through (wrong for L1, SumSquare, LogSum...), so reduce
    // over a trailing axis of size 1 instead (Unsqueeze: no sizes baked in, so dynamic dimensions stay dynamic).
    if (axes.length === 0) {
      x = e.op('Unsqueeze', [x, e.int64s([rank])]);
      axes = [rank];
      xDims = [...xDims, 1];
      keepdims = false;
    }
    if (DTYPES[t].kind === 'int' && onnxOp !== 'ReduceMax' && onnxOp !== 'ReduceMin') {
      // |x| is x for unsigned types: reduceL1 is a plain sum there.
      let v = t === 'int64' ? x : e.cast(x, 'int64');
      if (onnxOp === 'ReduceL1' && DTYPES[t].signed) v = e.op('Abs', [v]);
      if (onnxOp === 'ReduceSumSquare') v = e.op('Mul', [v, v]);
      const y = integerReduce(e, v, xDims, axes, onnxOp === 'ReduceProd', n.outputDims[0]!);
      if (t === 'int64') e.op('Identity', [y], {}, n.outputs[0]);
      else e.cast(y, t, n.outputs[0]);
      return;
    }
    const reduced = axes.map((a) => xDims[a]!);
    if (onnxOp === 'ReduceMean' && reduced.some(isDynamic)) {
      // onnxruntime's ReduceMean gives 0 over an empty axis; the mean of nothing is 0/0 = NaN (as numpy and
      // PyTorch have it), so divide the sum by the run-time count.
      const count = e.cast(e.sizeOf(productDims(reduced)), 'float32');
      const sum = (v: string) => e.op('ReduceSum', [v, e.int64s(axes)], { keepdims: int(keepdims) });
      e.castAround(t, e.kernel('ReduceSum'), 'float32', [x], n.outputs, ([v], [out]) => void e.op('Div', [sum(v!), count], {}, out));
      return;
    }
    const reduce = (v: string, out?: string) => e.op(onnxOp, [v, e.int64s(axes)], { keepdims: int(keepdims) }, out);
    if (onnxOp === 'ReduceMax' || onnxOp === 'ReduceMin') {
      const value = orderPreserving(e, onnxOp, t, x, true, (v) => reduce(v));
      if (DTYPES[t].kind !== 'float') e.op('Identity', [value], {}, n.outputs[0]);
      else whereNaN(e, x, (f) => e.op('ReduceMax', [f, e.int64s(axes)], { keepdims: int(keepdims) }), () => e.initializer(t, [], encodeScalar(t, NaN)), value, n.outputs[0]!);
      return;
    }
    // float16 accumulates in float32 (one rounding at the end).
    e.castAround(t, e.kernel(onnxOp), 'float32', [x], n.outputs, ([v], [out]) => void reduce(v!, out));
  });
}

for (const [op, onnxOp] of [['argMin', 'ArgMin'], ['argMax', 'ArgMax']] as const) {
  defineLowering(op, (n, e) => {
    const t = n.inputTypes[0]!;
    // select_last_index = 0: ties give the first index, as the WPT cases expect.
    const attrs = { axis: int(n.attrs.axis), keepdims: int(n.attrs.keepDimensions), select_last_index: int(0) };
    const x = n.inputs[0]!;
    let indices = orderPreserving(e, onnxOp, t, x, false, (v) => e.op(onnxOp, [v], attrs));
    if (DTYPES[t].kind === 'float') {
      const picked = e.fresh();
      whereNaN(e, x, (f) => e.op('ReduceMax', [f, e.int64s([n.attrs.axis])], { keepdims: attrs.keepdims }),
        (f) => e.op('ArgMax', [f], attrs), indices, picked);
      indices = picked;
    }
    if (n.outputTypes[0] === 'int64') e.op('Identity', [indices], {}, n.outputs[0]);
    else e.cast(indices, n.outputTypes[0]!, n.outputs[0]);
  });
}

defineLowering('cumulativeSum', (n, e) => {
  const t = n.inputTypes[0]!;
  const attrs = { exclusive: int(n.attrs.exclusive), reverse: int(n.attrs.reversed) };
  const axis = e.int64s([n.attrs.axis], []);
  const via = DTYPES[t].kind === 'float' ? 'float32' : 'int64';
  e.castAround(t, e.kernel('CumSum'), via, [n.inputs[0]!], n.outputs, ([x], [out]) => void e.op('CumSum', [x!, axis], attrs, out));
});
