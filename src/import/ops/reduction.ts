// Reductions, ArgMin/ArgMax and CumSum. Axes come from the attribute (older opsets) or the second input; sums and
// products of shape tensors fold symbolically.
import { reduceDims } from '../../graph/dims.js';
import { OnnxDataType as T } from '../../onnx/schema.js';
import type { NodeContext } from '../context.js';
import { fromKnown, isElem, knownOf, stridesOf, type Known } from '../fold.js';
import { SymInt } from '../symbolic.js';
import { family } from '../table.js';
import { elementCount, isBigType, type Elem, type Val } from '../values.js';
import { arith } from './common.js';

type ReduceName = 'reduceSum' | 'reduceMean' | 'reduceMax' | 'reduceMin' | 'reduceProduct' | 'reduceL1' | 'reduceL2' | 'reduceLogSum' | 'reduceLogSumExp' | 'reduceSumSquare';

/** Folds a reduction over `axes` of a known tensor with `combine`; `finish` maps each result (mean, sqrt, ...). */
function foldReduce(k: { shape: number[]; elems: Known[] }, axes: number[], combine: (a: Known, b: Known) => Known | undefined, finish: (v: Known, n: number) => Known | undefined): { shape: number[]; elems: Known[] } | undefined {
  const rank = k.shape.length;
  const outShape = k.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const n = elementCount(axes.map((a) => k.shape[a]!));
  const strides = stridesOf(k.shape);
  const outStrides = stridesOf(outShape);
  const acc = new Array<Known | undefined>(elementCount(outShape)).fill(undefined);
  for (let i = 0; i < k.elems.length; i++) {
    let o = 0;
    let rem = i;
    for (let d = 0; d < rank; d++) {
      const coord = Math.floor(rem / strides[d]!);
      rem %= strides[d]!;
      if (!axes.includes(d)) o += coord * outStrides[d]!;
    }
    const cur = acc[o];
    if (cur === undefined) acc[o] = k.elems[i]!;
    else {
      const r = combine(cur, k.elems[i]!);
      if (r === undefined) return undefined;
      acc[o] = r;
    }
  }
  const elems: Known[] = [];
  for (const a of acc) {
    const r = finish(a!, n);
    if (r === undefined) return undefined;
    elems.push(r);
  }
  return { shape: outShape, elems };
}

function reduce(name: ReduceName, axesInputSince: number) {
  return (c: NodeContext): Val => {
    const v = c.in(0);
    const rank = v.dims.length;
    const keep = c.int('keepdims', 1) === 1;
    let axes: number[] | undefined;
    if (c.opset >= axesInputSince) {
      if (c.has(1) && (c.konst(1)?.count ?? 1) > 0) axes = c.ints(1, 'axes');
    } else axes = c.intList('axes');
    if (axes === undefined) {
      if (c.opset >= axesInputSince && c.int('noop_with_empty_axes', 0) === 1) return v;
      axes = Array.from({ length: rank }, (_, i) => i);
    }
    axes = [...new Set(axes.map((a) => c.axis(a, rank)))].sort((a, b) => a - b);
    const outDims = reduceDims(v.dims, axes, keep);
    const k = knownOf(v);
    if (k) {
      const sym = k.elems.some((e) => !isElem(e));
      const type = v.type;
      let folded: { shape: number[]; elems: Known[] } | undefined;
      if (name === 'reduceSum' || name === 'reduceProduct') {
        const op = name === 'reduceSum' ? '+' : '*';
        folded = foldReduce(k, axes, (a, b) => (sym ? toSym(a)[op === '+' ? 'add' : 'mul'](toSym(b)) : arith(op, a as Elem, b as Elem, type)), (x) => x);
      } else if (!sym && (name === 'reduceMax' || name === 'reduceMin')) {
        folded = foldReduce(k, axes, (a, b) => arith(name === 'reduceMax' ? 'max' : 'min', a as Elem, b as Elem, type), (x) => x);
      } else if (!sym && name === 'reduceMean') {
        folded = foldReduce(k, axes, (a, b) => arith('+', a as Elem, b as Elem, type), (x, n) => (isBigType(type) ? (x as bigint) / BigInt(n) : Number(x) / n));
      }
      if (folded) return fromKnown(type, outDims as number[], folded.elems);
    }
    const x = c.op(v);
    return c.out(c.b[name](x, { axes, keepDimensions: keep }), v.type);
  };
}

function toSym(k: Known): SymInt {
  return k instanceof SymInt ? k : SymInt.of(typeof k === 'bigint' ? Number(k) : k);
}

function argReduce(which: 'argMax' | 'argMin') {
  return (c: NodeContext): Val => {
    const v = c.in(0);
    const x = c.op(v);
    const rank = x.dimensions.length;
    const axis = c.axis(c.int('axis', 0), rank);
    const keep = c.int('keepdims', 1) === 1;
    const last = c.int('select_last_index', 0) === 1;
    if (!last) return c.out(c.b[which](x, axis, { keepDimensions: keep, outputDataType: 'int64' }), T.INT64);
    // The last of equal extremes: search the reversed axis, then map the index back.
    const n = x.dimensions[axis]!;
    const r = c.b[which](c.b.reverse(x, { axes: [axis] }), axis, { keepDimensions: keep, outputDataType: 'int64' });
    const size = c.core.dimScalar(SymInt.dim(n));
    return c.out(c.b.sub(c.b.sub(size, c.b.constant('int64', 1n)), r), T.INT64);
  };
}

function cumSum(c: NodeContext): Val {
  const v = c.in(0);
  const x = c.op(v);
  const axis = c.axis(c.ints(1, 'axis')[0]!, x.dimensions.length);
  return c.out(c.b.cumulativeSum(x, axis, { exclusive: c.int('exclusive', 0) === 1, reversed: c.int('reverse', 0) === 1 }), v.type);
}

export const reductionOps = family('reduction', [
  { op: 'ReduceSum', note: 'reduceSum (folded on shape tensors)', handler: reduce('reduceSum', 13) },
  { op: 'ReduceMean', note: 'reduceMean', handler: reduce('reduceMean', 18) },
  { op: 'ReduceMax', note: 'reduceMax', handler: reduce('reduceMax', 18) },
  { op: 'ReduceMin', note: 'reduceMin', handler: reduce('reduceMin', 18) },
  { op: 'ReduceProd', note: 'reduceProduct (folded on shape tensors)', handler: reduce('reduceProduct', 18) },
  { op: 'ReduceL1', note: 'reduceL1', handler: reduce('reduceL1', 18) },
  { op: 'ReduceL2', note: 'reduceL2', handler: reduce('reduceL2', 18) },
  { op: 'ReduceLogSum', note: 'reduceLogSum', handler: reduce('reduceLogSum', 18) },
  { op: 'ReduceLogSumExp', note: 'reduceLogSumExp', handler: reduce('reduceLogSumExp', 18) },
  { op: 'ReduceSumSquare', note: 'reduceSumSquare', handler: reduce('reduceSumSquare', 18) },
  { op: 'ArgMax', note: 'argMax (int64; select_last_index through reverse)', handler: argReduce('argMax') },
  { op: 'ArgMin', note: 'argMin (int64; select_last_index through reverse)', handler: argReduce('argMin') },
  { op: 'CumSum', since: 11, note: 'cumulativeSum', handler: cumSum },
]);
