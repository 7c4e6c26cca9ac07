// Reductions, argMin/argMax and cumulativeSum → ONNX.
import { DTYPES, type MLOperandDataType } from '../../../graph/dtypes.js';
import { isDynamic, productDims } from '../../../graph/dims.js';
import { defineLowering, int, type Emitter } from '../emitter.js';

// onnxruntime CPU kernel types, as found by probing one-node models (scripts/probe-ort-kernels.ts).
const REDUCE_TYPES: readonly MLOperandDataType[] = ['float32', 'int32', 'int64'];
const MINMAX_TYPES: readonly MLOperandDataType[] = ['float32', 'float16', 'int32', 'int64', 'int8', 'uint8'];
const CUMSUM_TYPES: readonly MLOperandDataType[] = ['float32', 'int32', 'int64'];

const ONNX_REDUCE: Readonly<Record<string, string>> = {
  reduceL1: 'ReduceL1', reduceL2: 'ReduceL2', reduceLogSum: 'ReduceLogSum', reduceLogSumExp: 'ReduceLogSumExp',
  reduceMax: 'ReduceMax', reduceMean: 'ReduceMean', reduceMin: 'ReduceMin', reduceProduct: 'ReduceProd',
  reduceSum: 'ReduceSum', reduceSumSquare: 'ReduceSumSquare',
};

const INT64_MIN = -(2n ** 63n);

/**
 * Runs an order-based body (max, min, argmax, argmin) on a type ORT has a kernel for. uint32 widens to int64
 * exactly; uint64 is reinterpreted as int64 with its top bit flipped, which maps unsigned order onto signed order
 * (undone afterwards when `restore` is set, i.e. when the body's result holds values rather than indices).
 */
function orderPreserving(e: Emitter, t: MLOperandDataType, x: string, restore: boolean,
  body: (x: string) => string): string {
  if (MINMAX_TYPES.includes(t)) return body(x);
  if (t !== 'uint64') {
    const y = body(e.cast(x, 'int64'));
    return restore ? e.cast(y, t) : y;
  }
  const flip = e.initializer('int64', [], new Uint8Array(BigInt64Array.of(INT64_MIN).buffer));
  const y = body(e.op('BitwiseXor', [e.cast(x, 'int64'), flip]));
  return restore ? e.cast(e.op('BitwiseXor', [y, flip]), t) : y;
}

for (const [op, onnxOp] of Object.entries(ONNX_REDUCE)) {
  defineLowering(op, (n, e) => {
    const t = n.inputTypes[0]!;
    const rank = n.inputShapes[0]!.length;
    let axes = n.attrs.axes as number[];
    let x = n.inputs[0]!;
    let keepdims = n.attrs.keepDimensions as boolean;
    // No axes (explicitly empty, or a scalar input) applies the reduction to each element on its own. ONNX's
    // noop_with_empty_axes would instead pass the input through (wrong for L1, SumSquare, LogSum...), so reduce
    // over a trailing axis of size 1 instead (Unsqueeze: no sizes baked in, so dynamic dimensions stay dynamic).
    if (axes.length === 0) {
      x = e.op('Unsqueeze', [x, e.int64s([rank])]);
      axes = [rank];
      keepdims = false;
    }
    // |x| is x for unsigned types: reduceL1 is a plain sum there (ORT's ReduceL1 would need a signed type).
    const onnx = onnxOp === 'ReduceL1' && !DTYPES[t].signed ? 'ReduceSum' : onnxOp;
    const reduce = (v: string, out?: string) => e.op(onnx, [v, e.int64s(axes)], { keepdims: int(keepdims) }, out);
    const dims = n.inputDims[0]!;
    const reduced = axes.map((a) => dims[a] ?? 1);
    if (onnx === 'ReduceMean' && reduced.some(isDynamic)) {
      // onnxruntime's ReduceMean gives 0 over an empty axis; the mean of nothing is 0/0 = NaN (as numpy and
      // PyTorch have it), so divide the sum by the run-time count.
      const count = e.cast(e.sizeOf(productDims(reduced)), 'float32');
      const sum = (v: string) => e.op('ReduceSum', [v, e.int64s(axes)], { keepdims: int(keepdims) });
      e.castAround(t, ['float32'], 'float32', [x], n.outputs, ([v], [out]) => void e.op('Div', [sum(v!), count], {}, out));
      return;
    }
    if (onnx === 'ReduceMax' || onnx === 'ReduceMin') {
      e.op('Identity', [orderPreserving(e, t, x, true, (v) => reduce(v))], {}, n.outputs[0]);
      return;
    }
    // float16 accumulates in float32 (one rounding at the end); unsigned integers in int64, whose wrap-around
    // sums and products agree with the unsigned ones modulo 2^bits.
    const via = DTYPES[t].kind === 'float' ? 'float32' : 'int64';
    e.castAround(t, REDUCE_TYPES, via, [x], n.outputs, ([v], [out]) => void reduce(v!, out));
  });
}

for (const [op, onnxOp] of [['argMin', 'ArgMin'], ['argMax', 'ArgMax']] as const) {
  defineLowering(op, (n, e) => {
    const t = n.inputTypes[0]!;
    // select_last_index = 0: ties give the first index, as the WPT cases expect.
    const attrs = { axis: int(n.attrs.axis as number), keepdims: int(n.attrs.keepDimensions as boolean), select_last_index: int(0) };
    const indices = orderPreserving(e, t, n.inputs[0]!, false, (v) => e.op(onnxOp, [v], attrs));
    if (n.outputTypes[0] === 'int64') e.op('Identity', [indices], {}, n.outputs[0]);
    else e.cast(indices, n.outputTypes[0]!, n.outputs[0]);
  });
}

defineLowering('cumulativeSum', (n, e) => {
  const t = n.inputTypes[0]!;
  const attrs = { exclusive: int(n.attrs.exclusive as boolean), reverse: int(n.attrs.reversed as boolean) };
  const axis = e.int64s([n.attrs.axis as number], []);
  const via = DTYPES[t].kind === 'float' ? 'float32' : 'int64';
  e.castAround(t, CUMSUM_TYPES, via, [n.inputs[0]!], n.outputs, ([x], [out]) => void e.op('CumSum', [x!, axis], attrs, out));
});
